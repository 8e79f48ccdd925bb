// Harness with models compiled in (see CMakeLists.txt: tb_test_models).
#include <doctest/doctest.h>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "Vlstm_fifo.h"
#include "Vlstm_skid_buffer.h"
#include "Vlstm_tb_assert_probe.h"
#include "Vlstm_tb_fifo_chain.h"
#include "tb/harness.hpp"
#include "tb/verilated_dut.hpp"
#include "tb/port_pack.hpp"
#include "tb/stream.hpp"

using namespace lstm::tb;

namespace {

constexpr unsigned kChainWidth = 40;
constexpr unsigned kChainDepth = 5;
constexpr unsigned kWideWidth = 72;

// The fifo chain with a driver, a monitor and an in-order scoreboard.
struct ChainBench {
  ModelHarness<Vlstm_tb_fifo_chain> h;
  StreamDriver* drv = nullptr;
  StreamMonitor* mon = nullptr;
  std::deque<uint64_t> expected;
  uint64_t mismatches = 0;
  uint64_t max_count = 0;

  ChainBench(uint64_t seed, double idle, double backpressure) {
    drv = &h.emplace<StreamDriver>(
        StreamDriver::Ports{.valid = [this](bool v) { h->in_valid_i = v; },
                            .ready = [this] { return h->in_ready_o != 0; },
                            .data = [this](uint64_t d) { set_port(h->in_data_i, kChainWidth, d); }},
        seed, idle);
    mon = &h.emplace<StreamMonitor>(
        StreamMonitor::Ports{.valid = [this] { return h->out_valid_o != 0; },
                             .ready = [this](bool r) { h->out_ready_i = r; },
                             .data = [this] { return get_port(h->out_data_o, kChainWidth); }},
        seed + 100, backpressure, "chain");
    mon->on_beat = [this](const Beat& b) {
      if (expected.empty() || expected.front() != b.data) ++mismatches;
      if (!expected.empty()) expected.pop_front();
    };
    auto& occ = h.emplace<FunctionAgent>();
    occ.on_sample = [this](uint64_t) { max_count = std::max<uint64_t>(max_count, h->count_o); };
  }

  void push_random(uint64_t n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t w = rng() & low_mask(kChainWidth);
      drv->push(w);
      expected.push_back(w);
    }
  }
};

}  // namespace

TEST_SUITE("harness") {
  TEST_CASE("words stream through skid buffer and fifo in order under idles and backpressure") {
    ChainBench b(1, 0.3, 0.5);
    b.push_random(2000, 99);
    b.h.reset(3);
    b.h.run_until([&] { return b.mon->count() == 2000; }, 40000, "2000 words");
    b.h.run(10);
    CHECK(b.mon->count() == 2000);
    CHECK(b.mismatches == 0);
    CHECK(b.expected.empty());
    CHECK(b.mon->errors().empty());
    CHECK(b.max_count == kChainDepth);  // the fifo filled under backpressure, never beyond
  }

  TEST_CASE("without idles or backpressure the chain moves one word per cycle") {
    ChainBench b(2, 0.0, 0.0);
    b.push_random(500, 5);
    b.h.reset(2);
    const uint64_t n = b.h.run_until([&] { return b.mon->count() == 500; }, 2000, "500 words");
    // Two register stages of latency plus one cycle to present the first word.
    CHECK(n <= 500 + 4);
    CHECK(b.mismatches == 0);
  }

  TEST_CASE("run_until throws a TimeoutError naming what it waited for") {
    ChainBench b(3, 0.0, 1.0);  // the output never accepts
    b.push_random(100, 1);
    b.h.reset(2);
    try {
      b.h.run_until([&] { return b.mon->count() > 0; }, 50, "the first output word");
      FAIL("no timeout");
    } catch (const TimeoutError& e) {
      CHECK(std::string(e.what()) == "timeout after 50 cycles waiting for the first output word");
      CHECK(e.cycles() == 50);
    }
    // Backpressure filled both stages: fifo full, skid full, input stalled.
    CHECK(b.h->count_o == kChainDepth);
    CHECK(b.h->in_ready_o == 0);
  }

  TEST_CASE("reset empties the design and the cycle counter keeps counting") {
    ChainBench b(4, 0.0, 1.0);
    b.push_random(20, 2);
    b.h.reset(2);
    CHECK(b.h.cycle() == 2);
    b.h.run(10);
    CHECK(b.h->count_o != 0);
    b.h.reset(1);
    CHECK(b.h.cycle() == 13);
    CHECK(b.h->count_o == 0);
    CHECK(b.h->out_valid_o == 0);
    CHECK(b.h->in_ready_o == 1);
  }

  TEST_CASE("several models run side by side, each with its own context") {
    // A second model with a 72-bit data port (VlWide<3>) stepped in lockstep
    // with the chain; bits [71:64] carry a check byte derived from the low 64.
    ChainBench chain(5, 0.2, 0.3);
    chain.push_random(300, 3);
    ModelHarness<Vlstm_skid_buffer> wide;
    auto check_byte = [](uint64_t w) { return (w ^ (w >> 8) ^ 0x5A) & 0xFF; };
    uint64_t bad_check = 0;
    auto& drv = wide.emplace<StreamDriver>(
        StreamDriver::Ports{.valid = [&](bool v) { wide->in_valid_i = v; },
                            .ready = [&] { return wide->in_ready_o != 0; },
                            .data =
                                [&](uint64_t d) {
                                  set_bits(wide->in_data_i, 0, 64, d);
                                  set_bits(wide->in_data_i, 64, 8, check_byte(d));
                                }},
        7, 0.2);
    auto& mon = wide.emplace<StreamMonitor>(
        StreamMonitor::Ports{.valid = [&] { return wide->out_valid_o != 0; },
                             .ready = [&](bool r) { wide->out_ready_i = r; },
                             .data =
                                 [&] {
                                   const uint64_t d = get_bits(wide->out_data_o, 0, 64);
                                   if (get_bits(wide->out_data_o, 64, 8) != check_byte(d)) ++bad_check;
                                   return d;
                                 }},
        8, 0.5, "wide");
    std::mt19937_64 rng(17);
    std::vector<uint64_t> sent;
    for (int i = 0; i < 300; ++i) sent.push_back(rng());
    drv.push_all(sent);

    chain.h.reset(2);
    wide.reset(5);
    for (int c = 0; c < 5000 && (chain.mon->count() < 300 || mon.count() < 300); ++c) {
      chain.h.step();
      wide.step();
    }
    CHECK(chain.mon->count() == 300);
    CHECK(chain.mismatches == 0);
    CHECK(mon.words() == sent);
    CHECK(bad_check == 0);
    CHECK(mon.errors().empty());
    CHECK(wide.cycle() == chain.h.cycle() + 3);
    CHECK(wide.context().time() != chain.h.context().time());
    static_assert(kWideWidth == 72);
  }

  TEST_CASE("a trace file is written when asked for") {
    const std::filesystem::path path =
        std::filesystem::path(LSTM_BINARY_DIR) / "tests" / "tb_harness_trace.fst";
    std::filesystem::remove(path);
    {
      ChainBench b(6, 0.3, 0.3);
      b.push_random(50, 4);
      b.h.open_trace(path);
      CHECK(b.h.tracing());
      b.h.reset(2);
      b.h.run_until([&] { return b.mon->count() == 50; }, 1000, "50 words");
    }
    REQUIRE(std::filesystem::exists(path));
    CHECK(std::filesystem::file_size(path) > 200);
  }

  TEST_CASE("a failed design assertion becomes a SimulationError, not an abort") {
    ModelHarness<Vlstm_tb_assert_probe> h;
    auto& poke = h.emplace<FunctionAgent>();
    bool boom = false;
    poke.on_drive = [&](uint64_t) { h->boom_i = boom; };
    h.reset(2);
    h.run(5);
    CHECK(h->seen_o == 0);
    boom = true;
    CHECK_THROWS_AS(h.run(3), SimulationError);
  }

}

// lstm_fifo's simulation assertions (--assert): a writer that breaks the
// stream rule while the FIFO is full. Width 8, Depth 2.
TEST_SUITE("lstm_fifo assertions") {
  // Fills the FIFO (reader stalled), then offers a third word that waits.
  // `then` changes the waiting offer one cycle later.
  void offer_while_full(const std::function<void(Vlstm_fifo&)>& then) {
    ModelHarness<Vlstm_fifo> h;
    h->out_ready_i = 0;
    h->in_valid_i = 0;
    h.reset(2);
    for (std::uint8_t w : {0x11, 0x22}) {
      h->in_valid_i = 1;
      h->in_data_i = w;
      h.step();
    }
    REQUIRE(h->in_ready_o == 0);
    h->in_data_i = 0x33;  // waits: the FIFO is full
    h.step();
    h.step();  // holding it is fine
    then(h.top());
    h.eval();
    h.step();
  }
  TEST_CASE("holding valid and data while the FIFO is full passes") {
    CHECK_NOTHROW(offer_while_full([](Vlstm_fifo&) {}));
  }
  TEST_CASE("dropping valid before the transfer fails the stream assertion") {
    CHECK_THROWS_AS(offer_while_full([](Vlstm_fifo& m) { m.in_valid_i = 0; }), SimulationError);
  }
  TEST_CASE("changing data before the transfer fails the stream assertion") {
    CHECK_THROWS_AS(offer_while_full([](Vlstm_fifo& m) { m.in_data_i = 0x44; }), SimulationError);
  }
}
