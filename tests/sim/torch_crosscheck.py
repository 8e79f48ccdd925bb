#!/usr/bin/python3
"""Cross-checks lstmsim's float engine against torch.nn.LSTM and torch.nn.GRU
(float64), through tools/torch_reference.py.

Usage: torch_crosscheck.py LSTMSIM TORCH_REFERENCE_PY WORKDIR

  1. Built-in workloads (`lstmsim workload`): odd sizes with 3 layers and
     X != H, then a wide 2-layer model; zero initial state.
  2. Models made by torch itself (random float64 weights), written as model
     files: LSTM and GRU, one and two directions, one to three layers, with
     sequences of different lengths and non-zero h0 (and c0 for the LSTM).
Every output, h_n and c_n must match torch within 1e-9.
Exit codes: 0 passed, 1 failed, 77 torch not importable (ctest: skipped).
"""
import importlib.util
import json
import os
import subprocess
import sys

try:
    import torch
except ImportError:
    print("SKIPPED: torch is not importable by", sys.executable, "(apt-get install python3-torch)")
    sys.exit(77)

TOLERANCE = 1e-9
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def load_reference(path):
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    spec = importlib.util.spec_from_file_location("torch_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def lstmsim_float(lstmsim, model, inputs, out):
    r = subprocess.run([lstmsim, "run", "--engine", "float", "--model", model, "--input", inputs,
                        "--output", out], capture_output=True, text=True)
    if r.returncode:
        return None, r.stderr.strip()
    with open(out) as f:
        return json.load(f), ""


def compare(ref, name, model, inputs, got):
    with open(model) as f, open(inputs) as g:
        want = ref.run(ref.build_rnn(json.load(f)), json.load(g))
    for key in want:
        diff = ref.max_difference(want[key], got.get(key))
        check(diff is not None and diff <= TOLERANCE,
              f"{name}: {key}: max |lstmsim float - torch| = "
              + ("shape differs" if diff is None else f"{diff:.3e}") + f" <= {TOLERANCE:g}")


def builtin_workloads(ref, lstmsim, work):
    for x, h, layers, steps, seqs, seed in ((10, 7, 3, 12, 3, 11), (64, 64, 2, 20, 2, 1)):
        name = f"workload_x{x}_h{h}_l{layers}"
        model, inputs = f"{work}/{name}.model.json", f"{work}/{name}.input.json"
        subprocess.run([lstmsim, "workload", "--input-size", str(x), "--hidden-size", str(h),
                        "--layers", str(layers), "--steps", str(steps), "--sequences", str(seqs),
                        "--seed", str(seed), "--model-out", model, "--input-out", inputs],
                       check=True)
        got, err = lstmsim_float(lstmsim, model, inputs, f"{work}/{name}.float.json")
        check(got is not None, f"{name}: lstmsim runs it {err}")
        if got is not None:
            compare(ref, name, model, inputs, got)


def torch_model(cell, x, h, layers, bidirectional, seed):
    """A model file's JSON from a torch module with random float64 weights."""
    torch.manual_seed(seed)
    cls = torch.nn.GRU if cell == "gru" else torch.nn.LSTM
    rnn = cls(x, h, layers, bidirectional=bidirectional, dtype=torch.float64)
    with torch.no_grad():
        for p in rnn.parameters():
            p.uniform_(-0.6, 0.6)
    model = {k: v.tolist() for k, v in rnn.state_dict().items()}
    model.update(input_size=x, hidden_size=h, num_layers=layers, cell=cell,
                 bidirectional=bidirectional)
    return model


def torch_inputs(cell, x, h, layers, bidirectional, seed):
    g = torch.Generator().manual_seed(seed)
    rows = layers * (2 if bidirectional else 1)
    lengths = (9, 1, 4)
    inputs = {"sequences": [(torch.rand(t, x, generator=g, dtype=torch.float64) * 2 - 1).tolist()
                            for t in lengths],
              "h0": [(torch.rand(rows, h, generator=g, dtype=torch.float64) * 2 - 1).tolist()
                     for _ in lengths]}
    if cell == "lstm":
        inputs["c0"] = [(torch.rand(rows, h, generator=g, dtype=torch.float64) * 4 - 2).tolist()
                        for _ in lengths]
    return inputs


def torch_models(ref, lstmsim, work):
    cases = [(cell, x, h, layers, bidirectional)
             for cell in ("lstm", "gru")
             for (x, h, layers, bidirectional) in ((5, 4, 1, False), (7, 6, 3, False),
                                                   (5, 4, 1, True), (6, 5, 2, True))]
    for k, (cell, x, h, layers, bidirectional) in enumerate(cases):
        name = f"torch_{cell}_x{x}_h{h}_l{layers}" + ("_bi" if bidirectional else "")
        model, inputs = f"{work}/{name}.model.json", f"{work}/{name}.input.json"
        with open(model, "w") as f:
            json.dump(torch_model(cell, x, h, layers, bidirectional, 100 + k), f)
        with open(inputs, "w") as f:
            json.dump(torch_inputs(cell, x, h, layers, bidirectional, 200 + k), f)
        got, err = lstmsim_float(lstmsim, model, inputs, f"{work}/{name}.float.json")
        check(got is not None, f"{name}: lstmsim runs it {err}")
        if got is not None:
            compare(ref, name, model, inputs, got)


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    lstmsim, reference, work = argv[1:]
    os.makedirs(work, exist_ok=True)
    ref = load_reference(reference)
    builtin_workloads(ref, lstmsim, work)
    torch_models(ref, lstmsim, work)
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
