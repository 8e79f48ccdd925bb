// State in and out on the RTL (issue 13, item 1), in every mode on the small
// config: a run from a non-zero initial state (written into the state region)
// gives the golden model's outputs and final state (read back from it), and a
// 60-step sequence run as three chunks gives the bits of one run, both with
// the state kept in the cores ("continue": FLAGS.STATE_IN without writes,
// chunks of odd lengths so that H_HALF changes) and with the host carrying
// h_n and c_n into the next chunk's h0 and c0.
#include <doctest/doctest.h>

#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "host/run_plan.hpp"
#include "sim/golden_lstm.hpp"
#include "sim/lstm_model.hpp"
#include "sim/workload.hpp"
#include "spec/host_map.hpp"
#include "tb/accel_driver.hpp"
#include "tb/accel_dut.hpp"
#include "tb/harness.hpp"
#include "tb/model_library.hpp"
#include "tb/rtl_engine.hpp"

using namespace lstm;

namespace {

constexpr int kSteps = 60;

struct Fixture {
  HwConfig cfg = load_config_file(std::string(LSTM_SOURCE_DIR) + "/configs/small.json").config;
  tb::ModelLibrary lib{ensure_rtlsim(cfg, std::cerr).plugin};
  tb::DutHarness<tb::AccelDut> h{tb::accel_dut_factory(lib, cfg)};
  // Random stalls on the x and h streams and on every AXI4-Lite channel.
  tb::AccelDriver drv{h, cfg, tb::DriverOptions{0.2, 0.3, 5, 0, tb::WeightLoad::Backdoor, true,
                                                {0.2, 0.2, 0.2, 0.3, 0.3}}};
  // Two layers: mt runs them on two stages, hc splits 7 units over both cores.
  QuantModel q = quantize_model(random_model(workload_shape(5, 7, 2, kSteps), 41), cfg);
  IntSequence x = quantize_sequence(random_inputs(workload_shape(5, 7, 2, kSteps), 42).at(0),
                                    cfg.data);

  Fixture() { h.reset(4); }

  // Runs x[from, from + steps) as one job in `mode`; returns the job.
  tb::Job run(hostmap::Mode mode, int from, int steps, JobSpec spec) {
    spec.steps = static_cast<std::uint32_t>(steps);
    spec.read_state = true;
    std::vector<tb::Job> jobs{tb::Job{0, 0, IntSequence(x.begin() + from, x.begin() + from + steps),
                                      {}, {}, {}}};
    const RunPlan p = plan_run(cfg, mode, {q}, {spec});
    const tb::RunStats s = drv.run(p, jobs);
    CHECK(s.stream_errors.empty());
    return jobs[0];
  }
};

// A state of random values across most of the data and cell formats.
IntState random_state(const HwConfig& c, int layers, int hidden, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto rows = [&](int width) {
    const std::int64_t lim = (std::int64_t{1} << (width - 2));
    std::uniform_int_distribution<std::int64_t> d(-lim, lim);
    std::vector<IntVector> r(static_cast<std::size_t>(layers), IntVector(static_cast<std::size_t>(hidden)));
    for (auto& row : r)
      for (auto& v : row) v = d(rng);
    return r;
  };
  IntState s;
  s.h = rows(c.data.width);
  s.c = rows(c.cell.width);
  return s;
}

IntSequence concat(const std::vector<tb::Job>& chunks) {
  IntSequence out;
  for (const auto& j : chunks) out.insert(out.end(), j.h.begin(), j.h.end());
  return out;
}

}  // namespace

TEST_SUITE("rtl state in and out") {
  TEST_CASE("every mode loads h0 and c0, returns h_n and c_n, and continues a sequence in chunks") {
    Fixture f;
    const IntState init = random_state(f.cfg, 2, 7, 43);
    const IntRun golden = GoldenLstm(f.cfg, f.q).run(f.x, init);
    REQUIRE(golden.outputs != GoldenLstm(f.cfg, f.q).run(f.x));  // the state matters
    for (const auto mode : {hostmap::Mode::Single, hostmap::Mode::Mp, hostmap::Mode::Mt,
                            hostmap::Mode::Hc}) {
      CAPTURE(hostmap::mode_name(mode));
      // One run from (h0, c0).
      JobSpec load{};
      load.start = StartState::Load;
      load.initial = init;
      const tb::Job whole = f.run(mode, 0, kSteps, load);
      CHECK(whole.h == golden.outputs);
      CHECK(whole.final_state.h == golden.final_state.h);
      CHECK(whole.final_state.c == golden.final_state.c);

      // Three chunks, the state kept in the cores: 21 + 19 + 20 steps.
      std::vector<tb::Job> kept;
      JobSpec spec = load;
      unsigned half = 0;
      int from = 0;
      for (const int n : {21, 19, 20}) {
        spec.h_half = half;
        kept.push_back(f.run(mode, from, n, spec));
        from += n;
        half = hostmap::continue_h_half(half, static_cast<std::uint64_t>(n));
        spec = JobSpec{};
        spec.start = StartState::Keep;
      }
      CHECK(concat(kept) == golden.outputs);
      CHECK(kept.back().final_state.h == golden.final_state.h);
      CHECK(kept.back().final_state.c == golden.final_state.c);

      // Three chunks of 20, the host carrying h_n and c_n into h0 and c0.
      std::vector<tb::Job> carried;
      JobSpec next = load;
      for (int k = 0; k < 3; ++k) {
        carried.push_back(f.run(mode, 20 * k, 20, next));
        next.initial = carried.back().final_state;
      }
      CHECK(concat(carried) == golden.outputs);
      CHECK(carried.back().final_state.h == golden.final_state.h);
      CHECK(carried.back().final_state.c == golden.final_state.c);

      // Without STATE_IN the next run starts from zero again.
      const tb::Job zero = f.run(mode, 0, 20, JobSpec{});
      const IntRun g0 = GoldenLstm(f.cfg, f.q).run(IntSequence(f.x.begin(), f.x.begin() + 20), IntState{});
      CHECK(zero.h == g0.outputs);
      CHECK(zero.final_state.h == g0.final_state.h);
    }
  }
}
