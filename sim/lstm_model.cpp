// Quantizing a model, sequences and states to a config's formats.
#include "sim/lstm_model.hpp"

#include <fmt/format.h>

#include "sim/fixed_point.hpp"
#include "sim/load_saturation.hpp"
#include "spec/lstm_shape.hpp"

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

// A [rows][cols] weight matrix, row-major, named by its model file key.
IntVector quantize_weights(const std::vector<double>& v, int cols, const HwConfig& c,
                           const std::string& key, LoadSaturation* sat) {
  SaturationTally tally(key, "weight", c.weight, "weights");
  const auto n = static_cast<std::size_t>(cols);
  IntVector q;
  q.reserve(v.size());
  for (std::size_t k = 0; k < v.size(); ++k)
    q.push_back(
        tally.quantize(v[k], [&] { return fmt::format("/{}/{}/{}", key, k / n, k % n); }));
  tally.finish(sat);
  return q;
}

// Layer k of one direction (suffix "" or "_reverse", as in the model file).
QuantLayer quantize_layer(const FloatLayer& l, CellType cell, const HwConfig& c, std::size_t k,
                          const char* suffix, LoadSaturation* sat) {
  QuantLayer ql;
  ql.input_size = l.input_size;
  ql.hidden_size = l.hidden_size;
  ql.w_ih = quantize_weights(l.w_ih, l.input_size, c, fmt::format("weight_ih_l{}{}", k, suffix),
                             sat);
  ql.w_hh = quantize_weights(l.w_hh, l.hidden_size, c, fmt::format("weight_hh_l{}{}", k, suffix),
                             sat);
  // The two PyTorch biases of a row are added wherever the equations add
  // them, so the hardware holds one; summing before quantizing rounds once
  // instead of twice. A GRU's n row keeps them apart: r multiplies only
  // W_hn h + b_hn (docs/numerics.md, "One GRU layer-step").
  const auto h = static_cast<std::size_t>(l.hidden_size);
  const std::size_t summed = cell == CellType::Gru ? 2 * h : l.b_ih.size();
  const std::string b_ih = fmt::format("bias_ih_l{}{}", k, suffix);
  const std::string b_hh = fmt::format("bias_hh_l{}{}", k, suffix);
  // One tensor for what the hardware holds in its bias memory: the summed
  // rows, and a GRU's b_in rows alone.
  SaturationTally bias(b_ih + " + " + b_hh, "bias", c.bias, "biases");
  ql.bias.reserve(l.b_ih.size());
  for (std::size_t r = 0; r < l.b_ih.size(); ++r)
    ql.bias.push_back(r < summed ? bias.quantize(l.b_ih[r] + l.b_hh[r], [&] {
      return fmt::format("/{}/{} + /{}/{}", b_ih, r, b_hh, r);
    }) : bias.quantize(l.b_ih[r], [&] { return fmt::format("/{}/{}", b_ih, r); }));
  bias.finish(sat);
  SaturationTally bias_hn(b_hh + " (n rows)", "bias", c.bias, "biases");
  for (std::size_t r = summed; cell == CellType::Gru && r < l.b_hh.size(); ++r)
    ql.bias_hn.push_back(
        bias_hn.quantize(l.b_hh[r], [&] { return fmt::format("/{}/{}", b_hh, r); }));
  bias_hn.finish(sat);
  return ql;
}

}  // namespace

// A GRU layer stacks three gate rows (r, z, n); an LSTM layer kGates (i, f, g, o).
int gate_rows(CellType c) { return c == CellType::Gru ? 3 : kGates; }

std::string_view cell_name(CellType c) { return c == CellType::Gru ? "gru" : "lstm"; }

QuantModel quantize_model(const FloatModel& m, const HwConfig& c, LoadSaturation* sat) {
  QuantModel q;
  q.cell = m.cell;
  for (std::size_t k = 0; k < m.layers.size(); ++k) {
    q.layers.push_back(quantize_layer(m.layers[k], m.cell, c, k, "", sat));
    if (k < m.reverse.size())
      q.reverse.push_back(quantize_layer(m.reverse[k], m.cell, c, k, "_reverse", sat));
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
