// Every mode on 2, 3, 4, 8 and 16 cores, bit-exact against the golden model, with
// random idle cycles on the inputs and backpressure on the outputs.
#include <doctest/doctest.h>

#include "tests/rtl/rtl_test_support.hpp"
#include "tests/rtl/saturating_model.hpp"

using lstm::WorkloadShape;
using lstm::test::RtlCase;
using lstm::test::run_rtl_case;
using lstm::workload_shape;

namespace {


void expect_exact(const RtlCase& c, int cores_used = 0, const std::string& stages = {}) {
  const auto r = run_rtl_case(c);
  CHECK(r.exit_code == 0);
  CHECK(r.bit_exact);
  if (cores_used) CHECK(r.cores_used == cores_used);
  CHECK(r.stages == stages);
}

constexpr const char* kSmall = "configs/small.json";
constexpr const char* kTri = "tests/rtl/configs/tri_pwl.json";
constexpr const char* kQuad = "tests/rtl/configs/quad_lut.json";
// The largest fabrics, kept tiny (1-2 lanes, small limits, few steps): one
// verilated build each serves all four modes.
constexpr const char* kEight = "tests/rtl/configs/eight_tiny.json";
constexpr const char* kSixteen = "tests/rtl/configs/sixteen_tiny.json";

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
  // On two cores a hybrid plan is a stage of two (as hc) or two of one (as mt).
  TEST_CASE("hybrid pipelines two one-core stages when the layers are too narrow to share") {
    expect_exact({"small_hybrid_chain", kSmall, "hybrid", {workload_shape(9, 4, 2, 14)}, 18}, 2,
                 "layer 0 x1, layer 1 x1");
  }
  TEST_CASE("hybrid shares a wide layer in one stage of two cores") {
    expect_exact({"small_hybrid_shared", kSmall, "hybrid", {workload_shape(6, 10, 1, 12)}, 19}, 2,
                 "layer 0 x2");
  }
}

TEST_SUITE("rtl modes, 3 cores (pwl activations, floor rounding)") {
  TEST_CASE("single mode is bit-exact with pwl activations and floor rounding") {
    expect_exact({"tri_single", kTri, "single", {workload_shape(24, 23, 2, 12)}, 21}, 1);
  }
  TEST_CASE("mp spreads five jobs over three cores") {
    expect_exact({"tri_mp", kTri, "mp", {workload_shape(5, 8, 1, 6, 3), workload_shape(13, 4, 2, 5, 2)}, 22}, 3);
  }
  TEST_CASE("mt maps four layers onto three pipeline stages and pipelines three jobs through them") {
    expect_exact({"tri_mt", kTri, "mt", {workload_shape(10, 11, 4, 16, 3)}, 23}, 3);
  }
  TEST_CASE("hc splits 23 units over three cores of three lanes") {
    expect_exact({"tri_hc", kTri, "hc", {workload_shape(17, 23, 2, 14)}, 24}, 3);
  }
  TEST_CASE("hybrid gives a wide first layer a stage of two cores and the narrow second one a core") {
    expect_exact({"tri_hybrid", kTri, "hybrid", {workload_shape(24, 6, 2, 16, 2)}, 25}, 3, "layer 0 x2, layer 1 x1");
  }
}

TEST_SUITE("rtl modes, 4 cores (lut activations)") {
  TEST_CASE("mp runs six jobs on four cores") {
    expect_exact({"quad_mp", kQuad, "mp", {workload_shape(20, 9, 2, 8, 6)}, 31}, 4);
  }
  TEST_CASE("mt pipelines five layers over four cores, and four jobs one after another") {
    expect_exact({"quad_mt", kQuad, "mt", {workload_shape(13, 7, 5, 20, 4)}, 32}, 4);
  }
  // quad_lut's max_hidden is odd (21): the h buffer's two banks (by address
  // parity, lstm_hbuf) then swap between even and odd steps.
  TEST_CASE("hc shares a layer of 21 units among four cores, with an odd max_hidden") {
    expect_exact({"quad_hc", kQuad, "hc", {workload_shape(20, 21, 1, 30)}, 33}, 4);
  }
  TEST_CASE("hybrid runs two stages of two cores, each stage sharing its layer's two lane groups") {
    expect_exact({"quad_hybrid", kQuad, "hybrid", {workload_shape(6, 4, 2, 20, 2)}, 35}, 4,
                 "layer 0 x2, layer 1 x2");
  }
  TEST_CASE("single mode on the four-core design uses core 0 only") {
    expect_exact({"quad_single", kQuad, "single", {workload_shape(8, 20, 2, 10)}, 34}, 1);
  }
}

TEST_SUITE("rtl modes, 8 cores (two lanes, tiny limits)") {
  TEST_CASE("single mode on the eight-core design uses core 0 only") {
    expect_exact({"eight_single", kEight, "single", {workload_shape(5, 7, 2, 4)}, 41}, 1);
  }
  TEST_CASE("mp runs ten jobs on eight cores") {
    expect_exact({"eight_mp", kEight, "mp", {workload_shape(4, 6, 1, 3, 10)}, 42}, 8);
  }
  TEST_CASE("mt pipelines eight layers over eight cores, two jobs deep") {
    expect_exact({"eight_mt", kEight, "mt", {workload_shape(3, 5, 8, 4, 2)}, 43}, 8);
  }
  TEST_CASE("hc shares 16 units among eight cores") {
    expect_exact({"eight_hc", kEight, "hc", {workload_shape(6, 16, 1, 4)}, 44}, 8);
  }
}

TEST_SUITE("rtl modes, 16 cores (one lane, tiny limits)") {
  // Core 15 has registers of its own: before the target field grew to five
  // bits, its target (0xF) was the controller's.
  TEST_CASE("single mode on the sixteen-core design uses core 0 only") {
    expect_exact({"sixteen_single", kSixteen, "single", {workload_shape(3, 5, 2, 3)}, 51}, 1);
  }
  TEST_CASE("mp runs eighteen jobs on sixteen cores, core 15 included") {
    expect_exact({"sixteen_mp", kSixteen, "mp", {workload_shape(2, 3, 1, 3, 18)}, 52}, 16);
  }
  TEST_CASE("mt pipelines sixteen layers over sixteen cores, two jobs deep") {
    expect_exact({"sixteen_mt", kSixteen, "mt", {workload_shape(3, 4, 16, 3, 2)}, 53}, 16);
  }
  TEST_CASE("hc shares 16 units among sixteen cores of one lane") {
    expect_exact({"sixteen_hc", kSixteen, "hc", {workload_shape(4, 16, 1, 3)}, 54}, 16);
  }
}

namespace {

constexpr const char* kSat = "tests/rtl/configs/sat_tri.json";

using lstm::test::saturating_shape;

// The run is bit-exact, its saturation counts equal the golden engine's
// (checked here and by rtlsim), and every event kind happened.
void expect_counts(RtlCase c, int cores_used) {
  c.saturating = true;  // tests/rtl/saturating_model.hpp
  const auto r = run_rtl_case(c);
  CHECK(r.exit_code == 0);
  CHECK(r.bit_exact);
  CHECK(r.cores_used == cores_used);
  CHECK(r.saturation_mismatches == 0);
  CHECK(r.saturation_exact);
  lstm::SatCounts all;
  for (const auto& model : r.saturation)
    for (const auto& layer : model) all += layer;
  for (auto e : {lstm::SatEvent::ActSigmoidAcc, lstm::SatEvent::ActTanhAcc,
                 lstm::SatEvent::NarrowCell, lstm::SatEvent::ActTanhCell,
                 lstm::SatEvent::NarrowHidden}) {
    INFO("event ", lstm::kSatEventNames[static_cast<std::size_t>(e)]);
    CHECK(all[e] > 0);
  }
}

}  // namespace

TEST_SUITE("rtl saturation counters, 3 cores (sat_tri config)") {
  TEST_CASE("single mode counts every saturation event of a two-layer model as the golden model does") {
    expect_counts({"sat_single", kSat, "single", {saturating_shape(5, 7, 2, 20, 2)}, 31}, 1);
  }
  TEST_CASE("mp counts per job on whichever core ran it, the same totals as the golden model") {
    expect_counts({"sat_mp", kSat, "mp",
                   {saturating_shape(4, 6, 1, 14, 3), saturating_shape(7, 3, 2, 10, 2)}, 32}, 3);
  }
  TEST_CASE("mt counts each layer on the stage that runs it, three layers on three cores, two jobs deep") {
    expect_counts({"sat_mt", kSat, "mt", {saturating_shape(6, 8, 3, 16, 2)}, 33}, 3);
  }
  TEST_CASE("hc counts each core's slice of the units, summing to the golden count of the layer") {
    expect_counts({"sat_hc", kSat, "hc", {saturating_shape(5, 8, 2, 18)}, 34}, 3);
  }
}
