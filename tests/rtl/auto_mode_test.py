#!/usr/bin/env python3
"""lstmsim run --engine rtl --mode auto prints every mode's predicted cycles,
runs the mode the cost model predicts fastest, and writes that mode with its
measured and predicted cycles; the measured cycles of each fixed mode confirm
that no mode is faster. Usage: auto_mode_test.py LSTMSIM SOURCE_DIR WORK_DIR"""
import json
import os
import shutil
import subprocess
import sys

lstmsim, source, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
config = os.path.join(source, "configs/small.json")
model, inputs = os.path.join(work, "m.json"), os.path.join(work, "i.json")
problems = []


def run(args):
    r = subprocess.run([lstmsim] + args, capture_output=True, text=True)
    if r.returncode != 0:
        problems.append(f"{' '.join(args)}: exit {r.returncode}: {r.stderr}")
    return r


run(["workload", "--input-size", "6", "--hidden-size", "12", "--layers", "2", "--steps", "12",
     "--sequences", "1", "--seed", "5", "--model-out", model, "--input-out", inputs])
measured = {}
for mode in ("single", "mp", "mt", "hc", "auto"):
    out = os.path.join(work, mode + ".json")
    r = run(["run", "--engine", "rtl", "--config", config, "--model", model, "--input", inputs,
             "--mode", mode, "--output", out])
    if problems:
        break
    j = json.load(open(out))
    if not j["bit_exact"]:
        problems.append(f"{mode}: not bit-exact")
    if abs(j["predicted_cycles"] - j["cycles"]) > 0.03 * j["cycles"]:
        problems.append(f"{mode}: predicted {j['predicted_cycles']}, measured {j['cycles']}")
    measured[mode] = j
    if mode == "auto":
        print(r.stderr)
        if "lstmsim: auto: predicted cycles: single" not in r.stderr or "running " + j["mode"] not in r.stderr:
            problems.append(f"auto did not print its predictions: {r.stderr!r}")
if not problems:
    chosen = measured["auto"]["mode"]
    best = min(measured[m]["cycles"] for m in ("single", "mp", "mt", "hc"))
    if chosen not in ("single", "mp", "mt", "hc"):
        problems.append(f"auto wrote mode {chosen}")
    elif measured["auto"]["cycles"] != measured[chosen]["cycles"]:
        problems.append(f"auto's run of {chosen} differs from the {chosen} run")
    elif measured["auto"]["cycles"] > 1.01 * best:
        problems.append(f"auto chose {chosen} ({measured['auto']['cycles']} cycles), best is {best}")
    print({m: (measured[m]["cycles"], measured[m]["predicted_cycles"]) for m in measured})
for p in problems:
    print("FAIL:", p)
print("1 passed, 0 failed" if not problems else "0 passed, 1 failed")
sys.exit(1 if problems else 0)
