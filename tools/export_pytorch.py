#!/usr/bin/python3
"""Export a PyTorch torch.nn.LSTM or torch.nn.GRU checkpoint to an
lstmsim/lstmgen model file.

CHECKPOINT is a file written by torch.save() holding one of
  - a torch.nn.LSTM or torch.nn.GRU module (torch.save(rnn)), of any number of
    layers, one or two directions (bidirectional=True),
  - its state_dict (torch.save(rnn.state_dict())),
  - a larger model, or its state_dict, that contains one LSTM or GRU
    (pick it with --prefix, e.g. --prefix encoder.lstm.),
  - a dict holding one of the above under "state_dict", "model_state_dict",
    "model" or "net" (or the entry named by --key), as training loops save.

The sizes (input_size, hidden_size, num_layers), the cell ("lstm" or "gru":
4 or 3 gate rows per hidden unit) and bidirectional (*_reverse keys) are read
from the weights. The model file is JSON with the module's state_dict keys
(docs/models.md); every number is written as the double equal to the tensor's
value, so float32 and float64 weights are exported exactly.

Refused, with a message and exit status 2: projections (proj_size > 0,
weight_hr_l* keys), modules without biases (bias=False), plain RNNs and other
checkpoints that are neither LSTM nor GRU, a bidirectional module missing a
reverse key, missing keys, shapes that do not fit, and NaN or infinite weights.
Nothing is written then.

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
RNN_KEY = re.compile(r"^(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(\d+)(_reverse)?$")
CELLS = {4: "lstm", 3: "gru"}  # rows of weight_hh per hidden unit
PARAMS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


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
                f"expected an nn.LSTM, an nn.GRU, a state_dict or a dict holding one under "
                f"{', '.join(repr(k) for k in WRAPPER_KEYS)}; found {describe(obj)} "
                "(name the entry with --key)")
        obj = obj[found[0]]
    if isinstance(obj, torch.nn.RNNBase) and obj.mode not in ("LSTM", "GRU"):
        raise ExportError(f"the checkpoint holds a torch.nn.{type(obj).__name__} "
                          f"(mode {obj.mode}), not an LSTM or GRU")
    if isinstance(obj, torch.nn.Module):
        return obj.state_dict()
    if isinstance(obj, dict) and obj and all(torch.is_tensor(v) for v in obj.values()):
        return obj
    raise ExportError(f"expected an nn.LSTM, an nn.GRU or a state_dict, found {describe(obj)}")


def select_rnn(state, prefix):
    """The LSTM's or GRU's own entries, with the prefix removed, and the prefix used."""
    if prefix is None:
        # The prefixes of every weight_ih_l0 in the dict: one LSTM or GRU each.
        prefixes = sorted({k[:-len(m.group(0))] for k in state
                           for m in [re.search(r"weight_ih_l0(_reverse)?$", k)] if m})
        if not prefixes:
            raise ExportError("no LSTM or GRU weights (no key ending in weight_ih_l0) in a "
                              f"state_dict with keys {', '.join(list(state)[:8])}"
                              + (", ..." if len(state) > 8 else ""))
        if len(prefixes) > 1:
            raise ExportError("the checkpoint holds several LSTMs or GRUs; pick one with "
                              "--prefix: " + ", ".join(repr(p) for p in prefixes))
        prefix = prefixes[0]
    elif prefix and not prefix.endswith(".") and any(k.startswith(prefix + ".") for k in state):
        prefix += "."  # --prefix encoder.lstm means the submodule encoder.lstm
    entries = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
    if not entries:
        raise ExportError(f"--prefix {prefix!r}: no key starts with it")
    if prefix:
        # A prefix names a submodule: every entry under it must be the LSTM's or GRU's.
        sub = [k for k in entries if "." in k]
        if sub:
            raise ExportError(f"--prefix {prefix!r} covers more than one module "
                              f"(e.g. {prefix}{sub[0]}); give the LSTM's or GRU's own prefix")
    return entries, prefix


def check_keys(entries, where):
    """num_layers and whether the module is bidirectional."""
    layers = set()
    for key in entries:
        m = RNN_KEY.match(key)
        if not m:
            raise ExportError(f"{where}{key}: not an LSTM or GRU parameter; expected "
                              "weight_ih_l<k>, weight_hh_l<k>, bias_ih_l<k>, bias_hh_l<k> "
                              "(and _reverse copies when bidirectional)")
        if m.group(1) == "weight_hr":
            raise ExportError(f"{where}{key}: LSTMs with projections (proj_size > 0) "
                              "are not supported")
        layers.add(int(m.group(2)))
    num_layers = max(layers) + 1
    bidirectional = any(k.endswith("_reverse") for k in entries)
    if not any(k.startswith("bias_") for k in entries):
        raise ExportError(f"no {where}bias_ih_l<k> or {where}bias_hh_l<k>: modules without "
                          "biases (bias=False) are not supported yet; re-create the module "
                          "with bias=True and zero biases")
    suffixes = ("", "_reverse") if bidirectional else ("",)
    for k in range(num_layers):
        for suffix in suffixes:
            for name in PARAMS:
                if f"{name}_l{k}{suffix}" not in entries:
                    what = (" (a bidirectional module: other keys end in _reverse)"
                            if bidirectional else "")
                    raise ExportError(f"{where}{name}_l{k}{suffix}: missing (layers "
                                      f"0..{num_layers - 1} have weights){what}")
    return num_layers, bidirectional


def shape_text(t):
    return "x".join(str(d) for d in t.shape) if t.dim() else "a scalar"


def check_cell(entries, where):
    """"lstm" or "gru" and hidden_size, from weight_hh_l0's [G*hidden_size][hidden_size]."""
    w_hh = entries["weight_hh_l0"]
    if w_hh.dim() != 2 or w_hh.shape[1] == 0 or w_hh.shape[0] % w_hh.shape[1]:
        raise ExportError(f"{where}weight_hh_l0: shape {shape_text(w_hh)}; an LSTM's is "
                          "[4*hidden_size][hidden_size], a GRU's [3*hidden_size][hidden_size]")
    gates = w_hh.shape[0] // w_hh.shape[1]
    if gates not in CELLS:
        what = "this looks like a plain RNN" if gates == 1 else f"{gates} gates"
        raise ExportError(f"{where}weight_hh_l0: shape {shape_text(w_hh)}, {gates} "
                          f"row{'s' if gates > 1 else ''} per hidden unit where an LSTM has 4 "
                          f"and a GRU 3: {what}, neither an LSTM nor a GRU")
    return CELLS[gates], w_hh.shape[1]


def check_shapes(entries, num_layers, bidirectional, where):
    """cell, input_size and hidden_size, after checking every shape against them."""
    cell, hidden = check_cell(entries, where)
    gates = 4 if cell == "lstm" else 3
    rows = f"[{gates}*hidden_size]"
    w_ih = entries["weight_ih_l0"]
    if w_ih.dim() != 2 or w_ih.shape[1] == 0:
        raise ExportError(f"{where}weight_ih_l0: shape {shape_text(w_ih)}, expected "
                          f"{rows}[input_size]")
    input_size = w_ih.shape[1]
    directions = 2 if bidirectional else 1
    for k in range(num_layers):
        # Layer k > 0 reads layer k - 1's h of every direction.
        x = input_size if k == 0 else directions * hidden
        x_what = "input_size" if k == 0 else ("2*hidden_size" if bidirectional else "hidden_size")
        why = f"{cell.upper()}, hidden_size {hidden} from weight_hh_l0"
        if k > 0:
            why = (f"layer {k} reads layer {k - 1}'s h"
                   + (" of both directions" if bidirectional else "") + "; " + why)
        for suffix in ("", "_reverse")[:directions]:
            for name, shape, what in (
                    (f"weight_ih_l{k}{suffix}", (gates * hidden, x), f"{rows}[{x_what}]"),
                    (f"weight_hh_l{k}{suffix}", (gates * hidden, hidden), f"{rows}[hidden_size]"),
                    (f"bias_ih_l{k}{suffix}", (gates * hidden,), rows),
                    (f"bias_hh_l{k}{suffix}", (gates * hidden,), rows)):
                t = entries[name]
                if tuple(t.shape) != shape:
                    raise ExportError(
                        f"{where}{name}: shape {shape_text(t)}, expected "
                        f"{'x'.join(map(str, shape))} = {what} ({why})")
                if not t.is_floating_point():
                    raise ExportError(f"{where}{name}: dtype {t.dtype}, expected floating point")
                if not bool(torch.isfinite(t).all()):
                    raise ExportError(f"{where}{name}: holds NaN or infinite values")
    return cell, input_size, hidden


def export(entries, num_layers, bidirectional, cell, input_size, hidden):
    model = {"input_size": input_size, "hidden_size": hidden, "num_layers": num_layers,
             "cell": cell, "bidirectional": bidirectional}
    for k in range(num_layers):
        for suffix in ("", "_reverse") if bidirectional else ("",):
            for name in PARAMS:
                key = f"{name}_l{k}{suffix}"
                # float64 holds every float16/bfloat16/float32 value exactly; tolist()
                # gives Python floats, which json writes with round-trip precision.
                model[key] = entries[key].detach().to(torch.float64).tolist()
    return model


def main(argv=None):
    p = argparse.ArgumentParser(prog=PROG, description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint", metavar="CHECKPOINT", help="file written by torch.save()")
    p.add_argument("-o", "--output", required=True, metavar="MODEL.json",
                   help="model file to write (docs/models.md)")
    p.add_argument("--prefix", metavar="PREFIX",
                   help="the LSTM's or GRU's key prefix in a larger model's state_dict, e.g. "
                        "'encoder.lstm.' (default: found when there is one LSTM or GRU)")
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
        entries, prefix = select_rnn(state, args.prefix)
        num_layers, bidirectional = check_keys(entries, prefix)
        cell, input_size, hidden = check_shapes(entries, num_layers, bidirectional, prefix)
        model = export(entries, num_layers, bidirectional, cell, input_size, hidden)
    except ExportError as e:
        fail(f"{args.checkpoint}: {e}")
    try:
        write_json_atomic(args.output, model)
    except OSError as e:
        fail(f"{args.output}: cannot write: {e}")
    where = f" (keys {prefix}*)" if prefix else ""
    print(f"{PROG}: wrote {args.output}: {cell.upper()}, input_size {input_size}, "
          f"hidden_size {hidden}, num_layers {num_layers}"
          f"{', bidirectional' if bidirectional else ''}{where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
