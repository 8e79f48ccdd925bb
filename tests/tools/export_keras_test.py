#!/usr/bin/python3
"""Tests tools/export_keras.py. Needs only Python 3 (Keras is not needed).

Usage: export_keras_test.py EXPORT_KERAS_PY LSTMSIM WORKDIR

1. tests/tools/keras_weights.json, written by hand: every kernel number is
   G.UX (gate G: 1 = i, 2 = f, 3 = c, 4 = o in Keras's column blocks; unit U;
   input X in the hundredths), recurrent kernels the same negated, biases
   10*G + U. The PyTorch layout it must become is written out below.
2. Random Keras weights: lstmsim's float engine on the converted model must
   match a direct implementation of Keras's LSTMCell equations to 1e-9.
3. Refusals: exit 2, a message naming the problem, no output file.
"""
import json
import math
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def export(script, weights_path, out):
    if os.path.exists(out):
        os.unlink(out)
    return run([sys.executable, script, weights_path, "-o", out])


def test_hand_made_layout(script, work):
    out = f"{work}/hand.model.json"
    r = export(script, f"{HERE}/keras_weights.json", out)
    check(r.returncode == 0, f"the hand-made Keras file converts (stderr: {r.stderr.strip()})")
    if r.returncode:
        return
    with open(out) as f:
        model = json.load(f)
    # Derived by hand from Keras's layout: kernel[x][block*H + u] with blocks
    # i, f, c, o becomes PyTorch's weight_ih[gate*H + u][x] with gates i, f, g, o
    # (c and g are the same gate, so the blocks keep their order), i.e. row
    # (G, U) lists G.U0, G.U1, G.U2 over the inputs.
    expected_l0 = {
        "weight_ih_l0": [[1.0, 1.01, 1.02], [1.1, 1.11, 1.12],     # i
                         [2.0, 2.01, 2.02], [2.1, 2.11, 2.12],     # f
                         [3.0, 3.01, 3.02], [3.1, 3.11, 3.12],     # g (Keras c)
                         [4.0, 4.01, 4.02], [4.1, 4.11, 4.12]],    # o
        "weight_hh_l0": [[-1.0, -1.01], [-1.1, -1.11], [-2.0, -2.01], [-2.1, -2.11],
                         [-3.0, -3.01], [-3.1, -3.11], [-4.0, -4.01], [-4.1, -4.11]],
        "bias_ih_l0": [10, 11, 20, 21, 30, 31, 40, 41],
        "bias_hh_l0": [0] * 8,
    }
    check(model.get("input_size") == 3 and model.get("hidden_size") == 2
          and model.get("num_layers") == 2, "sizes are input 3, hidden 2, 2 layers")
    for key, want in expected_l0.items():
        check(model.get(key) == want, f"{key} is Keras's layer 0 reordered and transposed")
    # Layer 1: the same pattern shifted by 0.005, biases by 100.
    want_ih1 = [[round(g + u / 10 + x / 100 + 0.005, 3) for x in range(2)]
                for g in (1, 2, 3, 4) for u in range(2)]
    check(model.get("weight_ih_l1") == want_ih1, "weight_ih_l1 is layer 1's kernel transposed")
    check(model.get("weight_hh_l1") == [[-v for v in row] for row in want_ih1],
          "weight_hh_l1 is layer 1's recurrent kernel transposed")
    check(model.get("bias_ih_l1") == [100 + 10 * g + u for g in (1, 2, 3, 4) for u in range(2)]
          and model.get("bias_hh_l1") == [0] * 8, "layer 1's bias goes to bias_ih_l1, zeros to bias_hh_l1")


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def keras_lstm(layers, sequence):
    """Keras's LSTMCell (implementation 2), stacked with return_sequences=True:
    z = x @ kernel + h @ recurrent_kernel + bias, split into i, f, c, o."""
    xs = sequence
    for layer in layers:
        kernel, rec, bias = layer["kernel"], layer["recurrent_kernel"], layer["bias"]
        h_size = len(rec)
        h = [0.0] * h_size
        c = [0.0] * h_size
        out = []
        for x in xs:
            z = [sum(x[r] * kernel[r][col] for r in range(len(x)))
                 + sum(h[r] * rec[r][col] for r in range(h_size)) + bias[col]
                 for col in range(4 * h_size)]
            zi, zf, zc, zo = (z[b * h_size:(b + 1) * h_size] for b in range(4))
            c = [sigmoid(zf[u]) * c[u] + sigmoid(zi[u]) * math.tanh(zc[u]) for u in range(h_size)]
            h = [sigmoid(zo[u]) * math.tanh(c[u]) for u in range(h_size)]
            out.append(h)
        xs = out
    return xs


def test_forward_matches_keras(script, lstmsim, work):
    rng = random.Random(7)
    x_size, h_size = 4, 3
    uniform = lambda rows, cols: [[rng.uniform(-0.6, 0.6) for _ in range(cols)]
                                  for _ in range(rows)]
    layers = [{"kernel": uniform(x if k == 0 else h_size, 4 * h_size),
               "recurrent_kernel": uniform(h_size, 4 * h_size),
               "bias": uniform(1, 4 * h_size)[0],
               "activation": "tanh", "recurrent_activation": "sigmoid"}
              for k, x in enumerate((x_size, h_size))]
    with open(f"{work}/random.keras.json", "w") as f:
        json.dump({"layers": layers}, f)
    sequences = [uniform(t, x_size) for t in (6, 2)]
    with open(f"{work}/random.input.json", "w") as f:
        json.dump({"sequences": sequences}, f)
    r = export(script, f"{work}/random.keras.json", f"{work}/random.model.json")
    check(r.returncode == 0, f"random Keras weights convert (stderr: {r.stderr.strip()})")
    if r.returncode:
        return
    r = run([lstmsim, "run", "--engine", "float", "--model", f"{work}/random.model.json",
             "--input", f"{work}/random.input.json", "--output", f"{work}/random.float.json"])
    check(r.returncode == 0, f"lstmsim runs the converted model (stderr: {r.stderr.strip()})")
    if r.returncode:
        return
    with open(f"{work}/random.float.json") as f:
        got = json.load(f)["outputs"]
    want = [keras_lstm(layers, s) for s in sequences]
    shapes_ok = [[len(v) for v in s] for s in got] == [[len(v) for v in s] for s in want]
    check(shapes_ok, "lstmsim's output has Keras's shape")
    if shapes_ok:
        worst = max(abs(a - b) for gs, ws in zip(got, want) for g, w in zip(gs, ws)
                    for a, b in zip(g, w))
        check(worst <= 1e-9, f"lstmsim float engine matches Keras's LSTM equations: "
                             f"max difference {worst:.3e} <= 1e-9")


def test_refusals(script, work):
    with open(f"{HERE}/keras_weights.json") as f:
        good = json.load(f)

    def variant(change):
        w = json.loads(json.dumps(good))
        change(w)
        return w

    def set_layer(k, key, value):
        def change(w):
            if value is None:
                del w["layers"][k][key]
            else:
                w["layers"][k][key] = value
        return change

    cases = [
        ("no bias", variant(set_layer(0, "bias", None)), "use_bias=False"),
        ("hard_sigmoid", variant(set_layer(1, "recurrent_activation", "hard_sigmoid")),
         "/layers/1/recurrent_activation: \"hard_sigmoid\""),
        ("relu", variant(set_layer(0, "activation", "relu")), "/layers/0/activation"),
        ("CuDNN bias", variant(set_layer(0, "bias", [0.0] * 16)), "CuDNNLSTM"),
        ("short bias", variant(set_layer(0, "bias", [0.0] * 7)),
         "/layers/0/bias: expected 4H = 8 numbers, found 7"),
        ("short kernel row", variant(lambda w: w["layers"][0]["kernel"][1].pop()),
         "/layers/0/kernel: expected [input size][4H] = [X][8] numbers, row 1 has 7"),
        ("layers do not chain", variant(lambda w: w["layers"][1]["kernel"].append([0.0] * 8)),
         "/layers/1/kernel: expected [H][4H] = [2][8] numbers (layer 1 reads layer 0's h), found 3 rows"),
        ("hidden sizes differ",
         variant(set_layer(1, "recurrent_kernel", [[0.0] * 12] * 3)), "same hidden size"),
        ("missing kernel", variant(set_layer(1, "kernel", None)), "/layers/1/kernel: missing"),
        ("unknown layer key", variant(set_layer(0, "gamma", [1.0])), "/layers/0/gamma: unknown key"),
        ("unknown top key", variant(lambda w: w.update(optimizer={})), "/optimizer: unknown key"),
        ("string weight", variant(lambda w: w["layers"][0]["kernel"][2].__setitem__(3, "x")),
         "/layers/0/kernel/2/3: expected a number"),
        ("no layers", {"layers": []}, "/layers: expected a list of at least one LSTM layer"),
    ]
    for name, weights, message in cases:
        path = f"{work}/bad.{name.replace(' ', '_')}.json"
        with open(path, "w") as f:
            json.dump(weights, f)
        cases_out = f"{work}/bad.out.json"
        r = export(script, path, cases_out)
        check(r.returncode == 2 and message in r.stderr and not os.path.exists(cases_out),
              f"refuses {name}: exit {r.returncode}, {r.stderr.strip()}")
    # JSON that Python accepts but is not standard: NaN.
    with open(f"{work}/bad.nan.json", "w") as f:
        f.write(json.dumps(good).replace("10,", "NaN,", 1))
    r = export(script, f"{work}/bad.nan.json", f"{work}/bad.out.json")
    check(r.returncode == 2 and "/layers/0/bias/0: expected a finite number" in r.stderr,
          f"refuses NaN: exit {r.returncode}, {r.stderr.strip()}")
    with open(f"{work}/bad.syntax.json", "w") as f:
        f.write("{\"layers\": [")
    r = export(script, f"{work}/bad.syntax.json", f"{work}/bad.out.json")
    check(r.returncode == 2 and "not valid JSON" in r.stderr,
          f"refuses a file that is not JSON: exit {r.returncode}, {r.stderr.strip()}")
    r = export(script, f"{work}/no_such_file.json", f"{work}/bad.out.json")
    check(r.returncode == 2 and "cannot open" in r.stderr,
          f"refuses a missing file: exit {r.returncode}, {r.stderr.strip()}")


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    script, lstmsim, work = argv[1:]
    os.makedirs(work, exist_ok=True)
    test_hand_made_layout(script, work)
    test_forward_matches_keras(script, lstmsim, work)
    test_refusals(script, work)
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
