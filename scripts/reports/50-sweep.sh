#!/usr/bin/env bash
# Sweep report (in reports/sweep/: summary.md and figures): examples/sweeps/phase-small.json
# run by `initlab sweep` on 2 MPI ranks where the build has MPI (else in one
# process), with the tool's scale estimate for 10,000 such configurations on 64
# ranks (timing.json; lib/study/sweep_estimate.hpp). scripts/report/sweep.py formats.
# Budget: a few seconds.
#   scripts/reports/50-sweep.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/../.."
initlab=$build/bin/initlab
out=reports/sweep
start=$SECONDS
# Inside reports/sweep.new, so the provenance lines name stable paths.
work=$out.new
rm -rf "$work"
trap 'rm -rf "$work"' EXIT
launch=()
if command -v mpirun >/dev/null && "$initlab" sweep --help | grep -q "MPI: built in"; then
  launch=(mpirun -n 2 --oversubscribe)
  [[ $(id -u) -eq 0 ]] && launch+=(--allow-run-as-root)
  echo "sweep: examples/sweeps/phase-small.json on 2 MPI ranks"
else
  echo "sweep: examples/sweeps/phase-small.json in one process (this build has no MPI)"
fi
"${launch[@]}" "$initlab" sweep examples/sweeps/phase-small.json --out "$work" \
  --estimate-configs 10000 --estimate-ranks 64 >/dev/null
rm -f "$work/journal.jsonl"
/usr/bin/python3 scripts/report/sweep.py "$work" >/dev/null
trap - EXIT
rm -rf "$out" && mv "$work" "$out"
echo "sweep: wrote $out/summary.md in $((SECONDS - start)) s"
