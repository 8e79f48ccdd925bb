// The arithmetic rules of docs/numerics.md, checked on values worked out by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/fixed_point.hpp"

using namespace lstm;

TEST_SUITE("fixed_point") {

TEST_CASE("saturate clamps to the format's range in both directions") {
  CHECK(saturate(40000, 16) == 32767);
  CHECK(saturate(-40000, 16) == -32768);
  CHECK(saturate(32767, 16) == 32767);
  CHECK(saturate(-32768, 16) == -32768);
  CHECK(saturate(-5, 16) == -5);
  CHECK(saturate(2, 2) == 1);
  CHECK(saturate(-3, 2) == -2);
}

TEST_CASE("nearest rounding sends ties away from zero for both signs") {
  CHECK(narrow(1, 1, 16, Rounding::Nearest) == 1);    //  0.5  ->  1
  CHECK(narrow(-1, 1, 16, Rounding::Nearest) == -1);  // -0.5  -> -1
  CHECK(narrow(3, 1, 16, Rounding::Nearest) == 2);    //  1.5  ->  2
  CHECK(narrow(-3, 1, 16, Rounding::Nearest) == -2);  // -1.5  -> -2
  CHECK(narrow(10, 2, 16, Rounding::Nearest) == 3);   //  2.5  ->  3
  CHECK(narrow(-10, 2, 16, Rounding::Nearest) == -3); // -2.5  -> -3
}

TEST_CASE("nearest rounding rounds non-ties to the closer integer") {
  CHECK(narrow(5, 2, 16, Rounding::Nearest) == 1);    //  1.25 ->  1
  CHECK(narrow(-5, 2, 16, Rounding::Nearest) == -1);  // -1.25 -> -1
  CHECK(narrow(7, 2, 16, Rounding::Nearest) == 2);    //  1.75 ->  2
  CHECK(narrow(-7, 2, 16, Rounding::Nearest) == -2);  // -1.75 -> -2
  CHECK(narrow(-9, 2, 16, Rounding::Nearest) == -2);  // -2.25 -> -2
}

TEST_CASE("floor rounding goes towards minus infinity for both signs") {
  CHECK(narrow(3, 1, 16, Rounding::Floor) == 1);     //  1.5  ->  1
  CHECK(narrow(-3, 1, 16, Rounding::Floor) == -2);   // -1.5  -> -2
  CHECK(narrow(-1, 1, 16, Rounding::Floor) == -1);   // -0.5  -> -1
  CHECK(narrow(7, 2, 16, Rounding::Floor) == 1);     //  1.75 ->  1
  CHECK(narrow(-5, 2, 16, Rounding::Floor) == -2);   // -1.25 -> -2
  CHECK(narrow(-8, 2, 16, Rounding::Floor) == -2);   // exact
}

TEST_CASE("narrow saturates after shifting right") {
  CHECK(narrow(std::int64_t{1} << 30, 4, 16, Rounding::Nearest) == 32767);
  CHECK(narrow(-(std::int64_t{1} << 30), 4, 16, Rounding::Floor) == -32768);
  // 32767.5 rounds to 32768, one past the top: saturates.
  CHECK(narrow(65535, 1, 16, Rounding::Nearest) == 32767);
}

TEST_CASE("a zero or negative shift is a left shift, saturated") {
  CHECK(narrow(3, 0, 16, Rounding::Nearest) == 3);
  CHECK(narrow(3, -2, 16, Rounding::Nearest) == 12);
  CHECK(narrow(-3, -2, 16, Rounding::Floor) == -12);
  CHECK(narrow(20000, -1, 16, Rounding::Nearest) == 32767);
  CHECK(narrow(-20000, -1, 16, Rounding::Nearest) == -32768);
  // Far beyond int64: must saturate, not wrap.
  CHECK(narrow(std::int64_t{1} << 40, -30, 48, Rounding::Nearest) == (std::int64_t{1} << 47) - 1);
  CHECK(narrow(-(std::int64_t{1} << 40), -30, 48, Rounding::Nearest) == -(std::int64_t{1} << 47));
}

TEST_CASE("quantize rounds half away from zero and saturates at plus and minus max") {
  const FixedFormat q6_10{16, 10};
  CHECK(quantize(0.5, {8, 0}) == 1);
  CHECK(quantize(-0.5, {8, 0}) == -1);
  CHECK(quantize(2.5, {8, 0}) == 3);    // not to even
  CHECK(quantize(-2.5, {8, 0}) == -3);
  CHECK(quantize(-0.75, {16, 2}) == -3);
  CHECK(quantize(31.999, q6_10) == 32767);          // 32766.98 rounds to the top code
  CHECK(quantize(32.0, q6_10) == 32767);            // 32768 saturates
  CHECK(quantize(-32.0, q6_10) == -32768);          // exactly the bottom code
  CHECK(quantize(-32.1, q6_10) == -32768);
  CHECK(quantize(1e300, q6_10) == 32767);
  CHECK(quantize(-1e300, q6_10) == -32768);
  CHECK_THROWS_AS(quantize(std::numeric_limits<double>::quiet_NaN(), q6_10), std::invalid_argument);
  CHECK_THROWS_AS(quantize(std::numeric_limits<double>::infinity(), q6_10), std::invalid_argument);
}

TEST_CASE("to_double inverts quantize for representable values, negatives included") {
  const FixedFormat f{16, 10};
  CHECK(to_double(-3, {16, 2}) == -0.75);
  for (double v : {-32.0, -1.0, -0.0009765625, 0.0, 0.5, 31.9990234375})
    CHECK(to_double(quantize(v, f), f) == v);
}

TEST_CASE("the named narrowings of a layer-step follow the formats of the config") {
  HwConfig c;  // data Q6.10, bias Q4.12, accum frac 22, gate Q2.14, cell (24, 14)
  c.data = {16, 10};
  c.accum = {48, 22};
  const Numerics n(c);
  CHECK(n.bias_to_accum(1) == 1024);        // 2^-12 in accum frac 22
  CHECK(n.bias_to_accum(-4096) == -(std::int64_t{1} << 22));
  const std::int64_t one_gate = 1 << 14;
  const std::int64_t one_cell = 1 << 14;
  // c = f*c + i*g = 1*1 + 1*1 = 2
  CHECK(n.narrow_cell(one_gate, one_gate, one_gate, one_cell) == 2 * one_cell);
  // c = 0.5 * (-1) + 0.5 * (-0.5) = -0.75
  CHECK(n.narrow_cell(one_gate / 2, one_gate / 2, -one_gate / 2, -one_cell) == -3 * one_cell / 4);
  // h = 1 * 0.5 in Q6.10
  CHECK(n.narrow_hidden(one_gate, one_gate / 2) == 512);
  // h = -2^-28 * ... rounds: o = 1 LSB, tanh = -1 LSB: product -2^-28 -> 0 (nearest)
  CHECK(n.narrow_hidden(1, -1) == 0);
  HwConfig floor_cfg = c;
  floor_cfg.rounding = Rounding::Floor;
  CHECK(Numerics(floor_cfg).narrow_hidden(1, -1) == -1);  // floor goes down a step
}

TEST_CASE("the cell narrowing saturates a runaway cell state") {
  HwConfig c;
  c.cell = {16, 14};  // holds [-2, 2)
  const Numerics n(c);
  const std::int64_t one = 1 << 14;
  CHECK(n.narrow_cell(one, one, one, (1 << 15) - 1) == (1 << 15) - 1);
  CHECK(n.narrow_cell(one, one, -one, -(1 << 15)) == -(1 << 15));
}

TEST_CASE("the GRU's reset product returns to the accumulator format, rounded as narrow() rounds") {
  const HwConfig c;  // gate Q2.14, accum (48, 24)
  const Numerics n(c);
  const std::int64_t one = 1 << 14;
  CHECK(n.narrow_reset(one, 3 << 24) == 3 << 24);            // r = 1 keeps W_hn h + b_hn
  CHECK(n.narrow_reset(one / 2, 3 << 24) == 3 << 23);        // r = 0.5 halves it
  CHECK(n.narrow_reset(0, 12345) == 0);                      // r = 0 drops it
  CHECK(n.narrow_reset(one / 2, 1) == 1);                    // 0.5 LSB: a tie, away from zero
  CHECK(n.narrow_reset(one / 2, -1) == -1);
  CHECK(n.narrow_reset(3, 5) == 0);                          // 15 / 2^14 of an LSB
  HwConfig floor_cfg = c;
  floor_cfg.rounding = Rounding::Floor;
  CHECK(Numerics(floor_cfg).narrow_reset(one / 2, 1) == 0);
  CHECK(Numerics(floor_cfg).narrow_reset(one / 2, -1) == -1);
}

TEST_CASE("the GRU's reset product is exact where it needs more than 64 bits") {
  HwConfig c;
  c.gate = {32, 30};
  c.accum = {62, 24};
  const Numerics n(c);
  const std::int64_t a = (std::int64_t{1} << 60) + 12345;
  CHECK(n.narrow_reset(std::int64_t{1} << 30, a) == a);      // 2^30 * a needs 91 bits
  CHECK(n.narrow_reset(std::int64_t{1} << 29, -a) == -(a + 1) / 2);  // -a/2: a tie, away from 0
}

TEST_CASE("the GRU's candidate pre-activation saturates to the accumulator's width") {
  const HwConfig c;  // accum 48 bits
  const Numerics n(c);
  const std::int64_t max = (std::int64_t{1} << 47) - 1;
  CHECK(n.narrow_candidate(100, -30) == 70);
  CHECK(n.narrow_candidate(max, 5) == max);
  CHECK(n.narrow_candidate(-max, -5) == -max - 1);
}

TEST_CASE("the GRU's new h mixes n and the old h by z in the data format") {
  const HwConfig c;  // gate Q2.14, data Q4.12
  const Numerics n(c);
  const std::int64_t one = 1 << 14;
  CHECK(n.narrow_gru_hidden(one, one / 2, -1234) == -1234);  // z = 1 keeps h
  CHECK(n.narrow_gru_hidden(0, one / 2, -1234) == 2048);     // z = 0 takes n = 0.5
  CHECK(n.narrow_gru_hidden(one / 2, one, -4096) == 0);      // 0.5 * 1 + 0.5 * (-1)
  // 0.25 * 0.5 + 0.75 * 0.25 = 0.3125 = 1280 / 2^12
  CHECK(n.narrow_gru_hidden(3 * one / 4, one / 2, 1024) == 1280);
  // (1 - z) * n = 2^-14 * 2^-14 is far below half a data LSB: 0 (nearest), -1 (floor).
  CHECK(n.narrow_gru_hidden(one - 1, -1, 0) == 0);
  HwConfig floor_cfg = c;
  floor_cfg.rounding = Rounding::Floor;
  CHECK(Numerics(floor_cfg).narrow_gru_hidden(one - 1, -1, 0) == -1);
}

}  // TEST_SUITE
