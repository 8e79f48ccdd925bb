#!/usr/bin/python3
"""Run an lstmsim model file on an input file with torch.nn.LSTM (float64).

The independent check of lstmsim's float engine: same files in, same output
layout out ({"outputs": [sequence][step][hidden]}). With --compare it also
reads another output file and fails if any value differs by more than
--tolerance.

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

SIZE_KEYS = ("input_size", "hidden_size", "num_layers")


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: {e}")


def fail(message):
    print(f"torch_reference.py: error: {message}", file=sys.stderr)
    sys.exit(2)


def build_lstm(model):
    lstm = torch.nn.LSTM(model["input_size"], model["hidden_size"], model["num_layers"],
                         batch_first=True, dtype=torch.float64)
    state = {k: torch.tensor(v, dtype=torch.float64)
             for k, v in model.items() if k not in SIZE_KEYS}
    lstm.load_state_dict(state, strict=True)  # a missing or extra key is an error
    return lstm


def run(lstm, sequences):
    outputs = []
    with torch.no_grad():
        # One sequence per call: sequences may differ in length, and each starts
        # from zero state, as in lstmsim.
        for seq in sequences:
            x = torch.tensor([seq], dtype=torch.float64)  # [batch=1][t][x]
            y, _ = lstm(x)
            outputs.append(y[0].tolist())
    return outputs


def max_difference(a, b):
    if len(a) != len(b) or any(len(sa) != len(sb) for sa, sb in zip(a, b)):
        return None
    worst = 0.0
    for sa, sb in zip(a, b):
        for ra, rb in zip(sa, sb):
            if len(ra) != len(rb):
                return None
            worst = max([worst] + [abs(p - q) for p, q in zip(ra, rb)])
    return worst


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="model JSON (docs/models.md)")
    p.add_argument("--input", required=True, help="input JSON {\"sequences\": ...}")
    p.add_argument("--output", help="output JSON to write {\"outputs\": ...}")
    p.add_argument("--compare", help="output JSON of lstmsim to compare with")
    p.add_argument("--tolerance", type=float, default=1e-9,
                   help="largest allowed |torch - other| (default 1e-9)")
    args = p.parse_args()

    try:
        lstm = build_lstm(load_json(args.model))
    except (KeyError, TypeError, ValueError, RuntimeError) as e:
        fail(f"{args.model}: not a model torch can load: {e}")
    try:
        outputs = run(lstm, load_json(args.input)["sequences"])
    except (KeyError, TypeError, ValueError, RuntimeError) as e:
        fail(f"{args.input}: not an input torch can run: {e}")
    if args.output:
        write_json_atomic(args.output, {"outputs": outputs, "engine": "torch"})
    if args.compare:
        diff = max_difference(outputs, load_json(args.compare)["outputs"])
        if diff is None:
            print(f"torch_reference.py: {args.compare}: output shape differs from torch's")
            return 1
        print(f"max |torch - {args.compare}| = {diff:.3e} (tolerance {args.tolerance:g})")
        return 0 if diff <= args.tolerance else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
