// Saturation events counted by the golden model at every narrowing point
// (docs/numerics.md, "Saturation events"), on models built to saturate one
// point at a time, against an independent double-precision model that clamps
// where the rules say the hardware clamps.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sim/activation.hpp"
#include "sim/engines.hpp"
#include "sim/fixed_point.hpp"
#include "sim/golden_lstm.hpp"
#include "sim/workload.hpp"

using namespace lstm;

namespace {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double max_value(FixedFormat f) { return std::ldexp(std::ldexp(1.0, f.width - 1) - 1, -f.frac); }
double min_value(FixedFormat f) { return -std::ldexp(1.0, f.width - 1 - f.frac); }
// With rounding to nearest, a value saturates from half an LSB beyond the edge on.
double sat_above(FixedFormat f) { return max_value(f) + std::ldexp(0.5, -f.frac); }
double sat_below(FixedFormat f) { return min_value(f) - std::ldexp(0.5, -f.frac); }

// The LSTM in doubles with the golden model's clamps: activation inputs held
// to [-R, R], c to the cell format's range, h to the data format's. Counts the
// events by comparing with the same thresholds, and records how close any
// value came to a threshold: a test is only meaningful when that margin is far
// larger than the fixed-point error.
struct Reference {
  LayerSatCounts counts;
  double margin = std::numeric_limits<double>::infinity();

  // Whether v is outside [lo, hi), noting how close it came.
  bool outside(double v, double lo, double hi) {
    margin = std::min({margin, std::fabs(v - lo), std::fabs(v - hi)});
    return v < lo || v >= hi;
  }
  // Whether v is outside (lo, hi), noting how close it came.
  bool outside_open(double v, double lo, double hi) {
    margin = std::min({margin, std::fabs(v - lo), std::fabs(v - hi)});
    return v <= lo || v >= hi;
  }
};

Reference run_reference(const HwConfig& cfg, const FloatModel& m, const Sequence& x) {
  REQUIRE(cfg.rounding == Rounding::Nearest);
  Reference ref;
  ref.counts.resize(m.layers.size());
  const double r = cfg.activation.range;
  std::vector<Vector> h, c;
  for (const FloatLayer& l : m.layers) {
    h.emplace_back(static_cast<std::size_t>(l.hidden_size), 0.0);
    c.emplace_back(static_cast<std::size_t>(l.hidden_size), 0.0);
  }
  for (const Vector& xt : x) {
    const Vector* in = &xt;
    for (std::size_t k = 0; k < m.layers.size(); ++k) {
      const FloatLayer& l = m.layers[k];
      const auto nx = static_cast<std::size_t>(l.input_size);
      const auto nh = static_cast<std::size_t>(l.hidden_size);
      SatCounts& n = ref.counts[k];
      Vector z(4 * nh);
      for (std::size_t row = 0; row < 4 * nh; ++row) {
        z[row] = l.b_ih[row] + l.b_hh[row];
        for (std::size_t j = 0; j < nx; ++j) z[row] += l.w_ih[row * nx + j] * (*in)[j];
        for (std::size_t j = 0; j < nh; ++j) z[row] += l.w_hh[row * nh + j] * h[k][j];
      }
      Vector h_new(nh);
      for (std::size_t u = 0; u < nh; ++u) {
        double gate[4];
        for (int q = 0; q < 4; ++q) {
          const double v = z[static_cast<std::size_t>(q) * nh + u];
          n.count(q == 2 ? SatEvent::ActTanhAcc : SatEvent::ActSigmoidAcc,
                  ref.outside(v, -r, r));
          const double held = std::clamp(v, -r, r);
          gate[q] = q == 2 ? std::tanh(held) : sigmoid(held);
        }
        double cn = gate[1] * c[k][u] + gate[0] * gate[2];
        n.count(SatEvent::NarrowCell, ref.outside_open(cn, sat_below(cfg.cell), sat_above(cfg.cell)));
        cn = std::clamp(cn, min_value(cfg.cell), max_value(cfg.cell));
        c[k][u] = cn;
        n.count(SatEvent::ActTanhCell, ref.outside(cn, -r, r));
        const double hn = gate[3] * std::tanh(std::clamp(cn, -r, r));
        n.count(SatEvent::NarrowHidden,
                ref.outside_open(hn, sat_below(cfg.data), sat_above(cfg.data)));
        h_new[u] = std::clamp(hn, min_value(cfg.data), max_value(cfg.data));
      }
      h[k] = h_new;
      in = &h[k];
    }
  }
  return ref;
}

// A layer whose every weight and bias is zero, to be filled by the tests.
FloatLayer zero_layer(int x, int h) {
  const auto rows = static_cast<std::size_t>(4 * h);
  return {x, h, std::vector<double>(rows * static_cast<std::size_t>(x), 0.0),
          std::vector<double>(rows * static_cast<std::size_t>(h), 0.0),
          std::vector<double>(rows, 0.0), std::vector<double>(rows, 0.0)};
}

enum Gate { kI = 0, kF = 1, kG = 2, kO = 3 };

// The bias of gate q of every unit (b_ih; b_hh stays zero).
void set_bias(FloatLayer& l, Gate q, double v) {
  for (int u = 0; u < l.hidden_size; ++u)
    l.b_ih[static_cast<std::size_t>(q * l.hidden_size + u)] = v;
}

// Weight from every input to gate q of every unit.
void set_input_weight(FloatLayer& l, Gate q, double v) {
  for (int u = 0; u < l.hidden_size; ++u)
    for (int j = 0; j < l.input_size; ++j)
      l.w_ih[static_cast<std::size_t>((q * l.hidden_size + u) * l.input_size + j)] = v;
}

FloatModel model_of(std::vector<FloatLayer> layers) {
  FloatModel m;
  m.input_size = layers.front().input_size;
  m.hidden_size = layers.back().hidden_size;
  m.layers = std::move(layers);
  return m;
}

Sequence constant_input(int steps, int x, double v) {
  return Sequence(static_cast<std::size_t>(steps), Vector(static_cast<std::size_t>(x), v));
}

// Runs golden with counting and checks it against the reference, which must
// keep `margin` away from every threshold. Returns golden's counts.
LayerSatCounts check_counts(const HwConfig& cfg, const FloatModel& m, const Sequence& x,
                            double margin) {
  REQUIRE(validate_config(cfg).empty());
  const Reference ref = run_reference(cfg, m, x);
  INFO(fmt::format("closest approach to a threshold: {:.4g}", ref.margin));
  REQUIRE(ref.margin > margin);
  const GoldenLstm golden(cfg, quantize_model(m, cfg));
  const LayerSatCounts sat = golden.run(quantize_sequence(x, cfg.data), IntState{}).saturation;
  REQUIRE(sat.size() == ref.counts.size());
  for (std::size_t k = 0; k < sat.size(); ++k)
    for (std::size_t e = 0; e < kSatEvents; ++e) {
      INFO(fmt::format("layer {} {}", k, kSatEventNames[e]));
      CHECK(sat[k].n[e] == ref.counts[k].n[e]);
    }
  return sat;
}

std::uint64_t at(const LayerSatCounts& s, std::size_t layer, SatEvent e) { return s[layer][e]; }

}  // namespace

TEST_SUITE("saturation") {

TEST_CASE("narrow_checked flags exactly the values that saturate() changes") {
  CHECK_FALSE(narrow_checked(127, 0, 8, Rounding::Nearest).saturated);
  CHECK(narrow_checked(128, 0, 8, Rounding::Nearest).saturated);
  CHECK_FALSE(narrow_checked(-128, 0, 8, Rounding::Nearest).saturated);
  CHECK(narrow_checked(-129, 0, 8, Rounding::Nearest).saturated);
  // 255.5 rounds to 256 (half away from zero) and saturates; 254.5 rounds to 255.
  CHECK(narrow_checked(511, 1, 9, Rounding::Nearest).saturated);
  CHECK_FALSE(narrow_checked(509, 1, 9, Rounding::Nearest).saturated);
  CHECK_FALSE(narrow_checked(511, 1, 9, Rounding::Floor).saturated);  // floor gives 255
  CHECK(narrow_checked(64, -2, 8, Rounding::Nearest).saturated);      // 256
  CHECK(narrow_checked(64, -2, 8, Rounding::Nearest).value == 127);
}

TEST_CASE("quantize_checked flags values beyond the format after rounding, not at its edge") {
  const FixedFormat q26{8, 6};  // [-2, 1.984375]
  CHECK_FALSE(quantize_checked(1.984375, q26).saturated);
  CHECK_FALSE(quantize_checked(1.99, q26).saturated);    // 127.36 rounds to 127
  CHECK(quantize_checked(1.9921875, q26).saturated);     // 127.5 rounds to 128
  CHECK(quantize_checked(1e6, q26).saturated);
  CHECK_FALSE(quantize_checked(-2.0, q26).saturated);
  CHECK(quantize_checked(-2.0078125, q26).saturated);    // -128.5 rounds to -129
  CHECK(quantize_checked(-1e300, q26).value == -128);
}

TEST_CASE("an activation input is beyond the table exactly when it is below -R or at least R") {
  for (ActivationKind kind : {ActivationKind::Lut, ActivationKind::Pwl}) {
    HwConfig c;
    c.activation.kind = kind;
    const GateActivations act(c);
    const std::int64_t r_acc = std::int64_t{c.activation.range} << c.accum.frac;
    const std::int64_t r_cell = std::int64_t{c.activation.range} << c.cell.frac;
    SatCounts n;
    act.act_sigmoid_acc(r_acc - 1, &n);
    act.act_sigmoid_acc(-r_acc, &n);
    act.act_tanh_acc(0, &n);
    act.act_tanh_cell(r_cell - 1, &n);
    act.act_tanh_cell(-r_cell, &n);
    CHECK(n.total() == 0);
    act.act_sigmoid_acc(r_acc, &n);
    act.act_sigmoid_acc(-r_acc - 1, &n);
    act.act_tanh_acc(r_acc, &n);
    act.act_tanh_cell(-r_cell - 1, &n);
    act.act_tanh_cell(std::int64_t{1} << 40, &n);
    CHECK(n[SatEvent::ActSigmoidAcc] == 2);
    CHECK(n[SatEvent::ActTanhAcc] == 1);
    CHECK(n[SatEvent::ActTanhCell] == 2);
    // Beyond the range the value is the table's end, with or without counting.
    CHECK(act.act_sigmoid_acc(r_acc * 4) == act.act_sigmoid_acc(r_acc * 4, &n));
  }
}

TEST_CASE("gate pre-activations beyond the table range count per gate and step") {
  // i, f, o far beyond +R and -R, g inside: three sigmoid events per step.
  FloatLayer l = zero_layer(1, 2);
  set_input_weight(l, kI, 7.5);
  set_input_weight(l, kF, -7.5);
  set_input_weight(l, kO, 7.5);
  set_input_weight(l, kG, 0.5);
  const auto sat = check_counts(HwConfig{}, model_of({l}), constant_input(6, 1, 3.0), 0.1);
  CHECK(at(sat, 0, SatEvent::ActSigmoidAcc) == 3 * 2 * 6);
  CHECK(at(sat, 0, SatEvent::ActTanhAcc) == 0);

  // Now g alone.
  FloatLayer g = zero_layer(1, 2);
  set_input_weight(g, kG, -7.5);
  const auto sat_g = check_counts(HwConfig{}, model_of({g}), constant_input(6, 1, 3.0), 0.1);
  CHECK(at(sat_g, 0, SatEvent::ActTanhAcc) == 2 * 6);
  CHECK(at(sat_g, 0, SatEvent::ActSigmoidAcc) == 0);
}

TEST_CASE("a cell state beyond the cell format counts as narrow_cell") {
  // Cell format Q1.6 holds [-1, 0.984]; i and g near 1 make c_new near 1, and
  // with f = 0.5 about 1.5 from the second step on.
  HwConfig c;
  c.cell = {7, 6};
  c.cells.gru = false;  // a GRU core keeps h in the c buffer, so it needs a cell format as wide as data
  FloatLayer l = zero_layer(1, 1);
  set_bias(l, kI, 7.9);
  set_bias(l, kG, 7.9);
  const auto sat = check_counts(c, model_of({l}), constant_input(5, 1, 0.0), 0.002);
  CHECK(at(sat, 0, SatEvent::NarrowCell) == 5);
  CHECK(at(sat, 0, SatEvent::ActTanhCell) == 0);
  CHECK(at(sat, 0, SatEvent::NarrowHidden) == 0);
}

TEST_CASE("a cell state beyond the tanh table range counts as act_tanh_cell") {
  // f, i, g near 1: c grows by about 1 per step and leaves [-8, 8) after 8 steps.
  FloatLayer l = zero_layer(1, 1);
  set_bias(l, kI, 7.9);
  set_bias(l, kF, 7.9);
  set_bias(l, kG, 7.9);
  const auto sat = check_counts(HwConfig{}, model_of({l}), constant_input(12, 1, 0.0), 0.005);
  CHECK(at(sat, 0, SatEvent::ActTanhCell) == 4);
  CHECK(at(sat, 0, SatEvent::NarrowCell) == 0);
}

TEST_CASE("h beyond the data format counts as narrow_hidden") {
  // Data format Q1.7 holds [-1, 0.992]; o * tanh(c) approaches 1 as c grows
  // by i * g = 0.95 per step, and rounds beyond the format from step 4 on.
  HwConfig c;
  c.data = {8, 7};
  c.weight = {8, 6};
  c.accum = {24, 13};
  c.limits = {.max_input = 4, .max_hidden = 4, .max_layers = 2, .weight_depth = 64};
  c.lanes = 4;
  FloatLayer l = zero_layer(1, 1);
  set_bias(l, kI, 7.9);
  set_bias(l, kF, 7.9);
  set_bias(l, kG, std::atanh(0.95));
  set_bias(l, kO, 7.9);
  const auto sat = check_counts(c, model_of({l}), constant_input(6, 1, 0.0), 0.002);
  CHECK(at(sat, 0, SatEvent::NarrowHidden) == 3);
  CHECK(at(sat, 0, SatEvent::NarrowCell) == 0);
}

TEST_CASE("counts are kept per layer") {
  // Layer 0 stays inside every range; layer 1 drives i, f, o beyond +R with
  // layer 0's h (about 0.76 from the first step on).
  FloatLayer l0 = zero_layer(1, 2);
  set_bias(l0, kI, 7.9);
  set_bias(l0, kO, 7.9);
  set_bias(l0, kG, 7.9);
  FloatLayer l1 = zero_layer(2, 2);
  for (Gate q : {kI, kF, kO}) {
    set_bias(l1, q, 4.0);
    set_input_weight(l1, q, 7.5);
  }
  const auto sat =
      check_counts(HwConfig{}, model_of({l0, l1}), constant_input(5, 1, 0.0), 0.05);
  CHECK(sat[0].total() == 0);
  CHECK(at(sat, 1, SatEvent::ActSigmoidAcc) == 3 * 2 * 5);
}

TEST_CASE("each direction of a bidirectional layer has its own row, as in the state") {
  FloatLayer quiet = zero_layer(1, 2);
  FloatLayer loud = zero_layer(1, 2);
  set_input_weight(loud, kI, 7.5);
  FloatModel m = model_of({quiet});
  m.reverse = {loud};
  m.hidden_size = 2;
  const LayerSatCounts sat = run_golden(HwConfig{}, m, {constant_input(4, 1, 3.0)}).saturation;
  REQUIRE(sat.size() == 2);
  CHECK(sat[0].total() == 0);
  CHECK(at(sat, 1, SatEvent::ActSigmoidAcc) == 2 * 4);
}

// A GRU layer of X = 1, H = 1: rows r, z, n.
FloatModel gru_model(double b_r, double b_z, double b_in, double b_hn, double w_in) {
  FloatLayer l{1, 1, {0.0, 0.0, w_in}, {0.0, 0.0, 0.0}, {b_r, b_z, b_in}, {0.0, 0.0, b_hn}};
  FloatModel m = model_of({l});
  m.cell = CellType::Gru;
  return m;
}

TEST_CASE("a GRU candidate beyond the accumulator counts as narrow_candidate") {
  // A bias format with 12 integer bits makes the bias dominate the
  // accumulator's capacity; the two parts of n at the most negative bias then
  // sum beyond it (the capacity covers one bias per sum).
  HwConfig c;
  c.bias = {16, 4};
  c.limits = {.max_input = 2, .max_hidden = 2, .max_layers = 1, .weight_depth = 64};
  c.lanes = 2;
  while (validate_config(c).empty()) --c.accum.width;
  ++c.accum.width;  // the narrowest accumulator the validator accepts
  REQUIRE(validate_config(c).empty());
  // r = sigmoid(2000): about 1; a_nx = -2048 + 7.9 * -8, a_nh = -2048.
  const FloatModel m = gru_model(2000.0, 0.0, -2048.0, -2048.0, 7.9);
  const LayerSatCounts sat = run_golden(c, m, {constant_input(5, 1, -8.0)}).saturation;
  INFO(fmt::format("accum width {}", c.accum.width));
  CHECK(at(sat, 0, SatEvent::NarrowCandidate) == 5);
  CHECK(at(sat, 0, SatEvent::ActSigmoidAcc) == 5);  // r beyond the table, z = 0 inside
  CHECK(at(sat, 0, SatEvent::ActTanhAcc) == 5);     // the clamped candidate is beyond it too
  CHECK(at(sat, 0, SatEvent::NarrowGruHidden) == 0);
}

TEST_CASE("a GRU h beyond the data format counts as narrow_gru_hidden") {
  // Data format Q1.7: h = (1 - z) * n + z * h with n about 1 and z about 0
  // rounds to 1.0, beyond 0.992, at every step.
  HwConfig c;
  c.data = {8, 7};
  c.weight = {8, 6};
  c.accum = {24, 13};
  c.limits = {.max_input = 4, .max_hidden = 4, .max_layers = 2, .weight_depth = 64};
  c.lanes = 4;
  REQUIRE(validate_config(c).empty());
  const FloatModel m = gru_model(0.0, -7.9, 7.9, 0.0, 0.0);
  const LayerSatCounts sat = run_golden(c, m, {constant_input(6, 1, 0.0)}).saturation;
  CHECK(at(sat, 0, SatEvent::NarrowGruHidden) == 6);
  CHECK(at(sat, 0, SatEvent::NarrowCandidate) == 0);
  CHECK(at(sat, 0, SatEvent::ActSigmoidAcc) == 0);
  CHECK(at(sat, 0, SatEvent::ActTanhAcc) == 0);
}

TEST_CASE("counts add up over sequences, so any split of the work sums to the whole") {
  const WorkloadShape s = workload_shape(4, 6, 2, 30, 3);
  HwConfig c;
  c.activation.range = 1;  // narrow range: plenty of events on a random model
  FloatModel m = random_model(s, 3);
  for (FloatLayer& l : m.layers)
    for (double& w : l.w_ih) w *= 8.0;
  const SequenceSet x = random_inputs(s, 3);
  const LayerSatCounts whole = run_golden(c, m, x).saturation;
  LayerSatCounts parts(2);
  for (const Sequence& seq : x) {
    const LayerSatCounts one = run_golden(c, m, {seq}).saturation;
    for (std::size_t k = 0; k < 2; ++k) parts[k] += one[k];
  }
  CHECK(total(whole) > 0);
  CHECK(whole == parts);
}

}  // TEST_SUITE
