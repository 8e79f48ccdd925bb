// fifo_harness_main: simulator main for the lstm_tb_fifo_chain fixture, built
// at test time by ensure_rtl_build (see rtl_build_test.cpp).
//
//   rtlsim SEED [--words N] [--trace FILE.fst]
//
// Streams N (default 5000) random 40-bit words through skid buffer -> FIFO
// with random idle cycles on the input and 50% backpressure on the output,
// checks every word arrives once, in order, unchanged, and that the FIFO
// never holds more than Depth words. Exits 0 on success, 1 with a message.
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <exception>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "Vlstm_tb_fifo_chain.h"
#include "tb/harness.hpp"
#include "tb/port_pack.hpp"
#include "tb/stream.hpp"

namespace {

constexpr unsigned kWidth = 40;
constexpr unsigned kDepth = 5;

int usage() {
  std::cerr << "usage: rtlsim SEED [--words N] [--trace FILE.fst]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace lstm::tb;
  if (argc < 2) return usage();
  uint64_t seed = 0;
  uint64_t words = 5000;
  std::string trace;
  try {
    seed = std::stoull(argv[1]);
    for (int i = 2; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--words" && i + 1 < argc) {
        words = std::stoull(argv[++i]);
      } else if (a == "--trace" && i + 1 < argc) {
        trace = argv[++i];
      } else {
        return usage();
      }
    }
  } catch (const std::exception&) {
    return usage();
  }

  try {
    Harness<Vlstm_tb_fifo_chain> h;
    if (!trace.empty()) h.open_trace(trace);

    auto& drv = h.emplace<StreamDriver>(
        StreamDriver::Ports{
            .valid = [&](bool v) { h->in_valid_i = v; },
            .ready = [&] { return h->in_ready_o != 0; },
            .data = [&](uint64_t d) { set_port(h->in_data_i, kWidth, d); },
        },
        seed * 2 + 1, /*idle_probability=*/0.25);
    auto& mon = h.emplace<StreamMonitor>(
        StreamMonitor::Ports{
            .valid = [&] { return h->out_valid_o != 0; },
            .ready = [&](bool r) { h->out_ready_i = r; },
            .data = [&] { return get_port(h->out_data_o, kWidth); },
        },
        seed * 2 + 2, /*backpressure_probability=*/0.5, "out");

    // Scoreboard: the expected words in order; mismatches are collected.
    std::deque<uint64_t> expected;
    std::vector<std::string> errors;
    std::mt19937_64 rng(seed);
    for (uint64_t i = 0; i < words; ++i) {
      const uint64_t w = rng() & low_mask(kWidth);
      drv.push(w);
      expected.push_back(w);
    }
    mon.on_beat = [&](const Beat& b) {
      if (expected.empty()) {
        errors.push_back("cycle " + std::to_string(b.cycle) + ": unexpected word " +
                         std::to_string(b.data));
      } else {
        if (b.data != expected.front()) {
          errors.push_back("cycle " + std::to_string(b.cycle) + ": got " + std::to_string(b.data) +
                           ", expected " + std::to_string(expected.front()));
        }
        expected.pop_front();
      }
    };
    auto& occupancy = h.emplace<FunctionAgent>();
    occupancy.on_sample = [&](uint64_t cycle) {
      if (h->count_o > kDepth) {
        errors.push_back("cycle " + std::to_string(cycle) + ": count_o " +
                         std::to_string(h->count_o) + " > Depth");
      }
    };

    h.reset(3);
    const uint64_t start = h.cycle();
    h.run_until([&] { return mon.count() >= words || errors.size() >= 10; }, words * 20 + 100,
                std::to_string(words) + " words at the output");
    h.run(20);  // nothing more may come out
    const uint64_t cycles = h.cycle() - start;

    for (const auto& e : mon.errors()) errors.push_back(e);
    if (mon.count() != words) {
      errors.push_back("received " + std::to_string(mon.count()) + " words, sent " +
                       std::to_string(words));
    }
    if (!errors.empty()) {
      std::cerr << "FAIL seed " << seed << ": " << errors.size() << " error(s)\n";
      for (std::size_t i = 0; i < errors.size() && i < 10; ++i) std::cerr << "  " << errors[i] << "\n";
      return 1;
    }
    std::cout << "PASS seed " << seed << ": " << words << " words in " << cycles << " cycles\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "FAIL seed " << seed << ": " << e.what() << "\n";
    return 1;
  }
}
