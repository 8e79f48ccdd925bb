#!/usr/bin/env bash
# Tests tools/impl.sh.
# Usage: impl_test.sh MODE IMPL_SH LSTMGEN CONFIG WORKDIR
#   MODE errors: bad command lines and folders give exit 2 and a message
#                naming the problem, before any tool runs.
#   MODE place:  places and routes lstmgen's output for CONFIG on the HX8K
#                with one seed and checks impl.json, the logs and the
#                bitstream (bounded: Yosys 1200 s, nextpnr 900 s).
# Exit 77 (ctest: skipped) in MODE place without yosys, nextpnr-ice40 or icepack.
set -euo pipefail
mode="$1"; impl="$2"; lstmgen="$3"; config="$4"; work="$5"

if [[ "$mode" == place ]]; then
  for t in yosys nextpnr-ice40 icepack; do
    command -v "$t" >/dev/null 2>&1 || { echo "SKIPPED: $t is not on PATH (tools/setup.sh)"; exit 77; }
  done
fi

rm -rf "$work"; mkdir -p "$work"
"$lstmgen" --config "$config" --out "$work/rtl" >/dev/null
failed=0
ok() { echo "ok    $*"; }
bad() { echo "FAIL  $*"; failed=1; }

expect_error() {
  local want="$1" err status
  shift
  set +e
  err="$("$@" 2>&1 >/dev/null)"
  status=$?
  set -e
  if [[ $status -eq 2 && "$err" == *"$want"* ]]; then ok "exit 2: $err"
  else bad "$* gave exit $status (want 2) and '$err' (want '$want')"; fi
}

case "$mode" in
  errors)
    expect_error "missing DIR" "$impl"
    expect_error "$work/none: not a directory" "$impl" "$work/none"
    mkdir -p "$work/empty"
    expect_error "no files.f or manifest.json" "$impl" "$work/empty"
    expect_error "unknown device 'hx1k'" "$impl" "$work/rtl" --device hx1k
    expect_error "--seeds needs a positive whole number" "$impl" "$work/rtl" --seeds 0
    expect_error "--freq needs a positive whole number" "$impl" "$work/rtl" --freq fast
    expect_error "unknown option --fast" "$impl" "$work/rtl" --fast
    expect_error "not found" env NEXTPNR=/nonexistent/nextpnr "$impl" "$work/rtl"
    if [[ -e "$work/rtl/impl-hx8k" ]]; then bad "a refused run wrote $work/rtl/impl-hx8k"
    else ok "refused runs write nothing"; fi
    ;;
  place)
    if ! "$impl" "$work/rtl" --device hx8k --seeds 1 --synth-timeout 1200 --pnr-timeout 900 \
        >"$work/table.txt"; then
      bad "impl.sh failed"
      exit 1
    fi
    cat "$work/table.txt"
    out="$work/rtl/impl-hx8k"
    if python3 - "$out/impl.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["seeds"][0]
p = s["critical_path"]
checks = [
    (r["device"] == "hx8k" and len(r["seeds"]) == 1, "one seed on the hx8k"),
    (0 < r["logic_cells"] <= r["logic_cells_available"] == 7680, f"{r['logic_cells']} logic cells of 7680"),
    (r["block_rams"] > 0, f"{r['block_rams']} block RAMs"),
    (r["io"] == 5, "five pins (the shell)"),
    (r["median_fmax_mhz"] == s["fmax_mhz"] > 1, f"max frequency {s['fmax_mhz']} MHz"),
    (p is not None and p["start"] and p["end"] and p["delay_ns"] > 0, f"critical path {p}"),
    (r["met"] == (r["median_fmax_mhz"] >= r["target_mhz"]), "met follows the target"),
]
for good, what in checks:
    print(("ok    " if good else "FAIL  ") + what)
sys.exit(0 if all(g for g, _ in checks) else 1)
PY
    then ok "impl.json"; else bad "impl.json"; fi
    for f in synth.ys synth.log nextpnr-seed1.log report-seed1.json top-seed1.asc top.bin lstm_impl_shell.sv; do
      if [[ -s "$out/$f" ]]; then ok "$f written"; else bad "no $out/$f"; fi
    done
    ;;
  *) echo "unknown mode '$mode': expected errors or place" >&2; exit 2 ;;
esac
exit "$failed"
