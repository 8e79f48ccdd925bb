#!/usr/bin/env bash
# Set up, build and run the whole test suite, in two parts:
#   1. every ctest entry of PRESET (default ci): unit tests, the bad-input
#      corpus, the RTL in every mode under Verilator, Icarus and Yosys. The ci
#      preset builds our C++ with AddressSanitizer and UBSan (-O1), so every
#      test, the RTL ones included, also checks our code for memory errors and
#      undefined behaviour; one build and one run instead of a release build
#      plus a second, sanitized build of the unit tests (README.md, Tests);
#   2. each libFuzzer target for FUZZ_SECONDS (default 30) with tools/fuzz.sh,
#      one fuzzing process per core (FUZZ_JOBS=nproc): on two cores a target
#      gets the 60 CPU-seconds it had when it ran alone for 60 s.
# Every part runs even if an earlier one failed (but nothing runs when the
# set-up and build fails); the exit status is 1 if any failed. The summary
# gives each part's wall and CPU time. See docs/reliability.md.
#
# Usage: tools/test.sh [preset] [--no-fuzz]
set -uo pipefail
cd "$(dirname "$0")/.."
preset=ci
fuzz=1
for arg in "$@"; do
  case "$arg" in
    --no-fuzz) fuzz=0 ;;
    -*) echo "test.sh: unknown option $arg (usage: tools/test.sh [preset] [--no-fuzz])" >&2; exit 2 ;;
    *) preset="$arg" ;;
  esac
done
jobs=$(nproc)
fuzz_seconds=${FUZZ_SECONDS:-30}

declare -a summary=()
failed=0
cpu_file=$(mktemp)
trap 'rm -f "$cpu_file"' EXIT
# cpu_now: CPU seconds (user + system) of every child this shell has waited
# for. The builtin `times` must run in this shell (in a command substitution
# it would run in a forked copy that has waited for nothing); its second line
# is the children's "XmY.YYYs XmY.YYYs".
children_cpu() {
  times >"$cpu_file"
  cpu_now=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; ++i) { split($i, p, /[ms]/); t += p[1] * 60 + p[2] }
                           printf "%d\n", t }' "$cpu_file")
}
# part NAME COMMAND...: run one part, time it (wall and CPU: on a shared
# machine the CPU time is the figure that does not grow with the load),
# remember how it ended.
part() {
  local name=$1; shift
  local t0=$SECONDS c0 verdict=passed
  children_cpu
  c0=$cpu_now
  echo "test.sh: === $name ==="
  "$@" || { verdict=FAILED; failed=1; }
  children_cpu
  summary+=("$(printf '%-44s %s  (%d s, %d s of CPU)' "$name" "$verdict" $((SECONDS - t0)) \
    $((cpu_now - c0)))")
}
summarize() {
  echo "test.sh: summary (load average now: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null))"
  printf '  %s\n' "${summary[@]}"
}

part "set-up and build ($preset preset)" tools/setup.sh "$preset" --with-test-tools
((failed)) && { summarize; exit 1; }

part "ctest ($preset preset)" ctest --preset "$preset" -j "$jobs"
((fuzz)) && part "fuzzers, ${fuzz_seconds} s each on $jobs cores" \
  env FUZZ_JOBS="$jobs" tools/fuzz.sh "$fuzz_seconds"

summarize
exit "$failed"
