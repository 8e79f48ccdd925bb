#!/usr/bin/env bash
# Synthesizes an lstmgen output folder with Yosys and reports its size and depth.
#
# Usage: tools/synth.sh DIR [--target generic|ice40|depth|xilinx|ecp5]... [--flatten]
#                           [--top NAME] [--timeout SECONDS]
#
# DIR is a folder written by lstmgen: DIR/files.f lists the SystemVerilog
# sources in compile order (lines starting with // are comments, +incdir+D
# lines include folders). Each target (default: generic, then ice40; --target
# may be repeated or take a comma-separated list) runs one Yosys flow on the
# top module (lstm_top):
#   generic  synth              Yosys's internal gates ($_AND_, $_DFF_*, ...);
#                               memories become flip-flops, multipliers gates
#   ice40    synth_ice40 -dsp   SB_LUT4, SB_DFF*, SB_RAM40_4K, SB_MAC16
#   depth    synth_ice40        no DSPs (every multiplier in LUTs, as on an
#                               HX part) and without its last autoname pass
#                               (it only renames nets, and on large configs
#                               took longer than the mapping), then
#                               tools/lut_depth.py: the deepest
#                               register-to-register path in LUT4 levels, per
#                               module and for the whole design, with its
#                               start and end signals and its carry cells
#   xilinx   synth_xilinx       7 series: LUT1..6, FD*E, RAMB18E1/36E1, DSP48E1
#   ecp5     synth_ecp5         LUT4, TRELLIS_FF, DP16KD, MULT18X18D
# and prints one table row per target: cells, LUTs, flip-flops, DSPs, block
# RAMs, LUT RAMs (distributed RAM cells: xilinx, ecp5), RAM bits (the bits
# of the memories in the design before the flow maps them), LUT4 levels (depth
# only) and seconds; the depth target adds a table of its paths. The hierarchy
# is kept (each distinct module is mapped once, which is several times faster);
# --flatten maps the flattened design instead, which lets Yosys optimize
# across modules and takes much longer.
# For each target it writes, in DIR:
#   synth-<target>.json  the same figures and the count of every cell type
#                        (depth: and "lut_depth", the paths)
#   synth-<target>.ys    the Yosys script (run it again: cd DIR; yosys synth-<target>.ys)
#   synth-<target>.log   Yosys's log
# See docs/synthesis.md for what the figures mean.
#
# Every Yosys run is bounded by --timeout (default 3600 s); a run that takes
# longer is stopped and reported, and the other targets still run.
# Environment: YOSYS (default: yosys on PATH), PYTHON (default: python3).
# Exit codes: 0 ok, 1 Yosys failed or timed out (see the log), 2 bad
# arguments, DIR, files.f, or no Yosys.
set -euo pipefail
prog="synth.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=yosys_run.sh
source "$here/yosys_run.sh"

usage() {
  sed -n '2,/^set -euo/{/^#/{s/^# \{0,1\}//;p}}' "$0"
}
fail() { echo "$prog: error: $*" >&2; exit 2; }

dir=""
top="lstm_top"
flatten=0
timeout_s=3600
targets=()
while (($#)); do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --target|-t)
      (($# >= 2)) || fail "--target needs a value: generic, ice40, depth, xilinx or ecp5"
      IFS=, read -r -a more <<<"$2"; targets+=("${more[@]}"); shift 2 ;;
    --target=*) IFS=, read -r -a more <<<"${1#*=}"; targets+=("${more[@]}"); shift ;;
    --flatten) flatten=1; shift ;;
    --top)
      (($# >= 2)) || fail "--top needs a module name"
      top="$2"; shift 2 ;;
    --timeout)
      (($# >= 2)) && [[ "$2" =~ ^[0-9]+$ ]] && (("$2" > 0)) ||
        fail "--timeout needs a positive number of seconds"
      timeout_s="$2"; shift 2 ;;
    -*) fail "unknown option $1 (see --help)" ;;
    *)
      [[ -z "$dir" ]] || fail "one DIR only, got '$dir' and '$1' (see --help)"
      dir="$1"; shift ;;
  esac
done
[[ -n "$dir" ]] || fail "missing DIR, an lstmgen output folder (usage: $prog DIR [--target T])"
((${#targets[@]})) || targets=(generic ice40)
for t in "${targets[@]}"; do
  case "$t" in
    generic|ice40|depth|xilinx|ecp5) ;;
    *) fail "unknown target '$t': expected generic, ice40, depth, xilinx or ecp5" ;;
  esac
done
[[ -e "$dir" ]] || fail "$dir: no such directory"
[[ -d "$dir" ]] || fail "$dir: not a directory"
[[ -f "$dir/files.f" ]] ||
  fail "$dir/files.f: missing; DIR must be a folder written by lstmgen --out DIR"

# Sources, relative to DIR, in the order of files.f; include folders.
sources=()
incdirs=()
while IFS= read -r line || [[ -n "$line" ]]; do
  line="${line#"${line%%[![:space:]]*}"}"   # trim leading and trailing blanks
  line="${line%"${line##*[![:space:]]}"}"
  [[ -z "$line" || "$line" == //* ]] && continue
  [[ "$line" =~ [[:space:]\"] ]] && fail "$dir/files.f: '$line': names with blanks or quotes are not supported"
  if [[ "$line" == +incdir+* ]]; then
    [[ -d "$dir/${line#+incdir+}" ]] || fail "$dir/files.f: '$line' names no folder in $dir"
    incdirs+=("-I${line#+incdir+}")
    continue
  fi
  [[ -f "$dir/$line" ]] || fail "$dir/files.f: lists '$line', which is not a file in $dir"
  sources+=("$line")
done <"$dir/files.f"
((${#sources[@]})) || fail "$dir/files.f: lists no source files"

yosys="${YOSYS:-yosys}"
command -v "$yosys" >/dev/null 2>&1 ||
  fail "Yosys not found ('$yosys'); install it (apt-get install yosys) or set YOSYS=/path/to/yosys"
python="${PYTHON:-python3}"
command -v "$python" >/dev/null 2>&1 || fail "python3 not found (set PYTHON), needed to read Yosys's statistics"
version="$("$yosys" -V 2>/dev/null | head -n 1)"
[[ "$version" == "Yosys 0.23 "* ]] ||
  echo "$prog: note: tested with Yosys 0.23, this is ${version:-an unknown version}" >&2

# Per target: the synthesis command. By default every flow keeps the hierarchy:
# Yosys then maps each distinct module once (the 72 RAMs of
# configs/small.json are five modules), which is several times faster than
# mapping the flattened design, and stat sums the modules by instance count.
flow_of() {
  local flat_generic="" flat_xilinx="" noflat="-noflatten"
  if ((flatten)); then flat_generic="-flatten"; flat_xilinx="-flatten"; noflat=""; fi
  case "$1" in
    generic) echo "synth $flat_generic -top $top" ;;
    ice40) echo "synth_ice40 $noflat -dsp -top $top" ;;
    depth) echo "synth_ice40 $noflat -top $top -run :check" ;;
    xilinx) echo "synth_xilinx $flat_xilinx -family xc7 -top $top" ;;
    ecp5) echo "synth_ecp5 $noflat -top $top" ;;
  esac | tr -s ' '
}

rows=()
status=0
for target in "${targets[@]}"; do
  cmd="$(flow_of "$target")"
  ys="$dir/synth-$target.ys"
  log="$dir/synth-$target.log"
  json="$dir/synth-$target.json"
  mem_stat="synth-$target.memories.tmp.txt"
  final_stat="synth-$target.stat.tmp.txt"
  {
    echo "# Written by tools/synth.sh; run from $dir: yosys synth-$target.ys"
    echo "read_verilog -sv ${incdirs[*]} ${sources[*]}" | tr -s ' '
    echo "hierarchy -check -top $top"
    echo "# The design's memories, before the flow maps them to RAMs or flip-flops."
    echo "tee -q -o $mem_stat stat -top $top"
    echo "$cmd"
    # depth: synth_ice40's last step without its autoname pass, which only
    # renames internal nets and took longer than the whole mapping on the
    # default config (docs/synthesis.md, "Logic depth").
    [[ "$target" != depth ]] || echo "hierarchy -check; blackbox =A:whitebox"
    echo "tee -o $final_stat stat -top $top"
    [[ "$target" != depth ]] || echo "write_json synth-depth.netlist.json"
  } >"$ys"
  rm -f "$dir/$mem_stat" "$dir/$final_stat" "$json"
  echo "$prog: $target: yosys synth-$target.ys in $dir (log: $log)" >&2
  start=$SECONDS
  set +e
  yosys_run "$prog" "$yosys" "$dir" "$timeout_s" "synth-$target.log" "synth-$target.ys"
  rc=$?
  set -e
  if ((rc == 124)); then
    echo "$prog: error: $target: Yosys took longer than $timeout_s s and was stopped" \
         "(--timeout; the log so far: $log)" >&2
    rm -f "$dir/$mem_stat" "$dir/$final_stat"
    status=1
    continue
  fi
  if ((rc != 0)); then
    echo "$prog: error: $target: Yosys failed; the end of $log:" >&2
    tail -n 15 "$log" >&2 || true
    rm -f "$dir/$mem_stat" "$dir/$final_stat"
    status=1
    continue
  fi
  seconds=$((SECONDS - start))
  depth_json=""
  if [[ "$target" == depth ]]; then
    depth_json="$dir/synth-depth.paths.tmp.json"
    if ! "$python" "$here/lut_depth.py" "$dir/synth-depth.netlist.json" "$top" "$depth_json" \
        >"$dir/synth-depth.table.txt"; then
      echo "$prog: error: depth: tools/lut_depth.py failed on $dir/synth-depth.netlist.json" >&2
      status=1
      continue
    fi
    rm -f "$dir/synth-depth.netlist.json"
  fi
  if ! row="$("$python" - "$target" "$top" "$version" "$seconds" "$dir/$mem_stat" "$dir/$final_stat" "$json" "$cmd" "$depth_json" <<'PY'
import json, os, re, sys, tempfile

target, top, version, seconds, mem_path, stat_path, out_path, command, depth_path = sys.argv[1:]


def totals(path):
    """Whole-design figures from Yosys's text `stat -top`: the "design hierarchy"
    section (modules summed by instance count), or the only module's section."""
    with open(path) as f:
        text = f.read()
    if "=== design hierarchy ===" in text:
        section = text.split("=== design hierarchy ===", 1)[1]
    else:
        sections = re.split(r"^=== .* ===$", text, flags=re.M)[1:]
        if len(sections) != 1:
            sys.exit(f"{path}: expected one module or a design hierarchy section")
        section = sections[0]
    figures, types, in_cells = {}, {}, False
    for line in section.splitlines():
        m = re.match(r"^\s+Number of ([a-z ]+):\s+(\d+)$", line)
        if m:
            figures[m.group(1)] = int(m.group(2))
            in_cells = m.group(1) == "cells"
            continue
        m = re.match(r"^\s+(\S+)\s+(\d+)$", line)
        if in_cells and m:
            types[m.group(1)] = types.get(m.group(1), 0) + int(m.group(2))
        elif in_cells:
            in_cells = False
    if "cells" not in figures:
        sys.exit(f"{path}: no cell count in Yosys's statistics")
    return figures, types


memories, _ = totals(mem_path)
design, types = totals(stat_path)

# Cell types per figure: regular expressions over Yosys cell type names.
KINDS = {
    "generic": {"luts": None,
                "flip_flops": r"\$_(DFF|DFFE|SDFF|SDFFE|SDFFCE|DFFSR|DFFSRE|ALDFF|ALDFFE)_.*",
                "latches": r"\$_(DLATCH|DLATCHSR|SR)_.*",
                "dsps": None, "block_rams": None, "distributed_rams": None},
    "ice40": {"luts": r"SB_LUT4", "flip_flops": r"SB_DFF.*", "latches": None,
              "dsps": r"SB_MAC16", "block_rams": r"SB_RAM40_4K.*|SB_SPRAM256KA",
              "distributed_rams": None},
    "depth": {"luts": r"SB_LUT4", "flip_flops": r"SB_DFF.*", "latches": None,
              "dsps": r"SB_MAC16", "block_rams": r"SB_RAM40_4K.*|SB_SPRAM256KA",
              "distributed_rams": None},
    "xilinx": {"luts": r"LUT[1-6]", "flip_flops": r"FD[CPRS]E(_1)?", "latches": r"LD[CP]E(_1)?",
               "dsps": r"DSP48E1", "block_rams": r"RAMB(18|36)E1",
               "distributed_rams": r"RAM(32|64|128|256)X1[SD]|RAM(32|64)M|SRL16E|SRLC32E"},
    "ecp5": {"luts": r"LUT4", "flip_flops": r"TRELLIS_FF", "latches": None,
             "dsps": r"MULT18X18D|ALU54B", "block_rams": r"DP16KD|PDPW16KD",
             "distributed_rams": r"TRELLIS_DPR16X4"},
}[target]

def count(pattern):
    if pattern is None:
        return None
    return sum(n for t, n in types.items() if re.fullmatch(pattern, t))

figures = {k: count(p) for k, p in KINDS.items()}
report = {
    "target": target,
    "top": top,
    "yosys": version,
    "command": command,
    "script": f"synth-{target}.ys",
    "cells": design["cells"],
    "luts": figures["luts"],
    "flip_flops": figures["flip_flops"],
    "latches": figures["latches"] or 0,
    "dsps": figures["dsps"] or 0,
    "block_rams": figures["block_rams"] or 0,
    "distributed_rams": figures["distributed_rams"],
    "memories": memories.get("memories", 0),
    "ram_bits": memories.get("memory bits", 0),
    "cells_by_type": dict(sorted(types.items())),
}
levels = None
if depth_path:
    with open(depth_path) as f:
        report["lut_depth"] = json.load(f)
    os.unlink(depth_path)
    levels = report["lut_depth"]["whole"]["lut_levels"]
# Atomic, like every file the project writes.
directory = os.path.dirname(os.path.abspath(out_path))
fd, tmp = tempfile.mkstemp(dir=directory, prefix=os.path.basename(out_path) + ".tmp-")
with os.fdopen(fd, "w") as f:
    json.dump(report, f, indent=2)
    f.write("\n")
os.chmod(tmp, 0o644)
os.replace(tmp, out_path)
os.unlink(mem_path)
os.unlink(stat_path)


dash = lambda v: "-" if v is None else str(v)
print("\t".join([target, str(report["cells"]), dash(report["luts"]), str(report["flip_flops"]),
                 str(report["dsps"]), str(report["block_rams"]),
                 dash(report["distributed_rams"]), str(report["ram_bits"]), dash(levels),
                 seconds]))
PY
  )"; then
    echo "$prog: error: $target: cannot read Yosys's statistics (see $log)" >&2
    status=1
    continue
  fi
  rows+=("$row")
  echo "$prog: $target: wrote $json" >&2
done

if ((${#rows[@]})); then
  echo "$dir ($top), ${version:-Yosys}"
  format="%-8s %8s %7s %11s %5s %11s %9s %9s %7s %8s\n"
  # shellcheck disable=SC2059  # the format is ours
  printf "$format" target cells LUTs flip-flops DSPs "block RAMs" "LUT RAMs" "RAM bits" levels seconds
  for row in "${rows[@]}"; do
    IFS=$'\t' read -r -a f <<<"$row"
    # shellcheck disable=SC2059
    printf "$format" "${f[@]}"
  done
  if [[ -f "$dir/synth-depth.table.txt" ]]; then
    echo
    echo "Deepest paths in LUT4 levels (synth_ice40 without DSPs; carry cells passed through):"
    cat "$dir/synth-depth.table.txt"
    rm -f "$dir/synth-depth.table.txt"
  fi
fi
exit "$status"
