#!/usr/bin/python3
"""Convert Keras LSTM weights to an lstmsim/lstmgen model file (PyTorch layout).

WEIGHTS.json holds the weights of a stack of Keras LSTM layers, first layer
first, as Keras's layer.get_weights() returns them (format in docs/models.md):

  {"layers": [
     {"kernel":           [[...4H numbers...], ... X rows],
      "recurrent_kernel": [[...4H numbers...], ... H rows],
      "bias":             [...4H numbers...]},
     ...]}

Per layer, optionally "name" (used in messages), "activation" (must be "tanh")
and "recurrent_activation" (must be "sigmoid"). A bare list of layers is
accepted too.

Keras computes z = x @ kernel + h @ recurrent_kernel + bias and splits z into
four blocks of H columns: input gate i, forget gate f, cell candidate c, output
gate o. PyTorch stacks the same gates as rows i, f, g, o (g is Keras's c), so
the conversion moves each block to its PyTorch position (the orders agree, so
no block moves), transposes the matrices to [4H][X] and [4H][H], and puts
Keras's single bias into bias_ih with zeros in bias_hh.

Refused, with a message and exit status 2: layers without a bias
(use_bias=False), activations other than tanh/sigmoid (e.g. Keras 1's default
recurrent_activation hard_sigmoid), CuDNN-style biases of 8H, wrong shapes,
layers that do not chain (layer k's kernel must have H rows for k > 0),
unknown keys, and values that are not finite numbers. Nothing is written then.

Needs only Python 3. Exit codes: 0 ok, 2 bad arguments or a file that cannot
be converted.
"""
import argparse
import json
import math
import os
import sys

# tools/json_file.py lies next to this file, also when it is loaded by path.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from json_file import write_json_atomic  # noqa: E402

PROG = "export_keras.py"
KERAS_GATES = ("i", "f", "c", "o")    # Keras LSTMCell: the four blocks of z, in order
TORCH_GATES = ("i", "f", "g", "o")    # torch.nn.LSTM: the four blocks of rows, in order
SAME_GATE = {"i": "i", "f": "f", "g": "c", "o": "o"}  # PyTorch name -> Keras name
LAYER_KEYS = ("kernel", "recurrent_kernel", "bias", "name", "activation",
              "recurrent_activation")


class ConvertError(Exception):
    """A weights file that cannot be converted; the message says why."""


def number(v, where):
    # bool is an int in Python; JSON true/false are not weights.
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ConvertError(f"{where}: expected a number, found {json.dumps(v)[:40]}")
    v = float(v)
    if not math.isfinite(v):
        raise ConvertError(f"{where}: expected a finite number, found {v}")
    return v


def matrix(v, rows, cols, where, shape, note=""):
    """A [rows][cols] nested list of floats (rows None: any number >= 1).
    shape names the dimensions for messages, e.g. "[H][4H]"."""
    expected = f"expected {shape} = [{'X' if rows is None else rows}][{cols}] numbers{note}"
    if not isinstance(v, list) or not v or (rows is not None and len(v) != rows):
        found = f"{len(v)} rows" if isinstance(v, list) else json.dumps(v)[:40]
        raise ConvertError(f"{where}: {expected}, found {found}")
    out = []
    for r, row in enumerate(v):
        if not isinstance(row, list) or len(row) != cols:
            found = f"has {len(row)}" if isinstance(row, list) else f"is {json.dumps(row)[:40]}"
            raise ConvertError(f"{where}: {expected}, row {r} {found}")
        out.append([number(x, f"{where}/{r}/{c}") for c, x in enumerate(row)])
    return out


def convert_layer(layer, k, input_size, hidden_size):
    """PyTorch tensors of one layer, plus its (input_size, hidden_size)."""
    where = f"/layers/{k}"
    if not isinstance(layer, dict):
        raise ConvertError(f"{where}: expected an object with kernel, recurrent_kernel, bias")
    for key in layer:
        if key not in LAYER_KEYS:
            raise ConvertError(f"{where}/{key}: unknown key; expected {', '.join(LAYER_KEYS)}")
    for key, want, why in (("activation", "tanh", "the cell candidate and output use tanh"),
                           ("recurrent_activation", "sigmoid", "the gates use sigmoid")):
        if layer.get(key, want) != want:
            raise ConvertError(f"{where}/{key}: {json.dumps(layer[key])}, but lstmsim and "
                               f"torch.nn.LSTM need {want!r} ({why})")
    for key in ("kernel", "recurrent_kernel"):
        if key not in layer:
            raise ConvertError(f"{where}/{key}: missing")
    if "bias" not in layer:
        raise ConvertError(f"{where}/bias: missing: layers without biases (use_bias=False) are "
                           "not supported yet; add \"bias\": 4H zeros")

    rec = layer["recurrent_kernel"]
    if not isinstance(rec, list) or not rec or not isinstance(rec[0], list):
        raise ConvertError(f"{where}/recurrent_kernel: expected [H][4H] numbers, found "
                           f"{json.dumps(rec)[:40]}")
    h = len(rec)
    if hidden_size is not None and h != hidden_size:
        raise ConvertError(f"{where}/recurrent_kernel: {h} rows, but layer 0 has hidden size "
                           f"{hidden_size}; lstmsim needs the same hidden size in every layer")
    rec = matrix(rec, h, 4 * h, f"{where}/recurrent_kernel", "[H][4H]",
                 f" (H = {h} from its row count)")
    if k == 0:
        kernel = matrix(layer["kernel"], None, 4 * h, f"{where}/kernel", "[input size][4H]")
    else:
        kernel = matrix(layer["kernel"], h, 4 * h, f"{where}/kernel", "[H][4H]",
                        f" (layer {k} reads layer {k - 1}'s h)")
    bias = layer["bias"]
    if isinstance(bias, list) and len(bias) == 8 * h:
        raise ConvertError(f"{where}/bias: {8 * h} numbers (8H, the CuDNNLSTM layout with "
                           f"separate input and recurrent biases); expected 4H = {4 * h}")
    if not isinstance(bias, list) or len(bias) != 4 * h:
        found = f"{len(bias)} numbers" if isinstance(bias, list) else type(bias).__name__
        raise ConvertError(f"{where}/bias: expected 4H = {4 * h} numbers, found {found}")
    bias = [number(b, f"{where}/bias/{j}") for j, b in enumerate(bias)]

    # PyTorch row q*H + j is Keras column p*H + j, where block p of Keras is
    # the gate that PyTorch calls TORCH_GATES[q].
    rows = [KERAS_GATES.index(SAME_GATE[g]) * h + j for g in TORCH_GATES for j in range(h)]
    tensors = {
        "weight_ih": [[kernel[x][col] for x in range(len(kernel))] for col in rows],
        "weight_hh": [[rec[r][col] for r in range(h)] for col in rows],
        "bias_ih": [bias[col] for col in rows],
        "bias_hh": [0.0] * (4 * h),  # Keras has one bias; the sum is what counts
    }
    return tensors, len(kernel), h


def convert(weights):
    layers = weights.get("layers") if isinstance(weights, dict) else weights
    if isinstance(weights, dict):
        for key in weights:
            if key != "layers":
                raise ConvertError(f"/{key}: unknown key; expected only \"layers\"")
    if not isinstance(layers, list) or not layers:
        raise ConvertError("/layers: expected a list of at least one LSTM layer "
                           "({\"kernel\", \"recurrent_kernel\", \"bias\"}), first layer first")
    model = {}
    input_size = hidden_size = None
    for k, layer in enumerate(layers):
        try:
            tensors, x, h = convert_layer(layer, k, input_size, hidden_size)
        except ConvertError as e:
            if isinstance(layer, dict) and "name" in layer:
                raise ConvertError(f"{e} (layer {json.dumps(layer['name'])})") from None
            raise
        if k == 0:
            input_size, hidden_size = x, h
        for name, value in tensors.items():
            model[f"{name}_l{k}"] = value
    return {"input_size": input_size, "hidden_size": hidden_size, "num_layers": len(layers),
            **model}


def main():
    p = argparse.ArgumentParser(prog=PROG, description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("weights", metavar="WEIGHTS.json", help="Keras LSTM weights (see above)")
    p.add_argument("-o", "--output", required=True, metavar="MODEL.json",
                   help="model file to write (docs/models.md)")
    args = p.parse_args()

    try:
        with open(args.weights) as f:
            weights = json.load(f)
    except OSError as e:
        print(f"{PROG}: error: {args.weights}: cannot open: {e.strerror}", file=sys.stderr)
        return 2
    except ValueError as e:
        print(f"{PROG}: error: {args.weights}: not valid JSON: {e}", file=sys.stderr)
        return 2
    try:
        model = convert(weights)
    except ConvertError as e:
        print(f"{PROG}: error: {args.weights}: {e}", file=sys.stderr)
        return 2
    try:
        write_json_atomic(args.output, model)
    except OSError as e:
        print(f"{PROG}: error: {args.output}: cannot write: {e}", file=sys.stderr)
        return 2
    print(f"{PROG}: wrote {args.output}: input_size {model['input_size']}, hidden_size "
          f"{model['hidden_size']}, num_layers {model['num_layers']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
