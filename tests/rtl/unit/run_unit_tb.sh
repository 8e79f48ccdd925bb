#!/usr/bin/env bash
# Runs one self-checking unit testbench of tests/rtl/unit under Icarus.
#
# Usage: run_unit_tb.sh TOP WORKDIR INCDIR FILE...
#   TOP      the testbench module (lstm_tb_<unit>)
#   WORKDIR  where the compiled simulation and its log go
#   INCDIR   the folder of lstm_assert.svh (rtl/)
#   FILE...  the sources in compile order: lstm_pkg.sv, the modules, the testbench
# Passes (exit 0) when the simulation prints "PASS" and no line with FAIL or
# ERROR (a failed design assertion prints ERROR under Icarus); prints the log
# and exits 1 otherwise.
set -euo pipefail
(($# >= 4)) || { echo "usage: run_unit_tb.sh TOP WORKDIR INCDIR FILE..." >&2; exit 2; }
top="$1"; work="$2"; inc="$3"; shift 3
mkdir -p "$work"
log="$work/$top.log"
# Icarus says "sorry" about SystemVerilog it accepts but does not model fully
# (unique case, constant selects in always_*): not errors.
if ! iverilog -g2012 -Wall -Wno-sensitivity-entire-array -Wno-timescale -I "$inc" -s "$top" \
     -o "$work/$top.vvp" "$@" >"$log" 2>&1; then
  cat "$log"; echo "$top: Icarus could not compile it" >&2; exit 1
fi
vvp -n "$work/$top.vvp" >>"$log" 2>&1 || true
if grep -q "^PASS" "$log" && ! grep -q "FAIL\|ERROR" "$log"; then
  grep "^PASS" "$log"
  exit 0
fi
grep -v "sorry:" "$log"
echo "$top: failed (log: $log)" >&2
exit 1
