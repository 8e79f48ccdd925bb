// Stream agents against each other and against hand-made bad sources, without
// a model: a loop plays the harness (sample all, then drive all, per cycle).
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "tb/stream.hpp"

using namespace lstm::tb;

namespace {

struct Wire {
  bool valid = false;
  bool ready = false;
  uint64_t data = 0;
  bool last = false;
};

struct Loopback {
  Wire w;
  StreamDriver drv;
  StreamMonitor mon;
  std::vector<std::string> rule_errors;  // checked from outside both agents
  Loopback(uint64_t seed, double idle, double backpressure)
      : drv({.valid = [this](bool v) { w.valid = v; },
             .ready = [this] { return w.ready; },
             .data = [this](uint64_t d) { w.data = d; },
             .last = [this](bool l) { w.last = l; }},
            seed, idle),
        mon({.valid = [this] { return w.valid; },
             .ready = [this](bool r) { w.ready = r; },
             .data = [this] { return w.data; },
             .last = [this] { return w.last; }},
            seed + 1, backpressure) {}

  void cycle(uint64_t c) {
    mon.sample(c);
    drv.sample(c);
    drv.drive(c + 1);
    mon.drive(c + 1);
  }
};

}  // namespace

TEST_SUITE("stream") {
  TEST_CASE("a driver and a monitor move every word in order under idles and backpressure") {
    Loopback lb(7, 0.3, 0.5);
    for (uint64_t i = 0; i < 1000; ++i) lb.drv.push(i * 0x9E3779B97F4A7C15ull, i % 10 == 9);
    lb.drv.on_reset();
    lb.mon.on_reset();
    uint64_t c = 0;
    bool saw_stall = false;
    bool saw_idle = false;
    while (lb.mon.count() < 1000 && c < 20000) {
      saw_stall |= lb.w.valid && !lb.w.ready;
      saw_idle |= !lb.w.valid && lb.drv.pending() > 0 && c > 0;
      lb.cycle(c++);
    }
    REQUIRE(lb.mon.count() == 1000);
    for (uint64_t i = 0; i < 1000; ++i) {
      CHECK(lb.mon.received()[i].data == i * 0x9E3779B97F4A7C15ull);
      CHECK(lb.mon.received()[i].last == (i % 10 == 9));
    }
    CHECK(lb.drv.sent() == 1000);
    CHECK(lb.mon.errors().empty());  // the driver keeps the stream rules
    CHECK(saw_stall);
    CHECK(saw_idle);
  }

  TEST_CASE("the same seeds give the same cycle-by-cycle behaviour") {
    auto run = [](uint64_t seed) {
      Loopback lb(seed, 0.4, 0.4);
      for (uint64_t i = 0; i < 200; ++i) lb.drv.push(i);
      std::vector<uint64_t> cycles;
      for (uint64_t c = 0; c < 2000; ++c) lb.cycle(c);
      for (const auto& b : lb.mon.received()) cycles.push_back(b.cycle);
      return cycles;
    };
    CHECK(run(11) == run(11));
    CHECK(run(11) != run(12));
  }

  TEST_CASE("zero idle and zero backpressure give one transfer per cycle") {
    Loopback lb(3, 0.0, 0.0);
    for (uint64_t i = 0; i < 50; ++i) lb.drv.push(i);
    lb.cycle(0);  // first drive
    for (uint64_t c = 1; c <= 50; ++c) lb.cycle(c);
    REQUIRE(lb.mon.count() == 50);
    CHECK(lb.mon.received().back().cycle == 50);
  }

  TEST_CASE("the monitor reports a source that drops valid or changes data before the transfer") {
    Wire w;
    StreamMonitor mon({.valid = [&] { return w.valid; },
                       .ready = [&](bool r) { w.ready = r; },
                       .data = [&] { return w.data; }},
                      1, /*backpressure=*/1.0, "bad");
    mon.drive(0);  // ready stays low
    w.valid = true;
    w.data = 5;
    mon.sample(0);
    w.data = 6;  // changed while stalled
    mon.sample(1);
    w.valid = false;  // dropped while stalled
    mon.sample(2);
    REQUIRE(mon.errors().size() == 2);
    CHECK(mon.errors()[0] == "bad: cycle 1: data changed while valid and not ready");
    CHECK(mon.errors()[1] == "bad: cycle 2: valid dropped before the transfer");
    CHECK(mon.count() == 0);
  }

  TEST_CASE("chance() follows its probability and its edge cases") {
    std::mt19937_64 rng(42);
    int hits = 0;
    for (int i = 0; i < 100000; ++i) hits += chance(rng, 0.25) ? 1 : 0;
    CHECK(hits > 24000);
    CHECK(hits < 26000);
    for (int i = 0; i < 1000; ++i) {
      CHECK_FALSE(chance(rng, 0.0));
      CHECK(chance(rng, 1.0));
    }
  }
}
