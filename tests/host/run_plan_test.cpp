// The run plan: every decision of each mode, made once, checked without a
// simulator (the rtl tests run the same plans on the RTL).
#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>

#include "host/run_plan.hpp"
#include "sim/run_common.hpp"
#include "sim/workload.hpp"

using namespace lstm;
using hostmap::Mode;

namespace {

const HwConfig& small() {  // 2 cores x 4 lanes, weight_depth 256
  static const HwConfig c =
      load_config_or_throw(std::string(LSTM_SOURCE_DIR) + "/configs/small.json");
  return c;
}

QuantModel model(int x, int h, int layers) {
  return quantize_model(random_model(workload_shape(x, h, layers, 1), 7), small());
}

constexpr std::uint32_t kBoth = hostmap::kFlagOutEn | hostmap::kFlagOutWait;

std::vector<HostWrite> concat(const std::vector<HostWrite>& a, const std::vector<HostWrite>& b) {
  std::vector<HostWrite> out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

bool same(const std::vector<HostWrite>& a, const std::vector<HostWrite>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].addr != b[i].addr || a[i].data != b[i].data) return false;
  return true;
}

// Weight and bias writes of every placement, in order, as place_layers makes them.
std::vector<HostWrite> expected_load(const HwConfig& c, const std::vector<QuantModel>& models,
                                     const RunPlan& p) {
  std::vector<HostWrite> out;
  for (const auto& pl : p.placements) {
    const CoreImage img =
        place_layers(c, models[static_cast<std::size_t>(pl.model)], pl.core, pl.first, pl.last,
                     pl.slices, pl.layers.front().wbase, pl.layers.front().bbase);
    out = concat(out, img.writes);
  }
  return out;
}

std::int64_t sign_extend_to(std::uint32_t v, int width) {
  const std::uint32_t m = std::uint32_t{1} << (width - 1);
  return static_cast<std::int64_t>(static_cast<std::int32_t>((v ^ m) - m));
}

}  // namespace

TEST_SUITE("run plan") {
  TEST_CASE("single places every model in core 0, one after the other, and runs the jobs in order") {
    const std::vector<QuantModel> models{model(5, 7, 2), model(3, 6, 1)};
    const RunPlan p = plan_run(small(), Mode::Single, models, {{0, 4}, {1, 3}, {0, 2}});
    CHECK(p.mode == Mode::Single);
    CHECK(p.active == 1);
    REQUIRE(p.placements.size() == 2);
    CHECK(p.placements[0].core == 0);
    CHECK(p.placements[1].core == 0);
    CHECK(p.placements[1].model == 1);
    // Model 1 starts where model 0 ends: 2 groups x (5 + 7) + 2 groups x (7 + 7) words.
    CHECK(p.placements[1].layers[0].wbase == 2 * 12 + 2 * 14);
    CHECK(p.placements[1].layers[0].bbase == 4);
    CHECK(same(p.load, expected_load(small(), models, p)));
    REQUIRE(p.groups.size() == 1);
    CHECK(p.groups[0].cores == std::vector<unsigned>{0});
    CHECK(p.groups[0].flags == std::vector<std::uint32_t>{kBoth});
    CHECK(p.groups[0].in_port == 0);
    CHECK(p.groups[0].out_port == 0);
    CHECK(p.dispatch == Dispatch::Serial);
    CHECK(p.queues == std::vector<std::vector<std::size_t>>{{0, 1, 2}});
    REQUIRE(p.jobs.size() == 3);
    CHECK(p.jobs[1].model == 1);
    CHECK(p.jobs[1].steps == 3);
    CHECK(p.jobs[1].hidden == 6);
    CHECK(p.jobs[1].work == 3u * static_cast<std::uint64_t>(layer_step_work(4, 3, 6, 6)));
    CHECK(same(p.jobs[1].programs.at(0), program_writes(0, p.placements[1].layers, 3, kBoth)));
  }

  TEST_CASE("mt cuts the layers into one stage per core and streams h out of the last stage") {
    const std::vector<QuantModel> models{model(7, 9, 3)};
    const RunPlan p = plan_run(small(), Mode::Mt, models, {{0, 5}});
    CHECK(p.active == 2);
    const auto stages = partition_stages(small(), models[0], 2);
    REQUIRE(p.placements.size() == 2);
    for (unsigned k = 0; k < 2; ++k) {
      CHECK(p.placements[k].core == k);
      CHECK(p.placements[k].first == stages[k].first);
      CHECK(p.placements[k].last == stages[k].second);
      CHECK(p.placements[k].layers[0].wbase == 0);  // every stage starts its own memory
    }
    CHECK(p.placements[0].last == p.placements[1].first);
    CHECK(same(p.load, expected_load(small(), models, p)));
    REQUIRE(p.groups.size() == 1);
    CHECK(p.groups[0].cores == std::vector<unsigned>{0, 1});
    CHECK(p.groups[0].flags == std::vector<std::uint32_t>{kBoth, kBoth});
    CHECK(p.groups[0].in_port == 0);
    CHECK(p.groups[0].out_port == 1);
    CHECK(p.dispatch == Dispatch::Serial);
    CHECK(same(p.jobs[0].programs.at(0),
               concat(program_writes(0, p.placements[0].layers, 5, kBoth),
                      program_writes(1, p.placements[1].layers, 5, kBoth))));
  }

  TEST_CASE("mt pipelines several jobs: every stage a group of its own, programmed on its own") {
    const std::vector<QuantModel> models{model(7, 9, 3)};
    const RunPlan p = plan_run(small(), Mode::Mt, models, {{0, 5}, {0, 4}, {0, 6}});
    CHECK(p.dispatch == Dispatch::Pipelined);
    REQUIRE(p.groups.size() == 2);
    for (unsigned k = 0; k < 2; ++k) {
      CHECK(p.groups[k].cores == std::vector<unsigned>{k});
      CHECK(p.groups[k].flags == std::vector<std::uint32_t>{kBoth});
      CHECK(p.groups[k].in_port == 0);   // the pipeline's ports: x enters stage 0,
      CHECK(p.groups[k].out_port == 1);  // h leaves the last
    }
    REQUIRE(p.queues.size() == 1);
    CHECK(p.queues[0] == std::vector<std::size_t>{0, 1, 2});
    for (std::size_t j = 0; j < 3; ++j) {
      REQUIRE(p.jobs[j].programs.size() == 2);
      for (unsigned k = 0; k < 2; ++k)
        CHECK(same(p.jobs[j].programs[k],
                   program_writes(k, p.placements[k].layers, p.jobs[j].steps, kBoth)));
    }
  }

  TEST_CASE("hc gives every core a slice of every layer; only core 0 streams h out") {
    const std::vector<QuantModel> models{model(6, 10, 2)};
    const RunPlan p = plan_run(small(), Mode::Hc, models, {{0, 3}});
    CHECK(p.active == 2);
    REQUIRE(p.placements.size() == 2);
    // H = 10 on 4 lanes: 3 groups, 2 for core 0 and 1 (2 units) for core 1.
    CHECK(p.placements[0].slices[0].lo == 0);
    CHECK(p.placements[0].slices[0].cnt == 8);
    CHECK(p.placements[1].slices[1].lo == 8);
    CHECK(p.placements[1].slices[1].cnt == 2);
    CHECK(p.placements[1].layers[0].hidden == 10);
    CHECK(p.groups[0].cores == std::vector<unsigned>{0, 1});
    CHECK(p.groups[0].flags == std::vector<std::uint32_t>{kBoth, hostmap::kFlagOutWait});
    CHECK(p.groups[0].in_port == 0);
    CHECK(p.groups[0].out_port == 0);
    CHECK(same(p.jobs[0].programs.at(0),
               concat(program_writes(0, p.placements[0].layers, 3, kBoth),
                      program_writes(1, p.placements[1].layers, 3, hostmap::kFlagOutWait))));
  }

  TEST_CASE("hc uses only as many cores as the narrowest layer has lane groups") {
    const RunPlan p = plan_run(small(), Mode::Hc, {model(4, 3, 1)}, {{0, 2}});
    CHECK(p.active == 1);
    CHECK(p.groups[0].cores == std::vector<unsigned>{0});
  }

  TEST_CASE("mp with models that fit one core together loads them everywhere and shares one queue") {
    const std::vector<QuantModel> models{model(9, 6, 1), model(3, 1, 3)};
    const RunPlan p = plan_run(small(), Mode::Mp, models, {{0, 4}, {1, 2}, {1, 3}});
    CHECK(p.active == 2);
    CHECK(p.dispatch == Dispatch::SharedQueue);
    CHECK(p.queues == std::vector<std::vector<std::size_t>>{{0, 1, 2}});
    CHECK(p.placements.size() == 4);  // both models in both cores
    REQUIRE(p.groups.size() == 2);
    for (unsigned k = 0; k < 2; ++k) {
      CHECK(p.groups[k].cores == std::vector<unsigned>{k});
      CHECK(p.groups[k].in_port == k);
      CHECK(p.groups[k].out_port == k);
    }
    for (const auto& j : p.jobs) {  // any core may take any job
      REQUIRE(j.programs.size() == 2);
      CHECK(!j.programs[0].empty());
      CHECK(!j.programs[1].empty());
    }
    CHECK(p.jobs[2].programs[1].front().addr == hostmap::core_reg(1, hostmap::kNumLayers));
  }

  TEST_CASE("mp with models too large to share a core assigns each job to the least loaded core") {
    // 128 + 256 weight words: each fits a core of 256 words, not both.
    const std::vector<QuantModel> models{model(16, 16, 1), model(16, 16, 2)};
    const RunPlan p = plan_run(small(), Mode::Mp, models, {{1, 10}, {0, 10}, {0, 10}});
    CHECK(p.dispatch == Dispatch::OwnQueues);
    CHECK(p.queues == std::vector<std::vector<std::size_t>>{{0}, {1, 2}});
    REQUIRE(p.placements.size() == 2);
    CHECK(p.placements[0].core == 0);
    CHECK(p.placements[0].model == 1);
    CHECK(p.placements[1].core == 1);
    CHECK(p.placements[1].model == 0);
    CHECK(p.jobs[0].programs[1].empty());
    CHECK(p.jobs[1].programs[0].empty());
    CHECK(!p.jobs[1].programs[1].empty());
  }

  TEST_CASE("mp uses no more cores than there are jobs") {
    const RunPlan p = plan_run(small(), Mode::Mp, {model(4, 4, 1)}, {{0, 2}});
    CHECK(p.active == 1);
    CHECK(p.groups.size() == 1);
  }

  TEST_CASE("mt and hc refuse several models, and a job may not name a missing model") {
    const std::vector<QuantModel> two{model(4, 4, 1), model(4, 4, 1)};
    CHECK_THROWS_WITH_AS(plan_run(small(), Mode::Mt, two, {{0, 1}}),
                         doctest::Contains("mode mt runs one model, got 2"), MappingError);
    CHECK_THROWS_AS(plan_run(small(), Mode::Hc, two, {{0, 1}}), MappingError);
    CHECK_THROWS_AS(plan_run(small(), Mode::Single, two, {{2, 1}}), MappingError);
  }

  TEST_CASE("a model beyond the weight memory is refused with the limit named") {
    CHECK_THROWS_WITH_AS(plan_run(small(), Mode::Single, {model(16, 16, 3)}, {{0, 1}}),
                         doctest::Contains("/limits/weight_depth is 256"), MappingError);
  }

  TEST_CASE("a run longer than limits.max_steps is refused with the field and both numbers, in every mode") {
    HwConfig c = small();
    c.limits.max_steps = 4;
    const std::vector<QuantModel> one{model(5, 7, 2)};
    for (Mode m : {Mode::Single, Mode::Mp, Mode::Mt, Mode::Hc}) {
      CAPTURE(static_cast<int>(m));
      CHECK_NOTHROW(plan_run(c, m, one, {{0, 4}}));
      CHECK_THROWS_WITH_AS(plan_run(c, m, one, {{0, 5}}),
                           doctest::Contains("a run of 5 steps exceeds /limits/max_steps 4"),
                           MappingError);
    }
    c.limits.max_steps = 0;  // no limit
    CHECK_NOTHROW(plan_run(c, Mode::Single, one, {{0, 100000}}));
  }

  TEST_CASE("the writes around the jobs: MODE and ACTIVE after the load, START and CTRL.START") {
    const RunPlan p = plan_run(small(), Mode::Mt, {model(4, 4, 2)}, {{0, 1}});
    const auto w = mode_writes(p);
    REQUIRE(w.size() == 2);
    CHECK(w[0].addr == hostmap::global_reg(hostmap::kMode));
    CHECK(w[0].data == static_cast<std::uint32_t>(Mode::Mt));
    CHECK(w[1].addr == hostmap::global_reg(hostmap::kActive));
    CHECK(w[1].data == 2);
    CHECK(start_all_write().addr == hostmap::global_reg(hostmap::kStart));
    CHECK(start_core_write(1).addr == hostmap::core_reg(1, hostmap::kCtrl));
    CHECK(start_core_write(1).data == 1u << hostmap::kCtrlStartBit);
  }

  TEST_CASE("state: Load writes h0 of every unit and c0 of the core's units before the program, with STATE_IN") {
    using namespace hostmap;
    const HwConfig& c = small();
    const QuantModel q = model(4, 10, 1);  // hc: 10 units over 2 cores of 4 lanes: 8 + 2
    JobSpec spec{0, 5};
    spec.start = StartState::Load;
    spec.h_half = 1;
    spec.read_state = true;
    spec.initial.h = {IntVector(10, 3)};
    spec.initial.c = {IntVector(10, -2)};
    const RunPlan p = plan_run(c, Mode::Hc, {q}, {spec});
    REQUIRE(p.jobs.size() == 1);
    const auto& prog = p.jobs[0].programs.at(0);
    int h_writes = 0, c_writes = 0;
    for (const auto& w : prog) {
      const auto f = decode(w.addr);
      if (f.region != static_cast<unsigned>(Region::State)) continue;
      if ((f.index >> kStateCBit) & 1u) {
        ++c_writes;
        CHECK(w.data == static_cast<std::uint32_t>(-2));
      } else {
        ++h_writes;
        CHECK(w.data == 3u);
        // H_HALF = 1: the initial h sits in half 0.
        CHECK(f.index % (2 * static_cast<std::uint32_t>(c.limits.max_hidden)) <
              static_cast<std::uint32_t>(c.limits.max_hidden));
      }
    }
    CHECK(h_writes == 2 * 10);  // every member holds all units' h
    CHECK(c_writes == 10);      // each member its own units' c
    for (unsigned core : {0u, 1u}) {
      bool flags_seen = false;
      for (const auto& w : prog)
        if (w.addr == core_reg(core, kFlags)) {
          flags_seen = true;
          CHECK((w.data & (kFlagStateIn | kFlagHHalf)) == (kFlagStateIn | kFlagHHalf));
        }
      CHECK(flags_seen);
    }
    // The final state: h and c of every unit, each from the core computing it.
    CHECK(p.jobs[0].reads.at(0).size() == 2 * 10);
  }

  TEST_CASE("a GRU layer fills the four gate slots with r, z, n's input part and n's recurrent part") {
    using namespace hostmap;
    const HwConfig& c = small();
    WorkloadShape s = workload_shape(3, 2, 1, 1);
    s.cell = CellType::Gru;
    const QuantModel q = quantize_model(random_model(s, 9), c);
    const QuantLayer& l = q.layers[0];
    const CoreImage img = place_layers(c, q, 0, 0, 1, full_slices(q, 0, 1));
    // Weight word (group 0, column col) and bias word 0 of lane `unit`, gate slot `gate`.
    const auto weight = [&](int unit, int gate, int col) {
      const std::uint32_t a =
          mem_addr(c, 0, Region::Weights, static_cast<std::uint32_t>(col),
                   static_cast<unsigned>(unit * 4 + gate));
      for (const auto& w : img.writes)
        if (w.addr == a) return sign_extend_to(w.data, c.weight.width);
      FAIL("no write of slot ", gate, " column ", col);
      return std::int64_t{0};
    };
    const auto bias = [&](int unit, int gate) {
      const std::uint32_t a = mem_addr(c, 0, Region::Biases, 0, static_cast<unsigned>(unit * 4 + gate));
      for (const auto& w : img.writes)
        if (w.addr == a) return sign_extend_to(w.data, c.bias.width);
      FAIL("no bias of slot ", gate);
      return std::int64_t{0};
    };
    const int x = 3, h = 2;
    for (int u = 0; u < h; ++u) {
      CAPTURE(u);
      for (int col = 0; col < x; ++col) {
        CHECK(weight(u, 0, col) == l.w_ih[static_cast<std::size_t>(u * x + col)]);
        CHECK(weight(u, 1, col) == l.w_ih[static_cast<std::size_t>((h + u) * x + col)]);
        CHECK(weight(u, 2, col) == l.w_ih[static_cast<std::size_t>((2 * h + u) * x + col)]);
        CHECK(weight(u, 3, col) == 0);
      }
      for (int j = 0; j < h; ++j) {
        CHECK(weight(u, 0, x + j) == l.w_hh[static_cast<std::size_t>(u * h + j)]);
        CHECK(weight(u, 2, x + j) == 0);
        CHECK(weight(u, 3, x + j) == l.w_hh[static_cast<std::size_t>((2 * h + u) * h + j)]);
      }
      CHECK(bias(u, 2) == l.bias[static_cast<std::size_t>(2 * h + u)]);
      CHECK(bias(u, 3) == l.bias_hn[static_cast<std::size_t>(u)]);
    }
  }

  TEST_CASE("state: a GRU job sets FLAGS.GRU, loads h0 into the c buffer too and reads no c_n") {
    using namespace hostmap;
    const HwConfig& c = small();
    WorkloadShape s = workload_shape(4, 10, 1, 1);
    s.cell = CellType::Gru;
    const QuantModel q = quantize_model(random_model(s, 3), c);
    JobSpec spec{0, 5};
    spec.start = StartState::Load;
    spec.read_state = true;
    spec.initial.h = {IntVector(10, 3)};
    const RunPlan p = plan_run(c, Mode::Hc, {q}, {spec});
    int c_writes = 0;
    for (const auto& w : p.jobs[0].programs.at(0)) {
      const auto f = decode(w.addr);
      if (w.addr == core_reg(0, kFlags) || w.addr == core_reg(1, kFlags))
        CHECK((w.data & kFlagGru) != 0);
      if (f.region == static_cast<unsigned>(Region::State) && ((f.index >> kStateCBit) & 1u)) {
        ++c_writes;
        CHECK(w.data == 3u);  // h0
      }
    }
    CHECK(c_writes == 10);
    CHECK(p.jobs[0].reads.at(0).size() == 10);  // h_n only
    HwConfig lstm_only = c;
    lstm_only.cells.gru = false;
    CHECK_THROWS_WITH_AS(plan_run(lstm_only, Mode::Single, {q}, {spec}),
                         doctest::Contains("does not list \"gru\""), MappingError);
  }

  TEST_CASE("state: a run without state writes the programs it wrote before, and mp refuses Keep among several jobs") {
    const QuantModel q = model(4, 4, 2);
    const RunPlan zero = plan_run(small(), Mode::Single, {q}, {{0, 3}});
    for (const auto& w : zero.jobs[0].programs[0])
      CHECK(hostmap::decode(w.addr).region == static_cast<unsigned>(hostmap::Region::Regs));
    CHECK(zero.jobs[0].reads.at(0).empty());
    JobSpec keep{0, 3};
    keep.start = StartState::Keep;
    CHECK_THROWS_AS(plan_run(small(), Mode::Mp, {q}, {keep, keep}), MappingError);
    CHECK_NOTHROW(plan_run(small(), Mode::Mp, {q}, {keep}));
  }
}

namespace {

const HwConfig& cfg(const char* path) {
  static std::map<std::string, HwConfig> cache;
  auto it = cache.find(path);
  if (it == cache.end())
    it = cache.emplace(path, load_config_or_throw(std::string(LSTM_SOURCE_DIR) + "/" + path)).first;
  return it->second;
}

QuantModel model_for(const HwConfig& c, int x, int h, int layers) {
  return quantize_model(random_model(workload_shape(x, h, layers, 1), 7), c);
}

}  // namespace

TEST_SUITE("run plan: hybrid") {
  TEST_CASE("hybrid on four cores: two stages of two, each core a slice of its stage's layer") {
    const HwConfig& c = cfg("tests/rtl/configs/quad_lut.json");  // 4 cores x 2 lanes
    const std::vector<QuantModel> models{model_for(c, 6, 4, 2)};
    const RunPlan p = plan_run(c, Mode::Hybrid, models, {{0, 20}, {0, 20}});
    CHECK(stages_text(p) == "layer 0 x2, layer 1 x2");
    CHECK(p.active == 4);
    CHECK(p.stages == 0b0100u);  // core 2 begins the second stage
    REQUIRE(p.placements.size() == 4);
    for (unsigned k = 0; k < 4; ++k) {
      CHECK(p.placements[k].core == k);
      CHECK(p.placements[k].first == (k < 2 ? 0 : 1));
      CHECK(p.placements[k].slices[0].lo == (k % 2 == 0 ? 0 : 2));
      CHECK(p.placements[k].slices[0].cnt == 2);
    }
    CHECK(p.groups[0].cores == std::vector<unsigned>{0, 1, 2, 3});
    CHECK(p.groups[0].flags == std::vector<std::uint32_t>{kBoth, hostmap::kFlagOutWait, kBoth,
                                                          hostmap::kFlagOutWait});
    CHECK(p.groups[0].in_port == 0);
    CHECK(p.groups[0].out_port == 2);
    const auto w = mode_writes(p);
    REQUIRE(w.size() == 3);
    CHECK(w[2].addr == hostmap::global_reg(hostmap::kStages));
    CHECK(w[2].data == 0b0100u);
  }

  TEST_CASE("hybrid on three cores gives a wide first layer two cores and the second one") {
    const HwConfig& c = cfg("tests/rtl/configs/tri_pwl.json");  // 3 cores x 3 lanes
    const RunPlan p = plan_run(c, Mode::Hybrid, {model_for(c, 24, 6, 2)}, {{0, 16}, {0, 16}});
    CHECK(stages_text(p) == "layer 0 x2, layer 1 x1");
    CHECK(p.stages == 0b100u);
    CHECK(p.groups[0].out_port == 2);
  }

  TEST_CASE("hybrid on two cores is a stage of two or two stages of one") {
    CHECK(stages_text(plan_run(small(), Mode::Hybrid, {model(9, 4, 2)}, {{0, 14}})) ==
          "layer 0 x1, layer 1 x1");
    CHECK(stages_text(plan_run(small(), Mode::Hybrid, {model(6, 10, 1)}, {{0, 12}})) ==
          "layer 0 x2");
  }

  TEST_CASE("a given hybrid shape is used as given, and a shape that does not fit is refused") {
    const HwConfig& c = cfg("tests/rtl/configs/quad_lut.json");
    const std::vector<QuantModel> models{model_for(c, 6, 8, 3)};
    const RunPlan p = plan_run(c, Mode::Hybrid, models, {{0, 4}}, {{0, 1, 3}, {1, 3, 1}});
    CHECK(stages_text(p) == "layer 0 x3, layers 1-2 x1");
    CHECK(p.stages == 0b1000u);
    CHECK(p.active == 4);
    // Too many cores, a gap in the layers, more cores than lane groups.
    CHECK_THROWS_AS(plan_run(c, Mode::Hybrid, models, {{0, 4}}, {{0, 1, 3}, {1, 3, 2}}), MappingError);
    CHECK_THROWS_AS(plan_run(c, Mode::Hybrid, models, {{0, 4}}, {{0, 1, 1}, {2, 3, 1}}), MappingError);
    CHECK_THROWS_AS(plan_run(c, Mode::Hybrid, models, {{0, 4}}, {{0, 3, 5}}), MappingError);
  }
}

namespace {

// The value `data` of the write to `addr` in ws, if any.
std::optional<std::uint32_t> written(const std::vector<HostWrite>& ws, std::uint32_t addr) {
  std::optional<std::uint32_t> v;
  for (const auto& w : ws)
    if (w.addr == addr) v = w.data;
  return v;
}

constexpr const char* kSmallBatch = "tests/rtl/configs/small_batch.json";  // 1 core x 4 lanes, batch

}  // namespace

TEST_SUITE("run plan: batching") {
  TEST_CASE("single with --batch runs up to B sequences of one model and one length together, sequence m as local layers m*L ..") {
    using namespace hostmap;
    const HwConfig& c = cfg(kSmallBatch);
    const RunPlan p = plan_run(c, Mode::Single, {model_for(c, 4, 2, 1)},
                               {{0, 5}, {0, 5}, {0, 7}, {0, 5}, {0, 5}}, {}, 3);
    CHECK(p.dispatch == Dispatch::Batched);
    CHECK(p.batch == 3);
    REQUIRE(p.batches.size() == 3);
    CHECK(p.batches[0].jobs == std::vector<std::size_t>{0, 1, 3});  // the 5-step jobs first
    CHECK(p.batches[1].jobs == std::vector<std::size_t>{2});
    CHECK(p.batches[2].jobs == std::vector<std::size_t>{4});
    const auto& w = p.batches[0].program;
    CHECK(written(w, core_reg(0, kNumLayers)) == 3u);
    CHECK(written(w, core_reg(0, kNumSteps)) == 5u);
    CHECK(written(w, core_reg(0, kXLen)) == 12u);  // 3 sequences x X = 4
    // H = 2 on 4 lanes folds (fold_pays): every layer reads x, sends h, folds.
    for (unsigned m = 0; m < 3; ++m) {
      CHECK(written(w, layer_reg(0, m, kXOff)) == 4 * m);
      CHECK(written(w, layer_reg(0, m, kLFlags)) == (kLFlagXin | kLFlagOut | kLFlagFold));
      CHECK(written(w, layer_reg(0, m, kWBase)) == 0u);  // one copy of the weights
    }
    CHECK(written(p.batches[1].program, core_reg(0, kXLen)) == 4u);
  }

  TEST_CASE("a folded layer holds x columns in the lower lanes and h columns in the upper, max(X, H) words per group") {
    using namespace hostmap;
    const HwConfig& c = cfg(kSmallBatch);
    const QuantModel q = model_for(c, 3, 2, 1);
    const CoreImage img = place_layers(c, q, 0, 0, 1, full_slices(q, 0, 1), 0, 0, true);
    CHECK(img.weight_end == 3u);  // one group of 2 units (lanes / 2), max(3, 2) words
    CHECK(img.layers[0].lflags == kLFlagFold);
    const auto at = [&](std::uint32_t word, unsigned slot) {
      return written(img.writes, mem_addr(c, 0, Region::Weights, word, slot));
    };
    // Unit 1 (lane 1), gate 2 (g): W_ih in slot 1*4+2, W_hh in slot (1+2)*4+2.
    const auto bits = [&](std::int64_t v) {
      return static_cast<std::uint32_t>(v) & ((1u << c.weight.width) - 1);
    };
    const std::size_t row = 2 * 2 + 1;
    CHECK(at(2, 6) == bits(q.layers[0].w_ih[row * 3 + 2]));
    CHECK(at(1, 14) == bits(q.layers[0].w_hh[row * 2 + 1]));
    CHECK(at(2, 14) == 0u);  // past H
    CHECK(written(img.writes, mem_addr(c, 0, Region::Biases, 0, 14)) == 0u);  // bias only below
    CHECK_FALSE(fold_pays(4, 4, 4));   // 2 groups x 4 = 1 group x 8: not fewer
    CHECK(fold_pays(32, 16, 16));      // iso-1x32: 16 cycles instead of 32
  }

  TEST_CASE("an ordinary program on a batch design clears X_LEN, XOFF and LFLAGS") {
    using namespace hostmap;
    const HwConfig& c = cfg(kSmallBatch);
    const RunPlan p = plan_run(c, Mode::Single, {model_for(c, 4, 4, 2)}, {{0, 3}});
    CHECK(p.dispatch == Dispatch::Serial);
    const auto& w = p.jobs[0].programs[0];
    CHECK(written(w, core_reg(0, kXLen)) == 0u);
    CHECK(written(w, layer_reg(0, 1, kXOff)) == 0u);
    CHECK(written(w, layer_reg(0, 1, kLFlags)) == 0u);
    // A design without batching gets none of these writes.
    const RunPlan plain = plan_run(small(), Mode::Single, {model(4, 4, 2)}, {{0, 3}});
    CHECK_FALSE(written(plain.jobs[0].programs[0], core_reg(0, kXLen)).has_value());
  }

  TEST_CASE("a batch that does not fit is refused, naming the option and the limit") {
    const HwConfig& c = cfg(kSmallBatch);  // max_layers 8, max_input = max_hidden = 16
    const std::vector<QuantModel> one{model_for(c, 4, 2, 1)};
    const std::vector<JobSpec> two{{0, 3}, {0, 3}};
    CHECK_THROWS_WITH_AS(plan_run(c, Mode::Single, {model_for(c, 4, 4, 3)}, two, {}, 3),
                         "--batch 3: 3 sequences of model 0 (3 layers) take 9 local layers, but "
                         "/limits/max_layers is 8",
                         MappingError);
    CHECK_THROWS_WITH_AS(plan_run(c, Mode::Single, {model_for(c, 6, 2, 1)}, two, {}, 3),
                         "--batch 3: a step's x of 3 sequences of model 0 is 18 elements, but the "
                         "x buffer holds max(/limits/max_input, /limits/max_hidden) = 16",
                         MappingError);
    CHECK_THROWS_WITH_AS(plan_run(c, Mode::Mp, one, two, {}, 2),
                         "--batch 2 runs in mode single (one core runs the sequences together), "
                         "not in mode mp",
                         MappingError);
    CHECK_THROWS_WITH_AS(plan_run(small(), Mode::Single, {model(4, 2, 1)}, two, {}, 2),
                         "--batch 2: config \"small\" was generated without batching (its "
                         "/features/batch is false)",
                         MappingError);
    CHECK_THROWS_AS(plan_run(c, Mode::Single, one, two, {}, 0), MappingError);
    JobSpec keep{0, 3};
    keep.read_state = true;
    CHECK_THROWS_AS(plan_run(c, Mode::Single, one, {keep}, {}, 2), MappingError);
  }
}
