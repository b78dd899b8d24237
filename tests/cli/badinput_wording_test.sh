#!/usr/bin/env bash
# The wording of errors (label badinput; issue 17 item 10): no 309-digit DBL_MAX,
# control characters escaped (one line), no internal function names of the
# library (Activation::parse:, OptimizerConfig::parse:, theory::trajectory:), the
# real cause where the MNIST digits are unusable, rmsprop in --help, and never
# "-nan" written for a diverged run's cost. $1 = initlab binary.
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
internal='[A-Za-z_]+::[A-Za-z_]+: '

# no_match PATTERN -- ARGS...: exit 2, one line, and the line does not match PATTERN.
no_match() {
  local pattern=$1; shift 2
  local err rc
  err=$("$INITLAB" "$@" 2>&1 >/dev/null); rc=$?
  if [[ $rc -ne 2 ]] || [[ $(printf '%s\n' "$err" | wc -l) -ne 1 ]] || grep -qE -- "$pattern" <<<"$err"; then
    echo "FAIL: initlab $*: exit $rc, stderr '$err' (must be one line without /$pattern/)"
    failures=$((failures+1)); return
  fi
  echo "ok: initlab $* -> $err"
}

# DBL_MAX: CLI::NonNegativeNumber printed "not in range 0.000000 to 1797693...".
expect_error 2 '^initlab: error: --bias-std: -1 is negative; expected a number >= 0$' -- variance --bias-std -1
no_match '[0-9]{30}' -- variance --bias-std -1e308
no_match '[0-9]{30}' -- theory --sw2 1.7e308 --depth 3

# Control characters: escaped as \xNN, the error stays one line.
expect_error 2 'unknown activation "ta\\x0Anh"' -- variance --activation $'ta\nnh'
expect_error 2 'unknown initializer .he\\x0D\\x1B\[2J' -- init $'he\r\e[2J' --shape 2,2
expect_error 2 "sw2.*x0A" -- theory --sw2 $'1\n2'

# Internal function names: the library's qualified names are not the user's.
expect_error 2 '^initlab: error: unknown activation "foo"; expected one of' -- variance --activation foo
expect_error 2 '^initlab: error: unknown optimizer "foo"; expected sgd, momentum\[:MU\], rmsprop' -- \
  train --preset course-circles --optimizer foo
expect_error 2 '^initlab: error: n_\{l-1\} Var\(W\^l\) = 1.7e\+308 at layer 1, expected <= 1e300$' -- \
  theory --sw2 1.7e308 --depth 3
no_match "$internal" -- theory --activation leaky_relu:abc
no_match "$internal" -- phase --activation bogus
no_match "$internal" -- spectrum --init bogus
no_match "$internal" -- critical --activation bogus
no_match "$internal" -- init he_normal:mode=sideways --shape 2,2

# The real cause of unusable MNIST digits, not only "run make deps".
mkdir -p "$tmp/d/cache"
printf 'NOTMNIST%.0s' $(seq 10) > "$tmp/d/cache/mnist-10k.bin"
expect_error 2 '^initlab: error: --input mnist: not available: the cache is unusable \(.*mnist-10k.bin: bad magic at byte 0.*0.json: missing' -- \
  variance --input mnist --data "$tmp/d" --width 784 --depth 1

# rmsprop (accepted by --optimizer) is listed in --help.
check "train --help lists rmsprop" bash -c '"$1" train --help | grep -- "--optimizer" | grep -q "rmsprop\[:RHO\]"' _ "$INITLAB"

# A NaN loss: the status says NaN, nothing anywhere says -nan.
out=$("$INITLAB" train --preset course-circles --lr 1e30 --epochs 3 --train 40 --held-out 20 --out "$tmp/o" 2>&1)
check "a NaN loss is reported as diverged" grep -q "diverged at epoch 1, step 1: loss = NaN" <<<"$out"
check "no -nan on the terminal" bash -c '! grep -q -- "-nan" <<<"$1"' _ "$out"
check "no -nan in the CSV or JSON" bash -c '! grep -rq -- "-nan" "$1"' _ "$tmp/o"
finish
