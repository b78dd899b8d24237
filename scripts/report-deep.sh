#!/usr/bin/env bash
# The depth demonstration of issue 13 (`make report-deep`, not part of `make report`):
# on the note's 10,000 MNIST digits, MLPs of width 256 at each depth, trained with SGD
# (the note-mnist preset: lr 0.1, batch 100, 8,000 train / 2,000 held out):
#   tanh  note_xavier (Gaussian N(0, 1/n_in)), no bias
#   tanh  orthogonal at the critical point (sb2 = 0: sw2 = 1, gain 1), no bias
#   tanh  the critical initializer with a bias: `initlab critical --bias-std $bias_std`
#   relu  he_normal, no bias
#   relu  orthogonal at its critical point (sw2 = 2, gain sqrt 2), no bias
# Each run records the held-out accuracy and the per-layer gradient second moment
# E[(dL/dh^l)^2] at step 0. scripts/report/deep.py draws and formats.
#   scripts/report-deep.sh BUILD_DIR [OUT_DIR [REPORT]]
# Environment (defaults: the issue's full setting):
#   DEEP_DEPTHS="10 100 300 1000"  DEEP_SEEDS=3  DEEP_EPOCHS=5  DEEP_WIDTH=256
#   DEEP_JOBS=1 runs at a time (more than 1: each run on one OpenBLAS thread)
#   DEEP_LAYER_SECONDS=0.08 (the per-layer CPU cost behind the estimate printed first)
# Resumable: each run (one initializer at one depth, all its seeds) is one JSON, written
# atomically by `initlab train`; a JSON already in OUT_DIR that the same command made
# (its provenance) is kept, so an interrupted `make report-deep` picks up where it
# stopped. deep.md states the sum of the runs' own clocks (their "seconds").
# Time: about 0.08 s of CPU per hidden layer per epoch per seed (1 thread, quiet core;
# 2 OpenBLAS threads give 1.7x), so the full setting is ~1,410 layers x 15 runs x 5
# epochs x 0.08 s ~ 2.3 h of CPU (measured: see deep.md).
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
out=${2:-reports/deep}
report=${3:-reports/deep.md}
initlab=$build/bin/initlab
depths=${DEEP_DEPTHS:-10 100 300 1000}
seeds=${DEEP_SEEDS:-3}
epochs=${DEEP_EPOCHS:-5}
width=${DEEP_WIDTH:-256}
bias_std=0.1
mkdir -p "$out"
start=$SECONDS

jobs=${DEEP_JOBS:-1}
per_layer=${DEEP_LAYER_SECONDS:-0.08}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "deep: DEEP_JOBS=$jobs: expected a positive integer" >&2; exit 2; }

"$initlab" critical --activation tanh --bias-std "$bias_std" --json "$out/critical-tanh.json" >/dev/null
crit=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["init"])' "$out/critical-tanh.json")
# label | activation | init spec | bias init
runs=("tanh_note_xavier|tanh|note_xavier|zeros"
      "tanh_orthogonal_critical|tanh|orthogonal:1|zeros"
      "tanh_critical_bias|tanh|$crit|normal:$bias_std"
      "relu_he_normal|relu|he_normal|zeros"
      "relu_orthogonal_critical|relu|orthogonal:1.4142135623730951|zeros")
# run_args L RUN: sets args to the initlab arguments of one run (RUN a line of runs).
run_args() {
  local label act spec bias
  IFS='|' read -r label act spec bias <<<"$2"
  # docs/net-files.md: the output layer keeps the hidden layers' init and bias
  args=(train --preset note-mnist --arch "784-${width}x$1:$act:($spec):($bias)-10:linear"
        --epochs "$epochs" --seeds "$seeds" --json "$out/$label-L$1.json")
}
# done_already ARGS...: the JSON named by the last argument exists and its provenance
# is this exact command (initlab train ARGS) made by this build's commit, so the run
# need not be made again.
commit=$("$initlab" --version | sed -n 's/.*(commit \([0-9a-f]*\)).*/\1/p')
done_already() {
  [[ -f ${*: -1} ]] && /usr/bin/python3 -c '
import json, shlex, sys
try:
    made = json.load(open(sys.argv[2]))["provenance"]
    same = made["commit"] == sys.argv[1] and shlex.split(made["command"])[1:] == sys.argv[3:]
except (OSError, ValueError, KeyError, TypeError):
    same = False
sys.exit(0 if same else 1)' "$commit" "${*: -1}" "$@"
}
# The runs still to make ("L RUN"), cheapest first, and the CPU estimate for them:
# (L + 1) trained layers x seeds x epochs at DEEP_LAYER_SECONDS.
todo=() layers=0 kept=0
for L in $depths; do
  for run in "${runs[@]}"; do
    run_args "$L" "$run"
    if done_already "${args[@]}"; then kept=$((kept + 1)); continue; fi
    todo+=("$L $run")
    layers=$((layers + L + 1))
  done
done
estimate=$(awk -v l="$layers" -v s="$seeds" -v e="$epochs" -v p="$per_layer" 'BEGIN { printf "%.0f", l * s * e * p }')
echo "deep: depths $depths, $seeds seeds, $epochs epochs, width $width: ${#todo[@]} runs to make" \
  "($kept kept from an earlier run), about $estimate s of CPU" \
  "($(awk -v t="$estimate" 'BEGIN { printf "%.1f", t / 3600 }') h) at $per_layer s per layer per epoch per seed, $jobs at a time"

# One run: its JSON appears only when it finished (atomic write), so a run stopped
# here leaves nothing and is made again next time.
one_run() {  # one_run L RUN
  local t=$SECONDS args
  run_args "$1" "$2"
  "$initlab" "${args[@]}" >/dev/null
  echo "deep: ${2%%|*} depth $1: $((SECONDS - t)) s"
}
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
[[ $jobs -eq 1 ]] || export OPENBLAS_NUM_THREADS=1
# At most $jobs at a time: wait -n returns when one ends, with its status (set -e then
# stops here on a failed run, and the EXIT trap stops the others).
running=0
for item in "${todo[@]}"; do
  if (( running >= jobs )); then wait -n; running=$((running - 1)); fi
  one_run "${item%% *}" "${item#* }" &
  running=$((running + 1))
done
while (( running > 0 )); do wait -n; running=$((running - 1)); done
/usr/bin/python3 scripts/report/deep.py --dir "$out" --report "$report" --seconds "$((SECONDS - start))" \
  --command "DEEP_DEPTHS='$depths' DEEP_SEEDS=$seeds DEEP_EPOCHS=$epochs scripts/report-deep.sh $build $out $report"
echo "deep: done in $((SECONDS - start)) s"
