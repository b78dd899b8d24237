#!/usr/bin/env bash
# Regenerates the default reports: runs every scripts/reports/*.sh in name order,
# each with the build folder as its argument. Used by `make report`.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
# Faster OpenBLAS kernels where Debian's OpenBLAS misdetects the CPU (see the script).
source scripts/openblas-env.sh "$build"
echo "== OpenBLAS core: $OPENBLAS_CORE_USED (detected $OPENBLAS_CORE_DETECTED) =="
start=$SECONDS
for step in scripts/reports/*.sh; do
  echo "== report: ${step#scripts/reports/} =="
  bash "$step" "$build"
done
echo "== reports written in $((SECONDS - start)) s: see reports/README.md =="
