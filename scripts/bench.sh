#!/usr/bin/env bash
# Runs the Google Benchmark binaries and writes reports/bench.md and the raw JSON in
# reports/bench/ (every file names the command that made it).
#   scripts/bench.sh BUILD_DIR            `make bench`
#   scripts/bench.sh BUILD_DIR --peers    `make bench-peers`: also PyTorch and numpy
#                                         side by side (bench/peers/torch_peer.py), and
#                                         reports/framework-check.md (scripts/framework_check.py)
#   scripts/bench.sh BUILD_DIR --peers-only TEXT
#                                         only the peer workloads whose id contains TEXT (e.g.
#                                         train_loop), on 1 and 2 threads, merged into the last
#                                         run's peers_t*.json (each row keeps its own load
#                                         average); reports/bench.md is then formatted again
# Environment: BENCH_MIN_TIME (seconds per benchmark run, default 0.1), BENCH_REPETITIONS
# (runs per benchmark, randomly interleaved with the others' so that a load change on
# the shared machine spreads over all of them; the report takes the median; default 3),
# PEER_REPS (alternating repetitions per peer workload, default 5), PYTHON (default
# /usr/bin/python3).
#
# OpenBLAS core: Debian's OpenBLAS 0.3.21 does not recognise some AVX-512 Xeons
# and falls back to its "Prescott" kernels (sgemm ~7x slower). When
# OPENBLAS_CORETYPE is unset, the detected core is such a pre-AVX2 fallback and
# /proc/cpuinfo shows avx2 and fma, scripts/openblas-env.sh exports OPENBLAS_CORETYPE=Haswell
# (valid on every AVX2+FMA CPU) for every benchmark process, ours and the peers',
# and the report states both cores. Tests and CI never set it. With --peers on
# such a CPU that has AVX-512, the training step is also measured once with
# OPENBLAS_CORETYPE=SkylakeX (both sides), as a side note in the report.
set -euo pipefail

usage="usage: scripts/bench.sh BUILD_DIR [--peers | --peers-only TEXT]"
build=${1:?$usage}
peers=0
only=""
case "${2:-}" in
  "") ;;
  --peers) peers=1 ;;
  --peers-only)
    only=${3:-}
    [[ -n $only ]] || { echo "bench.sh: --peers-only needs the text of a workload id (e.g. train_loop); $usage" >&2; exit 2; }
    ;;
  *) echo "bench.sh: unknown option '$2'; $usage" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
command="scripts/bench.sh $*"
python=${PYTHON:-/usr/bin/python3}
min_time=${BENCH_MIN_TIME:-0.1}
repetitions=${BENCH_REPETITIONS:-3}
reps=${PEER_REPS:-5}
bin=$build/bin
out=reports/bench
benches=(bench_init bench_layers bench_train bench_variance)
for b in "${benches[@]}"; do
  if [[ ! -x $bin/$b ]]; then
    echo "bench.sh: $bin/$b not found; expected a build with the bench targets (make build BUILD=$build)" >&2
    exit 2
  fi
done
mkdir -p "$out"

# ---- OpenBLAS core --------------------------------------------------------------
forced=""
[[ -z ${OPENBLAS_CORETYPE:-} ]] || preset=1
source scripts/openblas-env.sh "$build"
detected=$OPENBLAS_CORE_DETECTED
used=$OPENBLAS_CORE_USED
if [[ -z ${preset:-} && -n ${OPENBLAS_CORETYPE:-} ]]; then forced=$OPENBLAS_CORETYPE; fi
echo "bench: OpenBLAS core detected ${detected}, used ${used}${forced:+ (OPENBLAS_CORETYPE=Haswell set by this script)}"

if [[ -n $only ]]; then
  for t in 1 2; do
    [[ -f $out/peers_t$t.json ]] || { echo "bench.sh: $out/peers_t$t.json not found; run scripts/bench.sh $build --peers first" >&2; exit 2; }
  done
  for t in 1 2; do
    echo "== bench: peers matching '$only', ${t} thread(s), ${reps} alternating repetitions =="
    "$python" bench/peers/torch_peer.py --bin "$bin" --threads "$t" --reps "$reps" --filter "$only" --update \
      --command "$command" --out "$out/peers_t$t.json"
  done
  "$python" scripts/bench_report.py --dir "$out" --out reports/bench.md --bin "$bin" --peers
  exit 0
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$SECONDS
started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# ---- our benchmarks ---------------------------------------------------------------
for b in "${benches[@]}"; do
  echo "== bench: $b (${repetitions} interleaved repetitions of ${min_time} s) =="
  tmp="$out/$b.json.tmp.$$"
  "$bin/$b" --benchmark_min_time="$min_time" --benchmark_repetitions="$repetitions" \
    --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true \
    --benchmark_out="$tmp" --benchmark_out_format=json
  mv "$tmp" "$out/$b.json"
done

# ---- peers ----------------------------------------------------------------------------
if [[ $peers -eq 1 ]]; then
  for t in 1 2; do
    echo "== bench: peers, ${t} thread(s), ${reps} alternating repetitions =="
    "$python" bench/peers/torch_peer.py --bin "$bin" --threads "$t" --reps "$reps" \
      --command "$command" --out "$out/peers_t$t.json"
  done
  # Side note for the report: the training step with OpenBLAS's AVX-512 (SkylakeX)
  # kernels, only where the fallback was forced to Haswell and the CPU has AVX-512.
  rm -f "$out/peers_skylakex.json"
  if [[ $forced == Haswell ]] && grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo &&
     grep -qw avx512dq /proc/cpuinfo && grep -qw avx512vl /proc/cpuinfo; then
    echo "== bench: side note, training step with OPENBLAS_CORETYPE=SkylakeX (AVX-512), 1 thread =="
    OPENBLAS_CORETYPE=SkylakeX "$python" bench/peers/torch_peer.py --bin "$bin" --threads 1 --reps 3 \
      --filter train/ --command "$command" --out "$out/peers_skylakex.json"
  fi
  echo "== bench: PyTorch's initializers through initlab check (reports/framework-check.md) =="
  "$python" scripts/framework_check.py --bin "$bin" --out reports/framework-check.md
fi

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
"$python" - "$out/meta.json" <<EOF
import json, os, sys
meta = {
    "command": "$command",
    "started_at": "$started_at",
    "seconds": $((SECONDS - start)),
    "min_time": float("$min_time"),
    "repetitions": int("$repetitions"),
    "peer_reps": int("$reps") if $peers else None,
    "openblas_core_detected": "$detected",
    "openblas_core_used": "$used",
    "openblas_coretype_forced": "$forced",
    "openblas_coretype_env": os.environ.get("OPENBLAS_CORETYPE", ""),
    "load_before": "$load_before",
    "load_after": "$load_after",
    "nproc": os.cpu_count(),
    "cpu_model": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown"),
    "peers": bool($peers),
}
tmp = sys.argv[1] + ".tmp"
with open(tmp, "w") as f:
    json.dump(meta, f, indent=2)
    f.write("\n")
os.replace(tmp, sys.argv[1])
EOF

report_args=(--dir "$out" --out reports/bench.md --bin "$bin")
[[ $peers -eq 1 ]] && report_args+=(--peers)
"$python" scripts/bench_report.py "${report_args[@]}"
echo "== bench: done in $((SECONDS - start)) s (load ${load_before} -> ${load_after}); see reports/bench.md =="
