#!/usr/bin/env python3
"""lstmsim run --engine rtl runs bidirectional LSTMs: a two-layer model (the
second layer's input is [forward ; reverse] of the first), two sequences of
different lengths, from a non-zero h0 and c0, gives the golden engine's
outputs, h_n and c_n bit for bit in every mode (configs/small.json), mp
runs the two directions on both cores, and auto runs the mode whose plans the
cost model predicts fastest. With CELL gru the same for a bidirectional GRU
(from h0; a GRU has no c), its saturation counts too.

Usage: rtl_bidirectional_test.py LSTMSIM SOURCE_DIR WORKDIR [CELL]. Plain Python 3.
Exit codes: 0 passed, 1 failed.
"""
import json
import os
import random
import subprocess
import sys

X, H, L = 5, 7, 2
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def main(argv):
    if len(argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    lstmsim, src, work = argv[1:4]
    gru = len(argv) == 5 and argv[4] == "gru"
    G = 3 if gru else 4
    config = f"{src}/configs/small.json"
    os.makedirs(work, exist_ok=True)
    rnd = random.Random(23)
    m = {"input_size": X, "hidden_size": H, "num_layers": L, "bidirectional": True}
    if gru:
        m["cell"] = "gru"
    for k in range(L):
        cols = X if k == 0 else 2 * H
        for suffix in ("", "_reverse"):
            m[f"weight_ih_l{k}{suffix}"] = [[rnd.uniform(-0.5, 0.5) for _ in range(cols)]
                                            for _ in range(G * H)]
            m[f"weight_hh_l{k}{suffix}"] = [[rnd.uniform(-0.5, 0.5) for _ in range(H)]
                                            for _ in range(G * H)]
            m[f"bias_ih_l{k}{suffix}"] = [rnd.uniform(-0.5, 0.5) for _ in range(G * H)]
            m[f"bias_hh_l{k}{suffix}"] = [rnd.uniform(-0.5, 0.5) for _ in range(G * H)]
    seqs = [[[rnd.uniform(-1, 1) for _ in range(X)] for _ in range(n)] for n in (17, 12)]
    inputs = {"sequences": seqs,
              "h0": [[[rnd.uniform(-0.9, 0.9) for _ in range(H)] for _ in range(2 * L)]
                     for _ in seqs]}
    if not gru:
        inputs["c0"] = [[[rnd.uniform(-2, 2) for _ in range(H)] for _ in range(2 * L)]
                        for _ in seqs]
    model, inp = f"{work}/model.json", f"{work}/input.json"
    with open(model, "w") as f:
        json.dump(m, f)
    with open(inp, "w") as f:
        json.dump(inputs, f)

    def run(engine, mode=None):
        out = f"{work}/{engine}_{mode}.json"
        cmd = [lstmsim, "run", "--engine", engine, "--config", config, "--model", model,
               "--input", inp, "--output", out]
        if mode:
            cmd += ["--mode", mode, "--backpressure", "0.3", "--idle", "0.2", "--seed", "9"]
        subprocess.run(cmd, check=True)
        with open(out) as f:
            return json.load(f)

    golden = run("golden")
    predicted = {}
    for mode in ("single", "mp", "mt", "hc", "auto"):
        r = run("rtl", mode)
        predicted[r["mode"] if mode != "auto" else "auto"] = r["predicted_cycles"]
        check(r["bit_exact"], f"{mode}: rtlsim's scoreboard finds the run bit-exact")
        for key in ("outputs", "h_n") + (("saturation",) if gru else ("c_n",)):
            check(r.get(key) == golden[key], f"{mode}: {key} equals golden")
        if gru:
            check("c_n" not in r, f"{mode}: a GRU's output has no c_n")
        if mode == "mp":
            check(all(c["jobs"] > 0 for c in r["per_core"]), "mp: both cores ran jobs")
        if mode == "auto":
            fastest = min(("single", "mp", "mt", "hc"), key=lambda m: predicted[m])
            check(r["mode"] == fastest and predicted["auto"] == predicted[fastest],
                  f"auto runs {r['mode']}, the mode predicted fastest ({fastest}: {predicted})")
    print("FAILED: " + "; ".join(failures) if failures else "passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
