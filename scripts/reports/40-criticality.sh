#!/usr/bin/env bash
# Criticality report (reports/criticality.md, reports/criticality/): the order-to-chaos
# phase diagram of tanh measured beside mean-field theory (initlab phase), Jacobian
# spectra beside the free-probability moments (initlab spectrum), the critical
# initializers (initlab critical) and LSUV against the note's Xavier on the note's
# MNIST network (initlab train), and the depth demonstration at depth 10
# (scripts/report-deep.sh). scripts/report/criticality.py draws and formats.
# Budget: about a minute and a half on 2 quiet cores (the depth-10 training runs: ~30 s).
#   scripts/reports/40-criticality.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/../.."
initlab=$build/bin/initlab
out=reports/criticality
mkdir -p "$out"
start=$SECONDS

echo "criticality: tanh phase diagram, 15 x 7 cells, width 128, depth 40, 4 seeds"
"$initlab" phase --activation tanh --sw2 0.5,0.75,1,1.25,1.5,1.75,2,2.25,2.5,2.75,3,3.25,3.5,3.75,4 \
  --sb2 0,0.025,0.05,0.1,0.15,0.2,0.3 --width 128 --depth 40 --seeds 4 --pairs 8 --seed 1 \
  --csv "$out/phase.csv" --json "$out/phase.json" >/dev/null
echo "criticality: Jacobian spectra, linear/tanh/relu x gaussian/orthogonal, width 256, depths 1..100, 4 seeds"
"$initlab" spectrum --activation linear,tanh,relu --init gaussian,orthogonal --width 256 \
  --depths 1,10,30,100 --seeds 4 --seed 1 --csv "$out/spectrum.csv" --json "$out/spectrum.json" >/dev/null
echo "criticality: critical initializers"
for act in tanh:0 tanh:0.1 tanh:0.2 tanh:0.3 relu:0 relu:0.1; do
  a=${act%%:*} s=${act#*:}
  # exit 3: no critical point (recorded in the JSON as "exists": false)
  "$initlab" critical --activation "$a" --bias-std "$s" --json "$out/critical-$a-$s.json" >/dev/null 2>&1 ||
    [[ $? -eq 3 ]]
done
echo "criticality: LSUV vs note_xavier on the note's MNIST network, 3 seeds x 10 epochs"
if ! "$initlab" train --preset note-mnist --init lsuv --init note_xavier --seeds 3 --epochs 10 \
  --json "$out/lsuv-mnist.json" >/dev/null; then
  echo "criticality: MNIST not available (make deps fetches it): no LSUV section" >&2
  rm -f "$out/lsuv-mnist.json"
fi

echo "criticality: the depth demonstration at the depth that fits this budget (L = 10, 2 seeds, 2 epochs; make report-deep runs 10..1000)"
if [[ -s data/cache/mnist-10k.bin || -d data/mnist ]]; then
  DEEP_DEPTHS=10 DEEP_SEEDS=2 DEEP_EPOCHS=2 scripts/report-deep.sh "$build" "$out/deep" "$out/deep.md" >/dev/null
fi

/usr/bin/python3 scripts/report/criticality.py --dir "$out" --report reports/criticality.md \
  --seconds "$((SECONDS - start))" --command "scripts/reports/40-criticality.sh $build"
echo "criticality: done in $((SECONDS - start)) s"
