// The fixed-point golden model against the float reference, and the
// structural properties the hardware relies on.
#include <doctest/doctest.h>

#include <algorithm>
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

WorkloadShape with(WorkloadShape s, CellType cell, bool bidirectional) {
  s.cell = cell;
  s.bidirectional = bidirectional;
  return s;
}

// Initial states for every sequence of a set: h in (-1, 1), c in (-2, 2).
std::vector<FloatState> random_states(const FloatModel& m, std::size_t sequences,
                                      std::uint64_t seed) {
  const std::size_t rows = m.layers.size() * static_cast<std::size_t>(m.directions());
  WorkloadShape s = workload_shape(m.hidden_size, 1, 1, static_cast<int>(rows),
                                   static_cast<int>(sequences));
  const SequenceSet h = random_inputs(s, seed);
  s.input_scale = 2.0;
  const SequenceSet c = random_inputs(s, seed + 1);
  std::vector<FloatState> out;
  for (std::size_t k = 0; k < sequences; ++k)
    out.push_back({h[k], m.cell == CellType::Lstm ? c[k] : std::vector<Vector>{}});
  return out;
}

// The sequence with its steps in reverse order.
Sequence reversed(Sequence x) {
  std::reverse(x.begin(), x.end());
  return x;
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

TEST_CASE("GRU models stay within 0.05 of float, one layer and stacked, odd sizes included") {
  for (const auto& [x, h, layers] : {std::tuple{16, 16, 1}, std::tuple{32, 32, 2},
                                      std::tuple{5, 3, 3}, std::tuple{3, 29, 2}})
    for (std::uint64_t seed = 1; seed <= 2; ++seed) {
      const double e = max_error(HwConfig{}, with(shape(x, h, layers), CellType::Gru, false), seed);
      INFO(fmt::format("GRU X={} H={} L={} seed {}: max error {:.3e}", x, h, layers, seed, e));
      CHECK(e < kMaxError);
    }
}

TEST_CASE("bidirectional LSTM and GRU models stay within 0.05 of float") {
  for (const CellType cell : {CellType::Lstm, CellType::Gru})
    for (const int layers : {1, 2}) {
      const double e = max_error(HwConfig{}, with(shape(12, 16, layers), cell, true), 6);
      INFO(fmt::format("{} layers {}: max error {:.3e}", cell_name(cell), layers, e));
      CHECK(e < kMaxError);
    }
}

TEST_CASE("runs from a non-zero initial state stay within 0.05 of float, and so do h_n and c_n") {
  for (const CellType cell : {CellType::Lstm, CellType::Gru})
    for (const bool bidirectional : {false, true}) {
      const WorkloadShape s = with(shape(10, 12, 2, 15, 3), cell, bidirectional);
      const FloatModel m = random_model(s, 9);
      const SequenceSet x = random_inputs(s, 9);
      const std::vector<FloatState> h0 = random_states(m, x.size(), 9);
      const SetRun g = run_golden(HwConfig{}, m, x, h0);
      const SetRun f = run_float(m, x, h0);
      INFO(fmt::format("{} bidirectional {}", cell_name(cell), bidirectional));
      CHECK(compare_outputs(g.outputs, f.outputs).max_abs < kMaxError);
      // The initial state matters: from zero state the first steps differ.
      CHECK(compare_outputs(run_golden_set(HwConfig{}, m, x), g.outputs).max_abs > 0.01);
      for (std::size_t k = 0; k < x.size(); ++k) {
        CHECK(compare_outputs({g.final_states[k].h}, {f.final_states[k].h}).max_abs < kMaxError);
        CHECK(compare_outputs({g.final_states[k].c}, {f.final_states[k].c}).max_abs < kMaxError);
        CHECK(g.final_states[k].h.size() == 2u * static_cast<unsigned>(m.directions()));
        CHECK(g.final_states[k].c.size() == (cell == CellType::Lstm ? g.final_states[k].h.size() : 0));
      }
    }
}

TEST_CASE("1000 steps run as 10 chunks of 100 with the state carried give the same bits") {
  const HwConfig c;
  for (const CellType cell : {CellType::Lstm, CellType::Gru}) {
    const WorkloadShape s = with(shape(6, 8, 2, 1000, 1), cell, false);
    const GoldenLstm golden(c, quantize_model(random_model(s, 13), c));
    const IntSequence x = quantize_sequence(random_inputs(s, 13).front(), c.data);
    const IntRun whole = golden.run(x, IntState{});
    IntState state;
    IntSequence chunked;
    for (std::size_t t = 0; t < x.size(); t += 100) {
      const IntRun part = golden.run(IntSequence(x.begin() + static_cast<std::ptrdiff_t>(t),
                                                 x.begin() + static_cast<std::ptrdiff_t>(t + 100)),
                                     state);
      chunked.insert(chunked.end(), part.outputs.begin(), part.outputs.end());
      state = part.final_state;
    }
    INFO(cell_name(cell));
    CHECK(chunked == whole.outputs);
    CHECK(state.h == whole.final_state.h);
    CHECK(state.c == whole.final_state.c);
    // The final h of the last layer is the last output.
    CHECK(whole.final_state.h.back() == whole.outputs.back());
  }
}

TEST_CASE("the reverse direction is the forward cell run over the reversed sequence") {
  const HwConfig c;
  for (const CellType cell : {CellType::Lstm, CellType::Gru}) {
    const WorkloadShape s = with(shape(5, 4, 1, 9, 1), cell, true);
    const FloatModel bi = random_model(s, 17);
    FloatModel fwd = bi;
    fwd.reverse.clear();
    FloatModel rev = fwd;
    rev.layers = bi.reverse;
    const Sequence x = random_inputs(s, 17).front();
    const Sequence both = run_golden_set(c, bi, {x}).front();
    const Sequence f = run_golden_set(c, fwd, {x}).front();
    const Sequence r = reversed(run_golden_set(c, rev, {reversed(x)}).front());
    INFO(cell_name(cell));
    for (std::size_t t = 0; t < x.size(); ++t) {
      Vector cat = f[t];
      cat.insert(cat.end(), r[t].begin(), r[t].end());
      CHECK(both[t] == cat);
    }
  }
}

TEST_CASE("an accumulator too narrow for a GRU sum is reported, not wrapped") {
  HwConfig c;
  c.accum = {26, 22};
  WorkloadShape s = with(shape(64, 4, 1, 3, 1), CellType::Gru, false);
  s.input_scale = 30.0;
  CHECK_THROWS_AS(run_golden_set(c, random_model(s, 8), random_inputs(s, 8)), std::logic_error);
}

TEST_CASE("an initial state of the wrong shape is refused") {
  const HwConfig c;
  const GoldenLstm golden(c, quantize_model(random_model(shape(3, 2, 2), 1), c));
  CHECK_THROWS_AS(golden.run({{1, 2, 3}}, IntState{{{0, 0}}, {}}), std::invalid_argument);
  CHECK_THROWS_AS(golden.run({{1, 2, 3}}, IntState{{{0, 0}, {0}}, {}}), std::invalid_argument);
  const GoldenLstm gru(c, quantize_model(random_model(with(shape(3, 2, 1), CellType::Gru, false), 1), c));
  CHECK_THROWS_AS(gru.run({{1, 2, 3}}, IntState{{{0, 0}}, {{0, 0}}}), std::invalid_argument);
  CHECK_NOTHROW(gru.run({{1, 2, 3}}, IntState{{{0, 0}}, {}}));
}

TEST_CASE("a sequence of the wrong width is refused") {
  const HwConfig c;
  const GoldenLstm golden(c, quantize_model(random_model(shape(3, 2, 1), 1), c));
  CHECK_THROWS_AS(golden.run({{1, 2}}), std::invalid_argument);
}

}  // TEST_SUITE
