#!/usr/bin/python3
"""Export a PyTorch torch.nn.LSTM checkpoint to an lstmsim/lstmgen model file.

CHECKPOINT is a file written by torch.save() holding one of
  - a torch.nn.LSTM module (torch.save(lstm)),
  - its state_dict (torch.save(lstm.state_dict())),
  - a larger model, or its state_dict, that contains one LSTM
    (pick it with --prefix, e.g. --prefix encoder.lstm.),
  - a dict holding one of the above under "state_dict", "model_state_dict",
    "model" or "net" (or the entry named by --key), as training loops save.

The sizes (input_size, hidden_size, num_layers) are read from the weight shapes.
The model file is JSON with the LSTM's state_dict keys (docs/models.md); every
number is written as the double equal to the tensor's value, so float32 and
float64 weights are exported exactly.

Refused, with a message and exit status 2: bidirectional LSTMs (*_reverse keys),
projections (proj_size > 0, weight_hr_l* keys), LSTMs without biases
(bias=False), GRU/RNN and other non-LSTM checkpoints, missing keys, shapes that
do not fit an LSTM, and NaN or infinite weights. Nothing is written then.

Run with Debian's /usr/bin/python3 (apt-get install python3-torch).
Exit codes: 0 ok, 2 bad arguments or a checkpoint that cannot be exported,
77 torch is not importable.
"""
import argparse
import json
import os
import re
import sys

# tools/json_file.py lies next to this file, also when it is loaded by path.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from json_file import write_json_atomic  # noqa: E402

PROG = "export_pytorch.py"
# Entries under which training loops commonly store the model or its weights.
WRAPPER_KEYS = ("state_dict", "model_state_dict", "model", "net")
LSTM_KEY = re.compile(r"^(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(\d+)(_reverse)?$")
GATES = {4: "LSTM", 3: "GRU", 1: "plain RNN"}  # rows of weight_hh per hidden unit


class ExportError(Exception):
    """A checkpoint that cannot be exported; the message says why."""


def fail(message):
    print(f"{PROG}: error: {message}", file=sys.stderr)
    sys.exit(2)


def load_checkpoint(path):
    try:
        return torch.load(path, map_location="cpu")
    except FileNotFoundError:
        raise ExportError("no such file")
    except (AttributeError, ModuleNotFoundError) as e:
        # torch.save(model) pickles a reference to the model's class, which
        # must be importable here.
        raise ExportError(f"cannot load: {e}; the checkpoint holds a whole model whose "
                          "class is not importable here: save its state_dict() instead")
    except Exception as e:  # torch raises many types for a file that is not a checkpoint
        raise ExportError(f"cannot load with torch.load: {e}")


def describe(obj):
    if isinstance(obj, dict):
        keys = list(obj)
        shown = ", ".join(repr(k) for k in keys[:8]) + (", ..." if len(keys) > 8 else "")
        return f"a dict with keys {shown}" if keys else "an empty dict"
    return f"a {type(obj).__module__}.{type(obj).__qualname__}"


def to_state_dict(obj, key):
    """The flat {name: tensor} dict in a loaded checkpoint."""
    if key is not None:
        if not isinstance(obj, dict) or key not in obj:
            raise ExportError(f"--key {key!r}: the checkpoint is {describe(obj)}")
        obj = obj[key]
    elif isinstance(obj, dict) and not all(torch.is_tensor(v) for v in obj.values()):
        found = [k for k in WRAPPER_KEYS if k in obj]
        if not found:
            raise ExportError(
                f"expected an nn.LSTM, a state_dict or a dict holding one under "
                f"{', '.join(repr(k) for k in WRAPPER_KEYS)}; found {describe(obj)} "
                "(name the entry with --key)")
        obj = obj[found[0]]
    if isinstance(obj, torch.nn.RNNBase) and obj.mode != "LSTM":
        raise ExportError(f"the checkpoint holds a torch.nn.{type(obj).__name__}, "
                          "not an LSTM")
    if isinstance(obj, torch.nn.Module):
        return obj.state_dict()
    if isinstance(obj, dict) and obj and all(torch.is_tensor(v) for v in obj.values()):
        return obj
    raise ExportError(f"expected an nn.LSTM or a state_dict, found {describe(obj)}")


def select_lstm(state, prefix):
    """The LSTM's own entries, with the prefix removed, and the prefix used."""
    if prefix is None:
        # The prefixes of every weight_ih_l0 in the dict: one LSTM each.
        prefixes = sorted({k[:-len(m.group(0))] for k in state
                           for m in [re.search(r"weight_ih_l0(_reverse)?$", k)] if m})
        if not prefixes:
            raise ExportError("no LSTM weights (no key ending in weight_ih_l0) in a state_dict "
                              f"with keys {', '.join(list(state)[:8])}"
                              + (", ..." if len(state) > 8 else ""))
        if len(prefixes) > 1:
            raise ExportError("the checkpoint holds several LSTMs; pick one with --prefix: "
                              + ", ".join(repr(p) for p in prefixes))
        prefix = prefixes[0]
    elif prefix and not prefix.endswith(".") and any(k.startswith(prefix + ".") for k in state):
        prefix += "."  # --prefix encoder.lstm means the submodule encoder.lstm
    entries = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
    if not entries:
        raise ExportError(f"--prefix {prefix!r}: no key starts with it")
    if prefix:
        # A prefix names a submodule: every entry under it must be the LSTM's.
        sub = [k for k in entries if "." in k]
        if sub:
            raise ExportError(f"--prefix {prefix!r} covers more than one module "
                              f"(e.g. {prefix}{sub[0]}); give the LSTM's own prefix")
    return entries, prefix


def check_keys(entries, where):
    layers = set()
    for key in entries:
        m = LSTM_KEY.match(key)
        if not m:
            raise ExportError(f"{where}{key}: not an LSTM parameter; expected weight_ih_l<k>, "
                              "weight_hh_l<k>, bias_ih_l<k>, bias_hh_l<k> (is this an LSTM?)")
        if m.group(3):
            raise ExportError(f"{where}{key}: bidirectional LSTMs (bidirectional=True) "
                              "are not supported")
        if m.group(1) == "weight_hr":
            raise ExportError(f"{where}{key}: LSTMs with projections (proj_size > 0) "
                              "are not supported")
        layers.add(int(m.group(2)))
    num_layers = max(layers) + 1
    if not any(k.startswith("bias_") for k in entries):
        raise ExportError(f"no {where}bias_ih_l<k> or {where}bias_hh_l<k>: LSTMs without "
                          "biases (bias=False) are not supported yet; re-create the LSTM with "
                          "bias=True and zero biases")
    for k in range(num_layers):
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            if f"{name}_l{k}" not in entries:
                raise ExportError(f"{where}{name}_l{k}: missing (layers 0..{num_layers - 1} "
                                  "have weights)")
    return num_layers


def shape_text(t):
    return "x".join(str(d) for d in t.shape) if t.dim() else "a scalar"


def check_shapes(entries, num_layers, where):
    """input_size and hidden_size, after checking every shape against them."""
    w_hh = entries["weight_hh_l0"]
    if w_hh.dim() != 2 or w_hh.shape[1] == 0 or w_hh.shape[0] % w_hh.shape[1]:
        raise ExportError(f"{where}weight_hh_l0: shape {shape_text(w_hh)}; an LSTM's is "
                          "[4*hidden_size][hidden_size]")
    gates = w_hh.shape[0] // w_hh.shape[1]
    if gates != 4:
        kind = GATES.get(gates)
        what = f"this looks like a {kind}" if kind else f"{gates} gates"
        raise ExportError(f"{where}weight_hh_l0: shape {shape_text(w_hh)}, {gates} "
                          f"row{'s' if gates > 1 else ''} per hidden unit where an LSTM has 4: "
                          f"{what}, not an LSTM")
    hidden = w_hh.shape[1]
    w_ih = entries["weight_ih_l0"]
    if w_ih.dim() != 2 or w_ih.shape[1] == 0:
        raise ExportError(f"{where}weight_ih_l0: shape {shape_text(w_ih)}, expected "
                          "[4*hidden_size][input_size]")
    input_size = w_ih.shape[1]
    for k in range(num_layers):
        x = input_size if k == 0 else hidden
        x_what = "input_size" if k == 0 else "hidden_size"
        why = f"hidden_size {hidden} from weight_hh_l0"
        if k > 0:
            why = f"layer {k} reads layer {k - 1}'s h; " + why
        for name, shape, what in (
                (f"weight_ih_l{k}", (4 * hidden, x), f"[4*hidden_size][{x_what}]"),
                (f"weight_hh_l{k}", (4 * hidden, hidden), "[4*hidden_size][hidden_size]"),
                (f"bias_ih_l{k}", (4 * hidden,), "[4*hidden_size]"),
                (f"bias_hh_l{k}", (4 * hidden,), "[4*hidden_size]")):
            t = entries[name]
            if tuple(t.shape) != shape:
                raise ExportError(
                    f"{where}{name}: shape {shape_text(t)}, expected {'x'.join(map(str, shape))} "
                    f"= {what} ({why})")
            if not t.is_floating_point():
                raise ExportError(f"{where}{name}: dtype {t.dtype}, expected floating point")
            if not bool(torch.isfinite(t).all()):
                raise ExportError(f"{where}{name}: holds NaN or infinite values")
    return input_size, hidden


def export(entries, num_layers, input_size, hidden):
    model = {"input_size": input_size, "hidden_size": hidden, "num_layers": num_layers}
    for k in range(num_layers):
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            # float64 holds every float16/bfloat16/float32 value exactly; tolist()
            # gives Python floats, which json writes with round-trip precision.
            model[f"{name}_l{k}"] = entries[f"{name}_l{k}"].detach().to(torch.float64).tolist()
    return model


def main(argv=None):
    p = argparse.ArgumentParser(prog=PROG, description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint", metavar="CHECKPOINT", help="file written by torch.save()")
    p.add_argument("-o", "--output", required=True, metavar="MODEL.json",
                   help="model file to write (docs/models.md)")
    p.add_argument("--prefix", metavar="PREFIX",
                   help="the LSTM's key prefix in a larger model's state_dict, e.g. "
                        "'encoder.lstm.' (default: found when there is one LSTM)")
    p.add_argument("--key", metavar="NAME",
                   help="the checkpoint dict's entry that holds the model or state_dict "
                        f"(default: the first of {', '.join(WRAPPER_KEYS)})")
    args = p.parse_args(argv)

    # Imported here so that --help works without torch.
    global torch
    try:
        import torch
    except ImportError:
        print(f"{PROG}: torch is not importable by {sys.executable} "
              "(apt-get install python3-torch, then run with /usr/bin/python3)", file=sys.stderr)
        return 77

    try:
        state = to_state_dict(load_checkpoint(args.checkpoint), args.key)
        entries, prefix = select_lstm(state, args.prefix)
        num_layers = check_keys(entries, prefix)
        input_size, hidden = check_shapes(entries, num_layers, prefix)
        model = export(entries, num_layers, input_size, hidden)
    except ExportError as e:
        fail(f"{args.checkpoint}: {e}")
    try:
        write_json_atomic(args.output, model)
    except OSError as e:
        fail(f"{args.output}: cannot write: {e}")
    where = f" (keys {prefix}*)" if prefix else ""
    print(f"{PROG}: wrote {args.output}: input_size {input_size}, hidden_size {hidden}, "
          f"num_layers {num_layers}{where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
