#!/usr/bin/env bash
# lstmsim's command line: a good run writes its output; every bad file or
# config exits 2 with "lstmsim: error: FILE: PATH: ..." and writes nothing.
# Usage: lstmsim_cli_test.sh LSTMSIM WORKDIR
set -uo pipefail
lstmsim="$1"; work="$2"
rm -rf "$work"; mkdir -p "$work"; cd "$work" || exit 1
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect_error DESCRIPTION STDERR_PATTERN COMMAND...: exit 2, message, no out.json.
expect_error() {
  local what="$1" pattern="$2"; shift 2
  rm -f out.json
  "$@" >stdout.txt 2>stderr.txt
  local rc=$?
  [[ $rc -eq 2 ]] || fail "$what: exit code $rc, expected 2"
  grep -qF -- "$pattern" stderr.txt || fail "$what: stderr lacks '$pattern': $(cat stderr.txt)"
  [[ ! -e out.json ]] || fail "$what: out.json was written"
  [[ -z "$(ls | grep tmp-)" ]] || fail "$what: temporary file left behind"
}

"$lstmsim" workload --input-size 3 --hidden-size 2 --layers 2 --steps 4 --sequences 2 --seed 5 \
  --model-out m.json --input-out i.json || fail "workload: exit $?"
for engine in float golden; do
  rm -f out.json
  "$lstmsim" run --engine "$engine" --model m.json --input i.json --output out.json \
    || fail "run $engine: exit $?"
  grep -q "\"engine\": \"$engine\"" out.json || fail "run $engine: no engine in out.json"
done
"$lstmsim" demo > demo.txt || fail "demo: exit $?"
grep -q "max |golden - float|" demo.txt || fail "demo: no error line"

echo '{"sequences": [[[1, 2]]]}' > short.json
expect_error "short input" "lstmsim: error: short.json: /sequences/0/0: expected m.json's /input_size (3) numbers" \
  "$lstmsim" run --engine float --model m.json --input short.json --output out.json
echo '{"input_size": 3}' > partial.json
expect_error "partial model" "lstmsim: error: partial.json: /hidden_size: missing" \
  "$lstmsim" run --engine golden --model partial.json --input i.json --output out.json
expect_error "missing model" "lstmsim: error: none.json: cannot open" \
  "$lstmsim" run --engine golden --model none.json --input i.json --output out.json
echo '{"cores": 0' > badcfg.json
expect_error "broken config" "lstmsim: error: badcfg.json:" \
  "$lstmsim" run --engine golden --config badcfg.json --model m.json --input i.json --output out.json
expect_error "missing config" "lstmsim: error: nocfg.json:" \
  "$lstmsim" demo --config nocfg.json
expect_error "unknown engine" "lstmsim: error:" \
  "$lstmsim" run --engine magic --model m.json --input i.json --output out.json
expect_error "zero hidden size" "lstmsim: error:" \
  "$lstmsim" workload --input-size 3 --hidden-size 0 --layers 1 --steps 1 --sequences 1 --seed 1 \
  --model-out out.json --input-out i2.json

[[ $failures -eq 0 ]] && echo "all lstmsim command-line checks passed"
exit $((failures > 0))
