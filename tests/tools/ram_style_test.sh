#!/usr/bin/env bash
# lstm_ram_1r1w's ram_style: with Yosys's synth_xilinx a memory of 1 kbit or
# more becomes block RAM (here 8 x 256 = 2 kbit, the weight RAM of
# configs/small.json, which Yosys put in LUT RAM without the attribute) and a
# smaller one LUT RAM; with synth_ice40 (no LUT RAM) both stay block RAM.
# Usage: ram_style_test.sh RTL_DIR WORK   (exit 77: no yosys)
set -euo pipefail
rtl="$1" work="$2"
command -v yosys >/dev/null || { echo "yosys not found: skipped"; exit 77; }
mkdir -p "$work"
fail=0
# cells FLOW WIDTH DEPTH: the cell counts of `stat` for one RAM.
cells() {
  yosys -q -p "read_verilog -sv -I $rtl $rtl/lstm_ram_1r1w.sv; chparam -set Width $2 -set Depth $3 lstm_ram_1r1w;
               $1 -top lstm_ram_1r1w; tee -o $work/stat.txt stat" >/dev/null 2>>"$work/yosys.log"
  cat "$work/stat.txt"
}
expect() {  # FLOW WIDTH DEPTH CELL: the RAM maps to CELL
  local out
  out="$(cells "$1" "$2" "$3")"
  if grep -qE "^\s+$4\s+[0-9]+" <<<"$out"; then
    echo "ok: $1, $2 x $3 bits -> $4"
  else
    echo "FAIL: $1, $2 x $3 bits: no $4 in"; echo "$out"; fail=1
  fi
}
expect synth_xilinx 8 256 RAMB18E1     # 2 kbit: block RAM
expect synth_xilinx 16 1024 RAMB18E1   # 16 kbit: block RAM
expect synth_xilinx 8 12 RAM32M        # 96 bits (a bias RAM): LUT RAM
expect synth_ice40 8 256 SB_RAM40_4K
expect synth_ice40 8 12 SB_RAM40_4K    # iCE40 has no LUT RAM: "auto" keeps block RAM
exit "$fail"
