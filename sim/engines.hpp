// Whole-set runs of the software engines, and how far two runs are apart.
// Shared by `lstmsim`, the demo, the accuracy benchmark and the tests.
#pragma once

#include <cstddef>

#include "spec/config.hpp"
#include "sim/lstm_model.hpp"

namespace lstm {

// Double-precision reference (torch.nn.LSTM semantics), each sequence from zero state.
SequenceSet run_float_set(const FloatModel& m, const SequenceSet& inputs);
// Bit-exact fixed-point model: quantizes model and inputs to the config's
// formats, runs, and returns h dequantized from the data format.
SequenceSet run_golden_set(const HwConfig& c, const FloatModel& m, const SequenceSet& inputs);

struct ErrorStats {
  double max_abs = 0.0;   // max |a - b| over every sequence, step and unit
  double mean_abs = 0.0;  // mean |a - b| over the same
  std::size_t count = 0;  // number of values compared
};
// a and b must have the same shape (throws std::invalid_argument otherwise).
ErrorStats compare_outputs(const SequenceSet& a, const SequenceSet& b);

}  // namespace lstm
