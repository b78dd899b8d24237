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
#   DEEP_LAYER_SECONDS=0.1 (the per-layer cost behind the estimate printed first)
# Time: about 0.1 s per hidden layer per epoch per run on one quiet core, so the full
# setting is ~1,410 layers x 15 runs x 5 epochs x 0.1 s ~ 3 h (measured: see deep.md).
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

# The estimate before any run: (L + 1) trained layers x 5 runs x seeds x epochs at
# DEEP_LAYER_SECONDS per layer per epoch per seed (default 0.1, one quiet core; see above).
per_layer=${DEEP_LAYER_SECONDS:-0.1}
layers=0
for L in $depths; do layers=$((layers + L + 1)); done
estimate=$(awk -v l="$layers" -v s="$seeds" -v e="$epochs" -v p="$per_layer" 'BEGIN { printf "%.0f", l * 5 * s * e * p }')
echo "deep: depths $depths, $seeds seeds, $epochs epochs, width $width: about $estimate s" \
  "($(awk -v t="$estimate" 'BEGIN { printf "%.1f", t / 3600 }') h) at $per_layer s per layer per epoch per seed"

"$initlab" critical --activation tanh --bias-std "$bias_std" --json "$out/critical-tanh.json" >/dev/null
crit=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["init"])' "$out/critical-tanh.json")
# label | activation | init spec | bias init
runs=("tanh_note_xavier|tanh|note_xavier|zeros"
      "tanh_orthogonal_critical|tanh|orthogonal:1|zeros"
      "tanh_critical_bias|tanh|$crit|normal:$bias_std"
      "relu_he_normal|relu|he_normal|zeros"
      "relu_orthogonal_critical|relu|orthogonal:1.4142135623730951|zeros")
for L in $depths; do
  for run in "${runs[@]}"; do
    IFS='|' read -r label act spec bias <<<"$run"
    t=$SECONDS
    # docs/net-files.md: the output layer keeps the hidden layers' init and bias
    "$initlab" train --preset note-mnist --arch "784-${width}x$L:$act:($spec):($bias)-10:linear" \
      --epochs "$epochs" --seeds "$seeds" --json "$out/$label-L$L.json" >/dev/null
    echo "deep: $label depth $L: $((SECONDS - t)) s"
  done
done
/usr/bin/python3 scripts/report/deep.py --dir "$out" --report "$report" --seconds "$((SECONDS - start))" \
  --command "DEEP_DEPTHS='$depths' DEEP_SEEDS=$seeds DEEP_EPOCHS=$epochs scripts/report-deep.sh $build $out $report"
echo "deep: done in $((SECONDS - start)) s"
