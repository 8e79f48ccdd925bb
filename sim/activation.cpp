// Sigmoid and tanh by table (docs/numerics.md, "Activations"). The generator
// emits activation_table() as the RTL ROM contents, so golden model and
// hardware read the same numbers.
#include "sim/activation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/fixed_point.hpp"

namespace lstm {

namespace {

double eval(ActFunction f, double x) {
  return f == ActFunction::Sigmoid ? 1.0 / (1.0 + std::exp(-x)) : std::tanh(x);
}

}  // namespace

std::vector<std::int64_t> activation_table(const HwConfig& c, ActFunction f) {
  const ActivationConfig& a = c.activation;
  if (a.index_bits < 1 || a.index_bits > 24 || a.range < 1)
    throw std::invalid_argument(fmt::format(
        "activation: index_bits {} or range {} out of bounds", a.index_bits, a.range));
  const std::int64_t n = std::int64_t{1} << a.index_bits;
  const double range = a.range;
  // Sample points are multiples of 2R/N: exact in binary, so the table does not
  // depend on how the host rounds the argument.
  std::vector<std::int64_t> table;
  if (a.kind == ActivationKind::Lut) {
    for (std::int64_t i = 0; i < n; ++i) {  // segment centres
      const double x = -range + (static_cast<double>(i) + 0.5) * 2.0 * range / static_cast<double>(n);
      table.push_back(quantize(eval(f, x), c.gate));
    }
  } else {
    for (std::int64_t i = 0; i <= n; ++i) {  // segment ends
      const double x = -range + static_cast<double>(i) * 2.0 * range / static_cast<double>(n);
      table.push_back(quantize(eval(f, x), c.gate));
    }
  }
  return table;
}

Activation::Activation(const HwConfig& c, ActFunction f)
    : cfg_(c), table_(activation_table(c, f)) {}

Activation::Index Activation::index_of(std::int64_t z, int in_frac) const {
  const int s = activation_shift(cfg_, in_frac);
  if (s < 0 || s > 62)
    throw std::invalid_argument(fmt::format(
        "activation: index shift {} for input fraction {} outside 0..62", s, in_frac));
  const std::int64_t n = std::int64_t{1} << cfg_.activation.index_bits;
  const std::int64_t t = z >> s;  // floor
  return {s, t, t + n / 2, n};
}

Clamped Activation::lookup(std::int64_t z, int in_frac) const {
  const auto [s, t, idx, n] = index_of(z, in_frac);
  const bool beyond = idx < 0 || idx >= n;
  if (cfg_.activation.kind == ActivationKind::Lut)
    return {table_[static_cast<std::size_t>(std::clamp<std::int64_t>(idx, 0, n - 1))], beyond};
  if (idx < 0) return {table_.front(), true};
  if (idx >= n) return {table_.back(), true};
  const std::int64_t rem = z - t * (std::int64_t{1} << s);  // 0 <= rem < 2^s
  const auto k = static_cast<std::size_t>(idx);
  const std::int64_t base = table_[k] * (std::int64_t{1} << s);
  // Between two table entries, so this narrow never saturates.
  return {narrow(base + (table_[k + 1] - table_[k]) * rem, s, cfg_.gate.width, cfg_.rounding),
          false};
}

Activation::Read Activation::read(std::int64_t z, int in_frac) const {
  const auto [s, t, idx, n] = index_of(z, in_frac);
  if (idx < 0) return {table_.front(), 0, 0};
  if (idx >= n) return {table_.back(), 0, 0};
  const auto k = static_cast<std::size_t>(idx);
  // lut, or pwl with rem always 0: lo is the result.
  if (cfg_.activation.kind == ActivationKind::Lut || s == 0) return {table_[k], 0, 0};
  return {table_[k], table_[k + 1] - table_[k], z - t * (std::int64_t{1} << s)};
}

std::int64_t Activation::fin(std::int64_t lo, std::int64_t prod, int in_frac) const {
  const int s = activation_shift(cfg_, in_frac);
  return narrow(lo * (std::int64_t{1} << s) + prod, s, cfg_.gate.width, cfg_.rounding);
}

GateActivations::GateActivations(const HwConfig& c)
    : acc_frac_(c.accum.frac),
      cell_frac_(c.cell.frac),
      sigmoid_(c, ActFunction::Sigmoid),
      tanh_(c, ActFunction::Tanh) {}

std::int64_t GateActivations::act_sigmoid_acc(std::int64_t z, SatCounts* sat) const {
  const Clamped r = sigmoid_.lookup(z, acc_frac_);
  if (sat) sat->count(SatEvent::ActSigmoidAcc, r.saturated);
  return r.value;
}

std::int64_t GateActivations::act_tanh_acc(std::int64_t z, SatCounts* sat) const {
  const Clamped r = tanh_.lookup(z, acc_frac_);
  if (sat) sat->count(SatEvent::ActTanhAcc, r.saturated);
  return r.value;
}

std::int64_t GateActivations::act_tanh_cell(std::int64_t c, SatCounts* sat) const {
  const Clamped r = tanh_.lookup(c, cell_frac_);
  if (sat) sat->count(SatEvent::ActTanhCell, r.saturated);
  return r.value;
}

}  // namespace lstm
