#!/usr/bin/env bash
# Runs the libFuzzer targets of a fuzz build (cmake -DINITLAB_FUZZ=ON, clang), each
# for SECONDS, seeded from tests/fuzz/corpus/<target>/.
#   scripts/fuzz.sh BUILD SECONDS [TARGET...]     e.g. scripts/fuzz.sh build-fuzz 20
# New inputs go to BUILD/fuzz-corpus/<target>/ (kept between runs, never into the
# repository), a crashing input to BUILD/fuzz-artifacts/. One line per target:
# runs, coverage, corpus size, status. Exit 1 if any target found a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/fuzz.sh BUILD SECONDS [TARGET...]}
seconds=${2:?usage: scripts/fuzz.sh BUILD SECONDS [TARGET...]}
shift 2
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  for bin in "$build"/fuzz/*_fuzz; do targets+=("$(basename "$bin" _fuzz)"); done
fi
mkdir -p "$build/fuzz-artifacts"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# The file readers' targets write each input to a scratch file: in memory where
# there is a tmpfs (20x the executions of a disk-backed /tmp).
if [[ -z ${TMPDIR:-} && -d /dev/shm && -w /dev/shm ]]; then export TMPDIR=/dev/shm; fi
failed=()
for t in "${targets[@]}"; do
  bin=$build/fuzz/${t}_fuzz
  seeds=tests/fuzz/corpus/$t
  [[ -x $bin ]] || { echo "fuzz: no target $bin (build it: make fuzz)"; exit 2; }
  [[ -d $seeds ]] || { echo "fuzz: no seed corpus $seeds"; exit 2; }
  work=$build/fuzz-corpus/$t
  mkdir -p "$work"
  log=$build/fuzz-artifacts/$t.log
  status=ok
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-artifacts/$t-" "$work" "$seeds" >"$log" 2>&1 || status=FAILED
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 || true)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2 || true)
  corpus=$(find "$work" -type f | wc -l)
  printf 'fuzz %-12s %4ss  %9s runs  cov %5s  corpus %5s  %s\n' "$t" "$seconds" "${runs:-?}" \
    "${cov:-?}" "$corpus" "$status"
  if [[ $status != ok ]]; then
    failed+=("$t")
    grep -m1 -E 'ERROR|runtime error|deadly|uncaught|out-of-memory|timeout' "$log" || true
    ls "$build"/fuzz-artifacts/"$t"-* 2>/dev/null | grep -v '\.log$' | head -3 || true
    echo "  log: $log"
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: crashes in ${failed[*]}"
  exit 1
fi
