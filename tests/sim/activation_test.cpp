// Sigmoid and tanh tables: shape, saturation, monotonicity and accuracy over
// the whole input range, on the default config and on a small one.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/activation.hpp"
#include "sim/fixed_point.hpp"

using namespace lstm;

namespace {

HwConfig small_config() {
  HwConfig c;
  c.name = "small";
  c.data = {8, 5};
  c.weight = {8, 6};
  c.bias = {8, 6};
  c.accum = {24, 11};
  c.gate = {10, 8};
  c.cell = {12, 8};
  c.activation.index_bits = 5;
  c.activation.range = 4;
  return c;
}

struct Case {
  std::string name;
  HwConfig config;
};

// Both kinds on both configs.
std::vector<Case> cases() {
  std::vector<Case> out;
  for (const auto& [base_name, base] : {std::pair{"default", HwConfig{}},
                                        std::pair{"small", small_config()}})
    for (ActivationKind kind : {ActivationKind::Lut, ActivationKind::Pwl}) {
      HwConfig c = base;
      c.activation.kind = kind;
      out.push_back({fmt::format("{} {}", base_name, kind == ActivationKind::Lut ? "lut" : "pwl"), c});
    }
  return out;
}

double reference(ActFunction f, double x) {
  return f == ActFunction::Sigmoid ? 1.0 / (1.0 + std::exp(-x)) : std::tanh(x);
}

// Calls visit(z), in increasing order, for inputs covering the whole range
// of a format: every value in [-(R+1), R+1] when there are at most 2^22 of
// them (otherwise a stride of 61 plus +-2 around every segment edge), and
// beyond that, where the output is flat, powers of two out to both extremes.
void for_each_input(const HwConfig& c, int width, int frac,
                    const std::function<void(std::int64_t)>& visit) {
  const std::int64_t lo = -(std::int64_t{1} << (width - 1));
  const std::int64_t hi = (std::int64_t{1} << (width - 1)) - 1;
  const std::int64_t span =
      std::min(hi, static_cast<std::int64_t>(c.activation.range + 1) << frac);
  std::vector<std::int64_t> zs{lo, hi};
  for (std::int64_t p = span; p > 0 && p < hi; p *= 2) {
    zs.push_back(p);
    zs.push_back(-p - 1);
  }
  const std::int64_t stride = 2 * span <= (std::int64_t{1} << 22) ? 1 : 61;
  for (std::int64_t z = -span; z <= span; z += stride) zs.push_back(z);
  if (stride > 1) {
    const int s = activation_shift(c, frac);
    const std::int64_t n = std::int64_t{1} << c.activation.index_bits;
    for (std::int64_t i = -n / 2 - 1; i <= n / 2 + 1; ++i)
      for (std::int64_t d = -2; d <= 2; ++d) zs.push_back(i * (std::int64_t{1} << s) + d);
  }
  std::sort(zs.begin(), zs.end());
  zs.erase(std::unique(zs.begin(), zs.end()), zs.end());
  for (std::int64_t z : zs)
    if (z >= lo && z <= hi) visit(z);
}

// Worst-case error of the table against the true function, derived from the
// table's construction. q = 2^-gate.frac, R = range, N = 2^index_bits,
// w = 2R/N (segment width), L = max|f'| (sigmoid 1/4, tanh 1),
// M = max|f''| (sigmoid 1/(6 sqrt 3), tanh 4/(3 sqrt 3)), tail = |f(inf) - f(R)|.
// - lut: the entry is f at the segment centre, at most w/2 away: L*w/2; beyond
//   +-R add the tail. The entry is rounded: q/2.
// - pwl: linear interpolation between exact breakpoints is off by at most
//   w^2/8 * M; breakpoints rounded: q/2; the interpolation result is rounded
//   again: q/2 (nearest) or q (floor); beyond +-R the tail.
double error_bound(const HwConfig& c, ActFunction f) {
  const double q = std::ldexp(1.0, -c.gate.frac);
  const double r = c.activation.range;
  const double w = 2.0 * r / std::ldexp(1.0, c.activation.index_bits);
  const bool sig = f == ActFunction::Sigmoid;
  const double tail = sig ? 1.0 - reference(f, r) : 1.0 - std::tanh(r);
  if (c.activation.kind == ActivationKind::Lut) {
    const double slope = sig ? 0.25 : 1.0;
    return slope * w / 2 + tail + q / 2;
  }
  const double curvature = sig ? 1.0 / (6.0 * std::sqrt(3.0)) : 4.0 / (3.0 * std::sqrt(3.0));
  const double final_round = c.rounding == Rounding::Nearest ? q / 2 : q;
  return w * w / 8 * curvature + q / 2 + final_round + tail;
}

// The two inputs of the activation units: gate pre-activations and the cell.
struct Input {
  const char* what;
  FixedFormat fmt;
};
std::vector<Input> inputs(const HwConfig& c) { return {{"accum", c.accum}, {"cell", c.cell}}; }

}  // namespace

TEST_SUITE("activation") {

TEST_CASE("lut tables have N entries and pwl tables N+1") {
  for (const Case& k : cases()) {
    CAPTURE(k.name);
    const std::size_t n = std::size_t{1} << k.config.activation.index_bits;
    const std::size_t expected = k.config.activation.kind == ActivationKind::Lut ? n : n + 1;
    CHECK(activation_table(k.config, ActFunction::Sigmoid).size() == expected);
    CHECK(activation_table(k.config, ActFunction::Tanh).size() == expected);
  }
}

TEST_CASE("table entries are the quantized function at the documented sample points") {
  for (const Case& k : cases()) {
    CAPTURE(k.name);
    const double r = k.config.activation.range;
    const double n = std::ldexp(1.0, k.config.activation.index_bits);
    const bool lut = k.config.activation.kind == ActivationKind::Lut;
    for (ActFunction f : {ActFunction::Sigmoid, ActFunction::Tanh}) {
      const auto t = activation_table(k.config, f);
      for (std::size_t i : {std::size_t{0}, t.size() / 3, t.size() - 1}) {
        const double x = -r + (static_cast<double>(i) + (lut ? 0.5 : 0.0)) * 2 * r / n;
        CHECK(t[i] == quantize(reference(f, x), k.config.gate));
      }
    }
  }
}

TEST_CASE("outputs saturate to the end entries at and beyond plus and minus range") {
  for (const Case& k : cases()) {
    CAPTURE(k.name);
    for (ActFunction f : {ActFunction::Sigmoid, ActFunction::Tanh}) {
      const Activation act(k.config, f);
      for (const Input& in : inputs(k.config)) {
        CAPTURE(in.what);
        const std::int64_t r = std::int64_t{k.config.activation.range} << in.fmt.frac;
        const std::int64_t top = (std::int64_t{1} << (in.fmt.width - 1)) - 1;
        if (r <= top) {  // the format can reach +range
          CHECK(act(r, in.fmt.frac) == act.table().back());
          CHECK(act(top, in.fmt.frac) == act.table().back());
          CHECK(act(-r - 1, in.fmt.frac) == act.table().front());
          CHECK(act(-top - 1, in.fmt.frac) == act.table().front());
        }
      }
      if (k.config.activation.kind == ActivationKind::Pwl) {  // the ends are f(-R) and f(R)
        CHECK(act.table().front() ==
              quantize(reference(f, -k.config.activation.range), k.config.gate));
        CHECK(act.table().back() ==
              quantize(reference(f, k.config.activation.range), k.config.gate));
      }
    }
  }
}

TEST_CASE("pwl passes exactly through its breakpoints") {
  for (const Case& k : cases()) {
    if (k.config.activation.kind != ActivationKind::Pwl) continue;
    CAPTURE(k.name);
    const Activation act(k.config, ActFunction::Sigmoid);
    const int frac = k.config.accum.frac;
    const int s = activation_shift(k.config, frac);
    const std::int64_t n = std::int64_t{1} << k.config.activation.index_bits;
    for (std::int64_t i = 0; i <= n; ++i)
      CHECK(act((i - n / 2) * (std::int64_t{1} << s), frac) == act.table()[static_cast<std::size_t>(i)]);
  }
}

TEST_CASE("sigmoid and tanh are monotonic non-decreasing over the whole input range") {
  for (const Case& k : cases()) {
    for (ActFunction f : {ActFunction::Sigmoid, ActFunction::Tanh}) {
      const Activation act(k.config, f);
      for (const Input& in : inputs(k.config)) {
        CAPTURE(k.name);
        CAPTURE(in.what);
        CAPTURE(f == ActFunction::Sigmoid ? "sigmoid" : "tanh");
        std::int64_t prev = std::numeric_limits<std::int64_t>::min();
        std::int64_t bad_z = 0;
        bool ok = true;
        for_each_input(k.config, in.fmt.width, in.fmt.frac, [&](std::int64_t z) {
          const std::int64_t y = act(z, in.fmt.frac);
          if (ok && y < prev) { ok = false; bad_z = z; }
          prev = y;
        });
        CAPTURE(bad_z);
        CHECK(ok);
      }
    }
  }
}

TEST_CASE("sigmoid and tanh stay within the derived error bound over the whole input range") {
  for (const Case& k : cases()) {
    for (ActFunction f : {ActFunction::Sigmoid, ActFunction::Tanh}) {
      const Activation act(k.config, f);
      const double bound = error_bound(k.config, f);
      for (const Input& in : inputs(k.config)) {
        double worst = 0.0;
        for_each_input(k.config, in.fmt.width, in.fmt.frac, [&](std::int64_t z) {
          const double x = std::ldexp(static_cast<double>(z), -in.fmt.frac);
          const double y = to_double(act(z, in.fmt.frac), k.config.gate);
          worst = std::max(worst, std::abs(y - reference(f, x)));
        });
        INFO(fmt::format("{} {} on {}: max error {:.3e}, bound {:.3e}", k.name,
                         f == ActFunction::Sigmoid ? "sigmoid" : "tanh", in.what, worst, bound));
        CHECK(worst <= bound);
      }
    }
  }
}

}  // TEST_SUITE
