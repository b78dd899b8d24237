#!/usr/bin/env bash
# `initlab check`: a draw written by `initlab init --npy` is consistent with its spec
# (exit 0), a wrong spec or layout is rejected (exit 1), bad files and options give
# one line and exit 2. Each consistent case fails by chance w.p. <= 1e-6 (the level).
# $1 = initlab binary, $2 = source folder.
source "$(dirname "$0")/lib.sh"
exit_code() {  # exit_code CODE ARGS...: initlab ARGS exits with CODE
  local code=$1; shift
  "$INITLAB" "$@" >/dev/null 2>&1
  [[ $? -eq $code ]]
}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$INITLAB" init he_normal --shape 64,300 --seed 2 --npy "$dir/he.npy" >/dev/null
check "init --npy writes a file" test -s "$dir/he.npy"
check "he_normal draw is consistent" exit_code 0 check "$dir/he.npy" --expect he_normal
check "lecun_normal is rejected" exit_code 1 check "$dir/he.npy" --expect lecun_normal
check "the swapped layout is rejected" exit_code 1 check "$dir/he.npy" --expect he_normal --layout in_out
out=$("$INITLAB" check "$dir/he.npy" --expect he_normal)
check "table names fan_in" grep -q 'layout out_in: fan_in 300, fan_out 64' <<<"$out"
check "table has the ks row" grep -qE '^ks +D ' <<<"$out"
check "verdict line" grep -q '^verdict  consistent$' <<<"$out"
json=$("$INITLAB" check "$dir/he.npy" --expect he_normal --json)
check "JSON result" /usr/bin/python3 -c '
import json, sys
j = json.loads(sys.argv[1])
assert j["consistent"] is True and j["fan_in"] == 300 and j["dtype"] == "<f4", j
names = [t["name"] for t in j["tests"]]
assert names == ["finite", "mean", "variance", "ks", "pairs"], names
assert all(0 <= t["p_value"] <= 1 for t in j["tests"])
assert j["provenance"]["command"].startswith("initlab check "), j["provenance"]
' "$json"
auto=$("$INITLAB" check "$dir/he.npy" --expect auto --json)
check "auto names he_normal only" /usr/bin/python3 -c '
import json, sys
assert json.loads(sys.argv[1])["consistent"] == ["he_normal"], sys.argv[1]' "$auto"

# The same draw in double, and written by numpy in Fortran order / Keras layout.
"$INITLAB" init orthogonal --shape 40,90 --seed 1 --dtype double --npy "$dir/q.npy" >/dev/null
check "orthogonal double is consistent" exit_code 0 check "$dir/q.npy" --expect orthogonal
/usr/bin/python3 - "$dir" <<'EOF'
import sys, numpy as np
d = sys.argv[1]
w = np.load(d + "/he.npy")
np.save(d + "/he_fortran.npy", np.asfortranarray(w))
np.save(d + "/he_keras.npy", np.ascontiguousarray(w.T))
np.save(d + "/ints.npy", np.arange(6, dtype=np.int32).reshape(2, 3))
np.save(d + "/big.npy", w.astype(">f4"))
np.save(d + "/vector.npy", w.ravel())
with open(d + "/he.npy", "rb") as f:
    b = f.read()
open(d + "/cut.npy", "wb").write(b[:-3])
open(d + "/text.npy", "wb").write(b"hello, not numpy\n")
EOF
check "Fortran order is consistent" exit_code 0 check "$dir/he_fortran.npy" --expect he_normal
check "Keras layout is consistent" exit_code 0 check "$dir/he_keras.npy" --expect he_normal --layout in_out
check "Keras layout read as out_in is rejected" exit_code 1 check "$dir/he_keras.npy" --expect he_normal

expect_error 2 "ints.npy: unsupported dtype '<i4'; expected float32 '<f4' or float64 '<f8'" \
  -- check "$dir/ints.npy" --expect he_normal
expect_error 2 "big.npy: dtype '>f4' is big-endian" -- check "$dir/big.npy" --expect he_normal
expect_error 2 'cut.npy: shape \(64, 300\) of <f4 needs 76800 data bytes, the file has 76797 \(truncated\)' \
  -- check "$dir/cut.npy" --expect he_normal
expect_error 2 'text.npy: not a .npy file' -- check "$dir/text.npy" --expect he_normal
expect_error 2 'missing.npy: missing; expected a .npy file' -- check "$dir/missing.npy" --expect he_normal
expect_error 2 'shape \(19200\) is not a weight' -- check "$dir/vector.npy" --expect he_normal
expect_error 2 "'io' is not a layout; expected out_in" -- check "$dir/he.npy" --expect he_normal --layout io
expect_error 2 "swish: unknown initializer" -- check "$dir/he.npy" --expect swish
expect_error 2 'expected --expect SPEC' -- check "$dir/he.npy"
expect_error 2 'level 0; expected 0 < level < 1' -- check "$dir/he.npy" --expect he_normal --level 0
expect_error 2 'expected a file name' -- init he_normal --shape 3,4 --npy -
finish
