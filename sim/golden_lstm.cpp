// The bit-exact fixed-point model (docs/numerics.md): the layer and direction
// loop, and the LSTM layer-step. The GRU layer-step is in golden_gru.cpp.
#include "sim/golden_lstm.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "sim/checked_accumulator.hpp"
#include "spec/lstm_shape.hpp"

namespace lstm {

namespace {

void check_layer(const QuantLayer& l, CellType cell, int input_size, const std::string& where) {
  const auto g = static_cast<std::size_t>(gate_rows(cell));
  const auto x = static_cast<std::size_t>(l.input_size);
  const auto h = static_cast<std::size_t>(l.hidden_size);
  if (l.input_size != input_size)
    throw std::invalid_argument(fmt::format("golden model: {} takes {} inputs, expected {}",
                                            where, l.input_size, input_size));
  const std::size_t hn = cell == CellType::Gru ? h : 0;
  if (l.w_ih.size() != g * h * x || l.w_hh.size() != g * h * h || l.bias.size() != g * h ||
      l.bias_hn.size() != hn)
    throw std::invalid_argument(fmt::format("golden model: {} has weights of the wrong size "
                                            "for a {} layer", where, cell_name(cell)));
}

std::string layer_name(std::size_t k, int direction) {
  return direction == 0 ? fmt::format("layer {}", k) : fmt::format("layer {} (reverse)", k);
}

}  // namespace

GoldenLstm::GoldenLstm(const HwConfig& c, QuantModel m)
    : num_(c), act_(c), model_(std::move(m)) {
  if (model_.layers.empty()) throw std::invalid_argument("golden model: no layers");
  if (model_.bidirectional() && model_.reverse.size() != model_.layers.size())
    throw std::invalid_argument("golden model: a bidirectional model needs a reverse "
                                "direction for every layer");
  int input_size = model_.input_size();
  for (std::size_t k = 0; k < model_.layers.size(); ++k) {
    check_layer(model_.layers[k], model_.cell, input_size, layer_name(k, 0));
    if (model_.bidirectional()) {
      check_layer(model_.reverse[k], model_.cell, input_size, layer_name(k, 1));
      if (model_.reverse[k].hidden_size != model_.layers[k].hidden_size)
        throw std::invalid_argument(fmt::format(
            "golden model: layer {}: the two directions differ in hidden size", k));
    }
    // Layer k + 1 reads layer k's h of every direction.
    input_size = model_.directions() * model_.layers[k].hidden_size;
  }
}

void GoldenLstm::check_state(const IntState& s) const {
  const std::size_t rows = model_.layers.size() * static_cast<std::size_t>(model_.directions());
  const bool has_c = model_.cell == CellType::Lstm;
  if ((!s.h.empty() && s.h.size() != rows) || (!s.c.empty() && (!has_c || s.c.size() != rows)))
    throw std::invalid_argument(fmt::format(
        "golden model: an initial state needs {} rows of h{} (or none), got {} and {}", rows,
        has_c ? " and of c" : " and no c", s.h.size(), s.c.size()));
  for (std::size_t r = 0; r < rows; ++r) {
    const auto nh = static_cast<std::size_t>(model_.layers[r / static_cast<std::size_t>(
                                                 model_.directions())].hidden_size);
    if ((!s.h.empty() && s.h[r].size() != nh) || (!s.c.empty() && s.c[r].size() != nh))
      throw std::invalid_argument(
          fmt::format("golden model: initial state row {} is not {} wide", r, nh));
  }
}

IntSequence GoldenLstm::run(const IntSequence& x) const { return run(x, IntState{}).outputs; }

IntRun GoldenLstm::run(const IntSequence& x, const IntState& initial) const {
  check_state(initial);
  for (std::size_t t = 0; t < x.size(); ++t)
    if (x[t].size() != static_cast<std::size_t>(model_.input_size()))
      throw std::invalid_argument(fmt::format(
          "golden model: step {} has {} inputs, model expects {}", t, x[t].size(),
          model_.input_size()));
  const auto dirs = static_cast<std::size_t>(model_.directions());
  IntRun run;
  run.saturation.resize(model_.layers.size() * dirs);
  IntSequence in = x;
  // Layer by layer: layer k at step t needs layer k - 1 at step t only in one
  // direction, but the reverse direction needs its input's last step first.
  for (std::size_t k = 0; k < model_.layers.size(); ++k) {
    std::vector<IntSequence> outs;
    for (std::size_t d = 0; d < dirs; ++d) {
      const QuantLayer& l = d == 0 ? model_.layers[k] : model_.reverse[k];
      const std::size_t row = k * dirs + d;
      const auto nh = static_cast<std::size_t>(l.hidden_size);
      IntVector h = initial.h.empty() ? IntVector(nh, 0) : initial.h[row];
      IntVector c = initial.c.empty() ? IntVector(nh, 0) : initial.c[row];
      outs.push_back(run_direction(l, in, d == 1, h, c, layer_name(k, static_cast<int>(d)),
                                   run.saturation[row]));
      run.final_state.h.push_back(std::move(h));
      if (model_.cell == CellType::Lstm) run.final_state.c.push_back(std::move(c));
    }
    // The next layer reads the directions concatenated, forward first (PyTorch).
    for (std::size_t t = 0; t < in.size(); ++t) {
      in[t] = std::move(outs[0][t]);
      for (std::size_t d = 1; d < dirs; ++d)
        in[t].insert(in[t].end(), outs[d][t].begin(), outs[d][t].end());
    }
  }
  run.outputs = std::move(in);
  return run;
}

IntSequence GoldenLstm::run_direction(const QuantLayer& l, const IntSequence& in, bool backwards,
                                      IntVector& h, IntVector& c, const std::string& where,
                                      SatCounts& sat) const {
  IntSequence out(in.size());
  for (std::size_t s = 0; s < in.size(); ++s) {
    const std::size_t t = backwards ? in.size() - 1 - s : s;
    if (model_.cell == CellType::Gru) gru_step(l, in[t], h, where, sat);
    else lstm_step(l, in[t], h, c, where, sat);
    out[t] = h;
  }
  return out;
}

void GoldenLstm::lstm_step(const QuantLayer& l, const IntVector& x, IntVector& h, IntVector& c,
                           const std::string& where, SatCounts& sat) const {
  const HwConfig& cfg = num_.config();
  const auto nx = static_cast<std::size_t>(l.input_size);
  const auto nh = static_cast<std::size_t>(l.hidden_size);
  // Pre-activations of all 4H gate rows, from x_t and h_{t-1} of this layer.
  IntVector z(kGates * nh, 0);
  for (std::size_t r = 0; r < kGates * nh; ++r) {
    CheckedAccumulator acc(cfg.accum.width);
    acc.add(num_.bias_to_accum(l.bias[r]));
    acc.add_products(x.data(), &l.w_ih[r * nx], nx);
    acc.add_products(h.data(), &l.w_hh[r * nh], nh);
    z[r] = acc.sum(where, r);
  }
  // All of z depends on the old h, so h is updated only after the loop above.
  for (std::size_t u = 0; u < nh; ++u) {
    const std::int64_t i = act_.act_sigmoid_acc(z[u], &sat);
    const std::int64_t f = act_.act_sigmoid_acc(z[nh + u], &sat);
    const std::int64_t g = act_.act_tanh_acc(z[2 * nh + u], &sat);
    const std::int64_t o = act_.act_sigmoid_acc(z[3 * nh + u], &sat);
    c[u] = num_.narrow_cell(i, f, g, c[u], &sat);
    h[u] = num_.narrow_hidden(o, act_.act_tanh_cell(c[u], &sat), &sat);
  }
}

}  // namespace lstm
