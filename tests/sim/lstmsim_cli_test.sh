#!/usr/bin/env bash
# lstmsim's command line: a good run writes its output; every bad file or
# config exits 2 with "lstmsim: error: FILE: PATH: ..." and writes nothing.
# Usage: lstmsim_cli_test.sh LSTMSIM WORKDIR
set -uo pipefail
lstmsim="$1"; work="$2"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
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

# The help names every subcommand and the rtl engine with its modes.
"$lstmsim" --help >help.txt 2>&1 || fail "--help: exit $?"
for word in run workload demo bench emit-tb "rtl engine"; do
  grep -qF -- "$word" help.txt || fail "--help does not mention '$word'"
done
"$lstmsim" run --help >help.txt 2>&1 || fail "run --help: exit $?"
for word in "rtl:" "--mode" single mp mt hc; do
  grep -qF -- "$word" help.txt || fail "run --help does not mention '$word'"
done

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

# Saturation (docs/numerics.md, "Saturation"): a weight of 1e6 is a warning
# that names it, the run still writes its output with the counts; --strict
# refuses it with exit 2 and writes nothing, in run and in emit-tb.
python3 - <<'PY' || fail "could not write sat.json"
import json
m = json.load(open("m.json"))
m["weight_ih_l0"][0][0] = 1e6
json.dump(m, open("sat.json", "w"))
PY
rm -f out.json
"$lstmsim" run --engine golden --model sat.json --input i.json --output out.json 2>stderr.txt \
  || fail "saturating run: exit $?"
grep -qF "lstmsim: warning: sat.json: /weight_ih_l0/0/0: 1e6 saturated to 7.9998 (weight format Q4.12: [-8, 7.9998]); 1 of 24 weights" stderr.txt \
  || fail "saturating run: no warning: $(cat stderr.txt)"
grep -q '"first": "/weight_ih_l0/0/0"' out.json || fail "saturating run: no saturation/load in out.json"
expect_error "strict run" "--strict: nothing written" \
  "$lstmsim" run --strict --engine golden --model sat.json --input i.json --output out.json
rm -f out.json
"$lstmsim" run --strict --engine float --model sat.json --input i.json --output out.json \
  || fail "strict float run: exit $? (float quantizes nothing)"
rm -rf tb_out
expect_error "strict emit-tb" "--strict: nothing written" \
  "$lstmsim" emit-tb --strict --config "$src/configs/small.json" \
    --model sat.json --input i.json --out tb_out
[[ ! -e tb_out ]] || fail "strict emit-tb: tb_out was written"

# The format advisor: a weight of 20 saturates the default Q4.12; the
# proposed config runs the same model and input with nothing saturated, under
# --strict.
python3 - <<'PY' || fail "could not write sat20.json"
import json
m = json.load(open("m.json"))
m["weight_ih_l0"][0][0] = 20
json.dump(m, open("sat20.json", "w"))
PY
expect_error "strict run, weight 20" "--strict: nothing written" \
  "$lstmsim" run --strict --engine golden --model sat20.json --input i.json --output out.json
"$lstmsim" formats --model sat20.json --input i.json --write-config advised.json >formats.txt \
  || fail "formats: exit $?"
grep -q "| weight |" formats.txt || fail "formats: no table: $(cat formats.txt)"
rm -f out.json
"$lstmsim" run --strict --engine golden --config advised.json --model sat20.json --input i.json \
  --output out.json || fail "run with the advised config: exit $?"
expect_error "formats without an input" "lstmsim: error:" \
  "$lstmsim" formats --model sat.json

[[ $failures -eq 0 ]] && echo "all lstmsim command-line checks passed"
exit $((failures > 0))
