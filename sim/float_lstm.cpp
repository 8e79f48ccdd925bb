// Double-precision LSTM and GRU with torch.nn.LSTM / torch.nn.GRU semantics:
// the accuracy reference for the fixed-point model (not bit-exact with
// anything).
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/golden_lstm.hpp"
#include "spec/lstm_shape.hpp"

namespace lstm {

namespace {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// acc plus the dot product of W's row r with x, summed in order.
double row_sum(double acc, const std::vector<double>& w, std::size_t r, const Vector& x) {
  const std::size_t n = x.size();
  for (std::size_t j = 0; j < n; ++j) acc += w[r * n + j] * x[j];
  return acc;
}

// One LSTM layer-step (gate rows i, f, g, o): updates h and c in place, and
// `ranges` if given.
void lstm_step(const FloatLayer& l, const Vector& x, Vector& h, Vector& c, FloatRanges* ranges) {
  const auto nh = static_cast<std::size_t>(l.hidden_size);
  std::vector<double> z(kGates * nh);
  for (std::size_t r = 0; r < kGates * nh; ++r)
    z[r] = row_sum(row_sum(l.b_ih[r] + l.b_hh[r], l.w_ih, r, x), l.w_hh, r, h);
  for (std::size_t u = 0; u < nh; ++u) {
    const double i = sigmoid(z[u]);
    const double f = sigmoid(z[nh + u]);
    const double g = std::tanh(z[2 * nh + u]);
    const double o = sigmoid(z[3 * nh + u]);
    c[u] = f * c[u] + i * g;
    h[u] = o * std::tanh(c[u]);
    if (ranges) {
      for (std::size_t q = 0; q < kGates; ++q) ranges->preact.add(z[q * nh + u]);
      ranges->cell.add(c[u]);
      ranges->h.add(h[u]);
    }
  }
}

// One GRU layer-step (gate rows r, z, n), torch.nn.GRU:
//   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
//   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
//   h' = (1 - z) * n + z * h
void gru_step(const FloatLayer& l, const Vector& x, Vector& h, FloatRanges* ranges) {
  const auto nh = static_cast<std::size_t>(l.hidden_size);
  Vector next(nh);
  for (std::size_t u = 0; u < nh; ++u) {
    const double a_r = row_sum(l.b_ih[u], l.w_ih, u, x) + row_sum(l.b_hh[u], l.w_hh, u, h);
    const double r = sigmoid(a_r);
    const std::size_t zr = nh + u;
    const double a_z = row_sum(l.b_ih[zr], l.w_ih, zr, x) + row_sum(l.b_hh[zr], l.w_hh, zr, h);
    const double z = sigmoid(a_z);
    const std::size_t nr = 2 * nh + u;
    const double a_n = row_sum(l.b_ih[nr], l.w_ih, nr, x) + r * row_sum(l.b_hh[nr], l.w_hh, nr, h);
    const double n = std::tanh(a_n);
    next[u] = (1.0 - z) * n + z * h[u];
    if (ranges) {
      ranges->preact.add(a_r);
      ranges->preact.add(a_z);
      ranges->preact.add(a_n);
      ranges->h.add(next[u]);
    }
  }
  h = std::move(next);
}

// One direction of one layer over the sequence; h after every step, by step.
Sequence run_direction(CellType cell, const FloatLayer& l, const Sequence& in, bool backwards,
                       Vector& h, Vector& c, FloatRanges* ranges) {
  Sequence out(in.size());
  for (std::size_t s = 0; s < in.size(); ++s) {
    const std::size_t t = backwards ? in.size() - 1 - s : s;
    if (in[t].size() != static_cast<std::size_t>(l.input_size))
      throw std::invalid_argument(fmt::format(
          "run_float_model: step {} has {} inputs, the layer expects {}", t, in[t].size(),
          l.input_size));
    if (cell == CellType::Gru) gru_step(l, in[t], h, ranges);
    else lstm_step(l, in[t], h, c, ranges);
    out[t] = h;
  }
  return out;
}

void check_state(const FloatModel& m, const FloatState& s) {
  const std::size_t rows = m.layers.size() * static_cast<std::size_t>(m.directions());
  const bool has_c = m.cell == CellType::Lstm;
  bool ok = (s.h.empty() || s.h.size() == rows) && (s.c.empty() || (has_c && s.c.size() == rows));
  for (std::size_t r = 0; ok && r < rows; ++r) {
    const auto nh = static_cast<std::size_t>(m.hidden_size);
    ok = (s.h.empty() || s.h[r].size() == nh) && (s.c.empty() || s.c[r].size() == nh);
  }
  if (!ok)
    throw std::invalid_argument(fmt::format(
        "run_float_model: an initial state needs {} rows of {} numbers in h{} (or none)", rows,
        m.hidden_size, has_c ? " and in c" : " and no c"));
}

}  // namespace

FloatRun run_float_model(const FloatModel& m, const Sequence& x, const FloatState& initial,
                         FloatRanges* ranges) {
  check_state(m, initial);
  const auto dirs = static_cast<std::size_t>(m.directions());
  FloatRun run;
  Sequence in = x;
  for (std::size_t k = 0; k < m.layers.size(); ++k) {
    std::vector<Sequence> outs;
    for (std::size_t d = 0; d < dirs; ++d) {
      const FloatLayer& l = d == 0 ? m.layers[k] : m.reverse[k];
      const std::size_t row = k * dirs + d;
      const auto nh = static_cast<std::size_t>(l.hidden_size);
      Vector h = initial.h.empty() ? Vector(nh, 0.0) : initial.h[row];
      Vector c = initial.c.empty() ? Vector(nh, 0.0) : initial.c[row];
      outs.push_back(run_direction(m.cell, l, in, d == 1, h, c, ranges));
      run.final_state.h.push_back(std::move(h));
      if (m.cell == CellType::Lstm) run.final_state.c.push_back(std::move(c));
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

Sequence run_float_lstm(const FloatModel& m, const Sequence& x) {
  for (std::size_t t = 0; t < x.size(); ++t)
    if (x[t].size() != static_cast<std::size_t>(m.input_size))
      throw std::invalid_argument(fmt::format(
          "run_float_lstm: step {} has {} inputs, model expects {}", t, x[t].size(),
          m.input_size));
  return run_float_model(m, x, FloatState{}).outputs;
}

}  // namespace lstm
