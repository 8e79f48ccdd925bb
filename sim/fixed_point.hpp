// Fixed-point arithmetic rules of docs/numerics.md, written once. The RTL's
// lstm_pkg functions of the same names mirror these.
#pragma once

#include <cstdint>

#include "spec/config.hpp"
#include "sim/saturation.hpp"

namespace lstm {

// A value clamped to a width, and whether the clamp changed it.
struct Clamped {
  std::int64_t value = 0;
  bool saturated = false;
};

// saturate(round_half_away(v * 2^fmt.frac), fmt.width). v must be finite.
std::int64_t quantize(double v, FixedFormat fmt);
// The same, saying whether round_half_away(v * 2^fmt.frac) was outside the
// format (docs/numerics.md, "Saturation at load time").
Clamped quantize_checked(double v, FixedFormat fmt);
// q / 2^fmt.frac
double to_double(std::int64_t q, FixedFormat fmt);
// Clamp to [-2^(width-1), 2^(width-1)-1].
std::int64_t saturate(std::int64_t v, int width);
Clamped saturate_checked(std::int64_t v, int width);
// Shift right with rounding (shift > 0) or left (shift <= 0), then saturate.
std::int64_t narrow(std::int64_t v, int shift, int width, Rounding r);
Clamped narrow_checked(std::int64_t v, int shift, int width, Rounding r);

// The named narrowings of one layer-step (docs/numerics.md), bound to a config.
// Given `sat`, each counts its saturation event there (docs/numerics.md,
// "Saturation events"); bias_to_accum and narrow_reset cannot saturate.
class Numerics {
 public:
  explicit Numerics(const HwConfig& c);
  const HwConfig& config() const { return cfg_; }
  // bias (bias format) aligned to the accumulator.
  std::int64_t bias_to_accum(std::int64_t bias) const;
  // c_new from gates i, f, g (gate format) and c_prev (cell format).
  std::int64_t narrow_cell(std::int64_t i, std::int64_t f, std::int64_t g,
                           std::int64_t c_prev, SatCounts* sat = nullptr) const;
  // h_new from o and tanh(c_new), both gate format.
  std::int64_t narrow_hidden(std::int64_t o, std::int64_t tanh_c,
                             SatCounts* sat = nullptr) const;

  // GRU (docs/numerics.md, "One GRU layer-step"):
  // r (gate format) times a_nh = W_hn h + b_hn (accumulator format), back in
  // the accumulator format.
  std::int64_t narrow_reset(std::int64_t r, std::int64_t a_nh) const;
  // The candidate's pre-activation a_nx + narrow_reset(r, a_nh), both in the
  // accumulator format, saturated to the accumulator's width.
  std::int64_t narrow_candidate(std::int64_t a_nx, std::int64_t reset,
                                SatCounts* sat = nullptr) const;
  // h_new = (1 - z) * n + z * h_prev from z and n (gate format) and h_prev
  // (data format), in the data format.
  std::int64_t narrow_gru_hidden(std::int64_t z, std::int64_t n, std::int64_t h_prev,
                                 SatCounts* sat = nullptr) const;

 private:
  HwConfig cfg_;
};

}  // namespace lstm
