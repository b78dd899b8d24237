#!/usr/bin/env bash
# `initlab phase`: bad input gives one line and exit 2; a small grid writes CSV/JSON.
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

expect_error 2 'sw2' -- phase --sw2 0,1
expect_error 2 'sb2' -- phase --sb2 -1
expect_error 2 'depth' -- phase --depth 1
expect_error 2 'c0' -- phase --c0 1
expect_error 2 'unknown activation' -- phase --activation mish

"$INITLAB" phase --sw2 0.5,4 --sb2 0.05 --width 64 --depth 20 --seeds 2 --pairs 2 \
  --csv "$tmp/p.csv" --json "$tmp/p.json" >"$tmp/out.txt"
check "small grid exits 0" test $? -eq 0
check "CSV header has the issue's columns" bash -c \
  "sed -n 2p '$tmp/p.csv' | grep -q '^activation,sw2,sb2,depth,width,.*q,q_sd,q_theory,c,c_sd,c_theory,.*chi1,chi1_sd,chi1_theory,.*xi_c,xi_c_sd,xi_c_window,xi_c_theory'"
check "two cells" test "$(tail -n +3 "$tmp/p.csv" | wc -l)" -eq 2
check "ordered and chaotic" bash -c "grep -q ',ordered,' '$tmp/p.csv' && grep -q ',chaotic,' '$tmp/p.csv'"
check "JSON has the critical line" grep -q '"sw2_crit"' "$tmp/p.json"
check "summary printed" grep -q 'phase diagram for tanh' "$tmp/out.txt"
check "--help" bash -c '"$1" phase --help | grep -q -- "--pairs"' _ "$INITLAB"
finish
