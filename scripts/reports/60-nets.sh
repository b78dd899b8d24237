#!/usr/bin/env bash
# Described networks (in reports/nets/: one folder per network with report.md,
# the figure, net_variance.csv and net_variance.json; an index in
# reports/nets/README.md): every network of examples/nets/ that is not one of
# the training presets, through `initlab variance --net` (4 seeds, batch 128) and
# scripts/report/net.py, which formats the findings the tool computed.
# Budget: well under a minute.
#   scripts/reports/60-nets.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/../.."
initlab=$build/bin/initlab
out=reports/nets
start=$SECONDS
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
nets=(residual-tanh-50 residual-tanh-50-scaled selu-64 prenorm-residual-relu-32 batchnorm-relu-32)
{
  echo "# Described networks"
  echo
  echo "Made by \`scripts/reports/60-nets.sh $build\`: each network of \`examples/nets/\` below through"
  echo "\`initlab variance --net FILE --seeds 4 --batch 128 --seed 1\` and \`scripts/report/net.py\`."
  echo
  for n in "${nets[@]}"; do echo "- [$n]($n/report.md)"; done
} >"$work/README.md"
for n in "${nets[@]}"; do
  echo "nets: $n"
  "$initlab" variance --net "examples/nets/$n.json" --seeds 4 --batch 128 --seed 1 --out "$work/$n" >/dev/null
  /usr/bin/python3 scripts/report/net.py --dir "$work/$n" >/dev/null
done
rm -rf "$out.new" && mv "$work" "$out.new" && trap - EXIT
rm -rf "$out" && mv "$out.new" "$out"
echo "nets: wrote $out/ (${#nets[@]} networks) in $((SECONDS - start)) s"
