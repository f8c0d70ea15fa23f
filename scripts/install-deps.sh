#!/usr/bin/env bash
# Installs every Debian 12 package cbsim needs to build, test and plot.
# With --sanitizers, also the compiler of `make test-sanitize` and `make fuzz`
# (clang 16: Debian 12's default clang 14 cannot build the loader; libFuzzer
# and the sanitizer runtimes; llvm-symbolizer for readable traces), which
# `make test` does not need.
# Idempotent: does nothing (and needs no network) when all packages are present.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libsimgrid-dev            # SimGrid 3.32: flow-level network model and engine
  libboost-graph-dev        # topology generators
  libeigen3-dev             # numerical analytic baselines
  nlohmann-json3-dev        # scenario files
  libcli11-dev              # command-line parsing
  libssl-dev                # SHA-256 (OpenSSL EVP)
  libcrypto++-dev           # Keccak-256 and RIPEMD-160 for the EVM (OpenSSL 3.0 has no Keccak)
  libsecp256k1-dev          # EVM ecrecover precompile (with the recovery module)
  libgmp-dev                # EVM modexp precompile (big-number modular exponentiation)
  coinor-libcbc-dev         # the offline optimum of cloud allocations (integer programming, COIN-OR CBC)
  libgtest-dev libgmock-dev # unit tests
  libbenchmark-dev          # micro-benchmarks
  pybind11-dev              # the Python extension module
  python3 python3-venv python3-numpy python3-scipy python3-pandas python3-matplotlib
  python3-dask python3-distributed python3-tqdm      # sweeps on Dask, progress bars
  python3-pytest python3-nbclient python3-nbformat python3-ipykernel  # tests, notebooks
)
if [ "${1:-}" = "--sanitizers" ]; then
  PACKAGES+=(clang-16 libclang-rt-16-dev llvm-16)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
