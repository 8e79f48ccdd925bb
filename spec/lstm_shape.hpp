// Two facts about LSTM layers on this accelerator that every part counts
// with: a cell has four gates, and a core computes a layer's hidden units in
// groups of `lanes`. Written once here; the golden and float models, the model
// files, the config validator, the host program and the reports use these.
#pragma once

namespace lstm {

// Gates of an LSTM cell, in PyTorch's row order: input, forget, cell (g),
// output. A layer's weight matrices have kGates * hidden rows; a lane has one
// MAC per gate, MAC slot lane * kGates + gate.
inline constexpr int kGates = 4;
inline constexpr char kGateLetters[kGates + 1] = "ifgo";

// Lane groups that `units` hidden units occupy on a core of `lanes` lanes:
// ceil(units / lanes). Each group reads one weight word per input column.
constexpr int groups_of(int units, int lanes) { return (units + lanes - 1) / lanes; }

}  // namespace lstm
