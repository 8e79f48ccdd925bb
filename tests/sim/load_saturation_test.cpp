// Saturation when a model or an input set is quantized (docs/numerics.md,
// "Saturation at load time"): which tensors, how many values, where, and the
// message lstmsim prints.
#include <doctest/doctest.h>

#include "sim/load_saturation.hpp"
#include "sim/workload.hpp"

using namespace lstm;

namespace {

// configs/small.json's formats: weight and bias Q2.6, data Q3.5.
HwConfig small_formats() {
  HwConfig c;
  c.data = {8, 5};
  c.weight = {8, 6};
  c.bias = {8, 6};
  c.accum = {24, 11};
  return c;
}

// X = 7, H = 16: weight_ih_l0 holds 4 * 16 * 7 = 448 weights.
FloatModel quiet_model(int layers = 1) {
  return random_model(workload_shape(7, 16, layers, 1, 1), 4);  // all within [-0.5, 0.5)
}

}  // namespace

TEST_SUITE("load_saturation") {

TEST_CASE("a model within its formats reports nothing") {
  LoadSaturation sat;
  quantize_model(quiet_model(2), small_formats(), &sat);
  CHECK(sat.empty());
}

TEST_CASE("one huge weight gives the issue's message") {
  FloatModel m = quiet_model();
  m.layers[0].w_ih[0] = 1e6;
  LoadSaturation sat;
  quantize_model(m, small_formats(), &sat);
  REQUIRE(sat.size() == 1);
  CHECK(sat[0].tensor == "weight_ih_l0");
  CHECK(sat[0].count == 1);
  CHECK(sat[0].total == 448);
  CHECK(describe(sat[0]) ==
        "/weight_ih_l0/0/0: 1e6 saturated to 1.984 (weight format Q2.6: [-2, 1.984]); "
        "1 of 448 weights");
}

TEST_CASE("several saturated values name the first and the largest, per tensor") {
  FloatModel m = quiet_model(2);
  // weight_hh_l1 is [64][16]: index 3 * 16 + 5 is row 3, column 5.
  m.layers[1].w_hh[3 * 16 + 5] = -2.5;
  m.layers[1].w_hh[10 * 16 + 0] = -40.0;
  m.layers[1].w_hh[20 * 16 + 15] = 3.0;
  LoadSaturation sat;
  quantize_model(m, small_formats(), &sat);
  REQUIRE(sat.size() == 1);
  CHECK(sat[0].tensor == "weight_hh_l1");
  CHECK(describe(sat[0]) ==
        "/weight_hh_l1/3/5: -2.5 saturated to -2 (weight format Q2.6: [-2, 1.984]); "
        "3 of 1024 weights, the largest -40 at /weight_hh_l1/10/0");
}

TEST_CASE("the summed bias saturates as one tensor with both pointers") {
  FloatModel m = quiet_model();
  m.layers[0].b_ih[9] = 1.5;  // 1.5 + 1.5 = 3 > 1.984, though each addend fits
  m.layers[0].b_hh[9] = 1.5;
  LoadSaturation sat;
  quantize_model(m, small_formats(), &sat);
  REQUIRE(sat.size() == 1);
  CHECK(sat[0].tensor == "bias_ih_l0 + bias_hh_l0");
  CHECK(describe(sat[0]) ==
        "/bias_ih_l0/9 + /bias_hh_l0/9: 3 saturated to 1.984 (bias format Q2.6: [-2, 1.984]); "
        "1 of 64 biases");
}

TEST_CASE("a reverse direction's tensors carry the model file's _reverse names") {
  WorkloadShape shape = workload_shape(3, 4, 2, 1, 1);
  shape.bidirectional = true;
  FloatModel m = random_model(shape, 9);
  m.reverse[1].w_ih[2 * 8 + 7] = 5.0;  // layer 1 reads both directions: 8 inputs
  LoadSaturation sat;
  quantize_model(m, small_formats(), &sat);
  REQUIRE(sat.size() == 1);
  CHECK(sat[0].tensor == "weight_ih_l1_reverse");
  CHECK(sat[0].first_pointer == "/weight_ih_l1_reverse/2/7");
}

TEST_CASE("a GRU's n rows: b_in alone in the summed tensor, b_hn in its own") {
  WorkloadShape shape = workload_shape(3, 4, 1, 1, 1);
  shape.cell = CellType::Gru;
  FloatModel m = random_model(shape, 9);
  m.layers[0].b_ih[9] = 2.5;   // row 9 = n row of unit 1: b_in, not summed
  m.layers[0].b_hh[10] = -3.0; // b_hn of unit 2
  m.layers[0].b_ih[1] = 1.5;   // r row of unit 1: summed with b_hh[1]
  m.layers[0].b_hh[1] = 1.5;
  LoadSaturation sat;
  quantize_model(m, small_formats(), &sat);
  REQUIRE(sat.size() == 2);
  CHECK(describe(sat[0]) ==
        "/bias_ih_l0/1 + /bias_hh_l0/1: 3 saturated to 1.984 (bias format Q2.6: [-2, 1.984]); "
        "2 of 12 biases, the first is the largest");
  CHECK(sat[1].tensor == "bias_hh_l0 (n rows)");
  CHECK(describe(sat[1]) ==
        "/bias_hh_l0/10: -3 saturated to -2 (bias format Q2.6: [-2, 1.984]); 1 of 4 biases");
}

TEST_CASE("a value that rounds past the edge saturates, the edge itself does not") {
  FloatModel m = quiet_model();
  m.layers[0].w_ih[1] = 1.984375;   // the largest Q2.6 value
  m.layers[0].w_ih[2] = -2.0;       // the smallest
  LoadSaturation sat;
  quantize_model(m, small_formats(), &sat);
  CHECK(sat.empty());
  m.layers[0].w_ih[1] = 1.9921875;  // 127.5 LSB: rounds to 128
  quantize_model(m, small_formats(), &sat);
  REQUIRE(sat.size() == 1);
  CHECK(sat[0].first_pointer == "/weight_ih_l0/0/1");
}

TEST_CASE("inputs saturate in the data format, named by sequence, step and element") {
  SequenceSet x{{{0.5, 0.25}, {1.0, -5.0}}, {{9.0, 0.0}}};
  const LoadSaturation sat = input_saturation(x, {}, small_formats());
  REQUIRE(sat.size() == 1);
  CHECK(describe(sat[0]) ==
        "/sequences/0/1/1: -5 saturated to -4 (data format Q3.5: [-4, 3.969]); "
        "2 of 6 inputs, the largest 9 at /sequences/1/0/0");
  CHECK(input_saturation({{{3.9}}}, {}, small_formats()).empty());
}

TEST_CASE("initial states saturate in their own formats: h0 in data, c0 in cell") {
  HwConfig c = small_formats();
  c.cell = {12, 8};  // [-8, 7.996]
  const SequenceSet x{{{0.0}}, {{0.0}}};
  std::vector<FloatState> initial(2);
  initial[1].h = {{0.5, 4.5}};
  initial[1].c = {{7.0, -9.0}};
  const LoadSaturation sat = input_saturation(x, initial, c);
  REQUIRE(sat.size() == 2);
  CHECK(describe(sat[0]) ==
        "/h0/1/0/1: 4.5 saturated to 3.969 (data format Q3.5: [-4, 3.969]); 1 of 2 values of h0");
  CHECK(describe(sat[1]) ==
        "/c0/1/0/1: -9 saturated to -8 (cell format Q4.8: [-8, 7.996]); 1 of 2 values of c0");
}

TEST_CASE("a format's edge never reads as the power of two above it") {
  CHECK(short_number(7.999755859375) == "7.9998");  // Q4.12's largest value
  CHECK(short_number(1.984375) == "1.984");
  CHECK(short_number(-8.0) == "-8");
  CHECK(short_number(1e6) == "1e6");
  CHECK(short_number(-2.5e-7) == "-2.5e-7");
  CHECK(q_name({16, 12}) == "Q4.12");
}

}  // TEST_SUITE
