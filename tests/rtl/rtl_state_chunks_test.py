#!/usr/bin/env python3
"""lstmsim run --engine rtl takes h0 and c0 and writes h_n and c_n: in every
mode, on configs/small.json, a 1,000-step sequence run as 10 chunks of 100 (each
chunk's input file taking the previous output's h_n and c_n as h0 and c0)
gives the outputs and final state of one run, and a run from a non-zero h0
and c0 equals the golden engine's, bit for bit.

Usage: rtl_state_chunks_test.py LSTMSIM SOURCE_DIR WORKDIR. Plain Python 3.
Exit codes: 0 passed, 1 failed.
"""
import json
import os
import random
import subprocess
import sys

STEPS, CHUNK = 1000, 100
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def run(lstmsim, config, engine, mode, model, inputs, out):
    cmd = [lstmsim, "run", "--engine", engine, "--config", config, "--model", model,
           "--input", inputs, "--output", out]
    if engine == "rtl":
        cmd += ["--mode", mode, "--backpressure", "0.3", "--idle", "0.2", "--seed", "3"]
    subprocess.run(cmd, check=True)
    with open(out) as f:
        return json.load(f)


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    lstmsim, src, work = argv[1:]
    config = f"{src}/configs/small.json"
    os.makedirs(work, exist_ok=True)
    model = f"{work}/model.json"
    subprocess.run([lstmsim, "workload", "--input-size", "5", "--hidden-size", "7", "--layers",
                    "2", "--steps", str(STEPS), "--sequences", "1", "--seed", "17", "--model-out",
                    model, "--input-out", f"{work}/plain.json"], check=True)
    with open(f"{work}/plain.json") as f:
        sequence = json.load(f)["sequences"][0]
    rnd = random.Random(5)
    state = {"h0": [[[rnd.uniform(-0.9, 0.9) for _ in range(7)] for _ in range(2)]],
             "c0": [[[rnd.uniform(-2.0, 2.0) for _ in range(7)] for _ in range(2)]]}
    whole_in = f"{work}/whole.json"
    with open(whole_in, "w") as f:
        json.dump(dict({"sequences": [sequence]}, **state), f)
    golden = run(lstmsim, config, "golden", None, model, whole_in, f"{work}/golden.json")
    for mode in ("single", "mp", "mt", "hc"):
        whole = run(lstmsim, config, "rtl", mode, model, whole_in, f"{work}/{mode}.whole.json")
        check(whole["bit_exact"], f"{mode}: rtlsim's scoreboard finds the run bit-exact")
        for key in ("outputs", "h_n", "c_n"):
            check(whole[key] == golden[key], f"{mode}: {key} from non-zero h0 and c0 equals golden")
        outputs, carried = [], state
        for start in range(0, STEPS, CHUNK):
            chunk_in = f"{work}/{mode}.chunk.json"
            with open(chunk_in, "w") as f:
                json.dump(dict({"sequences": [sequence[start:start + CHUNK]]}, **carried), f)
            r = run(lstmsim, config, "rtl", mode, model, chunk_in, f"{work}/{mode}.chunk.out.json")
            outputs += r["outputs"][0]
            carried = {"h0": r["h_n"], "c0": r["c_n"]}
        check(outputs == golden["outputs"][0],
              f"{mode}: {STEPS // CHUNK} chunks of {CHUNK} give the outputs of one run")
        check(carried == {"h0": golden["h_n"], "c0": golden["c_n"]},
              f"{mode}: and its final state")
    print("FAILED: " + "; ".join(failures) if failures else "passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
