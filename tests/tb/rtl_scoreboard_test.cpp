// rtlsim's scoreboard (tb/rtl_scoreboard.hpp): outputs and saturation counts
// of a job against the golden model's.
#include <doctest/doctest.h>

#include <string>

#include "sim/golden_lstm.hpp"
#include "sim/run_common.hpp"
#include "sim/workload.hpp"
#include "spec/host_map.hpp"
#include "tb/rtl_scoreboard.hpp"
#include "tests/rtl/saturating_model.hpp"

namespace {

using namespace lstm;

// A two-layer model that saturates at every LSTM event on the sat_tri config.
struct Fixture {
  HwConfig cfg = load_config_or_throw(std::string(LSTM_SOURCE_DIR) +
                                      "/tests/rtl/configs/sat_tri.json");
  std::vector<QuantModel> models;
  IntSequence x;
  IntRun golden;
  Fixture() {
    const WorkloadShape s = test::saturating_shape(3, 5, 2, 12);
    models.push_back(quantize_model(test::saturating_model(s, 7), cfg));
    x = quantize_sequence(random_inputs(s, 8).at(0), cfg.data);
    golden = GoldenLstm(cfg, models[0]).run(x, IntState{});
  }
};

}  // namespace

TEST_SUITE("tb rtl scoreboard") {
  TEST_CASE("the host map has a counter field for each LSTM saturation event, in SatEvent order") {
    const auto lstm_events = std::size(hostmap::kSatFields);
    REQUIRE(lstm_events == 5);
    for (std::size_t e = 0; e < lstm_events; ++e)
      CHECK(hostmap::kSatFields[e].event == kSatEventNames[e]);
  }

  TEST_CASE("counts equal to the golden model's are no mismatch, and one count off is one") {
    Fixture f;
    // The fixture saturates at every event kind, so the check below can fail.
    SatCounts all;
    for (const SatCounts& l : f.golden.saturation) all += l;
    for (std::size_t e = 0; e < std::size(hostmap::kSatFields); ++e) CHECK(all.n[e] > 0);

    tb::Scoreboard good(f.cfg, f.models);
    good.check(0, 0, f.x, f.golden.outputs, f.golden.saturation);
    CHECK(good.mismatches() == 0);
    CHECK(good.sat_mismatches() == 0);
    CHECK(good.golden_saturation(0) == f.golden.saturation);

    LayerSatCounts off = f.golden.saturation;
    off.at(1).n[static_cast<std::size_t>(SatEvent::NarrowHidden)] += 1;
    tb::Scoreboard bad(f.cfg, f.models);
    bad.check(0, 0, f.x, f.golden.outputs, off);
    CHECK(bad.mismatches() == 0);
    CHECK(bad.sat_mismatches() == 1);
    REQUIRE(bad.messages().size() == 1);
    CHECK(bad.messages()[0].find("layer 1") != std::string::npos);
    CHECK(bad.messages()[0].find("narrow_hidden") != std::string::npos);
  }

  TEST_CASE("a layer the RTL reported nothing for counts as zero events") {
    Fixture f;
    LayerSatCounts missing = f.golden.saturation;
    missing.pop_back();
    tb::Scoreboard sb(f.cfg, f.models);
    sb.check(0, 0, f.x, f.golden.outputs, missing);
    CHECK(sb.sat_mismatches() > 0);
  }
}
