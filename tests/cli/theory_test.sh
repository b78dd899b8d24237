#!/usr/bin/env bash
# `initlab theory`: bad input gives one line and exit 2; good runs print and write
# the mean-field values of docs/theory.md §4-§6. $1 = initlab binary, $2 = source folder.
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect_error 2 'depth 0' -- theory --depth 0
expect_error 2 'unknown activation' -- theory --activation mish
expect_error 2 'sw2 -1' -- theory --sw2 -1
expect_error 2 'q0 -2' -- theory --q0 -2
expect_error 2 'sb2' -- theory --sb2 0.1,0.2
expect_error 2 'widths' -- theory --widths 784
expect_error 2 'disagrees' -- theory --widths 784,300,10 --depth 5
expect_error 2 'mode' -- theory --widths 784,300,10 --mode fan_middle
expect_error 2 'exclude' -- theory --critical relu --critical-line
expect_error 2 'unknown activation' -- theory --critical mish
expect_error 2 'sb2 -0.5' -- theory --critical-line --sb2 0.1,-0.5
expect_error 2 'cannot write' -- theory --depth 3 --csv "$tmp/no/such/dir/q.csv"

# Xavier-tanh: the table of docs/theory.md §4 (q^10 = 0.05801, q^100 = 0.005121), CSV named by its command.
out=$("$INITLAB" theory --activation tanh --sw2 1 --sb2 0 --q0 1 --depth 100 \
      --csv "$tmp/q.csv" --json "$tmp/q.json")
check "trajectory exits 0" test $? -eq 0
check "fixed point q* = 0 printed" grep -q 'fixed point *zero' <<<"$out"
check "CSV first line names the command" \
  grep -qx '# initlab.*: initlab theory --activation tanh --sw2 1 --sb2 0 --q0 1 --depth 100 --csv .* --json .*' \
  <(head -1 "$tmp/q.csv")
check "CSV has 100 layers" test "$(grep -c '^[0-9]' "$tmp/q.csv")" -eq 100
check "q^10 = 0.05801" awk -F, '$1 == 10 { exit !($4 > 0.058005 && $4 < 0.058015) }' "$tmp/q.csv"
check "q^100 = 0.005121" awk -F, '$1 == 100 { exit !($4 > 0.0051205 && $4 < 0.0051215) }' "$tmp/q.csv"
check "no temporary files left" test -z "$(ls "$tmp" | grep tmp)"
check "JSON names the command and holds 100 layers" /usr/bin/python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["provenance"]["command"].startswith("initlab theory --activation tanh"), j["provenance"]
assert len(j["layers"]) == 100 and j["fixed_point"]["kind"] == "zero"
' "$tmp/q.json"

# N(0, 1) at width 784, linear: overflow flagged in the log domain, never inf.
out=$("$INITLAB" theory --activation linear --sw2 784 --depth 200 --csv -)
check "overflow run exits 0" test $? -eq 0
check "no inf in the CSV" bash -c '! grep -qi inf <<<"$1"' _ "$out"
check "q^200 kept as ln q = 200 ln 784" awk -F, -v want="$(awk 'BEGIN{printf "%.17g", 200*log(784)}')" \
  '$1 == 200 { d = $5 - want; exit !($4 == "" && $17 == 1 && d < 1e-9 && d > -1e-9) }' <<<"$out"

# Unequal widths, fan_out: q^L = q0 n_0 / n_L for linear.
out=$("$INITLAB" theory --activation linear --widths 784,300,100 --mode fan_out --csv -)
check "fan_out telescopes to n_0/n_L" awk -F, '$1 == 2 { exit !($4 > 7.8399 && $4 < 7.8401) }' <<<"$out"

out=$("$INITLAB" theory --critical-line)
check "critical line 1.086026 at sb2 = 1e-4" grep -qE '^ +0\.0001 +1\.0860' <<<"$out"
check "critical line 2.843 at sb2 = 0.5" grep -qE '^ +0\.5 +2\.8431' <<<"$out"

out=$("$INITLAB" theory --critical relu)
check "relu critical sw2 2" grep -qE '^critical sw2 +2 ' <<<"$out"
check "relu gain beside PyTorch's" grep -qE '^PyTorch calculate_gain +1\.41421' <<<"$out"

# Issue 16.3: the chaotic phase has a finite correlation depth scale; ReLU with bias
# has no fixed point on its "critical line".
out=$("$INITLAB" theory --activation tanh --sw2 2 --sb2 0.05 --depth 2)
check "chaotic phase named" grep -qE '^correlation phase +chaotic' <<<"$out"
check "chaotic c* = 0.7441" grep -qE '^c\* +0\.7440' <<<"$out"
check "chaotic xi_c = 25.2" grep -qE '^xi_c +25\.2' <<<"$out"
out=$("$INITLAB" theory --activation tanh --sw2 1.2 --sb2 0.3 --depth 2)
check "ordered xi_c = -1/ln chi_1" grep -qE '^xi_c +2\.217' <<<"$out"
out=$("$INITLAB" theory --activation tanh --sw2 2 --sb2 0.05 --depth 2 --json -)
check "JSON carries c*" grep -q '"c_star": 0.744' <<<"$out"
out=$("$INITLAB" theory --critical-line --activation relu --sb2 0,0.1)
check "relu with bias: no fixed point" grep -q 'no critical point exists' <<<"$out"

check "--help describes the options" bash -c '"$1" theory --help | grep -q -- "--critical-line"' _ "$INITLAB"
finish
