#!/usr/bin/env python3
"""lstmsim bench writes report.json, report.md and speedup.svg with a row per
workload and mode, every run bit-exact with its weight load's cycles and the
end-to-end cycles (load + run), single as the speedup baseline, the
cost model's prediction within 3% of every measured run, and an auto row that
runs the mode the cost model picks, within 1% of the best mode measured.
Usage: bench_report_test.py LSTMSIM SOURCE_DIR WORK_DIR"""
import json
import os
import shutil
import subprocess
import sys

lstmsim, source, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
run = subprocess.run([lstmsim, "bench", "--config", os.path.join(source, "configs/small.json"),
                      "--suite", "quick", "--report", work], capture_output=True, text=True)
print(run.stdout)
print(run.stderr, file=sys.stderr)
problems = []
if run.returncode != 0:
    problems.append(f"exit {run.returncode}")
for name in ("report.json", "report.md", "speedup.svg"):
    if not os.path.exists(os.path.join(work, name)):
        problems.append(f"{name} missing")
if not problems:
    report = json.load(open(os.path.join(work, "report.json")))
    rows = report["results"]
    by_workload = {}
    for r in rows:
        by_workload.setdefault(r["workload"], {})[r["mode"]] = r
        for key in ("workload", "mode", "cores", "cycles", "load_cycles", "end_to_end_cycles",
                    "predicted_cycles", "speedup", "mac_utilization", "paper"):
            if key not in r:
                problems.append(f"row {r.get('workload')}/{r.get('mode')} lacks {key}")
        if not r["bit_exact"]:
            problems.append(f"{r['workload']} {r['mode']} is not bit-exact")
        if r.get("load_cycles", 0) <= 0:
            problems.append(f"{r['workload']} {r['mode']}: no load cycles")
        elif r.get("end_to_end_cycles") != r["cycles"] + r["load_cycles"]:
            problems.append(f"{r['workload']} {r['mode']}: end-to-end {r.get('end_to_end_cycles')}"
                            f" is not load {r['load_cycles']} + run {r['cycles']}")
        if r["cycles"] <= 0:
            problems.append(f"{r['workload']} {r['mode']}: no cycles")
        elif abs(r.get("predicted_cycles", 0) - r["cycles"]) > 0.03 * r["cycles"]:
            problems.append(f"{r['workload']} {r['mode']}: predicted {r.get('predicted_cycles')}"
                            f" cycles, measured {r['cycles']}")
    if len(by_workload) != 2:
        problems.append(f"expected 2 workloads, got {sorted(by_workload)}")
    for w, modes in by_workload.items():
        if set(modes) != {"single", "mp", "mt", "hc", "auto"}:
            problems.append(f"{w}: modes {sorted(modes)}")
            continue
        auto = modes["auto"]
        best = min(modes[m]["cycles"] for m in ("single", "mp", "mt", "hc"))
        if auto.get("chosen_mode") not in modes or auto["cycles"] != modes[auto["chosen_mode"]]["cycles"]:
            problems.append(f"{w}: auto chose {auto.get('chosen_mode')} but its run differs")
        elif auto["cycles"] > 1.01 * best:
            problems.append(f"{w}: auto {auto['cycles']} cycles, best mode {best}")
        if abs(modes["single"]["speedup"] - 1.0) > 1e-12:
            problems.append(f"{w}: single is not the baseline")
        elif modes["mp"]["speedup"] <= 1.0:
            problems.append(f"{w}: mp is not faster than single on two cores")
    if "<svg" not in open(os.path.join(work, "speedup.svg")).read():
        problems.append("speedup.svg is not an SVG")
for p in problems:
    print("FAIL:", p)
print("1 passed, 0 failed" if not problems else "0 passed, 1 failed")
sys.exit(1 if problems else 0)
