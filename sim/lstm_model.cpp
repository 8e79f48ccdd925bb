// Quantizing a model, sequences and states to a config's formats.
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

Vector dequantize_all(const IntVector& v, FixedFormat fmt) {
  Vector d;
  d.reserve(v.size());
  for (std::int64_t q : v) d.push_back(to_double(q, fmt));
  return d;
}

QuantLayer quantize_layer(const FloatLayer& l, CellType cell, const HwConfig& c) {
  QuantLayer ql;
  ql.input_size = l.input_size;
  ql.hidden_size = l.hidden_size;
  ql.w_ih = quantize_all(l.w_ih, c.weight);
  ql.w_hh = quantize_all(l.w_hh, c.weight);
  // The two PyTorch biases of a row are added wherever the equations add
  // them, so the hardware holds one; summing before quantizing rounds once
  // instead of twice. A GRU's n row keeps them apart: r multiplies only
  // W_hn h + b_hn (docs/numerics.md, "One GRU layer-step").
  const auto h = static_cast<std::size_t>(l.hidden_size);
  const std::size_t summed = cell == CellType::Gru ? 2 * h : l.b_ih.size();
  ql.bias.reserve(l.b_ih.size());
  for (std::size_t k = 0; k < l.b_ih.size(); ++k)
    ql.bias.push_back(quantize(k < summed ? l.b_ih[k] + l.b_hh[k] : l.b_ih[k], c.bias));
  for (std::size_t k = summed; cell == CellType::Gru && k < l.b_hh.size(); ++k)
    ql.bias_hn.push_back(quantize(l.b_hh[k], c.bias));
  return ql;
}

}  // namespace

int gate_rows(CellType c) { return c == CellType::Gru ? 3 : 4; }

std::string_view cell_name(CellType c) { return c == CellType::Gru ? "gru" : "lstm"; }

QuantModel quantize_model(const FloatModel& m, const HwConfig& c) {
  QuantModel q;
  q.cell = m.cell;
  for (const FloatLayer& l : m.layers) q.layers.push_back(quantize_layer(l, m.cell, c));
  for (const FloatLayer& l : m.reverse) q.reverse.push_back(quantize_layer(l, m.cell, c));
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
  for (const IntVector& v : s) d.push_back(dequantize_all(v, fmt));
  return d;
}

IntState quantize_state(const FloatState& s, const HwConfig& c) {
  return {quantize_sequence(s.h, c.data), quantize_sequence(s.c, c.cell)};
}

FloatState dequantize_state(const IntState& s, const HwConfig& c) {
  return {dequantize_sequence(s.h, c.data), dequantize_sequence(s.c, c.cell)};
}

}  // namespace lstm
