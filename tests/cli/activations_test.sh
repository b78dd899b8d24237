#!/usr/bin/env bash
# The smooth activations gelu, selu, silu (swish), erf, softplus through every
# command that takes --activation: listed by --help, accepted, their gains printed
# (docs/theory.md §23). $1 = initlab binary, $2 = source folder.
source "$(dirname "$0")/lib.sh" "$1"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for cmd in theory phase variance critical spectrum; do
  help=$("$INITLAB" $cmd --help)
  for a in gelu selu silu swish erf softplus; do
    check "$cmd --help lists $a" grep -q "$a" <<<"$help"
  done
done
expect_error 2 'gelu:0.3.*takes no parameter' -- theory --activation gelu:0.3
expect_error 2 'unknown activation' -- variance --activation relu,mish --depth 2 --width 8

# SELU: PyTorch's 3/4, and lecun_normal (gain 1) keeps q = 1 (Klambauer's fixed point).
out=$("$INITLAB" theory --critical selu)
check "selu: PyTorch calculate_gain 0.75" grep -qE '^PyTorch calculate_gain +0\.75$' <<<"$out"
check "selu: gain keeping q = 1 is 1" grep -qE '^gain keeping q = 1 +1$' <<<"$out"
# gelu: no edge of chaos at sb2 = 0 (said, not an error); PyTorch defines no gain.
"$INITLAB" theory --critical gelu --json "$tmp/g.json" >/dev/null
check "gelu --critical exits 0" test $? -eq 0
check "gelu JSON: no critical sw2, its reason, fixed-q gain 1.5335, no PyTorch gain" /usr/bin/python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["critical_sw2"] is None and "jumps" in j["no_critical_reason"], j
assert abs(j["fixed_q_gain"] - 1.53353) < 1e-5 and j["pytorch_calculate_gain"] is None, j
' "$tmp/g.json"
# erf: q* = 0 at sb2 = 0 makes the edge sw2 = pi/4.
out=$("$INITLAB" theory --critical-line --activation erf --sb2 0 --csv -)
check "erf critical line at sb2 = 0 is pi/4" awk -F, '$1 == 0 { d = $2 - 0.785398163397448; exit !(d < 1e-12 && d > -1e-12) }' <<<"$out"

# swish is silu; a trajectory and a small measured run for each new activation.
out=$("$INITLAB" theory --activation swish --depth 3)
check "swish prints as silu" grep -q 'silu' <<<"$out"
out=$("$INITLAB" theory --activation selu --sw2 1 --depth 20 --csv -)
check "selu + sw2 1: q^20 = 1" awk -F, '$1 == 20 { d = $4 - 1; exit !(d < 1e-12 && d > -1e-12) }' <<<"$out"
"$INITLAB" variance --width 16 --depth 3 --batch 4 --seeds 2 --activation gelu,selu,silu,erf,softplus \
  --init lecun_normal --csv "$tmp/v.csv" >/dev/null
check "variance runs the five" test "$(grep -v '^#' "$tmp/v.csv" | tail -n +2 | cut -d, -f1 | sort -u | tr '\n' ' ')" = \
  "erf gelu selu silu softplus "
check "no inf or nan" bash -c '! grep -qi "inf\|nan" "$1"' _ "$tmp/v.csv"
"$INITLAB" phase --activation selu --sw2 0.5,2 --sb2 0.05 --width 32 --depth 10 --seeds 2 --pairs 2 \
  --csv "$tmp/p.csv" >/dev/null
check "phase runs selu" test "$(grep -c '^selu,' "$tmp/p.csv")" -eq 2
finish
