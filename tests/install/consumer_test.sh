#!/usr/bin/env bash
# Installs the built initlab into a temporary prefix, then configures, builds and
# runs tests/install/consumer against it with find_package(initlab CONFIG).
#   consumer_test.sh BUILD_DIR CONSUMER_SOURCE_DIR
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log"
test -f "$tmp/prefix/include/initlab/init/initializer.hpp"
test -f "$tmp/prefix/lib/cmake/initlab/initlabConfig.cmake" ||
  test -f "$tmp/prefix/lib64/cmake/initlab/initlabConfig.cmake" ||
  ls "$tmp"/prefix/lib/*/cmake/initlab/initlabConfig.cmake > /dev/null
launcher=()
if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# The consumer compiles with the library's compiler, as a user of that install must:
# the flags initlab::initlab passes on are that compiler's (clang's
# -fsanitize=fuzzer-no-link in the sanitizer tree, which gcc does not know).
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
cmake -S "$src" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_CXX_COMPILER="$compiler" "${launcher[@]}" > "$tmp/configure.log" ||
  { cat "$tmp/configure.log"; exit 1; }
grep "initlab.*compiles its users with" "$tmp/configure.log"
cmake --build "$tmp/build" > "$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
"$tmp/build/consumer"
"$tmp/prefix/bin/initlab" --version
