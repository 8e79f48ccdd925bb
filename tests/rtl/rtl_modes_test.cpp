// Every mode on 2, 3 and 4 cores, bit-exact against the golden model, with
// random idle cycles on the inputs and backpressure on the outputs.
#include <doctest/doctest.h>

#include "tests/rtl/rtl_test_support.hpp"

using lstm::WorkloadShape;
using lstm::test::RtlCase;
using lstm::test::run_rtl_case;
using lstm::workload_shape;

namespace {


void expect_exact(const RtlCase& c, int cores_used = 0) {
  const auto r = run_rtl_case(c);
  CHECK(r.exit_code == 0);
  CHECK(r.bit_exact);
  if (cores_used) CHECK(r.cores_used == cores_used);
}

constexpr const char* kSmall = "configs/small.json";
constexpr const char* kTri = "tests/rtl/configs/tri_pwl.json";
constexpr const char* kQuad = "tests/rtl/configs/quad_lut.json";

}  // namespace

TEST_SUITE("rtl modes, 2 cores (small config)") {
  TEST_CASE("single mode is bit-exact on a one-layer model over 100 steps with odd sizes") {
    expect_exact({"small_single_1l", kSmall, "single", {workload_shape(5, 7, 1, 100)}, 11}, 1);
  }
  TEST_CASE("single mode is bit-exact on a three-layer model with sizes that are not multiples of the lanes") {
    expect_exact({"small_single_3l", kSmall, "single", {workload_shape(5, 7, 3, 20, 2)}, 12}, 1);
  }
  TEST_CASE("mp runs more jobs than cores, of different sizes, on idle cores as they free up") {
    expect_exact({"small_mp", kSmall, "mp",
                  {workload_shape(9, 6, 1, 12, 2), workload_shape(16, 12, 2, 7, 1), workload_shape(3, 1, 3, 9, 2)}, 13}, 2);
  }
  TEST_CASE("mt pipelines more layers than cores") {
    expect_exact({"small_mt_3l", kSmall, "mt", {workload_shape(7, 9, 3, 25, 2)}, 14}, 2);
  }
  TEST_CASE("mt with fewer layers than cores leaves the extra cores idle") {
    expect_exact({"small_mt_1l", kSmall, "mt", {workload_shape(7, 9, 1, 10)}, 15}, 1);
  }
  TEST_CASE("hc splits units unevenly when H is not a multiple of cores times lanes") {
    expect_exact({"small_hc_uneven", kSmall, "hc", {workload_shape(6, 10, 2, 15, 2)}, 16}, 2);
  }
  TEST_CASE("hc with fewer lane groups than cores falls back to the cores it can use") {
    expect_exact({"small_hc_narrow", kSmall, "hc", {workload_shape(4, 3, 1, 8)}, 17}, 1);
  }
}

TEST_SUITE("rtl modes, 3 cores (pwl activations, floor rounding)") {
  TEST_CASE("single mode is bit-exact with pwl activations and floor rounding") {
    expect_exact({"tri_single", kTri, "single", {workload_shape(24, 23, 2, 12)}, 21}, 1);
  }
  TEST_CASE("mp spreads five jobs over three cores") {
    expect_exact({"tri_mp", kTri, "mp", {workload_shape(5, 8, 1, 6, 3), workload_shape(13, 4, 2, 5, 2)}, 22}, 3);
  }
  TEST_CASE("mt maps four layers onto three pipeline stages") {
    expect_exact({"tri_mt", kTri, "mt", {workload_shape(10, 11, 4, 16)}, 23}, 3);
  }
  TEST_CASE("hc splits 23 units over three cores of three lanes") {
    expect_exact({"tri_hc", kTri, "hc", {workload_shape(17, 23, 2, 14)}, 24}, 3);
  }
}

TEST_SUITE("rtl modes, 4 cores (lut activations)") {
  TEST_CASE("mp runs six jobs on four cores") {
    expect_exact({"quad_mp", kQuad, "mp", {workload_shape(20, 9, 2, 8, 6)}, 31}, 4);
  }
  TEST_CASE("mt pipelines five layers over four cores") {
    expect_exact({"quad_mt", kQuad, "mt", {workload_shape(13, 7, 5, 20)}, 32}, 4);
  }
  TEST_CASE("hc shares a layer of 19 units among four cores") {
    expect_exact({"quad_hc", kQuad, "hc", {workload_shape(20, 19, 1, 30)}, 33}, 4);
  }
  TEST_CASE("single mode on the four-core design uses core 0 only") {
    expect_exact({"quad_single", kQuad, "single", {workload_shape(8, 20, 2, 10)}, 34}, 1);
  }
}
