#!/usr/bin/env bash
# The main job: set up and build, generate the default accelerator, and run
# the built-in workloads on its RTL in every mode (single, mp, mt, hc),
# printing measured cycles, speedups and MAC utilization.
# Usage: tools/quickstart.sh [config.json]   (default: configs/default.json)
set -euo pipefail
cd "$(dirname "$0")/.."
config="${1:-configs/default.json}"
tools/setup.sh release
bin=build/release/bin
name="$(basename "$config" .json)"
echo
mkdir -p out
echo "== generating RTL for $config into out/$name"
"$bin/lstmgen" --config "$config" --out "out/$name"
echo
echo "== running the benchmark suite on the RTL (first use verilates it, about two minutes)"
"$bin/lstmsim" bench --config "$config" --report "out/report-$name"
