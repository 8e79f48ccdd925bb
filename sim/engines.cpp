// Whole-set runs of the float and golden engines.
#include "sim/engines.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/golden_lstm.hpp"

namespace lstm {

namespace {

void check_initial(const SequenceSet& inputs, const std::vector<FloatState>& initial) {
  if (!initial.empty() && initial.size() != inputs.size())
    throw std::invalid_argument(fmt::format("{} initial states for {} sequences",
                                            initial.size(), inputs.size()));
}

}  // namespace

SetRun run_float(const FloatModel& m, const SequenceSet& inputs,
                 const std::vector<FloatState>& initial) {
  check_initial(inputs, initial);
  SetRun out;
  for (std::size_t s = 0; s < inputs.size(); ++s) {
    FloatRun r = run_float_model(m, inputs[s], initial.empty() ? FloatState{} : initial[s]);
    out.outputs.push_back(std::move(r.outputs));
    out.final_states.push_back(std::move(r.final_state));
  }
  return out;
}

SetRun run_golden(const HwConfig& c, const FloatModel& m, const SequenceSet& inputs,
                  const std::vector<FloatState>& initial) {
  check_initial(inputs, initial);
  const GoldenLstm golden(c, quantize_model(m, c));
  SetRun out;
  for (std::size_t s = 0; s < inputs.size(); ++s) {
    const IntState start = initial.empty() ? IntState{} : quantize_state(initial[s], c);
    const IntRun r = golden.run(quantize_sequence(inputs[s], c.data), start);
    out.outputs.push_back(dequantize_sequence(r.outputs, c.data));
    out.final_states.push_back(dequantize_state(r.final_state, c));
    out.saturation.resize(r.saturation.size());
    for (std::size_t k = 0; k < r.saturation.size(); ++k) out.saturation[k] += r.saturation[k];
  }
  return out;
}

SequenceSet run_float_set(const FloatModel& m, const SequenceSet& inputs) {
  return run_float(m, inputs).outputs;
}

SequenceSet run_golden_set(const HwConfig& c, const FloatModel& m, const SequenceSet& inputs) {
  return run_golden(c, m, inputs).outputs;
}

ErrorStats compare_outputs(const SequenceSet& a, const SequenceSet& b) {
  const auto mismatch = [] { return std::invalid_argument("compare_outputs: shapes differ"); };
  if (a.size() != b.size()) throw mismatch();
  ErrorStats st;
  double sum = 0.0;
  for (std::size_t s = 0; s < a.size(); ++s) {
    if (a[s].size() != b[s].size()) throw mismatch();
    for (std::size_t t = 0; t < a[s].size(); ++t) {
      if (a[s][t].size() != b[s][t].size()) throw mismatch();
      for (std::size_t u = 0; u < a[s][t].size(); ++u) {
        const double d = std::abs(a[s][t][u] - b[s][t][u]);
        st.max_abs = std::max(st.max_abs, d);
        sum += d;
        ++st.count;
      }
    }
  }
  st.mean_abs = st.count == 0 ? 0.0 : sum / static_cast<double>(st.count);
  return st;
}

}  // namespace lstm
