// Whole-set runs of the float and golden engines.
#include "sim/engines.hpp"

#include <cmath>
#include <stdexcept>

#include "sim/golden_lstm.hpp"

namespace lstm {

SequenceSet run_float_set(const FloatModel& m, const SequenceSet& inputs) {
  SequenceSet out;
  out.reserve(inputs.size());
  for (const Sequence& s : inputs) out.push_back(run_float_lstm(m, s));
  return out;
}

SequenceSet run_golden_set(const HwConfig& c, const FloatModel& m, const SequenceSet& inputs) {
  const GoldenLstm golden(c, quantize_model(m, c));
  SequenceSet out;
  out.reserve(inputs.size());
  for (const Sequence& s : inputs)
    out.push_back(dequantize_sequence(golden.run(quantize_sequence(s, c.data)), c.data));
  return out;
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
