// The bit-exact fixed-point LSTM (docs/numerics.md, "One LSTM layer-step").
// Timestep-major like the hardware: at each step every layer runs in turn.
#include "sim/golden_lstm.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace lstm {

namespace {

struct LayerState {
  IntVector h;  // data format
  IntVector c;  // cell format
};

// Tracks the positive and negative partial sums of one accumulation. If both
// fit in the accumulator, every summation order fits, which is what makes the
// hardware's modes bit-identical (the config validator guarantees this).
class CheckedAccumulator {
 public:
  explicit CheckedAccumulator(int width)
      : max_((std::int64_t{1} << (width - 1)) - 1), min_(-max_ - 1) {}
  void add(std::int64_t term) {
    if (term >= 0) pos_ += term; else neg_ += term;
  }
  std::int64_t sum(int layer, std::size_t row) const {
    if (pos_ > max_ || neg_ < min_)
      throw std::logic_error(fmt::format(
          "golden model: layer {} gate row {}: partial sums reach [{}, {}], beyond the "
          "accumulator's [{}, {}]; the config validator should have rejected this config",
          layer, row, neg_, pos_, min_, max_));
    return pos_ + neg_;
  }

 private:
  std::int64_t max_;
  std::int64_t min_;
  std::int64_t pos_ = 0;
  std::int64_t neg_ = 0;
};

}  // namespace

GoldenLstm::GoldenLstm(const HwConfig& c, QuantModel m)
    : num_(c),
      sigmoid_(c, ActFunction::Sigmoid),
      tanh_(c, ActFunction::Tanh),
      model_(std::move(m)) {
  for (std::size_t k = 1; k < model_.layers.size(); ++k)
    if (model_.layers[k].input_size != model_.layers[k - 1].hidden_size)
      throw std::invalid_argument(fmt::format(
          "golden model: layer {} takes {} inputs but layer {} gives {}", k,
          model_.layers[k].input_size, k - 1, model_.layers[k - 1].hidden_size));
}

IntSequence GoldenLstm::run(const IntSequence& x) const {
  const HwConfig& cfg = num_.config();
  std::vector<LayerState> state;
  for (const QuantLayer& l : model_.layers) {
    const auto nh = static_cast<std::size_t>(l.hidden_size);
    state.push_back({IntVector(nh, 0), IntVector(nh, 0)});
  }

  IntSequence out;
  out.reserve(x.size());
  std::vector<std::int64_t> z;
  for (std::size_t t = 0; t < x.size(); ++t) {
    if (x[t].size() != static_cast<std::size_t>(model_.input_size()))
      throw std::invalid_argument(fmt::format(
          "golden model: step {} has {} inputs, model expects {}", t, x[t].size(),
          model_.input_size()));
    const IntVector* in = &x[t];
    for (std::size_t k = 0; k < model_.layers.size(); ++k) {
      const QuantLayer& l = model_.layers[k];
      LayerState& s = state[k];
      const auto nx = static_cast<std::size_t>(l.input_size);
      const auto nh = static_cast<std::size_t>(l.hidden_size);

      // Pre-activations of all 4H gate rows, from x_t and h_{t-1} of this layer.
      z.assign(4 * nh, 0);
      for (std::size_t r = 0; r < 4 * nh; ++r) {
        CheckedAccumulator acc(cfg.accum.width);
        acc.add(num_.bias_to_accum(l.bias[r]));
        for (std::size_t j = 0; j < nx; ++j) acc.add((*in)[j] * l.w_ih[r * nx + j]);
        for (std::size_t j = 0; j < nh; ++j) acc.add(s.h[j] * l.w_hh[r * nh + j]);
        z[r] = acc.sum(static_cast<int>(k), r);
      }

      // All of z depends on the old h, so h is updated only after the loop above.
      for (std::size_t u = 0; u < nh; ++u) {
        const std::int64_t i = sigmoid_(z[u], cfg.accum.frac);
        const std::int64_t f = sigmoid_(z[nh + u], cfg.accum.frac);
        const std::int64_t g = tanh_(z[2 * nh + u], cfg.accum.frac);
        const std::int64_t o = sigmoid_(z[3 * nh + u], cfg.accum.frac);
        s.c[u] = num_.narrow_cell(i, f, g, s.c[u]);
        s.h[u] = num_.narrow_hidden(o, tanh_(s.c[u], cfg.cell.frac));
      }
      in = &s.h;
    }
    out.push_back(*in);
  }
  return out;
}

}  // namespace lstm
