#!/usr/bin/env bash
# Variance-versus-depth report (reports/variance-vs-depth.md, reports/variance/):
# `initlab variance` measures the per-layer second moments of the signal and the
# gradients beside their prediction, decides the findings and writes CSV/JSON;
# scripts/report/variance.py draws the figures and formats the findings.
# depth100/variance.{csv,json} (5 MB per-layer data) are regenerated, not committed.
# Budget: under 5 minutes on 2 cores.
#   scripts/reports/20-variance.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/../.."
initlab=$build/bin/initlab
out=reports/variance
mkdir -p "$out"
threads=${VARIANCE_THREADS:-2}
seeds=${VARIANCE_SEEDS:-4}
start=$SECONDS

echo "variance: the note's 2x2 deep linear net, W = 1.5 I and 0.5 I, depth 10 (double)"
"$initlab" variance --activation linear --init identity:1.5 --init identity:0.5 \
  --width 2 --depth 10 --batch 1 --seeds 1 --seed 1 --dtype double --threads 1 \
  --out "$out/note2x2" >/dev/null

echo "variance: linear, tanh, relu x 8 inits, width 512, depth 100, batch 256, $seeds seeds"
"$initlab" variance --activation linear --activation tanh --activation relu \
  --init lecun_normal --init xavier_normal --init he_normal --init orthogonal \
  --init identity:1.5 --init identity:0.5 --init note_uniform --init note_standard_normal \
  --width 512 --depth 100 --batch 256 --seeds "$seeds" --seed 1 --threads "$threads" \
  --progress --out "$out/depth100"

# The note's picture: tanh activations of its MNIST net (784-300-...) under its
# three random inits. The note has four tanh layers; a fifth of the same width
# is added so layers 1..5 can be shown.
hist=(--activation tanh --init note_uniform --init note_xavier --init note_standard_normal
      --widths 784,300,300,300,300,300 --batch 1000 --seeds "$seeds" --seed 1
      --threads "$threads" --histograms 1-5 --hist-bins 200 --hist-range=-1.2,1.2 --out "$out/histograms")
echo "variance: tanh histograms, layers 1..5 of 784-300-300-300-300-300, MNIST digits"
if ! "$initlab" variance "${hist[@]}" --input mnist >/dev/null; then
  echo "variance: MNIST not available (make deps fetches it): Gaussian input instead" >&2
  "$initlab" variance "${hist[@]}" --input gaussian >/dev/null
fi

# CPU time of the initlab runs (user + sys of this shell's children; `times`
# runs in this shell, not in a subshell, so it sees them)
times_file=$(mktemp)
times >"$times_file"
cpu=$(tail -1 "$times_file" | awk '{t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%.0f", t}')
rm -f "$times_file"
/usr/bin/python3 scripts/report/variance.py --dir "$out" --report reports/variance-vs-depth.md \
  --seconds "$((SECONDS - start))" --cpu-seconds "$cpu" --command "scripts/reports/20-variance.sh $build"
echo "variance: done in $((SECONDS - start)) s"
