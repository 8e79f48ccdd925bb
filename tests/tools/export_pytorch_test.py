#!/usr/bin/python3
"""Tests tools/export_pytorch.py. Run with Debian's /usr/bin/python3 (torch).

Usage: export_pytorch_test.py MODE EXPORT_PYTORCH_PY LSTMSIM WORKDIR
  MODE accept: every checkpoint form the exporter accepts (module, state_dict,
               wrapped in a training dict, inside a larger model, picked with
               --prefix) of one random torch.nn.LSTM(7, 5, 2) in float32
               exports its exact weights, and lstmsim's float engine on the
               export matches the LSTM run by torch in float64 to 1e-9; then
               GRUs and bidirectional LSTMs and GRUs of 1 to 3 layers, as
               modules and state_dicts, the same way, from non-zero h0 and c0,
               outputs, h_n and c_n compared.
  MODE refuse: projected, bias-free, plain RNN, half-bidirectional, non-RNN
               and malformed checkpoints give exit 2, a message naming the
               problem, and no output file.

The exporter runs in this process (torch is imported once, which saves
seconds per case); a few cases also run it as a program, to check the real
exit status. Exit codes: 0 passed, 1 failed, 77 torch not importable (skip).
"""
import collections
import contextlib
import copy
import importlib.util
import io
import json
import os
import subprocess
import sys

try:
    import torch
except ImportError:
    print("SKIPPED: torch is not importable by", sys.executable,
          "(apt-get install python3-torch)")
    sys.exit(77)

INPUT, HIDDEN, LAYERS, SEED = 7, 5, 2, 1234
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


class Seq2Seq(torch.nn.Module):
    """A model class that only this program defines: saved whole, it cannot be
    loaded by the exporter run as a program."""

    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(INPUT, HIDDEN, 1)


def reference_lstm():
    # float32, as trained models are: the export must carry the float32 values
    # exactly; the reference run uses them in float64.
    torch.manual_seed(SEED)
    return torch.nn.LSTM(INPUT, HIDDEN, LAYERS)


def replaced(state, key, tensor):
    """A copy of state with key's tensor replaced, or removed when tensor is None."""
    out = collections.OrderedDict(state)
    if tensor is None:
        del out[key]
    else:
        out[key] = tensor
    return out


class Exporter:
    """export_pytorch.py, in this process or as a program."""

    def __init__(self, path):
        self.path = path
        sys.dont_write_bytecode = True  # no __pycache__ in the source tree
        spec = importlib.util.spec_from_file_location("export_pytorch", path)
        self.module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.module)

    def run(self, args, subprocess_run=False):
        """(exit status, stderr)."""
        if subprocess_run:
            r = subprocess.run([sys.executable, self.path] + args, capture_output=True, text=True)
            return r.returncode, r.stderr
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                status = self.module.main(args)
            except SystemExit as e:
                status = e.code
        return status, err.getvalue()


def accepted_checkpoints(lstm):
    """(name, object to save, extra exporter arguments)."""
    state = lstm.state_dict()
    torch.manual_seed(SEED + 1)
    in_model = torch.nn.ModuleDict({"embed": torch.nn.Linear(3, INPUT), "lstm": lstm,
                                    "head": torch.nn.Linear(HIDDEN, 2)})
    encoder = torch.nn.ModuleDict({"proj": torch.nn.Linear(INPUT, INPUT), "lstm": lstm})
    seq2seq = torch.nn.ModuleDict({"encoder": encoder, "decoder": torch.nn.LSTM(HIDDEN, 4, 1)})
    return [
        ("module", lstm, []),
        ("state_dict", state, []),
        ("wrapped_state_dict", {"epoch": 12, "optimizer": {"lr": 1e-3}, "state_dict": state}, []),
        ("wrapped_model_state_dict", {"model_state_dict": state, "epoch": 3}, []),
        ("wrapped_module", {"model": lstm, "epoch": 3}, []),
        ("custom_key", {"weights": state, "epoch": 3}, ["--key", "weights"]),
        # The only LSTM inside a larger model is found without --prefix.
        ("one_lstm_in_model", in_model.state_dict(), []),
        ("two_lstms", seq2seq.state_dict(), ["--prefix", "encoder.lstm."]),
        ("two_lstms_no_dot", seq2seq.state_dict(), ["--prefix", "encoder.lstm"]),
        ("two_lstms_module", seq2seq, ["--prefix", "encoder.lstm."]),
        ("float64", reference_lstm().double(), []),
    ]


def test_accept(exporter, lstmsim, work):
    lstm = reference_lstm()
    state = lstm.state_dict()
    gen = torch.Generator().manual_seed(SEED + 2)
    sequences = [(torch.rand(t, INPUT, generator=gen, dtype=torch.float64) * 2 - 1).tolist()
                 for t in (9, 1, 4)]
    with open(f"{work}/input.json", "w") as f:
        json.dump({"sequences": sequences}, f)
    reference = reference_lstm().double()
    with torch.no_grad():
        want = [reference(torch.tensor(s, dtype=torch.float64).unsqueeze(1))[0]
                .squeeze(1).tolist() for s in sequences]
    sizes = {"input_size": INPUT, "hidden_size": HIDDEN, "num_layers": LAYERS, "cell": "lstm",
             "bidirectional": False}
    want_model = {**sizes, **{k: v.double().tolist() for k, v in state.items()}}

    for k, (name, obj, args) in enumerate(accepted_checkpoints(lstm)):
        path, model_path = f"{work}/{name}.pt", f"{work}/{name}.model.json"
        torch.save(obj, path)
        # The first one runs as a program, the way users run it.
        status, err = exporter.run([path, "-o", model_path] + args, subprocess_run=k == 0)
        check(status == 0, f"{name}: exported (exit {status}) {err.strip()}")
        if status:
            continue
        with open(model_path) as f:
            model = json.load(f)
        check(model == want_model, f"{name}: the model file holds the LSTM's sizes and "
                                   "its float32 weights exactly")
        out = f"{work}/{name}.float.json"
        r = subprocess.run([lstmsim, "run", "--engine", "float", "--model", model_path,
                            "--input", f"{work}/input.json", "--output", out],
                           capture_output=True, text=True)
        check(r.returncode == 0, f"{name}: lstmsim runs it {r.stderr.strip()}")
        if r.returncode:
            continue
        with open(out) as f:
            got = json.load(f)["outputs"]
        same_shape = [[len(v) for v in s] for s in got] == [[len(v) for v in s] for s in want]
        check(same_shape, f"{name}: lstmsim's output has torch's shape")
        if same_shape:
            worst = max(abs(a - b) for gs, ws in zip(got, want) for g, w in zip(gs, ws)
                        for a, b in zip(g, w))
            check(worst <= 1e-9, f"{name}: max |lstmsim float - torch float64| = {worst:.3e}"
                                 " <= 1e-9")


def rnn_cases():
    """(name, module): GRUs and bidirectional modules, float32 as trained ones are."""
    torch.manual_seed(SEED + 3)
    return [
        ("gru_1", torch.nn.GRU(INPUT, HIDDEN, 1)),
        ("gru_3", torch.nn.GRU(INPUT, HIDDEN, 3)),
        ("lstm_bi_1", torch.nn.LSTM(INPUT, HIDDEN, 1, bidirectional=True)),
        ("lstm_bi_2", torch.nn.LSTM(INPUT, HIDDEN, 2, bidirectional=True)),
        ("gru_bi_2", torch.nn.GRU(INPUT, HIDDEN, 2, bidirectional=True)),
    ]


def test_accept_rnns(exporter, lstmsim, work):
    """GRU and bidirectional modules and their state_dicts: exact weights, cell and
    bidirectional keys, and lstmsim float = torch float64 (outputs, h_n, c_n)
    from non-zero initial states."""
    gen = torch.Generator().manual_seed(SEED + 4)
    lengths = (6, 1, 3)
    for name, rnn in rnn_cases():
        gru = isinstance(rnn, torch.nn.GRU)
        rows = rnn.num_layers * (2 if rnn.bidirectional else 1)
        inputs = {
            "sequences": [(torch.rand(t, INPUT, generator=gen, dtype=torch.float64) * 2 - 1)
                          .tolist() for t in lengths],
            "h0": [(torch.rand(rows, HIDDEN, generator=gen, dtype=torch.float64) - 0.5)
                   .tolist() for _ in lengths]}
        if not gru:
            inputs["c0"] = [(torch.rand(rows, HIDDEN, generator=gen, dtype=torch.float64) * 2 - 1)
                            .tolist() for _ in lengths]
        input_path = f"{work}/{name}.input.json"
        with open(input_path, "w") as f:
            json.dump(inputs, f)
        reference = copy.deepcopy(rnn).double()
        want = {"outputs": [], "h_n": [], "c_n": []}
        with torch.no_grad():
            for s, seq in enumerate(inputs["sequences"]):
                h0 = torch.tensor(inputs["h0"][s], dtype=torch.float64).unsqueeze(1)
                state = h0 if gru else (h0, torch.tensor(inputs["c0"][s],
                                                         dtype=torch.float64).unsqueeze(1))
                y, final = reference(torch.tensor(seq, dtype=torch.float64).unsqueeze(1), state)
                want["outputs"].append(y.squeeze(1).tolist())
                h_n, c_n = final if not gru else (final, None)
                want["h_n"].append(h_n.squeeze(1).tolist())
                if c_n is not None:
                    want["c_n"].append(c_n.squeeze(1).tolist())
        if gru:
            del want["c_n"]
        want_model = {"input_size": INPUT, "hidden_size": HIDDEN, "num_layers": rnn.num_layers,
                      "cell": "gru" if gru else "lstm", "bidirectional": rnn.bidirectional,
                      **{k: v.double().tolist() for k, v in rnn.state_dict().items()}}
        for form, obj in (("module", rnn), ("state_dict", rnn.state_dict())):
            path, model_path = f"{work}/{name}_{form}.pt", f"{work}/{name}_{form}.model.json"
            torch.save(obj, path)
            status, err = exporter.run([path, "-o", model_path])
            check(status == 0, f"{name} {form}: exported (exit {status}) {err.strip()}")
            if status:
                continue
            with open(model_path) as f:
                check(json.load(f) == want_model, f"{name} {form}: the model file holds the sizes, "
                                                  "cell, bidirectional and float32 weights exactly")
            out = f"{work}/{name}_{form}.float.json"
            r = subprocess.run([lstmsim, "run", "--engine", "float", "--model", model_path,
                                "--input", input_path, "--output", out],
                               capture_output=True, text=True)
            check(r.returncode == 0, f"{name} {form}: lstmsim runs it {r.stderr.strip()}")
            if r.returncode:
                continue
            with open(out) as f:
                got = json.load(f)
            for key, value in want.items():
                a, b = list(flatten(got.get(key, []))), list(flatten(value))
                worst = max((abs(p - q) for p, q in zip(a, b)), default=0.0)
                check(len(a) == len(b) and worst <= 1e-9,
                      f"{name} {form}: {key}: max |lstmsim float - torch float64| = {worst:.3e}")


def flatten(v):
    if isinstance(v, list):
        for item in v:
            yield from flatten(item)
    else:
        yield v


def test_refuse(exporter, work):
    torch.manual_seed(SEED)
    state = reference_lstm().state_dict()
    encoder = torch.nn.ModuleDict({"lstm": torch.nn.LSTM(INPUT, HIDDEN, 1)})
    two = torch.nn.ModuleDict({"encoder": encoder, "decoder": torch.nn.LSTM(HIDDEN, 4, 1)})
    # (file, object saved, extra arguments, what the message must say, run as a program)
    bi_gru = torch.nn.GRU(INPUT, HIDDEN, 2, bidirectional=True).state_dict()
    cases = [
        ("proj_size", torch.nn.LSTM(INPUT, HIDDEN, 2, proj_size=3).state_dict(), [],
         "weight_hr_l0: LSTMs with projections (proj_size > 0) are not supported", False),
        ("proj_size_bidirectional",
         torch.nn.LSTM(INPUT, HIDDEN, 1, proj_size=3, bidirectional=True), [],
         "LSTMs with projections (proj_size > 0) are not supported", True),
        ("no_bias", torch.nn.LSTM(INPUT, HIDDEN, 2, bias=False).state_dict(), [],
         "modules without biases (bias=False) are not supported", False),
        ("gru_no_bias", torch.nn.GRU(INPUT, HIDDEN, 1, bias=False), [],
         "modules without biases (bias=False) are not supported", False),
        ("rnn_module", torch.nn.RNN(INPUT, HIDDEN, 1), [],
         "holds a torch.nn.RNN (mode RNN_TANH), not an LSTM or GRU", False),
        ("rnn_state_dict", torch.nn.RNN(INPUT, HIDDEN, 1).state_dict(), [],
         "weight_hh_l0: shape 5x5, 1 row per hidden unit where an LSTM has 4 and a GRU 3: this "
         "looks like a plain RNN", False),
        ("reverse_key_missing", replaced(bi_gru, "bias_hh_l1_reverse", None), [],
         "bias_hh_l1_reverse: missing (layers 0..1 have weights) (a bidirectional module", False),
        ("bidirectional_layer1_shape",
         replaced(bi_gru, "weight_ih_l1_reverse", torch.zeros(3 * HIDDEN, HIDDEN)), [],
         "weight_ih_l1_reverse: shape 15x5, expected 15x10 = [3*hidden_size][2*hidden_size] "
         "(layer 1 reads layer 0's h of both directions; GRU", False),
        ("linear", torch.nn.Linear(INPUT, HIDDEN).state_dict(), [],
         "no LSTM or GRU weights (no key ending in weight_ih_l0)", False),
        ("tensor", torch.zeros(3), [],
         "expected an nn.LSTM, an nn.GRU or a state_dict, found a torch.Tensor", False),
        ("unknown_wrapper", {"epoch": 1, "weights": state}, [],
         "found a dict with keys 'epoch', 'weights' (name the entry with --key)", False),
        ("wrong_key", {"epoch": 1, "weights": state}, ["--key", "model"],
         "--key 'model'", False),
        ("two_lstms", two.state_dict(), [],
         "several LSTMs or GRUs; pick one with --prefix: 'decoder.', 'encoder.lstm.'", False),
        ("wrong_prefix", two.state_dict(), ["--prefix", "decoder.lstm."],
         "--prefix 'decoder.lstm.': no key starts with it", False),
        ("wide_prefix", two.state_dict(), ["--prefix", "encoder."],
         "--prefix 'encoder.' covers more than one module", False),
        ("weight_hh_l1_shape",
         replaced(state, "weight_hh_l1", torch.zeros(4 * HIDDEN, HIDDEN + 1)), [],
         "weight_hh_l1: shape 20x6, expected 20x5", False),
        # Layer 1 reads layer 0's h (hidden_size wide), not x.
        ("weight_ih_l1_shape", replaced(state, "weight_ih_l1", torch.zeros(4 * HIDDEN, INPUT)),
         [], "weight_ih_l1: shape 20x7, expected 20x5", False),
        ("bias_shape", replaced(state, "bias_ih_l0", torch.zeros(4 * HIDDEN + 1)), [],
         "bias_ih_l0: shape 21, expected 20", False),
        ("bias_hh_l1_missing", replaced(state, "bias_hh_l1", None), [],
         "bias_hh_l1: missing", False),
        ("extra_key", replaced(state, "weight_xx_l0", torch.zeros(3)), [],
         "weight_xx_l0: not an LSTM or GRU parameter", False),
        ("integer_weights", replaced(state, "bias_ih_l1", torch.zeros(4 * HIDDEN, dtype=torch.int32)),
         [], "bias_ih_l1: dtype torch.int32, expected floating point", False),
        ("nan", replaced(state, "bias_ih_l0", torch.full((4 * HIDDEN,), float("nan"))), [],
         "bias_ih_l0: holds NaN or infinite values", False),
        # Saved whole, a model of a class the exporter cannot import.
        ("custom_class", Seq2Seq(), [], "save its state_dict() instead", True),
    ]
    out = f"{work}/refused.model.json"
    for name, obj, args, message, as_program in cases:
        path = f"{work}/{name}.pt"
        torch.save(obj, path)
        status, err = exporter.run([path, "-o", out] + args, subprocess_run=as_program)
        check(status == 2 and message in err and not os.path.exists(out),
              f"{name}: exit {status}: {err.strip()}")
        if os.path.exists(out):
            os.unlink(out)
    with open(f"{work}/not_a_checkpoint.pt", "w") as f:
        f.write("not a checkpoint\n")
    for name, message in (("not_a_checkpoint", "cannot load with torch.load"),
                          ("no_such_file", "no such file")):
        status, err = exporter.run([f"{work}/{name}.pt", "-o", out])
        check(status == 2 and message in err and not os.path.exists(out),
              f"{name}: exit {status}: {err.strip()}")


def main(argv):
    if len(argv) != 5 or argv[1] not in ("accept", "refuse"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, export_py, lstmsim, work = argv[1:]
    os.makedirs(work, exist_ok=True)
    exporter = Exporter(export_py)
    if mode == "accept":
        test_accept(exporter, lstmsim, work)
        test_accept_rnns(exporter, lstmsim, work)
    else:
        test_refuse(exporter, work)
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
