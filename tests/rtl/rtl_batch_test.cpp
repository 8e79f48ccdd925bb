// Batching in a core (config features.batch, lstmsim run --batch): several
// sequences of one model run together in core 0, each as its own local
// layers, folded when that saves cycles; bit-exact against the golden model
// with random idle cycles on the x stream and backpressure on the h stream.
#include <doctest/doctest.h>

#include "tests/rtl/rtl_test_support.hpp"

using lstm::workload_shape;
using lstm::test::RtlCase;
using lstm::test::run_rtl_case;

namespace {

// configs/small.json on one core, with batching and room for 8 local layers.
constexpr const char* kSmallBatch = "tests/rtl/configs/small_batch.json";
// The same on two cores: a batch runs in core 0; the fabric's modes run
// ordinary programs on both.
constexpr const char* kDuoBatch = "tests/rtl/configs/duo_batch.json";

void expect_exact(const RtlCase& c) {
  const auto r = run_rtl_case(c);
  CHECK(r.exit_code == 0);
  CHECK(r.bit_exact);
  CHECK(r.saturation_exact);
}

}  // namespace

TEST_SUITE("rtl batching (small_batch config)") {
  TEST_CASE("four sequences of a folded one-layer model (H = 2 on 4 lanes) run together, the fifth in a batch of its own") {
    // fold_pays(4, 4, 2): one group of max(4, 2) = 4 words instead of 4 + 2.
    RtlCase c{"batch_fold", kSmallBatch, "single", {workload_shape(4, 2, 1, 9, 5)}, 41, 0.5, 0.3};
    c.batch = 4;
    expect_exact(c);
  }
  TEST_CASE("a folded layer with X smaller than H zeroes the x operand past X") {
    RtlCase c{"batch_fold_xh", kSmallBatch, "single", {workload_shape(1, 2, 1, 12, 3)}, 42, 0.4, 0.4};
    c.batch = 3;
    expect_exact(c);
  }
  TEST_CASE("three sequences of a two-layer model (no fold) run as six local layers") {
    RtlCase c{"batch_2l", kSmallBatch, "single", {workload_shape(4, 4, 2, 7, 3)}, 43, 0.6, 0.2};
    c.batch = 3;
    expect_exact(c);
  }
  TEST_CASE("a two-layer model whose first layer folds and second does not, four sequences") {
    RtlCase c{"batch_2l_fold", kSmallBatch, "single", {workload_shape(3, 2, 2, 6, 4)}, 44, 0.3, 0.5};
    c.batch = 4;
    expect_exact(c);
  }
  TEST_CASE("four sequences of a two-layer GRU (first layer folded) run together") {
    lstm::WorkloadShape shape = workload_shape(4, 2, 2, 7, 4);
    shape.cell = lstm::CellType::Gru;
    RtlCase c{"batch_gru", kSmallBatch, "single", {shape}, 46, 0.4, 0.3};
    c.batch = 4;
    expect_exact(c);
  }
  TEST_CASE("the same design runs a program without batching as before, bit-exact") {
    expect_exact({"batch_design_single", kSmallBatch, "single", {workload_shape(5, 7, 2, 10, 2)}, 45});
  }
}

TEST_SUITE("rtl batching on two cores (duo_batch config)") {
  TEST_CASE("four sequences of a folded model run batched in core 0 of a two-core design") {
    RtlCase c{"duo_batch_fold", kDuoBatch, "single", {workload_shape(4, 2, 1, 9, 4)}, 47, 0.5, 0.3};
    c.batch = 4;
    expect_exact(c);
  }
  TEST_CASE("mp and hc run ordinary programs on both cores of a batch design, bit-exact") {
    expect_exact({"duo_batch_mp", kDuoBatch, "mp", {workload_shape(5, 6, 2, 8, 3)}, 48, 0.4, 0.4});
    expect_exact({"duo_batch_hc", kDuoBatch, "hc", {workload_shape(6, 8, 1, 10)}, 49, 0.4, 0.4});
  }
}
