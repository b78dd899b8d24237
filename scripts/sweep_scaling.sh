#!/usr/bin/env bash
# Strong and weak scaling of `initlab sweep` on 1 and 2 MPI ranks, beside the plain
# one-process run, on a sweep file (default examples/sweeps/phase-small.json);
# prints a Markdown table.
#   scripts/sweep_scaling.sh [BUILD] [REPEATS] [SWEEP.json]
# Strong: the same sweep on 1 and 2 ranks. Weak: the sweep with its seeds doubled
# ("seed": [1, 2]) on 2 ranks against the sweep on 1. Each time is the best of
# REPEATS runs (default 3). Also the per-configuration cost and the record size
# (the message a rank sends to rank 0), from the journal, and what rank 0 costs per
# configuration: 4,000 near-empty configurations (width 4, depth 2) on 2 ranks,
# less the start-up (one such configuration on 2 ranks).
set -euo pipefail
BUILD=${1:-build}
REPEATS=${2:-3}
INITLAB=$BUILD/bin/initlab
SWEEP=${3:-examples/sweeps/phase-small.json}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["seed"]=[1,2]; json.dump(d,open(sys.argv[2],"w"))' \
  "$SWEEP" "$tmp/double.json"
/usr/bin/python3 -c 'import json,sys
for n, f in ((4000, sys.argv[1]), (1, sys.argv[2])):
    json.dump({"study": "phase", "sw2": [1 + k / n for k in range(n)], "width": 4, "depth": 2,
               "seeds": 1, "pairs": 1}, open(f, "w"))' "$tmp/tiny.json" "$tmp/one.json"

# best_of FILE LAUNCH...: "WALL CPU" in seconds of the fastest of REPEATS runs (CPU:
# user + system of the tool and, under mpirun, of every rank).
best_of() {
  local file=$1; shift
  for r in $(seq "$REPEATS"); do
    rm -rf "$tmp/out"
    /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$@" "$INITLAB" sweep "$file" --out "$tmp/out" --threads 1 >/dev/null
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$tmp/time"
  done | sort -n | head -1
}
mpirun=(mpirun --oversubscribe --bind-to none)

plain=$(best_of "$SWEEP" env)
n1=$(best_of "$SWEEP" "${mpirun[@]}" -n 1)
n2=$(best_of "$SWEEP" "${mpirun[@]}" -n 2)
w2=$(best_of "$tmp/double.json" "${mpirun[@]}" -n 2)
configs=$(($(wc -l <"$tmp/out/journal.jsonl") - 1))
bytes=$(tail -n +2 "$tmp/out/journal.jsonl" | wc -c)
start=$(best_of "$tmp/one.json" "${mpirun[@]}" -n 2)
tiny=$(best_of "$tmp/tiny.json" "${mpirun[@]}" -n 2)
/usr/bin/python3 - "$plain" "$n1" "$n2" "$w2" "$configs" "$bytes" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$start" "$tiny" "$SWEEP" <<'PY'
import sys
(plain, plain_cpu), (n1, n1_cpu), (n2, n2_cpu), (w2, w2_cpu) = (map(float, a.split()) for a in sys.argv[1:5])
configs, nbytes, cores, load = int(sys.argv[5]), int(sys.argv[6]), sys.argv[7], sys.argv[8]
start, tiny = (float(a.split()[0]) for a in sys.argv[9:11])
sweep = sys.argv[11]
half = configs // 2
print(f"{sweep}, fastest of the runs:")
print()
print("| run | configurations | wall s | CPU s | wall speed-up vs mpirun -n 1 |")
print("|---|---|---|---|---|")
print(f"| one process, 1 thread (no MPI start-up) | {half} | {plain:.2f} | {plain_cpu:.2f} | {n1 / plain:.2f}x |")
print(f"| mpirun -n 1 | {half} | {n1:.2f} | {n1_cpu:.2f} | 1.00x |")
print(f"| mpirun -n 2 (strong) | {half} | {n2:.2f} | {n2_cpu:.2f} | {n1 / n2:.2f}x |")
print(f"| mpirun -n 2 (weak: twice the seeds) | {configs} | {w2:.2f} | {w2_cpu:.2f} | efficiency {n1 / w2:.2f} |")
print()
print(f"per configuration (one process): {plain / half * 1e3:.1f} ms wall, {plain_cpu / half * 1e3:.1f} ms CPU; "
      f"record line sent to rank 0: {nbytes / configs:.0f} bytes on average")
print(f"mpirun -n 2 start-up (one near-empty configuration): {start:.2f} s; 4,000 near-empty configurations: "
      f"{tiny:.2f} s, {(tiny - start) / 4000 * 1e6:.0f} us per configuration through rank 0")
print(f"{cores} cores, load average {load} at the end (a shared machine: other jobs ran beside it)")
PY
