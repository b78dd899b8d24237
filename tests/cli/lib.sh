# Helpers for tests/cli/*_test.sh (sourced). $1 = initlab binary.
set -u
INITLAB=$1
failures=0
# expect_error CODE PATTERN -- ARGS...: the tool exits with CODE, prints exactly one
# line on stderr, and that line matches PATTERN (grep -E).
expect_error() {
  local code=$1 pattern=$2; shift 3
  local err rc
  err=$("$INITLAB" "$@" 2>&1 >/dev/null); rc=$?
  if [[ $rc -ne $code ]]; then
    echo "FAIL: initlab $* exited $rc, expected $code; stderr: $err"; failures=$((failures+1)); return
  fi
  if [[ $(printf '%s\n' "$err" | wc -l) -ne 1 ]] || ! grep -qE -- "$pattern" <<<"$err"; then
    echo "FAIL: initlab $*: stderr '$err' is not one line matching /$pattern/"; failures=$((failures+1)); return
  fi
  echo "ok: initlab $* -> $rc: $err"
}
# check DESCRIPTION COMMAND...: the command must succeed.
check() {
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures+1)); fi
}
# In a sanitizer build ctest sets INITLAB_SANITIZER (tests/CMakeLists.txt).
sanitized() { [[ -n ${INITLAB_SANITIZER:-} ]]; }
# limit_memory KB: a request for gigabytes fails instead of swapping (ulimit -v). Not
# under ASan, whose shadow memory reserves terabytes of address space: there the
# allocator returns null for a request it cannot serve (std::bad_alloc, as with the
# limit) instead of aborting.
limit_memory() {
  if sanitized; then
    export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1
  else
    ulimit -v "$1"
  fi
}
finish() {
  [[ $failures -eq 0 ]] || { echo "$failures failure(s)"; exit 1; }
}
