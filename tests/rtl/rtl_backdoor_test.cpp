// The three ways weights reach the memories (tb/accel_driver.hpp WeightLoad,
// rtlsim --load): the AXI4-Stream weight row stream (rows, the default),
// AXI4-Lite (one write per word) and the backdoor (tb/accel_dut.hpp, no
// cycles). All leave the same memory contents (which AXI4-Lite also reads
// back), and give the same outputs and run cycles.
#include <doctest/doctest.h>

#include <iostream>
#include <string>
#include <vector>

#include "host/host_program.hpp"
#include "host/row_load.hpp"
#include "tests/rtl/rtl_test_support.hpp"
#include "sim/lstm_model.hpp"
#include "sim/workload.hpp"
#include "spec/host_map.hpp"
#include "tb/accel_driver.hpp"
#include "tb/accel_dut.hpp"
#include "tb/axil_master.hpp"
#include "tb/harness.hpp"
#include "tb/model_library.hpp"
#include "tb/rtl_engine.hpp"

using namespace lstm;
using tb::AccelDut;

namespace {

const std::string kSmall = "configs/small.json";

// Both cores' images of a random two-layer model, as the driver loads them:
// at other bases in each core, or (shared) the same image in both, as mp
// places one model on every core.
std::vector<HostWrite> images(const HwConfig& c, bool shared = false) {
  const QuantModel q = quantize_model(random_model(workload_shape(5, 7, 2, 1), 11), c);
  const int nl = static_cast<int>(q.layers.size());
  std::vector<HostWrite> all;
  for (unsigned core = 0; core < static_cast<unsigned>(c.cores); ++core) {
    const unsigned k = shared ? 0 : core;
    const CoreImage img = place_layers(c, q, core, 0, nl, full_slices(q, 0, nl), k * 3, k);
    all.insert(all.end(), img.writes.begin(), img.writes.end());
  }
  return all;
}

// Every word of every weight and bias memory of every core.
std::vector<std::uint64_t> memories(AccelDut& d, const HwConfig& c) {
  std::vector<std::uint64_t> words;
  for (unsigned core = 0; core < static_cast<unsigned>(c.cores); ++core)
    for (auto m : {AccelDut::Memory::Weights, AccelDut::Memory::Biases})
      for (unsigned slot = 0; slot < static_cast<unsigned>(c.lanes * 4); ++slot)
        for (std::uint32_t w = 0; w < d.memory_depth(m); ++w)
          words.push_back(d.backdoor_read(core, m, slot, w));
  return words;
}

}  // namespace

TEST_SUITE("rtl weight load methods") {
  TEST_CASE("loading through the backdoor leaves every weight and bias memory as AXI4-Lite writes do") {
    const HwConfig cfg = load_config_file(std::string(LSTM_SOURCE_DIR) + "/" + kSmall).config;
    const tb::ModelLibrary lib(ensure_rtlsim(cfg, std::cerr).plugin);
    const auto factory = tb::accel_dut_factory(lib, cfg);
    const std::vector<HostWrite> writes = images(cfg);
    REQUIRE(writes.size() > 100);

    // One AXI4-Lite write per word, as a host does, with random stalls on
    // every channel.
    tb::DutHarness<AccelDut> host(factory);
    auto& axil = host.emplace<tb::AxilMaster>(host.dut(), 3,
                                              tb::AxilMaster::Stalls{0.2, 0.2, 0.2, 0.3, 0.3});
    host.reset(4);
    for (const auto& w : writes) axil.write(w.addr << hostmap::kByteShift, w.data);
    host.run_until([&] { return axil.idle(); }, 20 * writes.size(), "AXI4-Lite writes");

    tb::DutHarness<AccelDut> back(factory);
    back.reset(4);
    for (const auto& w : writes) {
      const auto at = hostmap::mem_location(cfg, w.addr);
      REQUIRE(at.has_value());
      back->backdoor_write(at->core,
                           at->region == hostmap::Region::Weights ? AccelDut::Memory::Weights
                                                                  : AccelDut::Memory::Biases,
                           at->slot, at->word, w.data);
    }

    // AXI4-Lite reads every word back, sign-extended, while the cores are
    // idle (debug read-back): the word the backdoor sees.
    for (const auto& w : writes) axil.read(w.addr << hostmap::kByteShift);
    host.run_until([&] { return axil.idle(); }, 20 * writes.size(), "AXI4-Lite reads");
    REQUIRE(axil.responses().size() == writes.size());
    CHECK(axil.errors().empty());
    std::size_t read_back = 0;
    for (const auto& w : writes) {
      const std::uint32_t rdata = axil.responses().front().data;
      axil.responses().pop_front();
      const auto at = hostmap::mem_location(cfg, w.addr);
      const bool weights = at->region == hostmap::Region::Weights;
      const int width = weights ? cfg.weight.width : cfg.bias.width;
      const std::uint64_t stored = host->backdoor_read(
          at->core, weights ? AccelDut::Memory::Weights : AccelDut::Memory::Biases, at->slot,
          at->word);
      const std::uint32_t sign = 1u << (width - 1);
      read_back += rdata == ((std::uint32_t(stored) ^ sign) - sign);
    }
    CHECK(read_back == writes.size());

    const auto by_host = memories(host.dut(), cfg);
    CHECK(by_host == memories(back.dut(), cfg));
    // The reads see the host's writes (so the comparison is not of two empty memories).
    std::size_t found = 0;
    for (const auto& w : writes) {
      const auto at = hostmap::mem_location(cfg, w.addr);
      const auto m = at->region == hostmap::Region::Weights ? AccelDut::Memory::Weights
                                                            : AccelDut::Memory::Biases;
      const unsigned width = static_cast<unsigned>(
          m == AccelDut::Memory::Weights ? cfg.weight.width : cfg.bias.width);
      found += host->backdoor_read(at->core, m, at->slot, at->word) ==
               (w.data & ((1u << width) - 1));
    }
    CHECK(found == writes.size());
  }

  TEST_CASE("loading by rows leaves every weight and bias word as AXI4-Lite writes do, with idle cycles between beats and a broadcast for equal images") {
    const HwConfig cfg = load_config_file(std::string(LSTM_SOURCE_DIR) + "/" + kSmall).config;
    const tb::ModelLibrary lib(ensure_rtlsim(cfg, std::cerr).plugin);
    const auto factory = tb::accel_dut_factory(lib, cfg);
    for (const bool shared : {false, true}) {
      CAPTURE(shared);
      const std::vector<HostWrite> writes = images(cfg, shared);
      tb::DutHarness<AccelDut> host(factory);
      host.reset(4);
      tb::AccelDriver by_host(host, cfg, tb::DriverOptions{0.0, 0.0, 1, 0, tb::WeightLoad::HostPort});
      CHECK(by_host.load(writes) == writes.size() + 2);  // a write per cycle, then the last B
      for (const double idle : {0.0, 0.4}) {
        CAPTURE(idle);
        tb::DutHarness<AccelDut> rows(factory);
        rows.reset(4);
        tb::AccelDriver by_rows(rows, cfg, tb::DriverOptions{idle, 0.0, 3, 0, tb::WeightLoad::Rows});
        const std::vector<RowPass> passes = row_passes(cfg, writes);
        CHECK(passes.size() == (shared ? 2u : 4u));  // weights and biases, per image
        const std::uint64_t cycles = by_rows.load(writes);
        // Per pass two register writes, their B responses (2 cycles) and a
        // cycle to the first beat; a beat a cycle without idle.
        const std::uint64_t busiest = 5 * passes.size() + row_beats(passes);
        if (idle == 0.0) CHECK(cycles == busiest);
        else CHECK(cycles > busiest);
        rows.run(2);
        CHECK(memories(rows.dut(), cfg) == memories(host.dut(), cfg));
        // Every word AXI4-Lite wrote reads back (debug read-back) from the row load.
        std::size_t same = 0;
        for (const auto& w : writes) same += by_rows.read(w.addr) == by_host.read(w.addr);
        CHECK(same == writes.size());
      }
    }
  }

  TEST_CASE("every mode gives the same outputs and run cycles with rows, host-port and backdoor loads, and rows take fewer load cycles") {
    for (const char* mode : {"single", "mp", "mt", "hc"}) {
      CAPTURE(mode);
      // No idle cycles or backpressure, as in lstmsim bench: their random
      // patterns would start at another cycle after a shorter load.
      test::RtlCase c{std::string("backdoor_") + mode, kSmall, mode,
                      {workload_shape(6, 9, 2, 5, 2)}, 7, 0.0, 0.0};
      c.load = "host-port";
      const test::RtlResult host = test::run_rtl_case(c);
      c.load = "backdoor";
      const test::RtlResult back = test::run_rtl_case(c);
      c.load = "rows";
      const test::RtlResult rows = test::run_rtl_case(c);
      REQUIRE(host.exit_code == 0);
      REQUIRE(back.exit_code == 0);
      REQUIRE(rows.exit_code == 0);
      CHECK(host.bit_exact);
      CHECK(back.bit_exact);
      CHECK(rows.bit_exact);
      CHECK(back.cycles == host.cycles);
      CHECK(rows.cycles == host.cycles);
      CHECK(back.outputs == host.outputs);
      CHECK(rows.outputs == host.outputs);
      CHECK(host.load_cycles > 0);
      CHECK(back.load_cycles == 0);
      CHECK(rows.load_cycles > 0);
      CHECK(rows.load_cycles < host.load_cycles);
    }
  }
  TEST_CASE("a design without weight read-back stores AXI4-Lite weight and bias writes and reads them as 0") {
    const HwConfig cfg =
        load_config_file(std::string(LSTM_SOURCE_DIR) + "/tests/rtl/configs/lean_tiny.json").config;
    REQUIRE_FALSE(cfg.features.weight_readback);
    const QuantModel q = quantize_model(random_model(workload_shape(6, 9, 1, 1), 12), cfg);
    const std::vector<HostWrite> writes = place_layers(cfg, q, 0, 0, 1, full_slices(q, 0, 1), 0, 0).writes;
    const tb::ModelLibrary lib(ensure_rtlsim(cfg, std::cerr).plugin);
    tb::DutHarness<AccelDut> host(tb::accel_dut_factory(lib, cfg));
    auto& axil = host.emplace<tb::AxilMaster>(host.dut(), 4,
                                              tb::AxilMaster::Stalls{0.2, 0.2, 0.2, 0.3, 0.3});
    host.reset(4);
    std::size_t nonzero = 0;
    for (const auto& w : writes) {
      axil.write(w.addr << hostmap::kByteShift, w.data);
      axil.read(w.addr << hostmap::kByteShift);
      nonzero += w.data != 0;
    }
    host.run_until([&] { return axil.idle(); }, 40 * writes.size(), "AXI4-Lite writes and reads");
    REQUIRE(nonzero > 0);  // otherwise reads of 0 would prove nothing
    CHECK(axil.errors().empty());
    std::size_t zero_reads = 0;
    for (const auto& r : axil.responses()) zero_reads += r.data == 0;
    CHECK(axil.responses().size() == writes.size());
    CHECK(zero_reads == writes.size());
    std::size_t stored = 0;
    for (const auto& w : writes) {
      const auto at = hostmap::mem_location(cfg, w.addr);
      REQUIRE(at.has_value());
      const bool weights = at->region == hostmap::Region::Weights;
      const unsigned width = static_cast<unsigned>(weights ? cfg.weight.width : cfg.bias.width);
      stored += host->backdoor_read(at->core,
                                    weights ? AccelDut::Memory::Weights : AccelDut::Memory::Biases,
                                    at->slot, at->word) == (w.data & ((1u << width) - 1));
    }
    CHECK(stored == writes.size());
  }
  TEST_CASE("a design without the row loader, counters and weight read-back loads over the host port by default, runs bit-exact, and refuses --load rows") {
    // tests/rtl/configs/lean_tiny.json: one_layer.json with every optional part left out.
    test::RtlCase c{"lean_tiny", "tests/rtl/configs/lean_tiny.json", "single",
                    {workload_shape(6, 9, 1, 3, 2)}, 5, 0.2, 0.2};
    c.load = "";
    const test::RtlResult r = test::run_rtl_case(c);
    REQUIRE(r.exit_code == 0);
    CHECK(r.bit_exact);
    CHECK(r.load_cycles > 0);  // host-port: rows would be fewer, backdoor none
    CHECK(r.saturation.empty());  // no counters: the file has no counts
    c.load = "rows";
    CHECK(test::run_rtl_case(c).exit_code == 2);
  }
}
