// The format advisor behind `lstmsim formats` (docs/models.md, "Choosing
// formats"): measures what a model reaches on representative inputs in the
// float model, proposes the narrowest formats per kind that saturate nothing,
// and checks the proposal with the golden model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "spec/config.hpp"
#include "sim/golden_lstm.hpp"
#include "sim/lstm_model.hpp"

namespace lstm {

// The ranges the formats must hold, per format kind of the config.
struct MeasuredRanges {
  ValueRange weight;  // every weight_ih / weight_hh value
  ValueRange bias;    // every bias as the hardware holds it (b_ih + b_hh; a GRU's b_in, b_hn)
  ValueRange data;    // inputs, h0 and every layer's h in the float run
  ValueRange cell;    // c0 and every c in the float run (LSTM)
  ValueRange preact;  // every gate pre-activation in the float run: the activation tables'
                      // input, with the cell states for tanh(c)
};

// How a config does on the model and inputs, by the golden model.
struct FormatCheck {
  std::size_t saturated_values = 0;  // load time: values of the files that saturate
  std::uint64_t events = 0;          // run time: saturation events (docs/numerics.md)
  double max_error = 0.0;            // max |h_golden - h_float| over every output
  double mean_error = 0.0;
};

struct FormatAdvice {
  HwConfig base;
  HwConfig proposal;
  MeasuredRanges ranges;
  FormatCheck base_check;
  FormatCheck proposal_check;
  // Where the proposal could not avoid saturation, or had to give up
  // precision, in words (empty when it simply fits).
  std::vector<std::string> notes;
};

// Measures, proposes and checks. The proposal keeps the base config's cores,
// lanes, limits, rounding, activation kind and every fraction width it can,
// and is a valid config (validate_config). Throws FileError when no format
// can hold a range (a value beyond what the widest format can hold).
FormatAdvice advise_formats(const HwConfig& base, const FloatModel& m, const SequenceSet& inputs,
                            const std::vector<FloatState>& initial);

// The advice as text: a table of the kinds (measured range, the config's
// format, the proposal), the activation range, and both checks.
std::string advice_report(const FormatAdvice& a, const std::string& base_name);

}  // namespace lstm
