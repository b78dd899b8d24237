#!/usr/bin/env bash
# `initlab spectrum`: bad input gives one line and exit 2; a small run writes CSV/JSON
# with the issue's columns, and an orthogonal linear net is an isometry.
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

expect_error 2 'width' -- spectrum --width 0
expect_error 2 'depths' -- spectrum --depths 5,3
expect_error 2 'depths' -- spectrum --depths 0
expect_error 2 'seeds' -- spectrum --seeds 0
expect_error 2 'sw2' -- spectrum --sw2 -1
expect_error 2 'sb2' -- spectrum --sb2 -0.5
expect_error 2 'q0' -- spectrum --q0 0
expect_error 2 'gaussian or orthogonal' -- spectrum --init uniform
expect_error 2 'unknown activation' -- spectrum --activation mish
expect_error 2 'csv' -- spectrum --csv "$tmp/missing/s.csv"

"$INITLAB" spectrum --activation linear,tanh,relu --width 16 --depths 1,5 --seeds 2 \
  --csv "$tmp/s.csv" --json "$tmp/s.json" >"$tmp/out.txt"
check "small run exits 0" test $? -eq 0
check "CSV names its command" bash -c "head -1 '$tmp/s.csv' | grep -q '^# .*spectrum'"
check "CSV header has the issue's columns" bash -c \
  "sed -n 2p '$tmp/s.csv' | grep -q '^activation,init,depth,width,.*mean_s2,.*mean_s2_theory,var_s2,.*var_s2_theory,min_s,max_s'"
check "3 activations x 2 inits x 2 depths" test "$(tail -n +3 "$tmp/s.csv" | wc -l)" -eq 12
check "orthogonal linear: every s is 1" bash -c \
  "grep '^linear,orthogonal,' '$tmp/s.csv' | awk -F, '{ if (\$15 < 0.999999 || \$16 > 1.000001) bad = 1 } END { exit bad }'"
check "JSON has the histograms" grep -q '"log10_s_counts"' "$tmp/s.json"
check "summary printed" grep -q 'Jacobian singular values' "$tmp/out.txt"
check "--csv - writes CSV to stdout only" bash -c \
  '"$1" spectrum --activation linear --width 4 --depths 2 --seeds 1 --csv - | sed -n 2p | grep -q "^activation,init"' _ "$INITLAB"
check "--help" bash -c '"$1" spectrum --help | grep -q -- "--depths"' _ "$INITLAB"
finish
