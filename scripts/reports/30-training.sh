#!/usr/bin/env bash
# Training report (reports/training.md, reports/training/): the seed note's
# MNIST, playground and deep-linear experiments and the course's circles, run
# with `initlab train` (which decides the findings); scripts/report/training.py
# draws the figures and formats the findings. Budget: under 10 minutes on 2 cores.
#   scripts/reports/30-training.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/../.."
initlab=$build/bin/initlab
out=reports/training
mkdir -p "$out"
# MNIST epochs: 4 inits x 3 seeds x MNIST_EPOCHS epochs of 80 steps of batch 100.
MNIST_EPOCHS=${MNIST_EPOCHS:-10}
start=$SECONDS

echo "training: note-mnist, 4 inits x 3 seeds x $MNIST_EPOCHS epochs"
"$initlab" train --preset note-mnist --seeds 3 --epochs "$MNIST_EPOCHS" --out "$out"
echo "training: playground (rings), 4 scales"
"$initlab" train --preset playground --dataset rings --out "$out"
echo "training: course circles, 3 inits x 3 seeds x 15000 iterations"
"$initlab" train --preset course-circles --seeds 3 --out "$out"
echo "training: deep linear 2x2, identity:1.5 and identity:0.5 (and 1.5 I at two other learning rates)"
"$initlab" train --preset deep-linear --out "$out"
for lr in 5e-5 1.2e-4 1e-3; do
  "$initlab" train --preset deep-linear --init identity:1.5 --lr "$lr" --json "$out/deep-linear-lr$lr.json" >/dev/null
done

/usr/bin/python3 scripts/report/training.py --dir "$out" --report reports/training.md \
  --seconds "$((SECONDS - start))" --command "scripts/reports/30-training.sh $build"
