#!/usr/bin/env bash
# Set up, build and run the whole test suite.
# Usage: tools/test.sh [preset]   (default: ci)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-ci}"
tools/setup.sh "$preset" --with-test-tools
ctest --preset "$preset" -j "$(nproc)"
