#!/usr/bin/env bash
# `initlab critical`: bad input is one line and exit 2; no critical point (ReLU with a
# bias) is one line and exit 3; the spec it prints is accepted by --init as it is and
# draws W ~ N(0, sw2 / fan_in) with sw2 to the last digit.
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

expect_error 2 'bias-std' -- critical --bias-std -1
expect_error 2 'bias-std' -- critical --bias-std nan
expect_error 2 'unknown activation' -- critical --activation mish
expect_error 2 'json' -- critical --json "$tmp/missing/c.json"
expect_error 3 'no critical point for relu with --bias-std 0.1: .*no fixed point' -- critical --activation relu --bias-std 0.1
expect_error 3 'no critical point for linear' -- critical --activation linear --bias-std 0.5
expect_error 3 'no critical point for gelu .*jumps across 1' -- critical --activation gelu
out=$("$INITLAB" theory --critical relu --sb2 0.1)
check "theory --critical agrees: relu with a bias has none" grep -qE '^critical sw2 +none .*no fixed point' <<<"$out"

"$INITLAB" critical --activation relu --bias-std 0.1 --json "$tmp/none.json" 2>/dev/null
check "no critical point: exit 3 after the JSON" test $? -eq 3
check "no critical point: JSON says so" grep -q '"exists": false' "$tmp/none.json"

"$INITLAB" critical --activation tanh --bias-std 0.2236 >"$tmp/out.txt"
check "tanh with bias exits 0" test $? -eq 0
check "text names sw2, gain and the spec" bash -c \
  "grep -q '^critical sw2 *1.76' '$tmp/out.txt' && grep -q '^gain *1.32' '$tmp/out.txt' && grep -q '^init *variance_scaling:scale=1.76' '$tmp/out.txt'"
spec=$("$INITLAB" critical --activation tanh --bias-std 0.2236 --spec)
check "--spec prints only the spec" bash -c "[[ '$spec' =~ ^variance_scaling:scale=[0-9.]+,mode=fan_in,distribution=normal$ ]]"
"$INITLAB" critical --activation tanh --bias-std 0.2236 --json "$tmp/c.json" >/dev/null
check "JSON has the spec and chi_1" bash -c "grep -q '\"init\": \"$spec\"' '$tmp/c.json' && grep -q '\"chi1\"' '$tmp/c.json' && grep -q '\"provenance\"' '$tmp/c.json'"
# --init accepts the spec as it is: the drawn law is N(0, sw2 / fan_in), sw2 read back exactly.
scale=${spec#variance_scaling:scale=}; scale=${scale%%,*}
"$INITLAB" init "$spec" --shape 256,100 --seed 1 >"$tmp/init.txt" 2>&1
check "init accepts the spec" test $? -eq 0
check "init's canonical spec is the same text" grep -qF "$spec" "$tmp/init.txt"
check "the law is N(0, sw2 / fan_in) with sw2 as printed" grep -qF "N(0, $scale/fan_in)" "$tmp/init.txt"
promised=$(python3 -c 'import sys; print("%g" % (float(sys.argv[1]) / 100))' "$scale")
check "promised variance sw2 / 100" grep -qE "^promised variance +$promised\$" "$tmp/init.txt"
"$INITLAB" variance --activation tanh --init "$spec" --bias-std 0.2236 --width 32 --depth 4 --seeds 1 \
  --csv "$tmp/v.csv" >/dev/null
check "variance runs with the spec" test $? -eq 0
check "--help" bash -c '"$1" critical --help | grep -q -- "--bias-std"' _ "$INITLAB"
finish
