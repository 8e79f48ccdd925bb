// Double-precision LSTM with torch.nn.LSTM semantics: the accuracy reference
// for the fixed-point model (not bit-exact with anything).
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/golden_lstm.hpp"

namespace lstm {

namespace {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// One layer-step: updates h and c in place from input x.
void float_step(const FloatLayer& l, const Vector& x, Vector& h, Vector& c) {
  const auto nx = static_cast<std::size_t>(l.input_size);
  const auto nh = static_cast<std::size_t>(l.hidden_size);
  std::vector<double> z(4 * nh);
  for (std::size_t r = 0; r < 4 * nh; ++r) {
    double acc = l.b_ih[r] + l.b_hh[r];
    for (std::size_t j = 0; j < nx; ++j) acc += l.w_ih[r * nx + j] * x[j];
    for (std::size_t j = 0; j < nh; ++j) acc += l.w_hh[r * nh + j] * h[j];
    z[r] = acc;
  }
  for (std::size_t u = 0; u < nh; ++u) {  // gate rows stacked i, f, g, o
    const double i = sigmoid(z[u]);
    const double f = sigmoid(z[nh + u]);
    const double g = std::tanh(z[2 * nh + u]);
    const double o = sigmoid(z[3 * nh + u]);
    c[u] = f * c[u] + i * g;
    h[u] = o * std::tanh(c[u]);
  }
}

}  // namespace

Sequence run_float_lstm(const FloatModel& m, const Sequence& x) {
  std::vector<Vector> h;
  std::vector<Vector> c;
  for (const FloatLayer& l : m.layers) {
    h.emplace_back(static_cast<std::size_t>(l.hidden_size), 0.0);
    c.emplace_back(static_cast<std::size_t>(l.hidden_size), 0.0);
  }
  Sequence out;
  out.reserve(x.size());
  for (std::size_t t = 0; t < x.size(); ++t) {
    if (x[t].size() != static_cast<std::size_t>(m.input_size))
      throw std::invalid_argument(fmt::format(
          "run_float_lstm: step {} has {} inputs, model expects {}", t, x[t].size(),
          m.input_size));
    const Vector* in = &x[t];
    for (std::size_t k = 0; k < m.layers.size(); ++k) {
      float_step(m.layers[k], *in, h[k], c[k]);
      in = &h[k];
    }
    out.push_back(*in);
  }
  return out;
}

}  // namespace lstm
