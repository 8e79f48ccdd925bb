// Quantizing a model and sequences to a config's formats.
#include "sim/lstm_model.hpp"

#include "sim/fixed_point.hpp"

namespace lstm {

namespace {

IntVector quantize_all(const std::vector<double>& v, FixedFormat fmt) {
  IntVector q;
  q.reserve(v.size());
  for (double x : v) q.push_back(quantize(x, fmt));
  return q;
}

}  // namespace

QuantModel quantize_model(const FloatModel& m, const HwConfig& c) {
  QuantModel q;
  for (const FloatLayer& l : m.layers) {
    QuantLayer ql;
    ql.input_size = l.input_size;
    ql.hidden_size = l.hidden_size;
    ql.w_ih = quantize_all(l.w_ih, c.weight);
    ql.w_hh = quantize_all(l.w_hh, c.weight);
    // The two PyTorch biases are always added together, so the hardware holds
    // one; summing before quantizing rounds once instead of twice.
    ql.bias.reserve(l.b_ih.size());
    for (std::size_t k = 0; k < l.b_ih.size(); ++k)
      ql.bias.push_back(quantize(l.b_ih[k] + l.b_hh[k], c.bias));
    q.layers.push_back(std::move(ql));
  }
  return q;
}

IntSequence quantize_sequence(const Sequence& s, FixedFormat fmt) {
  IntSequence q;
  q.reserve(s.size());
  for (const Vector& v : s) q.push_back(quantize_all(v, fmt));
  return q;
}

Sequence dequantize_sequence(const IntSequence& s, FixedFormat fmt) {
  Sequence d;
  d.reserve(s.size());
  for (const IntVector& v : s) {
    Vector row;
    row.reserve(v.size());
    for (std::int64_t q : v) row.push_back(to_double(q, fmt));
    d.push_back(std::move(row));
  }
  return d;
}

}  // namespace lstm
