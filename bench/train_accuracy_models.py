#!/usr/bin/python3
"""Trains the two small models of the accuracy benchmark (bench/lstm_accuracy_bench.cpp)
with PyTorch, on data Debian ships or this script generates, and writes them to
bench/models/ as lstmsim model files plus task files (what the benchmark needs
to score them: the output layer, the evaluation data and its labels).

  char_lstm  next-character prediction: a 2-layer LSTM (hidden 32) on one-hot
             characters, trained on the license texts of Debian's base-files
             (/usr/share/common-licenses), evaluated on the last 4000
             characters of GPL-3, which training never sees, streamed in
             chunks of 100 steps with the state carried (h0/c0).
  wave_gru   sequence classification: a bidirectional GRU (hidden 16) reads a
             noisy waveform of 32 samples and tells sine, square, triangle and
             sawtooth apart from the two directions' final h; the waveforms
             are generated here from a seed.

Every weight is rounded to 4 significant digits after training, so the files
stay small; the rounded model is the model: the accuracy written to the task
file ("torch_float64_accuracy") is torch's, in float64, on the rounded
weights, and lstmsim's float engine must reproduce it.

Run with Debian's /usr/bin/python3 (apt-get install python3-torch), from
anywhere: /usr/bin/python3 bench/train_accuracy_models.py [--out DIR].
Deterministic (fixed seeds, one thread); about a minute of CPU per model.
"""
import argparse
import json
import math
import os
import re
import sys
import time

import torch

LICENSES = "/usr/share/common-licenses"
TRAIN_FILES = ("GPL-1", "GPL-2", "LGPL-2", "LGPL-2.1", "LGPL-3", "GFDL-1.2", "GFDL-1.3",
               "Apache-2.0", "MPL-1.1", "MPL-2.0", "Artistic", "BSD", "CC0-1.0")
EVAL_FILE, EVAL_CHARS = "GPL-3", 4000
# Characters kept: letters, space, some punctuation; digits all map to '#'.
ALPHABET = " abcdefghijklmnopqrstuvwxyz.,;:'\"()-/#"
CLASSES = ("sine", "square", "triangle", "sawtooth")


def normalize(text):
    """Lowercase, digits to '#', whitespace runs to one space, other characters dropped."""
    text = re.sub(r"[0-9]", "#", text.lower())
    text = re.sub(r"\s+", " ", text)
    return "".join(c for c in text if c in ALPHABET)


def rounded(module):
    """Every parameter rounded to 4 significant digits, in float64."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.tensor([float(f"{v:.4g}") for v in p.flatten().tolist()],
                                 dtype=p.dtype).reshape(p.shape))
    return module


def model_file(rnn):
    """The lstmsim model file of an nn.LSTM or nn.GRU (docs/models.md)."""
    m = {"input_size": rnn.input_size, "hidden_size": rnn.hidden_size,
         "num_layers": rnn.num_layers, "cell": rnn.mode.lower(),
         "bidirectional": rnn.bidirectional}
    m.update({k: v.tolist() for k, v in rnn.state_dict().items()})
    return m


def head_json(linear):
    return {"weight": linear.weight.tolist(), "bias": linear.bias.tolist()}


def write(path, data):
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


class CharLM(torch.nn.Module):
    def __init__(self, vocab, hidden=32, layers=2):
        super().__init__()
        self.vocab = vocab
        self.rnn = torch.nn.LSTM(vocab, hidden, layers, batch_first=True)
        self.head = torch.nn.Linear(hidden, vocab)

    def forward(self, idx, state=None):
        x = torch.nn.functional.one_hot(idx, self.vocab).to(self.head.weight.dtype)
        y, state = self.rnn(x, state)
        return self.head(y), state


def char_lm_accuracy(model, eval_idx, chunk):
    """Next-character accuracy over the evaluation text, streamed in chunks with the
    state carried: the way the benchmark runs it."""
    correct, state = 0, None
    inputs, targets = eval_idx[:-1], eval_idx[1:]
    with torch.no_grad():
        for start in range(0, len(inputs), chunk):
            logits, state = model(inputs[start:start + chunk].unsqueeze(0), state)
            correct += int((logits[0].argmax(-1) == targets[start:start + chunk]).sum())
    return correct / len(targets)


def train_char_lm(out, seed=1, steps=1200, seq=64, batch=32, chunk=100):
    train_text = " ".join(normalize(open(f"{LICENSES}/{f}", encoding="utf-8",
                                         errors="replace").read()) for f in TRAIN_FILES)
    eval_text = normalize(open(f"{LICENSES}/{EVAL_FILE}", encoding="utf-8").read())[-EVAL_CHARS:]
    index = {c: i for i, c in enumerate(ALPHABET)}
    data = torch.tensor([index[c] for c in train_text])
    eval_idx = torch.tensor([index[c] for c in eval_text])
    torch.manual_seed(seed)
    model = CharLM(len(ALPHABET))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    gen = torch.Generator().manual_seed(seed)
    for step in range(steps):
        starts = torch.randint(0, len(data) - seq - 1, (batch,), generator=gen)
        x = torch.stack([data[s:s + seq] for s in starts])
        y = torch.stack([data[s + 1:s + seq + 1] for s in starts])
        logits, _ = model(x)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, model.vocab), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 300 == 0 or step == steps - 1:
            print(f"char_lstm step {step}: loss {loss.item():.3f}")
    model = rounded(model.double())
    acc = char_lm_accuracy(model, eval_idx, chunk)
    print(f"char_lstm: next-character accuracy {acc:.4f} on {len(eval_idx) - 1} held-out steps")
    write(f"{out}/char_lstm.model.json", model_file(model.rnn))
    write(f"{out}/char_lstm.task.json", {
        "name": "char_lstm", "task": "next_character", "model": "char_lstm.model.json",
        "description": "2-layer LSTM (hidden 32) on one-hot characters, trained on Debian's "
                       "license texts; evaluated on the last 4000 characters of GPL-3, held "
                       "out, streamed in chunks with the state carried",
        "alphabet": ALPHABET, "text": eval_text, "chunk": chunk, "head": head_json(model.head),
        "torch_float64_accuracy": acc, "trained_by": "bench/train_accuracy_models.py"})


def waveform(kind, n, gen):
    """A noisy waveform of n samples: random cycles, phase, amplitude and offset."""
    cycles = 1.5 + 2.5 * torch.rand(1, generator=gen, dtype=torch.float64).item()
    phase = torch.rand(1, generator=gen, dtype=torch.float64).item()
    amp = 0.5 + torch.rand(1, generator=gen, dtype=torch.float64).item()
    offset = 0.4 * (torch.rand(1, generator=gen, dtype=torch.float64).item() - 0.5)
    u = (torch.arange(n, dtype=torch.float64) / n * cycles + phase) % 1.0
    wave = {"sine": torch.sin(2 * math.pi * u),
            "square": torch.where(u < 0.5, 1.0, -1.0).double(),
            "triangle": 1 - 4 * torch.abs(u - 0.5),
            "sawtooth": 2 * u - 1}[kind]
    noise = 0.35 * torch.randn(n, generator=gen, dtype=torch.float64)
    return amp * wave + offset + noise


def wave_set(count, n, gen):
    labels = torch.randint(0, len(CLASSES), (count,), generator=gen)
    x = torch.stack([waveform(CLASSES[k], n, gen) for k in labels.tolist()])
    # 3 decimals: the task file stays small, and these are the inputs.
    return torch.round(x * 1000) / 1000, labels


class WaveClassifier(torch.nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.rnn = torch.nn.GRU(1, hidden, 1, batch_first=True, bidirectional=True)
        self.head = torch.nn.Linear(2 * hidden, len(CLASSES))

    def forward(self, x):
        _, h_n = self.rnn(x.unsqueeze(-1))
        # The last layer's two directions: rows -2 (forward) and -1 (reverse).
        return self.head(torch.cat([h_n[-2], h_n[-1]], dim=-1))


def train_wave_gru(out, seed=2, steps=1200, n=32, batch=64):
    gen = torch.Generator().manual_seed(seed)
    train_x, train_y = wave_set(4000, n, gen)
    eval_x, eval_y = wave_set(200, n, gen)
    torch.manual_seed(seed)
    model = WaveClassifier().double()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    for step in range(steps):
        pick = torch.randint(0, len(train_x), (batch,), generator=gen)
        loss = torch.nn.functional.cross_entropy(model(train_x[pick]), train_y[pick])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 300 == 0 or step == steps - 1:
            print(f"wave_gru step {step}: loss {loss.item():.3f}")
    model = rounded(model)
    with torch.no_grad():
        acc = float((model(eval_x).argmax(-1) == eval_y).double().mean())
    print(f"wave_gru: classification accuracy {acc:.4f} on {len(eval_x)} held-out sequences")
    write(f"{out}/wave_gru.model.json", model_file(model.rnn))
    write(f"{out}/wave_gru.task.json", {
        "name": "wave_gru", "task": "classify_final_state", "model": "wave_gru.model.json",
        "description": "bidirectional GRU (hidden 16) classifying noisy 32-sample waveforms "
                       "(sine, square, triangle, sawtooth) from both directions' final h",
        "classes": list(CLASSES),
        "inputs": {"sequences": [[[v] for v in seq] for seq in eval_x.tolist()]},
        "labels": eval_y.tolist(), "head": head_json(model.head),
        "torch_float64_accuracy": acc, "trained_by": "bench/train_accuracy_models.py"})


def main(argv):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                 "models"),
                   help="folder for the model and task files (default: bench/models)")
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    for train in (train_char_lm, train_wave_gru):
        start = time.process_time()
        train(args.out)
        print(f"{train.__name__}: {time.process_time() - start:.0f} s of CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
