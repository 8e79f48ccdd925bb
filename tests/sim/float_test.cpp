// The float reference against values computed by hand for a one-unit model.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/golden_lstm.hpp"

using namespace lstm;

namespace {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// X = H = 1; every gate row gets different numbers so a gate-order mix-up shows.
FloatModel one_unit_model() {
  FloatLayer l;
  l.input_size = 1;
  l.hidden_size = 1;
  l.w_ih = {0.5, -0.25, 1.0, 0.75};  // rows i, f, g, o
  l.w_hh = {0.1, 0.2, -0.3, 0.4};
  l.b_ih = {0.0, 0.1, 0.0, -0.1};
  l.b_hh = {0.05, 0.0, 0.2, 0.0};
  FloatModel m;
  m.input_size = 1;
  m.hidden_size = 1;
  m.layers = {l};
  return m;
}

}  // namespace

TEST_SUITE("float_lstm") {

TEST_CASE("a one-unit model gives the hand-computed h over two steps") {
  const Sequence h = run_float_lstm(one_unit_model(), {{1.0}, {-0.5}});
  REQUIRE(h.size() == 2);

  // t = 0, x = 1, h = c = 0: pre-activations are w_ih * 1 + b_ih + b_hh.
  const double c1 = sigmoid(0.55) * std::tanh(1.2);  // f * 0 + i * g
  const double h1 = sigmoid(0.65) * std::tanh(c1);
  CHECK(h[0][0] == doctest::Approx(h1).epsilon(1e-15));
  CHECK(h[0][0] == doctest::Approx(0.3182220393993103).epsilon(1e-14));

  // t = 1, x = -0.5, h = h1, c = c1.
  const double i = sigmoid(0.5 * -0.5 + 0.1 * h1 + 0.05);
  const double f = sigmoid(-0.25 * -0.5 + 0.2 * h1 + 0.1);
  const double g = std::tanh(1.0 * -0.5 - 0.3 * h1 + 0.2);
  const double o = sigmoid(0.75 * -0.5 + 0.4 * h1 - 0.1);
  const double c2 = f * c1 + i * g;
  CHECK(h[1][0] == doctest::Approx(o * std::tanh(c2)).epsilon(1e-15));
  CHECK(h[1][0] == doctest::Approx(0.053491593227819184).epsilon(1e-14));
}

TEST_CASE("a second layer takes the first layer's h as its input") {
  FloatModel two = one_unit_model();
  two.layers.push_back(two.layers.front());
  const Sequence x{{1.0}, {-0.5}, {0.25}};
  const Sequence h_first = run_float_lstm(one_unit_model(), x);
  const Sequence h_two = run_float_lstm(two, x);
  const Sequence expected = run_float_lstm(one_unit_model(), h_first);
  REQUIRE(h_two.size() == 3);
  for (std::size_t t = 0; t < 3; ++t) CHECK(h_two[t][0] == expected[t][0]);
}

TEST_CASE("zero weights and biases keep h at zero") {
  FloatModel m = one_unit_model();
  for (auto* v : {&m.layers[0].w_ih, &m.layers[0].w_hh, &m.layers[0].b_ih, &m.layers[0].b_hh})
    std::fill(v->begin(), v->end(), 0.0);
  for (const Vector& h : run_float_lstm(m, {{3.0}, {-2.0}})) CHECK(h[0] == 0.0);
}

TEST_CASE("a one-unit GRU gives the hand-computed h over two steps, torch.nn.GRU's equations") {
  FloatLayer l;
  l.input_size = 1;
  l.hidden_size = 1;
  l.w_ih = {0.5, -0.25, 1.0};  // rows r, z, n
  l.w_hh = {0.1, 0.2, -0.3};
  l.b_ih = {0.0, 0.1, 0.05};
  l.b_hh = {0.05, 0.0, 0.2};
  FloatModel m;
  m.cell = CellType::Gru;
  m.input_size = 1;
  m.hidden_size = 1;
  m.layers = {l};
  const FloatRun run = run_float_model(m, {{1.0}, {-0.5}}, FloatState{{{0.25}}, {}});
  REQUIRE(run.outputs.size() == 2);
  double h = 0.25;
  for (const double x : {1.0, -0.5}) {
    const double r = sigmoid(0.5 * x + 0.0 + 0.1 * h + 0.05);
    const double z = sigmoid(-0.25 * x + 0.1 + 0.2 * h + 0.0);
    // The reset gate multiplies W_hn h + b_hn, bias included, not W_in x + b_in.
    const double n = std::tanh(1.0 * x + 0.05 + r * (-0.3 * h + 0.2));
    h = (1 - z) * n + z * h;
  }
  CHECK(run.outputs[1][0] == doctest::Approx(h).epsilon(1e-15));
  CHECK(run.final_state.h == std::vector<Vector>{{run.outputs[1][0]}});
  CHECK(run.final_state.c.empty());
}

TEST_CASE("an LSTM's initial h and c enter the first step, and h_n, c_n are the last state") {
  const FloatRun run = run_float_model(one_unit_model(), {{1.0}}, FloatState{{{0.5}}, {{-1.0}}});
  const double i = sigmoid(0.5 + 0.1 * 0.5 + 0.05);
  const double f = sigmoid(-0.25 + 0.2 * 0.5 + 0.1);
  const double g = std::tanh(1.0 - 0.3 * 0.5 + 0.2);
  const double o = sigmoid(0.75 + 0.4 * 0.5 - 0.1);
  const double c = f * -1.0 + i * g;
  CHECK(run.outputs[0][0] == doctest::Approx(o * std::tanh(c)).epsilon(1e-15));
  CHECK(run.final_state.c[0][0] == doctest::Approx(c).epsilon(1e-15));
  CHECK(run.final_state.h[0][0] == run.outputs[0][0]);
}

TEST_CASE("a bidirectional layer concatenates the forward h and the reverse h of each step") {
  FloatModel m = one_unit_model();
  FloatLayer back = m.layers[0];
  back.w_ih = {-0.5, 0.25, 0.5, 1.0};
  m.reverse = {back};
  FloatModel rev = one_unit_model();
  rev.layers = {back};
  const Sequence x{{1.0}, {-0.5}, {0.25}};
  const Sequence both = run_float_lstm(m, x);
  const Sequence f = run_float_lstm(one_unit_model(), x);
  const Sequence r = run_float_lstm(rev, {x[2], x[1], x[0]});
  REQUIRE(both.size() == 3);
  for (std::size_t t = 0; t < 3; ++t) CHECK(both[t] == Vector{f[t][0], r[2 - t][0]});
  // h_n: forward after the last step, reverse after the first.
  const FloatRun run = run_float_model(m, x, FloatState{});
  CHECK(run.final_state.h == std::vector<Vector>{{f[2][0]}, {r[2][0]}});
}

TEST_CASE("an input of the wrong width is refused") {
  CHECK_THROWS_AS(run_float_lstm(one_unit_model(), {{1.0, 2.0}}), std::invalid_argument);
}

}  // TEST_SUITE
