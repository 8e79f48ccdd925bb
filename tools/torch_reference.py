#!/usr/bin/python3
"""Run an lstmsim model file on an input file with torch.nn.LSTM or
torch.nn.GRU (float64).

The independent check of lstmsim's float engine: same files in (LSTM or GRU,
one or two directions, the input file's initial states h0 and c0), same output
layout out ({"outputs": [sequence][step][directions * hidden], "h_n":
[sequence][layer * directions + direction][hidden], and "c_n" for an LSTM}).
With --compare it also reads another output file and fails if any value of
outputs, h_n or c_n differs by more than --tolerance.

Run with Debian's /usr/bin/python3 (apt-get install python3-torch).
Exit codes: 0 ok, 1 outputs differ, 2 bad arguments or files, 77 no torch.
"""
import argparse
import json
import os
import sys

# tools/json_file.py lies next to this file, also when it is loaded by path.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from json_file import write_json_atomic  # noqa: E402

try:
    import torch
except ImportError:
    print("torch_reference.py: torch is not importable", file=sys.stderr)
    sys.exit(77)

SIZE_KEYS = ("input_size", "hidden_size", "num_layers", "cell", "bidirectional")


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: {e}")


def fail(message):
    print(f"torch_reference.py: error: {message}", file=sys.stderr)
    sys.exit(2)


def build_rnn(model):
    cell = model.get("cell", "lstm")
    if cell not in ("lstm", "gru"):
        raise ValueError(f"cell {cell!r}")
    cls = torch.nn.GRU if cell == "gru" else torch.nn.LSTM
    rnn = cls(model["input_size"], model["hidden_size"], model["num_layers"],
              bidirectional=bool(model.get("bidirectional", False)), batch_first=True,
              dtype=torch.float64)
    state = {k: torch.tensor(v, dtype=torch.float64)
             for k, v in model.items() if k not in SIZE_KEYS}
    rnn.load_state_dict(state, strict=True)  # a missing or extra key is an error
    return rnn


def initial_state(rnn, inputs, s):
    """PyTorch's (h0, c0) or h0 for sequence s: [layers * directions][batch=1][hidden]."""
    rows = rnn.num_layers * (2 if rnn.bidirectional else 1)
    zeros = [[0.0] * rnn.hidden_size for _ in range(rows)]
    if "h0" not in inputs and "c0" not in inputs:
        return None
    h0 = torch.tensor(inputs.get("h0", [zeros] * (s + 1))[s], dtype=torch.float64).unsqueeze(1)
    if isinstance(rnn, torch.nn.GRU):
        return h0
    c0 = torch.tensor(inputs.get("c0", [zeros] * (s + 1))[s], dtype=torch.float64).unsqueeze(1)
    return (h0, c0)


def run(rnn, inputs):
    """{"outputs", "h_n"[, "c_n"]} as lstmsim writes them."""
    out = {"outputs": [], "h_n": []}
    if isinstance(rnn, torch.nn.LSTM):
        out["c_n"] = []
    with torch.no_grad():
        # One sequence per call: sequences may differ in length, and each starts
        # from its own initial state (zero unless the file gives h0/c0).
        for s, seq in enumerate(inputs["sequences"]):
            x = torch.tensor([seq], dtype=torch.float64)  # [batch=1][t][x]
            y, state = rnn(x, initial_state(rnn, inputs, s))
            out["outputs"].append(y[0].tolist())
            h_n, c_n = state if isinstance(state, tuple) else (state, None)
            out["h_n"].append(h_n[:, 0, :].tolist())
            if c_n is not None:
                out["c_n"].append(c_n[:, 0, :].tolist())
    return out


def flatten(v):
    if isinstance(v, list):
        for item in v:
            yield from flatten(item)
    else:
        yield v


def shape(v):
    return [shape(item) for item in v] if isinstance(v, list) else None


def max_difference(a, b):
    """Largest |a - b| over two nested lists of one shape; None if shapes differ."""
    if shape(a) != shape(b):
        return None
    return max((abs(p - q) for p, q in zip(flatten(a), flatten(b))), default=0.0)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="model JSON (docs/models.md)")
    p.add_argument("--input", required=True, help="input JSON {\"sequences\": ...}")
    p.add_argument("--output", help="output JSON to write {\"outputs\", \"h_n\", \"c_n\"}")
    p.add_argument("--compare", help="output JSON of lstmsim to compare with")
    p.add_argument("--tolerance", type=float, default=1e-9,
                   help="largest allowed |torch - other| (default 1e-9)")
    args = p.parse_args()

    try:
        rnn = build_rnn(load_json(args.model))
    except (KeyError, TypeError, ValueError, RuntimeError) as e:
        fail(f"{args.model}: not a model torch can load: {e}")
    try:
        result = run(rnn, load_json(args.input))
    except (KeyError, TypeError, ValueError, RuntimeError, IndexError) as e:
        fail(f"{args.input}: not an input torch can run: {e}")
    if args.output:
        write_json_atomic(args.output, dict(result, engine="torch"))
    if args.compare:
        other = load_json(args.compare)
        worst = 0.0
        for key in result:
            diff = max_difference(result[key], other.get(key))
            if diff is None:
                print(f"torch_reference.py: {args.compare}: /{key} is missing or its shape "
                      "differs from torch's")
                return 1
            print(f"max |torch - {args.compare}| on {key} = {diff:.3e}")
            worst = max(worst, diff)
        print(f"max |torch - {args.compare}| = {worst:.3e} (tolerance {args.tolerance:g})")
        return 0 if worst <= args.tolerance else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
