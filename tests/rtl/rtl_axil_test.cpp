// lstm_axi_top's AXI4-Lite slave, driven from the Verilator harness with
// random idle cycles on AW, W and AR and random backpressure on B and R:
// every register the host map's tables define reads back what was written
// (masked to its width) or its documented value, registers that do not exist
// read 0 and ignore writes, W registers act as on the native port, and
// unaligned or partial-strobe accesses get SLVERR; weight and bias words read
// back (sign-extended) while the core is idle, and irq_o rises when a job ends
// and falls when IRQ_STATUS is cleared. The expected values come from the
// tables (spec/host_map.hpp), not from the RTL. Models run through
// the AXI4-Stream x and h ports, with random idle cycles on x and backpressure
// on h, bit-exact against the golden model, TLAST and TUSER where they belong.
#include <doctest/doctest.h>

#include <cstdint>
#include <deque>
#include <iostream>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <random>
#include <string>
#include <vector>

#include "gen/emit_package.hpp"
#include "gen/generator.hpp"
#include "host/row_load.hpp"
#include "host/run_plan.hpp"
#include "sim/engines.hpp"
#include "sim/workload.hpp"
#include "spec/config.hpp"
#include "spec/host_map.hpp"
#include "spec/lstm_shape.hpp"
#include "tb/accel_driver.hpp"
#include "tb/accel_dut.hpp"
#include "tb/harness.hpp"
#include "tb/model_library.hpp"
#include "tb/port_pack.hpp"
#include "tb/rtl_engine.hpp"
#include "tb/stream.hpp"

namespace fs = std::filesystem;
using namespace lstm;
using namespace lstm::tb;

namespace {

constexpr unsigned kOkay = 0, kSlvErr = 2;

struct Op {
  bool write = false;
  std::uint32_t word = 0;   // host map word address
  std::uint32_t data = 0;   // write data
  unsigned strb = 0xF;
  unsigned byte_off = 0;    // added to the byte address (misaligned when not 0)
};

// lstm_pkg::AxisDataW of a config.
unsigned axis_data_w(const HwConfig& c) {
  return static_cast<unsigned>(*package_ref(package_localparams(c), "AxisDataW").value());
}

// The design with AXI agents on its five AXI4-Lite channels and on the
// AXI4-Stream x and h ports of every core port (idle 0.3 on x, backpressure
// 0.4 on h; h beats are {TUSER, TDATA} with TLAST as the beat's last), and
// on the weight row stream (idle 0.3; a beat's data is an index into rows()).
class AxilBench {
 public:
  AxilBench(const ModelLibrary& lib, std::uint64_t seed, const HwConfig& c)
      : h_(accel_dut_factory(lib, c)),
        aw_(h_.emplace<StreamDriver>(
            StreamDriver::Ports{.valid = [this](bool v) { h_->set_awvalid(v); },
                                .ready = [this] { return h_->awready(); },
                                .data = [this](std::uint64_t d) { h_->set_awaddr(std::uint32_t(d)); }},
            seed * 5 + 1, 0.4)),
        w_(h_.emplace<StreamDriver>(
            StreamDriver::Ports{.valid = [this](bool v) { h_->set_wvalid(v); },
                                .ready = [this] { return h_->wready(); },
                                .data = [this](std::uint64_t d) {
                                  h_->set_wdata(std::uint32_t(d));
                                  h_->set_wstrb(unsigned(d >> 32));
                                }},
            seed * 5 + 2, 0.4)),
        ar_(h_.emplace<StreamDriver>(
            StreamDriver::Ports{.valid = [this](bool v) { h_->set_arvalid(v); },
                                .ready = [this] { return h_->arready(); },
                                .data = [this](std::uint64_t d) { h_->set_araddr(std::uint32_t(d)); }},
            seed * 5 + 3, 0.4)),
        b_(h_.emplace<StreamMonitor>(
            StreamMonitor::Ports{.valid = [this] { return h_->bvalid(); },
                                 .ready = [this](bool r) { h_->set_bready(r); },
                                 .data = [this] { return std::uint64_t{h_->bresp()}; }},
            seed * 5 + 4, 0.5, "B")),
        r_(h_.emplace<StreamMonitor>(
            StreamMonitor::Ports{.valid = [this] { return h_->rvalid(); },
                                 .ready = [this](bool r) { h_->set_rready(r); },
                                 .data = [this] {
                                   return std::uint64_t{h_->rdata()} |
                                          std::uint64_t{h_->rresp()} << 32;
                                 }},
            seed * 5 + 5, 0.5, "R")) {
    cfg_ = c;
    // The bits of a beat's TDATA words the port has (the top word may be partial).
    junk_mask_ = row_beat_words(c, std::vector<std::uint32_t>(std::size_t(kGates * c.lanes), ~0u));
    b_.on_beat = [this](const Beat& b) { bresp_.push_back(unsigned(b.data)); };
    r_.on_beat = [this](const Beat& b) { rbeats_.push_back(b.data); };
    for (unsigned p = 0; p < unsigned(c.cores); ++p) {
      x_.push_back(&h_.emplace<StreamDriver>(
          StreamDriver::Ports{.valid = [this, p](bool v) { h_->set_x_tvalid(p, v); },
                              .ready = [this, p] { return h_->x_tready(p); },
                              .data = [this, p](std::uint64_t d) {
                                h_->set_x_tdata(p, std::uint32_t(d));
                              }},
          seed * 5 + 100 + p, 0.3));
      h_out_.push_back(&h_.emplace<StreamMonitor>(
          StreamMonitor::Ports{.valid = [this, p] { return h_->h_tvalid(p); },
                               .ready = [this, p](bool r) { h_->set_h_tready(p, r); },
                               .data = [this, p] {
                                 return std::uint64_t{h_->h_tdata(p)} |
                                        std::uint64_t{h_->h_tuser(p)} << kTuserBit;
                               },
                               .last = [this, p] { return h_->h_tlast(p); }},
          seed * 5 + 200 + p, 0.4, "h" + std::to_string(p)));
    }
    rows_drv_ = &h_.emplace<StreamDriver>(
        StreamDriver::Ports{.valid = [this](bool v) { h_->set_row_valid(v); },
                            .ready = [this] { return h_->row_ready(); },
                            .data = [this](std::uint64_t d) {
                              // d indexes rows_; idle cycles bring random d: random bits
                              if (d < rows_.size()) return h_->set_row_data(row_beat_words(cfg_, rows_[d]));
                              std::vector<std::uint32_t> junk(junk_mask_.size());
                              for (std::size_t i = 0; i < junk.size(); ++i)
                                junk[i] = std::uint32_t(d >> (i % 32)) & junk_mask_[i];
                              h_->set_row_data(junk);
                            }},
        seed * 5 + 300, 0.3);
    h_.reset(3);
  }

  // Sends rows through the weight row stream and waits until all are taken.
  void send_rows(const std::vector<std::vector<std::uint32_t>>& rows) {
    rows_ = rows;
    for (std::size_t k = 0; k < rows_.size(); ++k) rows_drv_->push(k);
    h_.run_until([&] { return rows_drv_->idle(); }, 100 * (rows_.size() + 10), "row beats");
  }

  static constexpr unsigned kTuserBit = 32;  // of an h beat's data
  StreamDriver& x(unsigned port) { return *x_.at(port); }
  StreamMonitor& h(unsigned port) { return *h_out_.at(port); }
  void run_until(const std::function<bool()>& done, std::uint64_t cycles, const std::string& what) {
    h_.run_until(done, cycles, what);
  }

  // Issues every op (AW and W of a write independently), runs until every
  // response is in; returns the B responses and the R beats {data | resp << 32}.
  std::pair<std::vector<unsigned>, std::vector<std::uint64_t>> run(const std::vector<Op>& ops) {
    bresp_.clear();
    rbeats_.clear();
    std::size_t writes = 0, reads = 0;
    for (const Op& o : ops) {
      const std::uint32_t byte = (o.word << hostmap::kByteShift) + o.byte_off;
      if (o.write) {
        aw_.push(byte);
        w_.push(std::uint64_t{o.data} | std::uint64_t{o.strb} << 32);
        ++writes;
      } else {
        ar_.push(byte);
        ++reads;
      }
    }
    h_.run_until([&] { return bresp_.size() == writes && rbeats_.size() == reads; },
                 200 * (ops.size() + 10), "AXI4-Lite responses");
    CHECK(b_.errors().empty());
    CHECK(r_.errors().empty());
    return {{bresp_.begin(), bresp_.end()}, {rbeats_.begin(), rbeats_.end()}};
  }

  std::uint32_t read(std::uint32_t word) {
    const auto r = run({Op{.word = word}});
    CHECK((r.second.at(0) >> 32) == kOkay);
    return std::uint32_t(r.second.at(0));
  }
  // Reads until bit `busy` of the word is clear (a run or check to end).
  std::uint32_t read_idle(std::uint32_t word, unsigned busy) {
    std::uint32_t v = read(word);
    for (int i = 0; i < 50 && ((v >> busy) & 1u); ++i) v = read(word);
    CHECK(((v >> busy) & 1u) == 0u);
    return v;
  }
  void write(std::uint32_t word, std::uint32_t data) {
    CHECK(run({Op{.write = true, .word = word, .data = data}}).first.at(0) == kOkay);
  }
  bool irq() { return h_->irq(); }

 private:
  DutHarness<AccelDut> h_;
  StreamDriver &aw_, &w_, &ar_;
  StreamMonitor &b_, &r_;
  std::vector<StreamDriver*> x_;
  std::vector<StreamMonitor*> h_out_;
  StreamDriver* rows_drv_ = nullptr;
  std::vector<std::vector<std::uint32_t>> rows_;
  HwConfig cfg_;
  std::vector<std::uint32_t> junk_mask_;
  std::deque<unsigned> bresp_;
  std::deque<std::uint64_t> rbeats_;
};

// Every address the test touches, with what a read returns: RW registers
// (value kept, masked to the width), R registers with their value after reset
// (no run yet), and words that do not exist (0, writes ignored).
struct RegModel {
  std::map<std::uint32_t, std::uint32_t> mask;   // RW: address -> writable bits
  std::set<std::uint32_t> saturating;            // RW registers that hold all ones for a value too wide
  std::uint32_t held(std::uint32_t a, std::uint32_t d) const {
    const std::uint32_t m = mask.at(a);
    return saturating.contains(a) && d > m ? m : d & m;
  }
  std::map<std::uint32_t, std::uint32_t> value;  // every address -> expected read
};

std::uint32_t width_mask(const std::vector<sv::Param>& pkg, const hostmap::Entry& e) {
  if (e.width.empty()) return ~0u;
  const auto w = *package_ref(pkg, e.width).value();
  return w >= 32 ? ~0u : (1u << w) - 1;
}

RegModel reg_model(const HwConfig& c) {
  using namespace hostmap;
  const std::vector<sv::Param> pkg = package_localparams(c);
  RegModel m;
  auto rw = [&](std::uint32_t a, const Entry& e) {
    m.mask[a] = width_mask(pkg, e);
    m.value[a] = e.reset & m.mask[a];
    if (e.saturate) m.saturating.insert(a);
  };
  for (unsigned core = 0; core < unsigned(c.cores); ++core) {
    for (const Entry& e : kCoreRegTable) {
      // A batch register on a design without batching does not exist: it reads 0.
      if (!present(e, c)) m.value[core_reg(core, e.value)] = 0;
      else if (e.access == Access::RW) rw(core_reg(core, e.value), e);
      if (e.access == Access::R) m.value[core_reg(core, e.value)] = 0;  // idle, no run yet
    }
    for (unsigned l = 0; l < unsigned(c.limits.max_layers) + 1; ++l)
      for (const Entry& f : kLayerFieldTable) {
        const std::uint32_t a = layer_reg(core, l, LayerField(f.value));
        if (l == unsigned(c.limits.max_layers) || !present(f, c)) m.value[a] = 0;  // no such layer or field
        else if (f.access == Access::RW) rw(a, f);
        else if (f.access == Access::R) m.value[a] = 0;  // saturation counters: no run yet
      }
    for (unsigned reg = 0; reg < kLayerBase; ++reg)
      if (!find_entry(kCoreRegTable, reg)) m.value[core_reg(core, reg)] = 0;
    // State words past the h and c buffers (the words inside are memory,
    // tested by rtl_state_test).
    const auto mh = std::uint32_t(c.limits.max_hidden), ml = std::uint32_t(c.limits.max_layers);
    m.value[address(core, Region::State, 2 * ml * mh)] = 0;
    m.value[address(core, Region::State, (1u << kStateCBit) | (ml * mh))] = 0;
  }
  for (const Entry& e : kGlobalRegTable)
    if (e.access == Access::RW) rw(global_reg(e.value), e);
  m.value[global_reg(kCores)] = unsigned(c.cores);
  m.value[global_reg(kLanes)] = unsigned(c.lanes);
  for (unsigned reg : {kGCycles, kBusyMask, kDoneMask, kErrorMask, kWloadNext})
    m.value[global_reg(reg)] = 0;
  m.value[global_reg(last_entry(kGlobalRegTable).value + 1)] = 0;
  for (unsigned t = unsigned(c.cores); t < kGlobal; t += 7) m.value[core_reg(t, kNumSteps)] = 0;
  return m;
}

// The rtl engine's plugin of the config (tb/lstm_axi_top_dut.cpp on
// lstm_axi_top), which rtlsim and every other RTL test use too.
fs::path axil_plugin(const HwConfig& c) { return ensure_rtlsim(c, std::cerr).plugin; }

const HwConfig& small_config() {
  static const HwConfig c =
      load_config_file(std::string(LSTM_SOURCE_DIR) + "/configs/small.json").config;
  return c;
}

// How a test loads the plan's weights and biases.
enum class Load { Axil, Rows };

// Loads the plan's image: one AXI4-Lite write per word, or row beats through
// the weight row stream (host/row_load.hpp), checking WLOAD_NEXT after each
// pass. Returns the beats or writes it took.
std::size_t load_image(AxilBench& bench, const HwConfig& c, const RunPlan& plan, Load how,
                       const std::function<void(const std::vector<HostWrite>&)>& write_all) {
  if (how == Load::Axil) {
    write_all(plan.load);
    return plan.load.size();
  }
  const std::vector<RowPass> passes = row_passes(c, plan.load);
  for (const RowPass& p : passes) {
    write_all(row_pass_writes(p));
    bench.send_rows(p.rows);
    CHECK(bench.read(hostmap::global_reg(hostmap::kWloadNext)) == row_pass_end(c, p));
  }
  return row_beats(passes);
}

// The (job, group) pairs of a plan, one job at a time: serial dispatch runs
// every job on group 0; mp's queues each on their group, in turn.
std::vector<std::pair<std::size_t, std::size_t>> job_order(const RunPlan& plan) {
  std::vector<std::pair<std::size_t, std::size_t>> order;
  for (std::size_t q = 0; q < plan.queues.size(); ++q)
    for (std::size_t k = 0; k < plan.queues[q].size(); ++k)
      order.emplace_back(plan.queues[q][k], plan.dispatch == Dispatch::SharedQueue
                                                ? k % plan.groups.size() : q);
  return order;
}

// Runs `seqs` sequences of a random model in `mode` through lstm_axi_top, one
// job at a time (mp: each on its group, started by its core's CTRL): the
// plan's load (by `how`) and programs over AXI4-Lite, x into the group's x
// port (TDATA sign-extended to AxisDataW), h out of its h port. Checks every
// h beat against the golden model, TLAST on the last element of each h_t and
// TUSER on the last of each sequence only. Returns the load's writes or beats.
std::size_t run_axis_model(const HwConfig& c, hostmap::Mode mode, int seqs, std::uint64_t seed,
                           Load how = Load::Axil) {
  const WorkloadShape shape = workload_shape(6, 9, 2, 7, seqs);
  const FloatModel fm = random_model(shape, seed);
  const SequenceSet inputs = random_inputs(shape, seed + 1);
  const SequenceSet golden = run_golden(c, fm, inputs).outputs;
  std::vector<JobSpec> specs(inputs.size(), JobSpec{.steps = std::uint32_t(shape.steps)});
  const RunPlan plan = plan_run(c, mode, {quantize_model(fm, c)}, specs);
  REQUIRE(plan.dispatch != Dispatch::Pipelined);
  const ModelLibrary lib(axil_plugin(c));
  AxilBench bench(lib, seed, c);
  auto write_all = [&](const std::vector<HostWrite>& ws) {
    std::vector<Op> ops;
    for (const HostWrite& w : ws) ops.push_back({.write = true, .word = w.addr, .data = w.data});
    for (unsigned resp : bench.run(ops).first) CHECK(resp == kOkay);
  };
  const std::size_t loaded = load_image(bench, c, plan, how, write_all);
  write_all(mode_writes(plan));
  const unsigned aw = axis_data_w(c);
  for (const auto& [j, gi] : job_order(plan)) {
    CAPTURE(j);
    const CoreGroup& g = plan.groups.at(gi);
    const IntSequence x = quantize_sequence(inputs[j], c.data);
    const IntSequence want = quantize_sequence(golden[j], c.data);
    bench.h(g.out_port).clear();
    write_all(plan.jobs[j].programs.at(gi));
    for (const IntVector& v : x)
      for (const auto e : v) bench.x(g.in_port).push(std::uint64_t(e) & low_mask(aw));
    write_all({plan.dispatch == Dispatch::Serial ? start_all_write()
                                                 : start_core_write(g.cores.front())});
    const std::size_t n = want.size() * want.at(0).size();
    bench.run_until([&] { return bench.h(g.out_port).count() == n; }, 400000, "h beats");
    for (unsigned core : g.cores) bench.read_idle(hostmap::global_reg(hostmap::kBusyMask), core);
    const auto& beats = bench.h(g.out_port).received();
    REQUIRE(beats.size() == n);
    std::size_t k = 0;
    for (std::size_t t = 0; t < want.size(); ++t)
      for (std::size_t u = 0; u < want[t].size(); ++u, ++k) {
        CAPTURE(t);
        CAPTURE(u);
        const Beat& b = beats[k];
        CHECK(sign_extend(b.data & low_mask(aw), aw) == want[t][u]);
        CHECK(b.last == (u + 1 == want[t].size()));
        CHECK(((b.data >> AxilBench::kTuserBit) & 1u) == (k + 1 == n ? 1u : 0u));
      }
  }
  for (unsigned p = 0; p < unsigned(c.cores); ++p) CHECK(bench.h(p).errors().empty());
  return loaded;
}

}  // namespace

TEST_SUITE("rtl axi4-lite slave") {
  TEST_CASE("every register reads back or reads its value over AXI4-Lite with random stalls on every channel") {
    const HwConfig& c = small_config();
    const ModelLibrary lib(axil_plugin(c));
    AxilBench bench(lib, 7, c);
    RegModel m = reg_model(c);
    std::vector<std::uint32_t> addrs;
    for (const auto& [a, v] : m.value) addrs.push_back(a);
    std::mt19937_64 rng(11);
    // Rounds of random writes, then reads of every address (a write may hit
    // a register that does not exist or is read-only: the model keeps it).
    for (int round = 0; round < 4; ++round) {
      std::vector<Op> writes;
      for (int i = 0; i < 60; ++i) {
        const std::uint32_t a = addrs[rng() % addrs.size()];
        // Half the values small, so that narrow registers also keep some as written.
        const std::uint32_t d = (i % 2) ? std::uint32_t(rng()) : std::uint32_t(rng() % 1100);
        if (a == hostmap::global_reg(hostmap::kMode))  // a mode the table names
          continue;
        writes.push_back({.write = true, .word = a, .data = d});
        if (m.mask.contains(a)) m.value[a] = m.held(a, d);
      }
      const auto wr = bench.run(writes);
      for (unsigned resp : wr.first) CHECK(resp == kOkay);
      std::vector<Op> reads;
      for (std::uint32_t a : addrs) reads.push_back({.word = a});
      const auto rd = bench.run(reads);
      REQUIRE(rd.second.size() == addrs.size());
      for (std::size_t i = 0; i < addrs.size(); ++i) {
        INFO("address 0x" << std::hex << addrs[i]);
        CHECK((rd.second[i] >> 32) == kOkay);
        CHECK(std::uint32_t(rd.second[i]) == m.value[addrs[i]]);
      }
    }
    // Reads and writes interleaved: reads of registers the writes leave alone.
    std::vector<Op> mixed;
    const std::uint32_t steps = hostmap::core_reg(1, hostmap::kNumSteps);
    for (int i = 0; i < 40; ++i) {
      mixed.push_back({.write = true, .word = steps, .data = std::uint32_t(i)});
      mixed.push_back({.word = hostmap::global_reg(hostmap::kCores)});
    }
    const auto mr = bench.run(mixed);
    for (std::uint64_t beat : mr.second) CHECK(std::uint32_t(beat) == unsigned(c.cores));
    CHECK(bench.read(steps) == 39u);
  }

  TEST_CASE("partial strobes and unaligned addresses get SLVERR and change nothing") {
    const HwConfig& c = small_config();
    const ModelLibrary lib(axil_plugin(c));
    AxilBench bench(lib, 8, c);
    const std::uint32_t steps = hostmap::core_reg(0, hostmap::kNumSteps);
    bench.write(steps, 5);
    const auto r = bench.run({{.write = true, .word = steps, .data = 9, .strb = 0x3},
                              {.write = true, .word = steps, .data = 9, .byte_off = 2},
                              {.word = steps, .byte_off = 1}});
    CHECK(r.first == std::vector<unsigned>{kSlvErr, kSlvErr});
    CHECK(r.second.at(0) == (std::uint64_t{kSlvErr} << 32));
    CHECK(bench.read(steps) == 5u);
  }

  TEST_CASE("W registers act over AXI4-Lite as on the native port: CTRL and START start, STATUS reports") {
    using namespace hostmap;
    const HwConfig& c = small_config();
    const ModelLibrary lib(axil_plugin(c));
    AxilBench bench(lib, 9, c);
    // Core 0 with no layers: a start is refused with ErrNumLayers.
    bench.write(core_reg(0, kNumLayers), 0);
    bench.write(core_reg(0, kCtrl), 1u << kCtrlStartBit);
    const std::uint32_t s = bench.read_idle(core_reg(0, kStatus), kStatusBusyBit);
    CHECK(((s >> kStatusErrorBit) & 1u) == 1u);
    CHECK(((s >> kStatusCodeLsb) & ((1u << kStatusCodeBits) - 1)) == kErrNumLayers);
    // ACTIVE out of range: START starts nothing and STATUS says why.
    bench.write(global_reg(kActive), 0);
    bench.write(global_reg(kStart), 1);
    CHECK(((bench.read(global_reg(kGStatus)) >> kGStatusBadActiveBit) & 1u) == 1u);
    CHECK(bench.read(global_reg(kBusyMask)) == 0u);
    // Core 1 alone in mp, refused too: ERROR_MASK names cores 0 and 1.
    bench.write(global_reg(kMode), static_cast<unsigned>(Mode::Mp));
    bench.write(global_reg(kActive), 2);
    bench.write(core_reg(1, kNumLayers), 0);
    bench.write(global_reg(kStart), 1);
    const std::uint32_t g = bench.read_idle(global_reg(kGStatus), kGStatusRunningBit);
    CHECK(((g >> kGStatusErrorBit) & 1u) == 1u);
    CHECK(bench.read(global_reg(kErrorMask)) == 3u);
  }
  TEST_CASE("a batch design refuses a batched program that does not fit with ErrBatch and the layer") {
    using namespace hostmap;
    const HwConfig c =
        load_config_file(std::string(LSTM_SOURCE_DIR) + "/tests/rtl/configs/small_batch.json").config;
    const ModelLibrary lib(axil_plugin(c));
    AxilBench bench(lib, 11, c);
    // Two valid layers of X = 4, H = 2 (weights need not be loaded: nothing runs).
    bench.write(core_reg(0, kNumSteps), 3);
    for (unsigned l = 0; l < 2; ++l) {
      bench.write(layer_reg(0, l, kInSize), l == 0 ? 4 : 2);
      bench.write(layer_reg(0, l, kHidden), 2);
      bench.write(layer_reg(0, l, kUnitLo), 0);
      bench.write(layer_reg(0, l, kUnitCnt), 2);
      bench.write(layer_reg(0, l, kWBase), 8 * l);
      bench.write(layer_reg(0, l, kBBase), l);
    }
    const auto refused = [&](unsigned layers) {
      bench.write(core_reg(0, kNumLayers), layers);
      bench.write(core_reg(0, kCtrl), 1u << kCtrlStartBit);
      const std::uint32_t s = bench.read_idle(core_reg(0, kStatus), kStatusBusyBit);
      return std::pair{(s >> kStatusCodeLsb) & ((1u << kStatusCodeBits) - 1),
                       (s >> kStatusLayerLsb) & ((1u << kStatusLayerBits) - 1)};
    };
    // X_LEN above max(max_input, max_hidden) = 16 (held as all ones).
    bench.write(core_reg(0, kXLen), 17);
    CHECK(refused(1) == std::pair{unsigned{kErrBatch}, 0u});
    // Layer 1 reads x at XOFF 6: 6 + IN_SIZE 2 runs past X_LEN 7.
    bench.write(core_reg(0, kXLen), 7);
    bench.write(layer_reg(0, 1, kXOff), 6);
    bench.write(layer_reg(0, 1, kLFlags), kLFlagXin);
    CHECK(refused(2) == std::pair{unsigned{kErrBatch}, 1u});
    // FOLD on a layer that does not read x.
    bench.write(layer_reg(0, 1, kXOff), 0);
    bench.write(layer_reg(0, 1, kLFlags), kLFlagFold);
    CHECK(refused(2) == std::pair{unsigned{kErrBatch}, 1u});
    CHECK(bench.read(layer_reg(0, 1, kLFlags)) == kLFlagFold);
    CHECK(bench.read(core_reg(0, kXLen)) == 7u);
  }

  TEST_CASE("weight and bias words read back over AXI4-Lite, sign-extended, while the core is idle") {
    using namespace hostmap;
    const HwConfig& c = small_config();
    const ModelLibrary lib(axil_plugin(c));
    AxilBench bench(lib, 10, c);
    const unsigned slots = unsigned(c.lanes) * 4;
    const auto wdepth = std::uint32_t(c.limits.weight_depth);
    const auto bdepth = std::uint32_t(bias_depth(c));
    auto sext = [](std::uint32_t v, int width) {
      const std::uint32_t m = (1u << width) - 1, sign = 1u << (width - 1);
      return ((v & m) ^ sign) - sign;
    };
    std::mt19937_64 rng(13);
    std::vector<Op> writes, reads;
    std::vector<std::uint32_t> want;
    std::map<std::uint32_t, std::uint32_t> last;  // address -> last data written
    for (int i = 0; i < 120; ++i) {
      const unsigned core = unsigned(rng() % unsigned(c.cores));
      const bool weights = rng() % 3 != 0;
      const std::uint32_t word = std::uint32_t(rng() % (weights ? wdepth : bdepth));
      const std::uint32_t a = mem_addr(c, core, weights ? Region::Weights : Region::Biases, word,
                                       unsigned(rng() % slots));
      const std::uint32_t d = std::uint32_t(rng());
      writes.push_back({.write = true, .word = a, .data = d});
      last[a] = sext(d, weights ? c.weight.width : c.bias.width);
    }
    for (unsigned resp : bench.run(writes).first) CHECK(resp == kOkay);
    for (const auto& [a, v] : last) {
      reads.push_back({.word = a});
      want.push_back(v);
    }
    // Words past the memories read 0.
    reads.push_back({.word = mem_addr(c, 0, Region::Weights, wdepth, 0)});
    want.push_back(0);
    reads.push_back({.word = mem_addr(c, 1, Region::Biases, bdepth, 0)});
    want.push_back(0);
    const auto rd = bench.run(reads);
    REQUIRE(rd.second.size() == reads.size());
    for (std::size_t i = 0; i < reads.size(); ++i) {
      INFO("address 0x" << std::hex << reads[i].word);
      CHECK((rd.second[i] >> 32) == kOkay);
      CHECK(std::uint32_t(rd.second[i]) == want[i]);
    }
  }

  TEST_CASE("irq_o rises when a job ends with DONE enabled, and a write of 1 to IRQ_STATUS clears it") {
    using namespace hostmap;
    const HwConfig& c = small_config();
    const ModelLibrary lib(axil_plugin(c));
    AxilBench bench(lib, 11, c);
    const std::uint32_t done = 1u << kIrqDoneBit, error = 1u << kIrqErrorBit;
    bench.write(global_reg(kIrqEnable), done);
    CHECK(bench.read(global_reg(kIrqEnable)) == done);
    CHECK(bench.read(global_reg(kIrqStatus)) == 0u);
    CHECK_FALSE(bench.irq());
    // A job of one step on core 0 (1 input, 1 unit; weights as reset left
    // them), its x one beat of 0.
    bench.write(core_reg(0, kNumLayers), 1);
    bench.write(core_reg(0, kNumSteps), 1);
    for (auto [f, v] : {std::pair{kInSize, 1u}, {kHidden, 1u}, {kUnitLo, 0u}, {kUnitCnt, 1u},
                        {kWBase, 0u}, {kBBase, 0u}})
      bench.write(layer_reg(0, 0, f), v);
    bench.x(0).push(0);
    bench.write(global_reg(kStart), 1);
    const std::uint32_t s = bench.read_idle(core_reg(0, kStatus), kStatusBusyBit);
    CHECK(((s >> kStatusDoneBit) & 1u) == 1u);
    CHECK(((s >> kStatusErrorBit) & 1u) == 0u);
    CHECK(bench.irq());
    CHECK(bench.read(global_reg(kIrqStatus)) == done);
    // Clearing the other bit leaves it; clearing DONE drops irq_o.
    bench.write(global_reg(kIrqStatus), error);
    CHECK(bench.irq());
    bench.write(global_reg(kIrqStatus), done);
    CHECK_FALSE(bench.irq());
    CHECK(bench.read(global_reg(kIrqStatus)) == 0u);
    // A start refused before the core gets busy (NUM_LAYERS 0): ERROR alone.
    bench.write(global_reg(kIrqEnable), error);
    bench.write(core_reg(0, kNumLayers), 0);
    bench.write(core_reg(0, kCtrl), 1u << kCtrlStartBit);
    bench.read_idle(core_reg(0, kStatus), kStatusBusyBit);
    CHECK(bench.read(global_reg(kIrqStatus)) == error);
    CHECK(bench.irq());
    bench.write(global_reg(kIrqEnable), done);  // IRQ_ENABLE is not locked
    CHECK_FALSE(bench.irq());
    bench.write(global_reg(kIrqStatus), error);
    CHECK(bench.read(global_reg(kIrqStatus)) == 0u);
  }
}

TEST_SUITE("rtl axi4-stream x and h") {
  TEST_CASE("a model runs bit-exact through the AXI4-Stream ports with random idle x and backpressure on h, TLAST and TUSER in place") {
    // Two sequences each in single and hc (port 0), one in mt (h from core 1's port).
    using hostmap::Mode;
    const std::pair<Mode, int> cases[] = {{Mode::Single, 2}, {Mode::Hc, 2}, {Mode::Mt, 1}};
    for (const auto& [mode, seqs] : cases) {
      CAPTURE(hostmap::mode_name(mode));
      run_axis_model(small_config(), mode, seqs, 21);
    }
  }
}

TEST_SUITE("rtl weight row stream") {
  TEST_CASE("weights loaded as row beats through s_axis_w run bit-exact: one core, a broadcast to both in mp, a different image per core in hc") {
    using hostmap::Mode;
    const HwConfig& c = small_config();
    const std::pair<Mode, int> cases[] = {{Mode::Single, 1}, {Mode::Mp, 2}, {Mode::Hc, 1}};
    for (const auto& [mode, seqs] : cases) {
      CAPTURE(hostmap::mode_name(mode));
      const std::size_t beats = run_axis_model(c, mode, seqs, 31, Load::Rows);
      // The same plan's load, one write per word.
      const WorkloadShape shape = workload_shape(6, 9, 2, 7, seqs);
      std::vector<JobSpec> specs(std::size_t(seqs), JobSpec{.steps = 7});
      const RunPlan plan =
          plan_run(c, mode, {quantize_model(random_model(shape, 31), c)}, specs);
      MESSAGE(hostmap::mode_name(mode) << ": " << plan.load.size() << " word writes, " << beats
                                       << " row beats");
      // A row holds 4 * lanes words; a broadcast serves every core at once.
      CHECK(beats * std::size_t(kGates * c.lanes) >= plan.load.size() / std::size_t(c.cores));
      CHECK(beats * 8 <= plan.load.size());
    }
  }
}
