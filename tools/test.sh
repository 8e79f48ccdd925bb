#!/usr/bin/env bash
# Set up, build and run the whole test suite, in three parts:
#   1. every ctest entry of PRESET (default ci): unit tests, the bad-input
#      corpus, the RTL in every mode under Verilator, Icarus and Yosys;
#   2. the C++ tests again under AddressSanitizer and UBSan (preset asan,
#      ctest -LE rtl: everything but the tests that run Verilator, Icarus or
#      Yosys or build or simulate designs; see README.md, Tests, for labels);
#   3. each libFuzzer target for FUZZ_SECONDS (default 30) with tools/fuzz.sh,
#      one fuzzing process per core (FUZZ_JOBS=nproc): on two cores a target
#      gets the 60 CPU-seconds it had when it ran alone for 60 s.
# Every part runs even if an earlier one failed; the exit status is 1 if any
# failed. See docs/reliability.md.
#
# Usage: tools/test.sh [preset] [--no-asan] [--no-fuzz]
set -uo pipefail
cd "$(dirname "$0")/.."
preset=ci
asan=1
fuzz=1
for arg in "$@"; do
  case "$arg" in
    --no-asan) asan=0 ;;
    --no-fuzz) fuzz=0 ;;
    -*) echo "test.sh: unknown option $arg (usage: tools/test.sh [preset] [--no-asan] [--no-fuzz])" >&2; exit 2 ;;
    *) preset="$arg" ;;
  esac
done
jobs=$(nproc)
fuzz_seconds=${FUZZ_SECONDS:-30}

tools/setup.sh "$preset" --with-test-tools || exit 1

declare -a summary=()
failed=0
# part NAME COMMAND...: run one part, time it, remember how it ended.
part() {
  local name=$1; shift
  local t0=$SECONDS
  echo "test.sh: === $name ==="
  if "$@"; then
    summary+=("$(printf '%-44s passed  (%d s)' "$name" $((SECONDS - t0)))")
  else
    summary+=("$(printf '%-44s FAILED  (%d s)' "$name" $((SECONDS - t0)))")
    failed=1
  fi
}

asan_suite() {
  cmake --preset asan >/dev/null && cmake --build --preset asan &&
    ctest --preset asan -LE rtl -j "$jobs"
}

part "ctest ($preset preset)" ctest --preset "$preset" -j "$jobs"
((asan)) && part "C++ tests under ASan+UBSan (asan preset)" asan_suite
((fuzz)) && part "fuzzers, ${fuzz_seconds} s each on $jobs cores" \
  env FUZZ_JOBS="$jobs" tools/fuzz.sh "$fuzz_seconds"

echo "test.sh: summary"
printf '  %s\n' "${summary[@]}"
exit "$failed"
