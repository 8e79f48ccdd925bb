#!/usr/bin/env bash
# Install whatever is missing from Debian's archive, then configure and build.
# Idempotent: a second run installs nothing and rebuilds only what changed.
# Usage: tools/setup.sh [preset] [--with-test-tools]
#   preset: release (default), dev, ci, asan
#   --with-test-tools: also what only the tests need (PyTorch for the
#   cross-check against torch.nn.LSTM, clang's fuzzer runtime, Slurm and
#   munge for the one-node cluster of the sweep test)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="release"
test_tools=0
for arg in "$@"; do
  case "$arg" in
    --with-test-tools) test_tools=1 ;;
    -*) echo "setup: unknown option $arg" >&2; exit 2 ;;
    *) preset="$arg" ;;
  esac
done

packages=(cmake ninja-build g++ make verilator libfmt-dev nlohmann-json3-dev doctest-dev
          libcli11-dev zlib1g-dev yosys iverilog python3
          nextpnr-ice40 fpga-icestorm z3)  # z3: yosys-smtbmc's solver (tools/formal.sh)
if ((test_tools)); then
  packages+=(python3-torch clang libclang-rt-14-dev slurm-wlm munge)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" > /dev/null
fi

echo "setup: configuring and building (preset $preset)"
cmake --preset "$preset" > /dev/null
cmake --build --preset "$preset"
