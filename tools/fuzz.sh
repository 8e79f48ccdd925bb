#!/usr/bin/env bash
# Build the libFuzzer targets of fuzz/ with clang and run each for SECONDS.
# Usage: tools/fuzz.sh SECONDS [TARGET...]   (default: every target)
#
# Configures a separate clang build (build/fuzz, -DLSTM_FUZZ=ON), builds the
# fuzzers, and runs each one on its seed corpus with -max_len=4096 -timeout=5.
# Fuzzing keeps going after a crash (-fork=1 -ignore_crashes=1), so one known
# bug does not hide the next; every crash, timeout or out-of-memory input is
# replayed once to print its reason, and one input per distinct reason is
# copied to fuzz/crashes/. Exit status: 0 nothing found, 1 something found,
# 2 usage or build problem. See docs/reliability.md.
#
# Environment: FUZZ_BUILD_DIR (default build/fuzz), FUZZ_NO_BUILD=1 to reuse
# the binaries already built there, FUZZ_JOBS (default 1) parallel fuzz jobs.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
  echo "usage: tools/fuzz.sh SECONDS [fuzz_config|fuzz_model|fuzz_inputs]..." >&2
  exit 2
fi
seconds=$1; shift
targets=("$@")
((${#targets[@]})) || targets=(fuzz_config fuzz_model fuzz_inputs)
build=${FUZZ_BUILD_DIR:-build/fuzz}
jobs=${FUZZ_JOBS:-1}

# Seed corpora, read-only: libFuzzer writes new inputs only to the first
# directory given, which is build/fuzz/corpus/TARGET.
seeds_for() {
  case $1 in
    fuzz_config) echo "fuzz/seeds/config configs tests/bad_inputs/configs" ;;
    fuzz_model) echo "fuzz/seeds/model tests/bad_inputs/models" ;;
    fuzz_inputs) echo "fuzz/seeds/inputs tests/bad_inputs/inputs" ;;
    *) return 1 ;;
  esac
}
for t in "${targets[@]}"; do
  seeds_for "$t" >/dev/null || { echo "fuzz.sh: unknown target $t" >&2; exit 2; }
done

if [[ ${FUZZ_NO_BUILD:-0} != 1 ]]; then
  if ! grep -q LSTM_FUZZ CMakeLists.txt; then
    echo "fuzz.sh: the top-level CMakeLists.txt has no LSTM_FUZZ option yet (see docs/reliability.md)" >&2
    exit 2
  fi
  if ! command -v clang++ >/dev/null; then
    echo "fuzz.sh: clang++ not found (Debian: apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
  fi
  # One unity file per 8 sources (CMAKE_UNITY_BUILD), as in the CI presets:
  # the readers' sources share most of their headers and templates.
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBUILD_TESTING=OFF -DLSTM_FUZZ=ON -DCMAKE_UNITY_BUILD=ON >/dev/null \
    || { echo "fuzz.sh: configure failed" >&2; exit 2; }
  cmake --build "$build" --target "${targets[@]}" || { echo "fuzz.sh: build failed" >&2; exit 2; }
fi

# What identifies a finding: process ids and addresses always differ, and a
# broken property also quotes the input ('1e400'), which is not the bug.
key_of() {
  local key
  key=$(sed -E 's/==[0-9]+==//; s/0x[0-9a-f]+//g' <<<"$1")
  [[ $key == "fuzz property violated"* ]] && key=$(sed -E "s/'[^']*('|$)//g; s/[0-9]+//g" <<<"$key")
  echo "$key"
}

# The first line that says why an input failed: a broken property, a sanitizer
# summary, an uncaught exception, or libFuzzer's own verdict.
reason_of() {
  local bin=$1 input=$2
  "$bin" -timeout=5 -rss_limit_mb=2048 "$input" 2>&1 |
    grep -m1 -E "fuzz property violated|^SUMMARY: |terminate called|ERROR: libFuzzer: (timeout|out-of-memory)" |
    cut -c1-200
}

found=0
mkdir -p fuzz/crashes
for t in "${targets[@]}"; do
  bin="$build/bin/$t"
  [[ -x $bin ]] || { echo "fuzz.sh: $bin not built" >&2; exit 2; }
  corpus="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  rm -rf "$artifacts"
  mkdir -p "$corpus" "$artifacts"
  log="$build/$t.log"
  echo "fuzz.sh: $t for ${seconds}s (log: $log)"
  # shellcheck disable=SC2046  # the seed list is word-split on purpose
  "$bin" "$corpus" $(seeds_for "$t") -dict=fuzz/json.dict -max_len=4096 -timeout=5 \
    -rss_limit_mb=2048 -max_total_time="$seconds" -fork="$jobs" -ignore_crashes=1 \
    -ignore_timeouts=1 -ignore_ooms=1 -artifact_prefix="$artifacts/" -print_final_stats=1 \
    >"$log" 2>&1
  rc=$?
  last=$(grep -E "^#[0-9]+: cov:" "$log" | tail -1)
  echo "  ${last:-no progress lines} (libFuzzer exit $rc)"
  # Findings already in fuzz/crashes are replayed: still failing is still a
  # finding, but it is not copied again under another name.
  declare -A seen=()
  for a in fuzz/crashes/"$t"-*; do
    [[ -f $a ]] || continue
    reason=$(reason_of "$bin" "$a")
    [[ -n $reason ]] || { echo "  fixed? $a no longer fails"; continue; }
    seen[$(key_of "$reason")]=1
    found=1
    echo "  STILL FAILS: $reason"
    echo "         input: $a"
  done
  for a in "$artifacts"/*; do
    [[ -f $a ]] || continue
    reason=$(reason_of "$bin" "$a")
    [[ -n $reason ]] || reason="(does not reproduce alone)"
    key=$(key_of "$reason")
    if [[ -z ${seen[$key]:-} ]]; then
      seen[$key]=1
      found=1
      dest="fuzz/crashes/$t-$(basename "$a")"
      cp "$a" "$dest"
      echo "  NEW: $reason"
      echo "         input: $dest"
      # In CI the clone is thrown away: the log must carry the input itself
      # (at most -max_len = 4096 bytes). Recreate it with base64 -d.
      echo "        base64: $(base64 -w0 "$dest")"
    fi
  done
  unset seen
done
if ((found)); then
  echo "fuzz.sh: findings above; reproduce one with $build/bin/TARGET FILE"
  exit 1
fi
echo "fuzz.sh: nothing found"
exit 0
