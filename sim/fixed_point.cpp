// Fixed-point rules of docs/numerics.md. Every narrowing in the golden model
// goes through narrow(); the RTL's lstm_pkg functions mirror these.
#include "sim/fixed_point.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace lstm {

namespace {

// r * a_nh can need more than 64 bits in a wide config (gate 32 + accum 62).
__extension__ using Int128 = __int128;

std::int64_t max_of(int width) { return (std::int64_t{1} << (width - 1)) - 1; }
std::int64_t min_of(int width) { return -(std::int64_t{1} << (width - 1)); }

void check_width(int width) {
  if (width < 1 || width > 63)
    throw std::invalid_argument(fmt::format("fixed-point width {} outside 1..63", width));
}

// v << n, saturated to int64 (a plain shift would wrap).
std::int64_t shift_left_saturating(std::int64_t v, int n) {
  if (n >= 63) return v > 0 ? std::numeric_limits<std::int64_t>::max()
                            : v < 0 ? std::numeric_limits<std::int64_t>::min() : 0;
  if (v > (std::numeric_limits<std::int64_t>::max() >> n))
    return std::numeric_limits<std::int64_t>::max();
  if (v < (std::numeric_limits<std::int64_t>::min() >> n))
    return std::numeric_limits<std::int64_t>::min();
  return v * (std::int64_t{1} << n);
}

// (v + 2^(shift-1) - (v < 0)) >>> shift for rounding nearest, v >>> shift for
// floor, in 128 bits; shift >= 1. The rule of narrow(), before saturating.
Int128 shift_right_rounded(Int128 v, int shift, Rounding r) {
  Int128 shifted = v >> shift;  // arithmetic (floor)
  if (r == Rounding::Nearest) {
    const Int128 dropped = v - shifted * (Int128{1} << shift);
    const Int128 half = Int128{1} << (shift - 1);
    if (dropped > half || (dropped == half && v >= 0)) ++shifted;
  }
  return shifted;
}

std::int64_t clamp_to_int64(Int128 v) {
  if (v > std::numeric_limits<std::int64_t>::max()) return std::numeric_limits<std::int64_t>::max();
  if (v < std::numeric_limits<std::int64_t>::min()) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(v);
}

}  // namespace

Clamped saturate_checked(std::int64_t v, int width) {
  check_width(width);
  if (v > max_of(width)) return {max_of(width), true};
  if (v < min_of(width)) return {min_of(width), true};
  return {v, false};
}

std::int64_t saturate(std::int64_t v, int width) { return saturate_checked(v, width).value; }

Clamped quantize_checked(double v, FixedFormat fmt) {
  if (!std::isfinite(v)) throw std::invalid_argument("quantize: value is not finite");
  check_width(fmt.width);
  // std::round rounds half away from zero. Clamp first: beyond the format's
  // range the result saturates anyway, and the cast must not overflow. The
  // bounds are exact in a double up to width 54 (configs allow at most 32).
  const double scaled = std::round(std::ldexp(v, fmt.frac));
  const auto hi = static_cast<double>(max_of(fmt.width));
  const auto lo = static_cast<double>(min_of(fmt.width));
  if (scaled >= hi) return {max_of(fmt.width), scaled > hi};
  if (scaled <= lo) return {min_of(fmt.width), scaled < lo};
  return {static_cast<std::int64_t>(scaled), false};
}

std::int64_t quantize(double v, FixedFormat fmt) { return quantize_checked(v, fmt).value; }

double to_double(std::int64_t q, FixedFormat fmt) {
  return std::ldexp(static_cast<double>(q), -fmt.frac);
}

std::int64_t narrow(std::int64_t v, int shift, int width, Rounding r) {
  return narrow_checked(v, shift, width, r).value;
}

Clamped narrow_checked(std::int64_t v, int shift, int width, Rounding r) {
  // A left shift beyond int64 saturates there first, and then to width.
  if (shift <= 0) return saturate_checked(shift_left_saturating(v, -shift), width);
  if (shift > 62)  // no valid config comes near this; 2^shift must fit in int64
    throw std::invalid_argument(fmt::format("narrow: shift {} exceeds 62", shift));
  // C++20 defines >> on negative values as arithmetic (floor).
  std::int64_t shifted = v >> shift;
  if (r == Rounding::Nearest) {
    // (v + 2^(shift-1) - (v < 0)) >>> shift, computed without overflowing v:
    // add 1 when the dropped bits are at least half (more than half if v < 0).
    const std::int64_t dropped = v - shifted * (std::int64_t{1} << shift);
    const std::int64_t half = std::int64_t{1} << (shift - 1);
    if (dropped > half || (dropped == half && v >= 0)) ++shifted;
  }
  return saturate_checked(shifted, width);
}

Numerics::Numerics(const HwConfig& c) : cfg_(c) {}

std::int64_t Numerics::bias_to_accum(std::int64_t bias) const {
  return narrow(bias, cfg_.bias.frac - cfg_.accum.frac, cfg_.accum.width, cfg_.rounding);
}

std::int64_t Numerics::narrow_cell(std::int64_t i, std::int64_t f, std::int64_t g,
                                   std::int64_t c_prev, SatCounts* sat) const {
  const int gf = cfg_.gate.frac;
  const int cf = cfg_.cell.frac;
  const int fs = gf + std::max(cf, gf);  // common fraction of both products
  const std::int64_t sum = shift_left_saturating(f * c_prev, fs - gf - cf) +
                           shift_left_saturating(i * g, fs - 2 * gf);
  const Clamped c = narrow_checked(sum, fs - cf, cfg_.cell.width, cfg_.rounding);
  if (sat) sat->count(SatEvent::NarrowCell, c.saturated);
  return c.value;
}

std::int64_t Numerics::narrow_hidden(std::int64_t o, std::int64_t tanh_c,
                                     SatCounts* sat) const {
  const Clamped h = narrow_checked(o * tanh_c, 2 * cfg_.gate.frac - cfg_.data.frac,
                                   cfg_.data.width, cfg_.rounding);
  if (sat) sat->count(SatEvent::NarrowHidden, h.saturated);
  return h.value;
}

std::int64_t Numerics::narrow_reset(std::int64_t r, std::int64_t a_nh) const {
  // narrow(r * a_nh, gate.frac, accum.width): the product is exact in 128
  // bits; the shift rounds as narrow() does, then narrow() saturates.
  const Int128 product = Int128{r} * a_nh;
  const Int128 shifted = cfg_.gate.frac > 0
                             ? shift_right_rounded(product, cfg_.gate.frac, cfg_.rounding)
                             : product;
  return narrow(clamp_to_int64(shifted), 0, cfg_.accum.width, cfg_.rounding);
}

std::int64_t Numerics::narrow_candidate(std::int64_t a_nx, std::int64_t reset,
                                        SatCounts* sat) const {
  // Both operands fit the accumulator (at most 62 bits): the sum fits int64.
  const Clamped a = narrow_checked(a_nx + reset, 0, cfg_.accum.width, cfg_.rounding);
  if (sat) sat->count(SatEvent::NarrowCandidate, a.saturated);
  return a.value;
}

std::int64_t Numerics::narrow_gru_hidden(std::int64_t z, std::int64_t n, std::int64_t h_prev,
                                         SatCounts* sat) const {
  const int gf = cfg_.gate.frac;
  const int df = cfg_.data.frac;
  const int fs = gf + std::max(df, gf);  // common fraction of both products
  const std::int64_t one_minus_z = (std::int64_t{1} << gf) - z;
  const std::int64_t sum = shift_left_saturating(one_minus_z * n, fs - 2 * gf) +
                           shift_left_saturating(z * h_prev, fs - gf - df);
  const Clamped h = narrow_checked(sum, fs - df, cfg_.data.width, cfg_.rounding);
  if (sat) sat->count(SatEvent::NarrowGruHidden, h.saturated);
  return h.value;
}

}  // namespace lstm
