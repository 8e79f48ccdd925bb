#!/usr/bin/env python3
"""lstmsim carries the state through its files: a 1000-step sequence run as
10 chunks of 100, each chunk's input file taking the previous output file's
h_n (and c_n) as its h0 (and c0), gives the outputs and final state of one
run, bit for bit, in the float and golden engines, for an LSTM and a GRU.

Usage: state_chunks_test.py LSTMSIM WORKDIR. Plain Python 3, no packages.
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


def gru_model(x, h, layers, seed):
    """A random GRU model file (3 x hidden_size gate rows)."""
    rnd = random.Random(seed)
    m = {"input_size": x, "hidden_size": h, "num_layers": layers, "cell": "gru",
         "bidirectional": False}
    for k in range(layers):
        cols = x if k == 0 else h
        m[f"weight_ih_l{k}"] = [[rnd.uniform(-0.5, 0.5) for _ in range(cols)] for _ in range(3 * h)]
        m[f"weight_hh_l{k}"] = [[rnd.uniform(-0.5, 0.5) for _ in range(h)] for _ in range(3 * h)]
        m[f"bias_ih_l{k}"] = [rnd.uniform(-0.5, 0.5) for _ in range(3 * h)]
        m[f"bias_hh_l{k}"] = [rnd.uniform(-0.5, 0.5) for _ in range(3 * h)]
    return m


def run(lstmsim, engine, model, inputs, out):
    subprocess.run([lstmsim, "run", "--engine", engine, "--model", model, "--input", inputs,
                    "--output", out], check=True)
    with open(out) as f:
        return json.load(f)


def chunked(lstmsim, engine, model, sequence, work, name):
    outputs, state = [], {}
    for start in range(0, STEPS, CHUNK):
        inputs = f"{work}/{name}.chunk.json"
        with open(inputs, "w") as f:
            json.dump(dict({"sequences": [sequence[start:start + CHUNK]]}, **state), f)
        r = run(lstmsim, engine, model, inputs, f"{work}/{name}.chunk.out.json")
        outputs += r["outputs"][0]
        state = {"h0": r["h_n"]}
        if "c_n" in r:
            state["c0"] = r["c_n"]
    return outputs, state


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    lstmsim, work = argv[1:]
    os.makedirs(work, exist_ok=True)
    subprocess.run([lstmsim, "workload", "--input-size", "6", "--hidden-size", "8", "--layers",
                    "2", "--steps", str(STEPS), "--sequences", "1", "--seed", "13", "--model-out",
                    f"{work}/lstm.model.json", "--input-out", f"{work}/input.json"], check=True)
    with open(f"{work}/gru.model.json", "w") as f:
        json.dump(gru_model(6, 8, 2, 13), f)
    with open(f"{work}/input.json") as f:
        sequence = json.load(f)["sequences"][0]
    for cell in ("lstm", "gru"):
        model = f"{work}/{cell}.model.json"
        for engine in ("float", "golden"):
            name = f"{cell}_{engine}"
            whole = run(lstmsim, engine, model, f"{work}/input.json", f"{work}/{name}.whole.json")
            outputs, state = chunked(lstmsim, engine, model, sequence, work, name)
            check(outputs == whole["outputs"][0],
                  f"{name}: 10 chunks of 100 steps give the outputs of one 1000-step run")
            check(state.get("h0") == whole["h_n"] and state.get("c0") == whole.get("c_n"),
                  f"{name}: and its final state (h_n{', c_n' if cell == 'lstm' else ''})")
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
