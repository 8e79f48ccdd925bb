#!/usr/bin/env bash
# Install whatever is missing from Debian's archive, then configure and build.
# Idempotent: a second run installs nothing and rebuilds only what changed.
# Usage: tools/setup.sh [preset]   (default: release)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"

packages=(cmake ninja-build g++ make verilator libfmt-dev nlohmann-json3-dev doctest-dev
          libcli11-dev zlib1g-dev yosys iverilog)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
