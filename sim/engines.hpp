// Whole-set runs of the software engines, and how far two runs are apart.
// Shared by `lstmsim`, the demo, the accuracy benchmark and the tests.
#pragma once

#include <cstddef>

#include "spec/config.hpp"
#include "sim/lstm_model.hpp"
#include "sim/saturation.hpp"

namespace lstm {

// The outputs ([sequence][step][directions * hidden_size]) and the final state
// of every sequence of a set.
// run_golden also counts saturation events, summed over the sequences
// (GoldenLstm, IntRun::saturation); run_float leaves that empty.
struct SetRun {
  SequenceSet outputs;
  std::vector<FloatState> final_states;
  LayerSatCounts saturation;
};

// Double-precision reference (torch.nn.LSTM / torch.nn.GRU semantics). An
// empty `initial` starts every sequence from zero state; otherwise it holds
// one state per sequence.
SetRun run_float(const FloatModel& m, const SequenceSet& inputs,
                 const std::vector<FloatState>& initial = {});
// Bit-exact fixed-point model: quantizes model, inputs and initial states to
// the config's formats, runs, and returns h (data format) and c (cell format)
// dequantized.
SetRun run_golden(const HwConfig& c, const FloatModel& m, const SequenceSet& inputs,
                  const std::vector<FloatState>& initial = {});

// The outputs alone, from zero state.
SequenceSet run_float_set(const FloatModel& m, const SequenceSet& inputs);
SequenceSet run_golden_set(const HwConfig& c, const FloatModel& m, const SequenceSet& inputs);

struct ErrorStats {
  double max_abs = 0.0;   // max |a - b| over every sequence, step and unit
  double mean_abs = 0.0;  // mean |a - b| over the same
  std::size_t count = 0;  // number of values compared
};
// a and b must have the same shape (throws std::invalid_argument otherwise).
ErrorStats compare_outputs(const SequenceSet& a, const SequenceSet& b);

}  // namespace lstm
