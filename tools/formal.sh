#!/usr/bin/env bash
# Bounded model checks of the interface logic with Yosys, yosys-smtbmc and z3
# (issue 11 item 7): lstm_fifo, lstm_axil_slave, the AXI4-Stream adapters
# lstm_axis_in/lstm_axis_out and the weight row loader lstm_wload, each under a harness in tests/formal/ whose
# inputs are free, the trace starting in reset. The modules' `LSTM_ASSERTs
# (their own protocol rules) must hold in every step; their `LSTM_ASSUMEs (the
# rules of whoever drives their inputs) are assumed (rtl/lstm_assert.svh).
#
# Usage: tools/formal.sh PKG_DIR [--depth N] [--work DIR] [--only NAME]
#   PKG_DIR  a folder written by lstmgen (its lstm_pkg.sv sizes the modules)
#   --depth  BMC steps (default 20)
#   --work   where the SMT-LIB models and logs go (default: a temporary folder)
#   --only   one check: fifo, axil_slave, axis or wload
# Exit 0 when every check passes; 1 when one fails (its log names the
# assertion and step) or times out; 2 on bad arguments or missing tools.
#
# The flow (docs/testbench.md, "Formal checks"):
#   yosys: read_verilog -sv -formal; prep -top H; async2sync; dffunmap;
#          write_smt2 -wires
#   yosys-smtbmc -s z3 --unroll --noincr -t DEPTH
#   then -i -t K (k-induction: with the BMC, a proof for every cycle, not
#   only DEPTH cycles from reset)
# --unroll: smtbmc expands the model's define-funs itself; z3 4.8.12 (Debian
# 12) spends seconds to minutes building define-funs with a state parameter
# (it hung at step 0 even at depth 3). --noincr: z3 bit-blasts each check
# instead of solving bit-vectors incrementally, which is much faster here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pkg_dir=""; depth=20; work=""; only=""
while (($#)); do
  case "$1" in
    --depth) depth="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    -*) echo "formal: unknown option $1" >&2; exit 2 ;;
    *) pkg_dir="$1"; shift ;;
  esac
done
[[ -n "$pkg_dir" && -f "$pkg_dir/lstm_pkg.sv" ]] ||
  { echo "formal: usage: tools/formal.sh PKG_DIR [--depth N] (PKG_DIR/lstm_pkg.sv missing)" >&2; exit 2; }
[[ "$depth" =~ ^[0-9]+$ ]] || { echo "formal: --depth $depth is not a number" >&2; exit 2; }
for tool in yosys yosys-smtbmc z3; do
  command -v "$tool" > /dev/null ||
    { echo "formal: $tool not found (tools/setup.sh installs it)" >&2; exit 2; }
done
if [[ -z "$work" ]]; then work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work"
rtl="$root/rtl"; harness="$root/tests/formal"

# smtbmc NAME LABEL ARGS...: one yosys-smtbmc run on NAME's model; true when
# it passes, else its failing assertions go to stderr.
smtbmc() {
  local name="$1" label="$2"; shift 2
  if timeout 300 yosys-smtbmc -s z3 --unroll --noincr "$@" "$work/$name.smt2" \
       > "$work/$name.$label.log" 2>&1 && grep -q "Status: PASSED" "$work/$name.$label.log"; then
    return 0
  fi
  tr '\r' '\n' < "$work/$name.$label.log" | grep -E "Assert failed|Status|failed" >&2 || true
  echo "formal: $name: $label FAILED or timed out (log: $work/$name.$label.log)" >&2
  return 1
}

# check NAME TOP INDUCTION FILE...: one model; a BMC run of --depth steps from
# reset and, when INDUCTION (k) is not 0, a k-induction run, which with the
# BMC (k <= depth) proves the assertions for every cycle. Induction closes
# because the modules state invariants strong enough (lstm_fifo's pointers,
# lstm_axil_slave's open requests; docs/testbench.md).
check() {
  local name="$1" top="$2" induction="$3"; shift 3
  [[ -z "$only" || "$only" == "$name" ]] || return 0
  local start=$SECONDS
  if ! yosys -q -l "$work/$name.yosys.log" -p "read_verilog -sv -formal -I$rtl $*; \
       prep -top $top; async2sync; dffunmap; write_smt2 -wires $work/$name.smt2" > /dev/null; then
    echo "formal: $name: Yosys failed (log: $work/$name.yosys.log)" >&2; return 1
  fi
  smtbmc "$name" bmc -t "$depth" || return 1
  if ((induction > 0)); then
    smtbmc "$name" induction -i -t "$induction" || return 1
    echo "formal: $name: PASSED, depth $depth and $induction-induction (every cycle), $((SECONDS - start)) s"
  else
    echo "formal: $name: PASSED, depth $depth, $((SECONDS - start)) s"
  fi
}

status=0
check fifo formal_fifo 4 "$rtl/lstm_fifo.sv" "$harness/formal_fifo.sv" || status=1
check axil_slave formal_axil_slave 2 "$pkg_dir/lstm_pkg.sv" "$rtl/lstm_axil_slave.sv" \
  "$harness/formal_axil_slave.sv" || status=1
check axis formal_axis 3 "$pkg_dir/lstm_pkg.sv" "$rtl/lstm_fifo.sv" "$rtl/lstm_axis_in.sv" \
  "$rtl/lstm_axis_out.sv" "$harness/formal_axis.sv" || status=1
check wload formal_wload 3 "$pkg_dir/lstm_pkg.sv" "$rtl/lstm_wload.sv" "$harness/formal_wload.sv" \
  || status=1
exit $status
