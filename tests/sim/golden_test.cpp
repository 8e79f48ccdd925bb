// The fixed-point golden model against the float reference, and the
// structural properties the hardware relies on.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/engines.hpp"
#include "sim/golden_lstm.hpp"
#include "sim/workload.hpp"

using namespace lstm;

namespace {

// This file's usual workload: 20 steps, 2 sequences; weights and biases in
// [-0.5, 0.5], inputs in [-1, 1].
WorkloadShape shape(int x, int h, int layers, int steps = 20, int sequences = 2) {
  return workload_shape(x, h, layers, steps, sequences);
}

// Max |golden - float| on h over all sequences, steps and units.
double max_error(const HwConfig& c, const WorkloadShape& s, std::uint64_t seed) {
  const FloatModel m = random_model(s, seed);
  const SequenceSet x = random_inputs(s, seed);
  return compare_outputs(run_golden_set(c, m, x), run_float_set(m, x)).max_abs;
}

// With the default formats (h in Q6.10, LSB ~1e-3) the golden model must track
// float to a few hundredths; a wrong gate order or shift misses by far more.
constexpr double kMaxError = 0.05;

}  // namespace

TEST_SUITE("golden_lstm") {

TEST_CASE("one layer stays within 0.05 of float on random models") {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const double e = max_error(HwConfig{}, shape(16, 16, 1), seed);
    INFO(fmt::format("seed {}: max error {:.3e}", seed, e));
    CHECK(e < kMaxError);
  }
}

TEST_CASE("stacked layers stay within 0.05 of float") {
  for (int layers : {2, 3}) {
    const double e = max_error(HwConfig{}, shape(32, 32, layers), 7);
    INFO(fmt::format("{} layers: max error {:.3e}", layers, e));
    CHECK(e < kMaxError);
  }
}

TEST_CASE("odd sizes, and input size different from hidden size, stay within 0.05 of float") {
  for (const auto& [x, h, layers] : {std::tuple{1, 1, 1}, std::tuple{5, 3, 2},
                                      std::tuple{13, 7, 3}, std::tuple{3, 29, 2}}) {
    const double e = max_error(HwConfig{}, shape(x, h, layers), 5);
    INFO(fmt::format("X={} H={} L={}: max error {:.3e}", x, h, layers, e));
    CHECK(e < kMaxError);
  }
}

TEST_CASE("both activation kinds and floor rounding stay within 0.05 of float") {
  HwConfig lut;
  lut.activation.kind = ActivationKind::Lut;
  lut.activation.index_bits = 9;
  HwConfig floor;
  floor.rounding = Rounding::Floor;
  for (const HwConfig& c : {lut, floor}) CHECK(max_error(c, shape(24, 24, 2), 3) < kMaxError);
}

TEST_CASE("a sequence run alone gives the same bits as in a set") {
  const WorkloadShape s = shape(9, 11, 2, 15, 3);
  const HwConfig c;
  const GoldenLstm golden(c, quantize_model(random_model(s, 21), c));
  const SequenceSet x = random_inputs(s, 21);
  std::vector<IntSequence> together;
  for (const Sequence& seq : x) together.push_back(golden.run(quantize_sequence(seq, c.data)));
  // Alone: a fresh model object that has never seen the other sequences.
  for (std::size_t k = 0; k < x.size(); ++k) {
    const GoldenLstm fresh(c, quantize_model(random_model(s, 21), c));
    CHECK(fresh.run(quantize_sequence(x[k], c.data)) == together[k]);
  }
  const SequenceSet set = run_golden_set(c, random_model(s, 21), x);
  const SequenceSet alone = run_golden_set(c, random_model(s, 21), {x[1]});
  CHECK(alone.front() == set[1]);
}

TEST_CASE("outputs are data-format values within the data range") {
  const HwConfig c;
  const WorkloadShape s = shape(8, 8, 2, 10, 1);
  const double lsb = std::ldexp(1.0, -c.data.frac);
  const SequenceSet out = run_golden_set(c, random_model(s, 2), random_inputs(s, 2));
  for (const Vector& h : out.front())
    for (double v : h) {
      CHECK(std::abs(v) <= 1.0);
      CHECK(v / lsb == std::round(v / lsb));
    }
}

TEST_CASE("inputs far outside the data range saturate instead of failing") {
  const HwConfig c;
  WorkloadShape s = shape(4, 4, 1, 5, 1);
  s.input_scale = 1e6;
  const FloatModel m = random_model(s, 4);
  const SequenceSet out = run_golden_set(c, m, random_inputs(s, 4));
  for (const Vector& h : out.front())
    for (double v : h) CHECK(std::abs(v) <= 1.0);
}

TEST_CASE("an accumulator too narrow for the largest sum is reported, not wrapped") {
  HwConfig c;
  c.accum = {26, 22};  // |z| < 16 only; 64 products of up to ~0.5 each do not fit
  WorkloadShape s = shape(64, 4, 1, 3, 1);
  s.input_scale = 30.0;
  CHECK_THROWS_AS(run_golden_set(c, random_model(s, 8), random_inputs(s, 8)), std::logic_error);
}

TEST_CASE("a sequence of the wrong width is refused") {
  const HwConfig c;
  const GoldenLstm golden(c, quantize_model(random_model(shape(3, 2, 1), 1), c));
  CHECK_THROWS_AS(golden.run({{1, 2}}), std::invalid_argument);
}

}  // TEST_SUITE
