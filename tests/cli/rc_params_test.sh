#!/usr/bin/env bash
# ctest keeps a user's RC_PARAMS (a counterexample replays through ctest) and uses
# the build's fixed INITLAB_RC_PARAMS only when RC_PARAMS is unset.
# $1 = initlab binary (in <build>/bin), $2 = source folder.
source "$(dirname "$0")/lib.sh"
build=$(cd "$(dirname "$INITLAB")/.." && pwd)
name='^FiniteWidthLaws.DigammaSatisfiesRecurrence$'
check_seed() {  # check_seed WHAT EXPECTED-SEED [env assignments...]
  local what=$1 seed=$2; shift 2
  local out
  out=$(env "$@" ctest --test-dir "$build" -R "$name" -V 2>&1)
  if grep -qE "Using configuration:.*\bseed=$seed\b" <<<"$out"; then
    echo "ok: $what (seed=$seed)"
  else
    echo "FAIL: $what: expected seed=$seed in:"; grep -m3 -i "configuration\|tests passed\|failed" <<<"$out"
    failures=$((failures+1))
  fi
}
default=$(sed -n 's/^INITLAB_RC_PARAMS:STRING=.*seed=\([0-9]*\).*/\1/p' "$build/CMakeCache.txt")
[[ -n $default ]] || { echo "FAIL: no seed in INITLAB_RC_PARAMS of $build/CMakeCache.txt"; exit 1; }
check_seed "user's RC_PARAMS wins under ctest" 7 RC_PARAMS="seed=7 max_success=5"
check_seed "fixed seed when RC_PARAMS is unset" "$default" -u RC_PARAMS
finish
