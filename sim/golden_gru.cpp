// The GRU layer-step of the golden model (docs/numerics.md, "One GRU
// layer-step"), torch.nn.GRU semantics with gate rows r, z, n.
//
// Four sums per hidden unit, each exact in the accumulator: r and z over
// [x; h] as an LSTM gate, and the candidate's input part a_nx and recurrent
// part a_nh apart, because the reset gate multiplies only W_hn h + b_hn. That
// is the LSTM's four accumulators per unit, so the same datapath can run it.
#include "sim/checked_accumulator.hpp"
#include "sim/golden_lstm.hpp"

namespace lstm {

void GoldenLstm::gru_step(const QuantLayer& l, const IntVector& x, IntVector& h,
                          const std::string& where, SatCounts& sat) const {
  const HwConfig& cfg = num_.config();
  const auto nx = static_cast<std::size_t>(l.input_size);
  const auto nh = static_cast<std::size_t>(l.hidden_size);
  const auto sum = [&](std::int64_t bias, std::size_t row, bool with_x, bool with_h,
                       const char* part) {
    CheckedAccumulator acc(cfg.accum.width);
    acc.add(num_.bias_to_accum(bias));
    if (with_x) acc.add_products(x.data(), &l.w_ih[row * nx], nx);
    if (with_h) acc.add_products(h.data(), &l.w_hh[row * nh], nh);
    return acc.sum(where, row, part);
  };
  IntVector a_r(nh), a_z(nh), a_nx(nh), a_nh(nh);
  for (std::size_t u = 0; u < nh; ++u) {
    a_r[u] = sum(l.bias[u], u, true, true, "");
    a_z[u] = sum(l.bias[nh + u], nh + u, true, true, "");
    a_nx[u] = sum(l.bias[2 * nh + u], 2 * nh + u, true, false, " (input part)");
    a_nh[u] = sum(l.bias_hn[u], 2 * nh + u, false, true, " (recurrent part)");
  }
  // Every sum reads the old h, so h is updated only after the loop above.
  for (std::size_t u = 0; u < nh; ++u) {
    const std::int64_t r = act_.act_sigmoid_acc(a_r[u], &sat);
    const std::int64_t z = act_.act_sigmoid_acc(a_z[u], &sat);
    const std::int64_t n = act_.act_tanh_acc(
        num_.narrow_candidate(a_nx[u], num_.narrow_reset(r, a_nh[u]), &sat), &sat);
    h[u] = num_.narrow_gru_hidden(z, n, h[u], &sat);
  }
}

}  // namespace lstm
