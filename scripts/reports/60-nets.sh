#!/usr/bin/env bash
# Described networks (in reports/nets/: one folder per network with report.md,
# its figures, net_variance.csv and net_variance.json; an index in
# reports/nets/README.md): every network of examples/nets/ that is not one of
# the training presets, through `initlab report --net` (4 seeds, batch 128), which
# runs the study, computes the findings and has scripts/report/net.py format them.
# Writes into reports/nets itself, so every provenance line is the command a user
# reruns (`--out reports/nets/NAME`); the previous reports/nets waits in
# reports/nets.old and comes back if the run fails or is interrupted.
# Budget: well under a minute.
#   scripts/reports/60-nets.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/../.."
initlab=$build/bin/initlab
out=reports/nets
old=$out.old
start=$SECONDS
if [[ -d $old ]]; then rm -rf "$out" && mv "$old" "$out"; fi  # a run interrupted before its trap ran
if [[ -d $out ]]; then mv "$out" "$old"; fi
mkdir -p "$out"
trap 'rm -rf "$out"; if [[ -d $old ]]; then mv "$old" "$out"; fi' EXIT
nets=(residual-tanh-50 residual-tanh-50-scaled selu-64 prenorm-residual-relu-32 batchnorm-relu-32)
{
  echo "# Described networks"
  echo
  echo "Made by \`scripts/reports/60-nets.sh $build\`: each network of \`examples/nets/\` below through"
  echo "\`initlab report --net FILE --out $out/NAME --seeds 4 --batch 128 --seed 1 --figures yes\`."
  echo
  for n in "${nets[@]}"; do echo "- [$n]($n/report.md)"; done
} >"$out/README.md"
for n in "${nets[@]}"; do
  echo "nets: $n"
  "$initlab" report --net "examples/nets/$n.json" --out "$out/$n" --seeds 4 --batch 128 --seed 1 \
    --figures yes --script scripts/report/net.py >/dev/null
done
trap - EXIT
rm -rf "$old"
echo "nets: wrote $out/ (${#nets[@]} networks) in $((SECONDS - start)) s"
