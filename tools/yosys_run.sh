# Runs Yosys for tools/synth.sh and tools/impl.sh (sourced, not run).
#
# Why: the `lutpack` step of Yosys 0.23's ABC LUT script (berkeley-abc,
# src/opt/lpk/lpkCut.c, Lpk_CutTruth) asserts on the bits of a heap pointer,
# so with address-space randomization it aborts (ABC exits 134) in some runs
# on a netlist that passes in others (CI's depth test of configs/ice40.json
# once; 0 of 20 runs here). Without randomization the addresses
# are the same every run and far from the values the assertion rejects.
# yosys_run therefore disables randomization for Yosys where the kernel lets
# it (setarch -R), and where it cannot, runs Yosys again after such an abort
# (at most three runs), saying so.
#
# yosys_run PROG YOSYS DIR TIMEOUT_S LOG SCRIPT
#   runs `YOSYS -q -l LOG SCRIPT` in DIR under `timeout TIMEOUT_S`; returns
#   Yosys's exit code (124 when the timeout stopped it).

yosys_abc_aborted() {  # LOG: did ABC abort (not: did the design fail)?
  grep -q 'ABC: execution of command .* failed: return code 134' "$1" 2>/dev/null
}

yosys_run() {
  local prog="$1" yosys="$2" dir="$3" timeout_s="$4" log="$5" script="$6"
  local norandom=()
  if setarch "$(uname -m)" -R true >/dev/null 2>&1; then
    norandom=(setarch "$(uname -m)" -R)
  fi
  local attempt rc
  for attempt in 1 2 3; do
    rc=0
    (cd "$dir" && timeout "$timeout_s" "${norandom[@]}" "$yosys" -q -l "$log" "$script" >/dev/null) || rc=$?
    if ((rc == 0 || rc == 124)) || ((${#norandom[@]})) || ! yosys_abc_aborted "$dir/$log"; then
      return "$rc"
    fi
    ((attempt == 3)) ||
      echo "$prog: note: ABC's lutpack aborted (a known pointer-dependent assertion); running Yosys again" >&2
  done
  return "$rc"
}
