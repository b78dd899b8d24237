#!/usr/bin/env bash
# The initializer table (reports/initializers.md): every spec, its exact law, the
# variance of one entry, the variance_scaling it equals and its source, written
# by `initlab init --list --markdown` into a temporary file renamed into place.
#   scripts/reports/10-initializers.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/../.."
target=reports/initializers.md
mkdir -p reports
tmp=$(mktemp "$target.tmp.XXXXXX")
trap 'rm -f "$tmp"' EXIT
"$build/bin/initlab" init --list --markdown >"$tmp"
mv "$tmp" "$target"
trap - EXIT
echo "initializers: wrote $target ($(grep -c '^| `' "$target") specs)"
