#!/usr/bin/env bash
# Places and routes an lstmgen output folder on an iCE40 and reports its clock.
#
# Usage: tools/impl.sh DIR [--device hx8k|up5k] [--seeds N] [--freq MHZ]
#                          [--synth-timeout S] [--pnr-timeout S]
#
# DIR is a folder written by lstmgen (files.f, manifest.json). The flow:
#   1. tools/impl_shell.py wraps lstm_top in lstm_impl_shell: the top's ports
#      go through two scan register chains and five pins (clk_i, rst_ni,
#      scan_in_i, capture_i, scan_out_o), so any config fits the package and
#      every path nextpnr times runs from a flip-flop to a flip-flop;
#   2. Yosys synth_ice40 (flattened; -dsp on up5k, which has SB_MAC16 blocks)
#      writes the netlist;
#   3. nextpnr-ice40 places and routes it once per seed (1..N, default 3)
#      with the clock target --freq (default 50 MHz); a missed target is
#      reported, not fatal (--timing-allow-fail);
#   4. icepack turns the median seed's placement into a bitstream.
# Devices: hx8k (iCE40HX8K, ct256: 7,680 logic cells, 32 4-kbit RAMs, no
# DSPs) and up5k (iCE40UP5K, sg48: 5,280 logic cells, 30 4-kbit RAMs, 8 DSPs).
#
# It writes, in DIR/impl-<device>/ (kept: rerun any step from there):
#   lstm_impl_shell.sv      the wrapper
#   synth.ys, synth.log     the Yosys script and log; top.json the netlist
#   nextpnr-seed<N>.log     nextpnr's log, report-seed<N>.json its report
#   top-seed<N>.asc         the placed and routed design, top.bin the bitstream
#   impl.json               the figures below, per seed and the median
# and prints a table: logic cells (of the device's), RAMs, DSPs, I/O, the
# flip-flops of the shell, then per seed the max frequency and the critical
# path's start and end, and the median over the seeds.
#
# Every tool run is bounded: Yosys by --synth-timeout (default 1800 s), each
# nextpnr run by --pnr-timeout (default 900 s); a run that takes longer is
# stopped and reported.
#
# Environment: YOSYS, NEXTPNR (default nextpnr-ice40), ICEPACK, PYTHON.
# Exit codes: 0 placed and routed (whatever the clock); 1 a tool failed, the
# design does not fit (nextpnr exits 255) or a run timed out; 2 bad arguments,
# DIR, or a missing tool.
set -euo pipefail
prog="impl.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=yosys_run.sh
source "$here/yosys_run.sh"

usage() {
  sed -n '2,/^set -euo/{/^#/{s/^# \{0,1\}//;p}}' "$0"
}
fail() { echo "$prog: error: $*" >&2; exit 2; }
flow_fail() { echo "$prog: error: $*" >&2; exit 1; }

dir=""
device="hx8k"
seeds=3
freq=50
synth_timeout=1800
pnr_timeout=900
number() { [[ "$2" =~ ^[0-9]+$ ]] && (("$2" > 0)) || fail "$1 needs a positive whole number, got '$2'"; }
while (($#)); do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --device) (($# >= 2)) || fail "--device needs hx8k or up5k"; device="$2"; shift 2 ;;
    --seeds) (($# >= 2)) || fail "--seeds needs a count"; number --seeds "$2"; seeds="$2"; shift 2 ;;
    --freq) (($# >= 2)) || fail "--freq needs MHz"; number --freq "$2"; freq="$2"; shift 2 ;;
    --synth-timeout) (($# >= 2)) || fail "--synth-timeout needs seconds"
      number --synth-timeout "$2"; synth_timeout="$2"; shift 2 ;;
    --pnr-timeout) (($# >= 2)) || fail "--pnr-timeout needs seconds"
      number --pnr-timeout "$2"; pnr_timeout="$2"; shift 2 ;;
    -*) fail "unknown option $1 (see --help)" ;;
    *) [[ -z "$dir" ]] || fail "one DIR only, got '$dir' and '$1'"; dir="$1"; shift ;;
  esac
done
[[ -n "$dir" ]] || fail "missing DIR, an lstmgen output folder (usage: $prog DIR [--device hx8k|up5k])"
case "$device" in
  hx8k) pnr_device=(--hx8k --package ct256); dsp="" ;;
  up5k) pnr_device=(--up5k --package sg48); dsp="-dsp" ;;
  *) fail "unknown device '$device': expected hx8k or up5k" ;;
esac
[[ -d "$dir" ]] || fail "$dir: not a directory"
[[ -f "$dir/files.f" && -f "$dir/manifest.json" ]] ||
  fail "$dir: no files.f or manifest.json; DIR must be a folder written by lstmgen --out DIR"

yosys="${YOSYS:-yosys}"
nextpnr="${NEXTPNR:-nextpnr-ice40}"
icepack="${ICEPACK:-icepack}"
python="${PYTHON:-python3}"
for tool in "$yosys" "$nextpnr" "$icepack" "$python" timeout; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail "'$tool' not found; tools/setup.sh installs yosys, nextpnr-ice40 and fpga-icestorm (icepack)"
done

# Sources of files.f, relative to DIR; +incdir+ lines become include paths.
sources=()
incdirs=()
while IFS= read -r line || [[ -n "$line" ]]; do
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  [[ -z "$line" || "$line" == //* ]] && continue
  if [[ "$line" == +incdir+* ]]; then incdirs+=("-I../${line#+incdir+}"); continue; fi
  [[ -f "$dir/$line" ]] || fail "$dir/files.f: lists '$line', which is not a file in $dir"
  sources+=("../$line")
done <"$dir/files.f"
((${#sources[@]})) || fail "$dir/files.f: lists no source files"

out="$dir/impl-$device"
mkdir -p "$out"
rm -f "$out"/*.asc "$out"/*.log "$out"/report-seed*.json "$out/top.bin" "$out/impl.json" \
      "$out/median-seed.txt"
shell_flops="$("$python" "$here/impl_shell.py" "$dir/manifest.json" "$out/lstm_impl_shell.sv")"

# 1-2. Synthesis of the shell around the design.
{
  echo "# Written by tools/impl.sh; run from $out: yosys synth.ys"
  echo "read_verilog -sv ${incdirs[*]} ${sources[*]} lstm_impl_shell.sv"
  echo "synth_ice40 $dsp -top lstm_impl_shell -json top.json"
  echo "tee -o synth-stat.txt stat"
} | tr -s ' ' >"$out/synth.ys"
echo "$prog: synthesis: yosys synth.ys in $out (at most ${synth_timeout} s)" >&2
start=$SECONDS
set +e
yosys_run "$prog" "$yosys" "$out" "$synth_timeout" synth.log synth.ys
rc=$?
set -e
synth_seconds=$((SECONDS - start))
((rc != 124)) || flow_fail "synthesis took longer than ${synth_timeout} s and was stopped (see $out/synth.log)"
((rc == 0)) || { tail -n 15 "$out/synth.log" >&2; flow_fail "Yosys failed (exit $rc; log $out/synth.log)"; }
echo "$prog: synthesis: ${synth_seconds} s" >&2

# 3. Place and route, one run per seed.
pnr_seconds=()
for ((seed = 1; seed <= seeds; seed++)); do
  echo "$prog: seed $seed: nextpnr-ice40 --$device --freq $freq (at most ${pnr_timeout} s)" >&2
  start=$SECONDS
  set +e
  (cd "$out" && timeout "$pnr_timeout" "$nextpnr" "${pnr_device[@]}" --json top.json \
      --asc "top-seed$seed.asc" --freq "$freq" --seed "$seed" --timing-allow-fail \
      --report "report-seed$seed.json" -q -l "nextpnr-seed$seed.log" 2>/dev/null)
  rc=$?
  set -e
  pnr_seconds+=($((SECONDS - start)))
  ((rc != 124)) || flow_fail "seed $seed: nextpnr took longer than ${pnr_timeout} s and was stopped (see $out/nextpnr-seed$seed.log)"
  if ((rc == 255)) || grep -q "Unable to place cell\|Design uses .* but device has only\|Failed to route" "$out/nextpnr-seed$seed.log"; then
    grep -B2 -A12 "Device utilisation" "$out/nextpnr-seed$seed.log" | head -n 20 >&2 || true
    flow_fail "the design does not fit the $device (see $out/nextpnr-seed$seed.log)"
  fi
  ((rc == 0)) || { tail -n 15 "$out/nextpnr-seed$seed.log" >&2; flow_fail "seed $seed: nextpnr failed (exit $rc)"; }
done

# 4. Figures, and the median seed's bitstream.
"$python" "$here/impl_report.py" "$out" "$device" "$freq" "$shell_flops" \
  "$synth_seconds" "${pnr_seconds[*]}" || flow_fail "cannot read nextpnr's reports in $out"
median_seed="$(cat "$out/median-seed.txt")"
"$icepack" "$out/top-seed$median_seed.asc" "$out/top.bin" ||
  flow_fail "icepack failed on $out/top-seed$median_seed.asc"
echo "$prog: wrote $out/impl.json and $out/top.bin (seed $median_seed, the median)" >&2
