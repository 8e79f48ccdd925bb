// The RTL under stress: heavy backpressure and idle inputs in every mode, on
// the AXI4-Stream x and h ports and on every AXI4-Lite channel (a deadlock
// fails by timeout), and models the hardware cannot hold refused before any
// simulation.
#include <doctest/doctest.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sim/model_io.hpp"
#include "gen/generator.hpp"
#include "tb/accel_driver.hpp"
#include "tb/accel_dut.hpp"
#include "tb/harness.hpp"
#include "tb/model_library.hpp"
#include "tb/rtl_engine.hpp"
#include "tests/rtl/rtl_test_support.hpp"

using lstm::WorkloadShape;
using lstm::test::RtlCase;
using lstm::test::run_rtl_case;
using lstm::workload_shape;

TEST_SUITE("rtl stress") {
  TEST_CASE("every mode stays bit-exact and finishes at 90% backpressure and 90% idle inputs, with AXI4-Lite stalls on every channel") {
    for (const char* mode : {"single", "mp", "mt", "hc"}) {
      CAPTURE(mode);
      RtlCase c{std::string("stress_") + mode, "configs/small.json", mode,
                {workload_shape(9, 14, 2, 12, 3)}, 41};
      c.backpressure = 0.9;
      c.idle = 0.9;
      c.axil_idle = 0.5;
      c.axil_backpressure = 0.5;
      const auto r = run_rtl_case(c);
      CHECK(r.exit_code == 0);
      CHECK(r.bit_exact);
    }
  }
  TEST_CASE("different seeds give different stall patterns and the same bits") {
    std::uint64_t cycles_a = 0, cycles_b = 0;
    for (std::uint64_t seed : {51u, 52u}) {
      RtlCase c{"stress_seed", "configs/small.json", "hc", {workload_shape(8, 8, 1, 10)}, 50};
      c.seed = seed;
      c.backpressure = 0.6;
      c.idle = 0.6;
      c.axil_idle = 0.6;
      c.axil_backpressure = 0.6;
      const auto r = run_rtl_case(c);
      CHECK(r.exit_code == 0);
      CHECK(r.bit_exact);
      (seed == 51 ? cycles_a : cycles_b) = r.cycles;
    }
    CHECK(cycles_a != cycles_b);
  }
  TEST_CASE("a reset in the middle of a run, in every mode, is followed by a clean run") {
    for (const char* mode : {"single", "mp", "mt", "hc"}) {
      CAPTURE(mode);
      RtlCase c{std::string("reset_") + mode, "configs/small.json", mode,
                {workload_shape(6, 10, 2, 8, 2)}, 61};
      c.backpressure = 0;  // no random stalls: the run after the reset takes the same cycles
      c.idle = 0;
      if (std::string(mode) == "mp") c.models.push_back(workload_shape(5, 7, 1, 9, 3));
      const auto whole = run_rtl_case(c);
      REQUIRE(whole.exit_code == 0);
      // Cut during the weight load, early in the compute and late in it.
      const std::uint64_t total = whole.load_cycles + whole.cycles;
      for (std::uint64_t at : {whole.load_cycles / 2, whole.load_cycles + whole.cycles / 5,
                               total - whole.cycles / 4}) {
        CAPTURE(at);
        c.reset_at = at;
        const auto r = run_rtl_case(c);
        CHECK(r.exit_code == 0);
        CHECK(r.bit_exact);
        CHECK(r.reset_at_cycle > 0);
        CHECK(r.cycles == whole.cycles);  // same stalls, same work: same cycles
      }
    }
  }
  TEST_CASE("random initial state of every unreset register and memory changes nothing") {
    for (const char* mode : {"single", "mp", "mt", "hc"}) {
      CAPTURE(mode);
      std::uint64_t cycles = 0;
      for (std::uint64_t init : {0u, 1u, 2u, 3u}) {
        CAPTURE(init);
        RtlCase c{std::string("xinit_") + mode, "configs/small.json", mode,
                  {workload_shape(7, 9, 2, 6, 2)}, 71};
        if (std::string(mode) == "mp") c.models.push_back(workload_shape(4, 12, 1, 5, 2));
        c.random_init = init;
        const auto r = run_rtl_case(c);
        CHECK(r.exit_code == 0);
        CHECK(r.bit_exact);
        if (init == 0) cycles = r.cycles;
        CHECK(r.cycles == cycles);
      }
    }
  }
  TEST_CASE("a model larger than the hardware limits is refused before simulation, naming the limit") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(LSTM_BINARY_DIR) / "rtl-work" / "too_big";
    fs::create_directories(dir);
    WorkloadShape s = workload_shape(5, 40, 1, 2);  // small config: max_hidden 16
    lstm::write_json_file_atomic((dir / "m.json").string(), lstm::model_to_json(lstm::random_model(s, 1)));
    lstm::write_json_file_atomic((dir / "i.json").string(), lstm::inputs_to_json(lstm::random_inputs(s, 2)));
    const std::string cfg_path = std::string(LSTM_SOURCE_DIR) + "/configs/small.json";
    lstm::RtlRunRequest r;
    r.config_path = cfg_path;
    r.models = {(dir / "m.json").string()};
    r.inputs = {(dir / "i.json").string()};
    r.output = (dir / "o.json").string();
    fs::remove(r.output);
    CHECK(lstm::run_rtl_engine(lstm::load_config_file(cfg_path).config, r, std::cerr) == 2);
    CHECK_FALSE(fs::exists(r.output));
  }
  TEST_CASE("many callers asking for the same simulator at once all get it") {
    // ctest -j runs several rtl tests on one config: each regenerates the RTL
    // (which replaces its folder) and checks the build. None may see the
    // folder half-replaced.
    const std::string cfg_path = std::string(LSTM_SOURCE_DIR) + "/configs/small.json";
    const lstm::HwConfig cfg = lstm::load_config_file(cfg_path).config;
    const std::filesystem::path plugin = lstm::ensure_rtlsim(cfg, std::cerr).plugin;  // warm the cache
    std::vector<std::string> errors(4);
    std::vector<std::thread> callers;
    for (std::size_t t = 0; t < errors.size(); ++t) {
      callers.emplace_back([&, t] {
        try {
          for (int i = 0; i < 8; ++i) {
            std::ostringstream progress;
            if (lstm::ensure_rtlsim(cfg, progress).plugin != plugin) errors[t] = "another plugin";
          }
        } catch (const std::exception& e) {
          errors[t] = e.what();
        }
      });
    }
    for (auto& c : callers) c.join();
    for (const auto& e : errors) CHECK(e == "");
  }
  TEST_CASE("an x stream that drops TVALID or changes TDATA before the transfer trips lstm_axis_in's assertion") {
    // The rtl engine's own plugin of the small config, loaded here: after
    // reset the cores are idle, so port 0's adapter FIFO takes two x beats
    // and then holds TREADY low. A third beat is offered for three cycles,
    // then (drop) TVALID falls or (change) TDATA changes before any
    // transfer, or (hold) both stay.
    const lstm::HwConfig cfg =
        lstm::load_config_file(std::string(LSTM_SOURCE_DIR) + "/configs/small.json").config;
    const lstm::tb::ModelLibrary lib(lstm::ensure_rtlsim(cfg, std::cerr).plugin);
    const auto factory = lstm::tb::accel_dut_factory(lib, cfg);
    auto offer = [&](const std::string& how) {
      lstm::tb::DutHarness<lstm::tb::AccelDut> h(factory);
      h.reset(4);
      h->set_x_tvalid(0, true);
      for (std::uint64_t beat : {0x10u, 0x11u}) {
        h->set_x_tdata(0, beat);
        h.eval();
        REQUIRE(h->x_tready(0));
        h.step();
      }
      h->set_x_tdata(0, 0x12);
      h.run(3);
      REQUIRE_FALSE(h->x_tready(0));  // the check needs a full adapter FIFO
      if (how == "drop") h->set_x_tvalid(0, false);
      if (how == "change") h->set_x_tdata(0, 0x34);
      h.run(3);
    };
    CHECK_NOTHROW(offer("hold"));
    CHECK_THROWS_AS(offer("drop"), lstm::tb::SimulationError);
    CHECK_THROWS_AS(offer("change"), lstm::tb::SimulationError);
  }
}
