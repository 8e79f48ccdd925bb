// Drives the generated lstm_axi_top the way a host would: executes a RunPlan
// (host/run_plan.hpp, which makes every decision) with register and memory
// writes over AXI4-Lite (tb/axil_master.hpp), x vectors into the AXI4-Stream x
// ports, h vectors out of the AXI4-Stream h ports (TLAST and TUSER checked),
// one job per (model, sequence). Every figure it reports is a count of
// simulated clock cycles.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <fmt/format.h>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "tb/accel_dut.hpp"
#include "tb/axil_master.hpp"
#include "tb/harness.hpp"
#include "spec/host_map.hpp"
#include "spec/lstm_shape.hpp"
#include "host/row_load.hpp"
#include "host/run_plan.hpp"
#include "sim/saturation.hpp"
#include "tb/port_pack.hpp"
#include "tb/stream.hpp"

namespace lstm::tb {

// One sequence of one model to run.
struct Job {
  int model = 0;            // index into the driver's models
  int sequence = 0;         // index into that model's sequences
  IntSequence x;            // quantized inputs, [t][x]
  IntSequence h;            // filled in: outputs, [t][h]
  IntState final_state{};   // filled in with JobSpec::read_state: h_n, c_n per model layer
  // Filled in: the saturation events the cores counted for this job, one
  // SatCounts per layer of the model (docs/numerics.md, "For the RTL counters").
  LayerSatCounts saturation;
};

struct CoreCounters {
  std::uint32_t cycles = 0, mac_busy = 0, stall_dep = 0, stall_other = 0;
};

struct RunStats {
  std::uint64_t cycles = 0;       // from the first start to the last output, all jobs
  // Weight loading before the run (not in cycles): from the first load
  // transfer (host write or row beat) to the last; 0 for the backdoor.
  std::uint64_t load_cycles = 0;
  int cores_used = 0;
  std::vector<CoreCounters> per_core;   // summed over the jobs each core ran
  std::vector<int> jobs_per_core;
  std::vector<std::string> stream_errors;
};

// How weight and bias images reach the memories:
// - Rows: the weight row stream (host/row_load.hpp, AXI4-Stream s_axis_w):
//   per pass, WLOAD_MASK and WLOAD_ADDR over AXI4-Lite, then a beat per
//   memory word, which writes that word of every slot (4 * lanes weights) in
//   every core of the mask (a broadcast where cores get equal images, as in mp);
// - HostPort: one AXI4-Lite write per weight or bias word;
// - Backdoor: straight into the memories (AccelDut), with no cycle at all.
// tests/rtl/rtl_backdoor_test.cpp proves all three leave the same memory
// contents and give the same run cycles.
enum class WeightLoad { Rows, HostPort, Backdoor };

// The method when none is asked for: the row stream, or the host port on a
// design generated without the row loader (config features.row_loader).
inline WeightLoad default_load(const HwConfig& c) {
  return c.features.row_loader ? WeightLoad::Rows : WeightLoad::HostPort;
}
// Why `w` cannot load `c`'s design; empty if it can.
inline std::string load_problem(const HwConfig& c, WeightLoad w) {
  if (w == WeightLoad::Rows && !c.features.row_loader)
    return fmt::format("config \"{}\" has no row loader (features.row_loader is false): load the "
                       "weights with --load host-port or backdoor", c.name);
  return {};
}

struct DriverOptions {
  double idle = 0.0;           // probability of an idle cycle on x streams and weight rows (before a beat)
  double backpressure = 0.0;   // probability of TREADY low on h streams
  std::uint64_t seed = 1;
  std::uint64_t timeout_cycles = 0;  // 0: derived from the work
  WeightLoad load = WeightLoad::Rows;
  // Read a core's saturation counters after a job when STATUS.SAT is set. In
  // mp and pipelined mt the reads delay the core's next job, so benchmarks,
  // which measure the runs, leave them out (rtlsim --no-saturation-read).
  bool read_saturation = true;
  // AXI4-Lite: probabilities of an idle cycle before each AW, W and AR
  // request, and of BREADY and RREADY low in a cycle (the stress tests set them).
  AxilMaster::Stalls axil{};
};

// The port widths of a config's lstm_axi_top, for its plugin's adapter.
inline AccelDutShape accel_dut_shape(const HwConfig& c) {
  return AccelDutShape{static_cast<unsigned>(c.cores), static_cast<unsigned>(c.data.width),
                       static_cast<unsigned>(4 * c.lanes),
                       static_cast<unsigned>(hostmap::row_slot_width(c))};
}
inline AccelDutFactory accel_dut_factory(const ModelLibrary& lib, const HwConfig& c) {
  return accel_dut_factory(lib, config_hash(c), accel_dut_shape(c));
}

// Thrown out of a run at the cycle set by AccelDriver::interrupt_at, so the
// caller can pull reset in the middle of whatever the design was doing.
struct RunInterrupted {
  std::uint64_t cycle;
};

// Reaches lstm_axi_top only through AccelDut (tb/accel_dut.hpp), so it is
// compiled once, without the model's header.
class AccelDriver {
 public:
  AccelDriver(DutHarness<AccelDut>& h, const HwConfig& cfg, DriverOptions opt)
      : h_(h), cfg_(cfg), opt_(opt),
        axil_(h_.emplace<AxilMaster>(h_.dut(), opt_.seed * 6151 + 17, opt_.axil)) {
    if (const std::string why = load_problem(cfg_, opt_.load); !why.empty())
      throw std::invalid_argument(why);
    for (int c = 0; c < cfg_.cores; ++c) {
      const auto cu = static_cast<unsigned>(c);
      drivers_.push_back(&h_.emplace<StreamDriver>(
          StreamDriver::Ports{
              [this, cu](bool v) { h_->set_x_tvalid(cu, v); },
              [this, cu] { return h_->x_tready(cu); },
              [this, cu](std::uint64_t d) { h_->set_x_tdata(cu, d); }},
          opt_.seed * 7919 + cu, opt_.idle));
      monitors_.push_back(&h_.emplace<StreamMonitor>(
          StreamMonitor::Ports{
              [this, cu] { return h_->h_tvalid(cu); },
              [this, cu](bool r) { h_->set_h_tready(cu, r); },
              [this, cu] { return h_->h_tdata(cu); },
              [this, cu] { return h_->h_tlast(cu); },
              [this, cu] { return h_->h_tuser(cu); }},
          opt_.seed * 104729 + cu, opt_.backpressure, fmt::format("h[{}]", c)));
    }
    // The weight row stream: the queue holds indices into beats_. junk_mask_:
    // the bits of the beat's words the port has (the top word may be partial).
    junk_mask_ = row_beat_words(cfg_, std::vector<std::uint32_t>(
                                          static_cast<std::size_t>(kGates * cfg_.lanes), ~0u));
    junk_.assign(junk_mask_.size(), 0);
    rows_ = &h_.emplace<StreamDriver>(
        StreamDriver::Ports{[this](bool v) { h_->set_row_valid(v); },
                            [this] { return h_->row_ready(); },
                            [this](std::uint64_t d) { set_row_beat(d); }},
        opt_.seed * 15485863 + 3, opt_.idle);
    // Runs last in every cycle's sample phase, before the rising edge.
    auto& interrupter = h_.emplace<FunctionAgent>();
    interrupter.on_sample = [this](std::uint64_t cycle) {
      if (interrupt_at_ != 0 && cycle >= interrupt_at_) {
        interrupt_at_ = 0;
        throw RunInterrupted{cycle};
      }
    };
  }

  // The next run() throws RunInterrupted at harness cycle `cycle` (0: never).
  void interrupt_at(std::uint64_t cycle) { interrupt_at_ = cycle; }

  // Forget an interrupted run: words not yet streamed, outputs received and
  // the jobs' outputs (a reset keeps the memories, but the next run loads
  // everything again). Stream-rule violations seen before the interruption
  // stay in the monitors' errors.
  void forget_run(std::vector<Job>& jobs) {
    for (auto* d : drivers_) d->clear();
    rows_->clear();
    for (auto* m : monitors_) m->clear();
    axil_.clear();
    for (auto& j : jobs) {
      j.h.clear();
      j.saturation.clear();
    }
  }

  // ---------------------------------------------------------------- host port
  // Register and memory accesses over AXI4-Lite, at word addresses of the
  // host map (byte address = word address << kByteShift). A write is posted:
  // it returns once the slave has taken its AW and W, before its B response;
  // fence() waits for every B. A read fences first (the slave may serve a
  // read before a write still in flight), then waits for its R.
  void write(std::uint32_t addr, std::uint32_t data) {
    axil_.write(addr << hostmap::kByteShift, data);
    axil_.present_now();  // on the channels in this cycle, as the host writes now
    h_.eval();
    h_.run_until([this] { return axil_.requests_waiting() == 0; }, kAxilBudget,
                 "AXI4-Lite write address and data");
  }
  void write(const HostWrite& w) { write(w.addr, w.data); }
  void write_all(const std::vector<HostWrite>& ws) {
    for (const auto& w : ws) write(w);
  }
  void fence() {
    h_.run_until([this] { return axil_.writes_open() == 0; }, kAxilBudget,
                 "AXI4-Lite write responses");
  }
  std::uint32_t read(std::uint32_t addr) {
    fence();
    axil_.responses().clear();
    axil_.read(addr << hostmap::kByteShift);
    axil_.present_now();
    h_.eval();
    h_.run_until([this] { return !axil_.responses().empty(); }, kAxilBudget,
                 "AXI4-Lite read data");
    const std::uint32_t d = axil_.responses().front().data;
    axil_.responses().pop_front();
    return d;
  }

  // Loads weight and bias writes (a plan's `load`) by the options' method;
  // returns the load's cycles. run() does this itself.
  std::uint64_t load(const std::vector<HostWrite>& ws) { return load_image(ws); }

  // ---------------------------------------------------------------- runs
  // Executes a plan (host/run_plan.hpp): loads the placements, sets MODE and
  // ACTIVE, then runs jobs[i] as plan.jobs[i], sequenced as plan.dispatch says.
  RunStats run(const RunPlan& plan, std::vector<Job>& jobs) {
    if (jobs.size() != plan.jobs.size())
      throw std::invalid_argument(fmt::format("{} jobs for a plan of {}", jobs.size(),
                                              plan.jobs.size()));
    stats_ = RunStats{};
    stats_.per_core.assign(static_cast<std::size_t>(cfg_.cores), CoreCounters{});
    stats_.jobs_per_core.assign(static_cast<std::size_t>(cfg_.cores), 0);
    stats_.cores_used = plan.active;
    stats_.load_cycles += load_image(plan.load);
    write_all(mode_writes(plan));
    switch (plan.dispatch) {
      case Dispatch::Serial: run_serial(plan, jobs); break;
      case Dispatch::SharedQueue:
      case Dispatch::OwnQueues: run_queues(plan, jobs); break;
      case Dispatch::Pipelined: run_pipelined(plan, jobs); break;
      case Dispatch::Batched: run_batched(plan, jobs); break;
    }
    fence();
    for (auto* m : monitors_)
      for (const auto& e : m->errors()) stats_.stream_errors.push_back(e);
    for (const auto& e : axil_.errors()) stats_.stream_errors.push_back(e);
    for (const auto& e : tag_errors_) stats_.stream_errors.push_back(e);
    tag_errors_.clear();
    return stats_;
  }

 private:
  std::uint64_t budget(std::uint64_t work) const {
    return opt_.timeout_cycles ? opt_.timeout_cycles : 200000 + 40 * work;
  }
  // Cycles one AXI4-Lite access may wait (a slave that never answers).
  static constexpr std::uint64_t kAxilBudget = 100000;

  // The writes of the plan's weight and bias images, by the path the options
  // choose. Returns the cycles from the first transfer to the last.
  std::uint64_t load_image(const std::vector<HostWrite>& ws) {
    const std::uint64_t t0 = h_.cycle();
    switch (opt_.load) {
      case WeightLoad::HostPort:
        write_all(ws);
        fence();  // loaded when the last write is answered
        break;
      case WeightLoad::Rows: load_rows(ws); break;
      case WeightLoad::Backdoor:
        for (const auto& w : ws) {
          const auto at = hostmap::mem_location(cfg_, w.addr);
          if (!at)
            throw std::logic_error(fmt::format("a weight image writes register {:#x}", w.addr));
          h_->backdoor_write(at->core,
                             at->region == hostmap::Region::Weights ? AccelDut::Memory::Weights
                                                                    : AccelDut::Memory::Biases,
                             at->slot, at->word, w.data);
        }
        h_.eval();
        break;
    }
    return h_.cycle() - t0;
  }

  // WeightLoad::Rows: per pass, WLOAD_MASK and WLOAD_ADDR, then its beats
  // (with the options' idle cycles between them). A pass's beats are all
  // taken before the next pass writes WLOAD_ADDR; the last beat's transfer
  // ends the load.
  void load_rows(const std::vector<HostWrite>& ws) {
    for (const RowPass& p : row_passes(cfg_, ws)) {
      write_all(row_pass_writes(p));
      // WLOAD_ADDR must be written before the first beat: the writes are
      // posted, and the slave may hold them while B is backpressured.
      fence();
      beats_.clear();
      for (const auto& row : p.rows) beats_.push_back(row_beat_words(cfg_, row));
      for (std::size_t k = 0; k < beats_.size(); ++k) rows_->push(k);
      // The first beat goes out in the cycle after the fence (drive phase of
      // its last step); a beat is taken in every cycle without idle.
      h_.run_until([&] { return rows_->idle(); }, budget(beats_.size()), "weight row beats");
    }
    beats_.clear();
  }

  // The row stream's data for queue entry d: beat d, or (idle cycles and
  // resets bring random d) junk bits, so a design that takes data without
  // valid shows up.
  void set_row_beat(std::uint64_t d) {
    if (d < beats_.size()) return h_->set_row_data(beats_[d]);
    for (std::size_t i = 0; i < junk_.size(); ++i)
      junk_[i] = static_cast<std::uint32_t>(d >> (i % 32)) & junk_mask_[i];
    h_->set_row_data(junk_);
  }

  // x elements as TDATA: sign-extended to whole bytes (AxisDataW).
  void feed(unsigned port, const IntSequence& x) {
    const unsigned bytes_w = (static_cast<unsigned>(cfg_.data.width) + 7) / 8 * 8;
    for (const auto& v : x)
      for (auto e : v) drivers_[port]->push(static_cast<std::uint64_t>(e) & low_mask(bytes_w));
  }

  // Collects T vectors of H values from port's monitor into job.h; the
  // beats after them belong to the port's next job. TLAST must end each h_t
  // and TUSER mark the job's last element, and nothing else.
  bool collect(unsigned port, std::size_t& seen, Job& job, int hidden) {
    const auto& beats = monitors_[port]->received();
    const auto complete = [&] {
      return job.h.size() == job.x.size() && static_cast<int>(job.h.back().size()) == hidden;
    };
    while (seen < beats.size() && !complete()) {
      if (job.h.empty() || static_cast<int>(job.h.back().size()) == hidden) job.h.emplace_back();
      const Beat& b = beats[seen];
      job.h.back().push_back(sign_extend(b.data, static_cast<unsigned>(cfg_.data.width)));
      const bool end_of_h = static_cast<int>(job.h.back().size()) == hidden;
      const bool end_of_run = end_of_h && job.h.size() == job.x.size();
      if (b.last != end_of_h || b.user != end_of_run)
        tag_error(fmt::format("h[{}]: cycle {}: TLAST {} and TUSER {} on element {} of h_{} "
                              "(of {} and {})",
                              port, b.cycle, b.last, b.user, job.h.back().size() - 1,
                              job.h.size() - 1, hidden, job.x.size()));
      ++seen;
    }
    return !job.h.empty() && complete();
  }

  void tag_error(std::string what) {
    if (tag_errors_.size() < 100) tag_errors_.push_back(std::move(what));
  }

  void wait_idle(std::uint64_t work, const std::string& what) {
    const std::uint32_t cores = hostmap::core_mask(cfg_.cores);
    h_.run_until([&] { return (read(hostmap::global_reg(hostmap::kBusyMask)) & cores) == 0; },
                 budget(work), what);
  }

  bool core_busy(unsigned core) {
    return (read(hostmap::core_reg(core, hostmap::kStatus)) >> hostmap::kStatusBusyBit) & 1u;
  }

  void add_counters(unsigned core) {
    using namespace hostmap;
    auto& pc = stats_.per_core[core];
    pc.cycles += read(core_reg(core, kCycles));
    pc.mac_busy += read(core_reg(core, kMacBusy));
    pc.stall_dep += read(core_reg(core, kStallDep));
    pc.stall_other += read(core_reg(core, kStallOther));
    stats_.jobs_per_core[core] += 1;
  }

  // Returns STATUS.
  std::uint32_t check_status(unsigned core) {
    using namespace hostmap;
    const std::uint32_t s = read(core_reg(core, kStatus));
    const auto field = [s](unsigned lsb, unsigned bits) { return (s >> lsb) & ((1u << bits) - 1); };
    if (field(kStatusErrorBit, 1))
      throw SimulationError(fmt::format("core {} reports error {} ({}) in layer {}", core,
                                        field(kStatusCodeLsb, kStatusCodeBits),
                                        error_name(field(kStatusCodeLsb, kStatusCodeBits)),
                                        field(kStatusLayerLsb, kStatusLayerBits)));
    return s;
  }

  // The saturation counters of `core` (its local layers, the placement of
  // job's model in its memories) added to the job's layers. Read only when
  // STATUS.SAT says one is not zero, so a run without saturation costs no read.
  void add_saturation(const RunPlan& plan, unsigned core, std::uint32_t status, CellType cell,
                      Job& job) {
    using namespace hostmap;
    const auto it = std::find_if(plan.placements.begin(), plan.placements.end(),
                                 [&](const Placement& p) {
                                   return p.core == core && p.model == job.model;
                                 });
    if (it == plan.placements.end())
      throw std::logic_error(fmt::format("core {} ran a job of model {} it holds no layers of",
                                         core, job.model));
    if (job.saturation.size() < static_cast<std::size_t>(it->last))
      job.saturation.resize(static_cast<std::size_t>(it->last));
    if (!opt_.read_saturation || ((status >> kStatusSatBit) & 1u) == 0) return;
    // A GRU run counts its events in some of the LSTM's counters (kSatFieldsGru).
    const std::span<const SatField> fields =
        cell == CellType::Gru ? std::span<const SatField>(kSatFieldsGru) : kSatFields;
    for (int l = it->first; l < it->last; ++l)
      for (const SatField& f : fields)
        job.saturation[static_cast<std::size_t>(l)].n[sat_event_index(f.event)] +=
            read(layer_reg(core, static_cast<unsigned>(l - it->first), f.field));
  }

  // After a job: every core of the group reports no error; its counters
  // (saturation counters too, when STATUS.SAT); the job's final state words
  // that group gi holds (JobPlan::reads).
  void finish_job(const RunPlan& plan, const CoreGroup& g, const JobPlan& jp, std::size_t gi,
                  Job& job) {
    for (unsigned core : g.cores) {
      const std::uint32_t status = check_status(core);
      add_counters(core);
      add_saturation(plan, core, status, jp.cell, job);
    }
    if (gi >= jp.reads.size() || jp.reads[gi].empty()) return;
    auto& st = job.final_state;
    const auto rows = static_cast<std::size_t>(jp.layers);
    if (st.h.size() != rows) st.h.assign(rows, IntVector(static_cast<std::size_t>(jp.hidden), 0));
    if (st.c.size() != rows) st.c.assign(rows, IntVector(static_cast<std::size_t>(jp.hidden), 0));
    for (const StateRead& r : jp.reads[gi]) {
      // The state region returns the word sign-extended to 32 bits.
      const auto v = static_cast<std::int32_t>(read(r.addr));
      (r.c ? st.c : st.h).at(static_cast<std::size_t>(r.layer)).at(static_cast<std::size_t>(r.unit)) = v;
    }
  }

  // Runs one job on a group already loaded: its program (the writes count,
  // as they do when mp dispatches a job), its x into the group's port, START,
  // until the outputs are complete and no core is busy.
  void run_one(Job& job, const JobPlan& jp, const CoreGroup& g, const std::string& what) {
    std::size_t seen = 0;
    monitors_[g.out_port]->clear();
    const std::uint64_t t0 = h_.cycle();
    write_all(jp.programs[0]);
    feed(g.in_port, job.x);
    write(start_all_write());
    h_.run_until([&] { return collect(g.out_port, seen, job, jp.hidden); }, budget(jp.work), what);
    wait_idle(jp.work, what + " (completion)");
    stats_.cycles += h_.cycle() - t0;
  }

  // Dispatch::Serial: one job at a time on group 0.
  void run_serial(const RunPlan& plan, std::vector<Job>& jobs) {
    const CoreGroup& g = plan.groups.at(0);
    for (const std::size_t j : plan.queues.at(0)) {
      run_one(jobs[j], plan.jobs[j], g, fmt::format("{} job {}", hostmap::mode_name(plan.mode), j));
      finish_job(plan, g, plan.jobs[j], 0, jobs[j]);
    }
  }

  // Dispatch::SharedQueue and OwnQueues (mp): each group takes its next job
  // as soon as it is done with the last.
  void run_queues(const RunPlan& plan, std::vector<Job>& jobs) {
    const std::size_t n = plan.groups.size();
    const bool shared = plan.dispatch == Dispatch::SharedQueue;
    std::vector<std::deque<std::size_t>> queues;
    for (const auto& q : plan.queues) queues.emplace_back(q.begin(), q.end());
    std::uint64_t work = 0;
    for (const auto& jp : plan.jobs) work += jp.work;
    struct Slot {
      std::size_t job = 0;
      bool busy = false;
      std::size_t seen = 0;
    };
    std::vector<Slot> slots(n);
    std::size_t finished = 0;
    // Programs group g with its next job, if any; returns whether it got one.
    auto dispatch = [&](std::size_t g, bool start) {
      auto& q = queues[shared ? 0 : g];
      if (q.empty()) return false;
      const std::size_t j = q.front();
      q.pop_front();
      const CoreGroup& grp = plan.groups[g];
      slots[g] = Slot{j, true, 0};
      monitors_[grp.out_port]->clear();
      write_all(plan.jobs[j].programs[g]);
      feed(grp.in_port, jobs[j].x);
      if (start) write(start_core_write(grp.cores.front()));
      return true;
    };
    const std::uint64_t t0 = h_.cycle();
    for (std::size_t g = 0; g < n; ++g) dispatch(g, false);
    write(start_all_write());
    h_.run_until(
        [&] {
          for (std::size_t g = 0; g < n; ++g) {
            auto& s = slots[g];
            if (!s.busy) continue;
            const CoreGroup& grp = plan.groups[g];
            if (!collect(grp.out_port, s.seen, jobs[s.job], plan.jobs[s.job].hidden)) continue;
            // Outputs complete; the cores finish a few cycles later.
            if (std::any_of(grp.cores.begin(), grp.cores.end(),
                            [&](unsigned c) { return core_busy(c); }))
              continue;
            finish_job(plan, grp, plan.jobs[s.job], g, jobs[s.job]);
            s.busy = false;
            ++finished;
            dispatch(g, true);
          }
          return finished == jobs.size();
        },
        budget(work), "mp jobs");
    stats_.cycles += h_.cycle() - t0;
  }

  // Dispatch::Pipelined (mt, several jobs): every job's x queued at stage
  // 0, the first job started on every stage at once; then each stage, once
  // its core is idle, reports its counters and takes the next job.
  void run_pipelined(const RunPlan& plan, std::vector<Job>& jobs) {
    const auto& order = plan.queues.at(0);
    const std::size_t stages = plan.groups.size();
    const CoreGroup& last = plan.groups.back();
    monitors_[last.out_port]->clear();
    for (const std::size_t j : order) feed(plan.groups.front().in_port, jobs[j].x);
    std::uint64_t work = 0;
    for (const auto& jp : plan.jobs) work += jp.work;
    const std::uint64_t t0 = h_.cycle();
    for (std::size_t k = 0; k < stages; ++k) write_all(plan.jobs[order[0]].programs[k]);
    write(start_all_write());
    std::vector<std::size_t> taken(stages, 1);  // per stage: jobs started so far
    std::vector<bool> running(stages, true);
    std::size_t out = 0, seen = 0;
    h_.run_until(
        [&] {
          while (out < order.size() &&
                 collect(last.out_port, seen, jobs[order[out]], plan.jobs[order[out]].hidden))
            ++out;
          const std::uint32_t busy = read(hostmap::global_reg(hostmap::kBusyMask));
          bool any = false;
          for (std::size_t k = 0; k < stages; ++k) {
            const CoreGroup& g = plan.groups[k];
            if (running[k] && ((busy >> g.cores.front()) & 1u) == 0) {
              const std::size_t j = order[taken[k] - 1];
              finish_job(plan, g, plan.jobs[j], k, jobs[j]);
              running[k] = taken[k] < order.size();
              if (running[k]) {
                write_all(plan.jobs[order[taken[k]++]].programs[k]);
                write(start_core_write(g.cores.front()));
              }
            }
            any = any || running[k];
          }
          return out == order.size() && !any;
        },
        budget(work), "mt jobs");
    stats_.cycles += h_.cycle() - t0;
  }

  // Dispatch::Batched: one batch at a time on group 0. The x stream carries
  // x_t of every member in turn, the h stream h_t of every member in turn
  // (TLAST after each vector, TUSER on the run's last element).
  void run_batched(const RunPlan& plan, std::vector<Job>& jobs) {
    const CoreGroup& g = plan.groups.at(0);
    const unsigned core = g.cores.front();
    for (std::size_t bi = 0; bi < plan.batches.size(); ++bi) {
      const BatchRun& b = plan.batches[bi];
      const std::size_t n = b.jobs.size();
      const std::size_t steps = jobs[b.jobs[0]].x.size();
      const int hidden = plan.jobs[b.jobs[0]].hidden;
      for (const std::size_t j : b.jobs) {
        jobs[j].h.assign(steps, {});
        jobs[j].saturation.assign(static_cast<std::size_t>(b.layers), SatCounts{});
      }
      IntSequence x;
      for (std::size_t t = 0; t < steps; ++t)
        for (const std::size_t j : b.jobs) x.push_back(jobs[j].x.at(t));
      monitors_[g.out_port]->clear();
      const std::uint64_t t0 = h_.cycle();
      write_all(b.program);
      feed(g.in_port, x);
      write(start_all_write());
      std::size_t seen = 0, vec = 0;  // beats taken; vector t * n + member being filled
      const std::size_t vectors = steps * n;
      const auto& beats = monitors_[g.out_port]->received();
      h_.run_until(
          [&] {
            while (seen < beats.size() && vec < vectors) {
              IntVector& h = jobs[b.jobs[vec % n]].h[vec / n];
              const Beat& beat = beats[seen++];
              h.push_back(sign_extend(beat.data, static_cast<unsigned>(cfg_.data.width)));
              const bool end_of_h = static_cast<int>(h.size()) == hidden;
              const bool end_of_run = end_of_h && vec + 1 == vectors;
              if (beat.last != end_of_h || beat.user != end_of_run)
                tag_error(fmt::format("h[{}]: cycle {}: TLAST {} and TUSER {} on element {} of "
                                      "h_{} of batch member {} (of {} and {})",
                                      g.out_port, beat.cycle, beat.last, beat.user, h.size() - 1,
                                      vec / n, vec % n, hidden, steps));
              if (end_of_h) ++vec;
            }
            return vec == vectors;
          },
          budget(b.work), fmt::format("batch {}", bi));
      wait_idle(b.work, fmt::format("batch {} (completion)", bi));
      stats_.cycles += h_.cycle() - t0;
      const std::uint32_t status = check_status(core);
      add_counters(core);
      if (!opt_.read_saturation || ((status >> hostmap::kStatusSatBit) & 1u) == 0) continue;
      const std::span<const hostmap::SatField> fields =
          plan.jobs[b.jobs[0]].cell == CellType::Gru
              ? std::span<const hostmap::SatField>(hostmap::kSatFieldsGru)
              : hostmap::kSatFields;
      for (std::size_t m = 0; m < n; ++m)
        for (int l = 0; l < b.layers; ++l)
          for (const hostmap::SatField& f : fields)
            jobs[b.jobs[m]].saturation[static_cast<std::size_t>(l)].n[sat_event_index(f.event)] +=
                read(hostmap::layer_reg(core, static_cast<unsigned>(m) * static_cast<unsigned>(b.layers) +
                                                  static_cast<unsigned>(l),
                                        f.field));
    }
  }

  // The index of an event in kSatEventNames (SatCounts::n).
  static std::size_t sat_event_index(std::string_view event) {
    const auto at = std::find(kSatEventNames.begin(), kSatEventNames.end(), event);
    if (at == kSatEventNames.end())
      throw std::logic_error(fmt::format("no saturation event {}", event));
    return static_cast<std::size_t>(at - kSatEventNames.begin());
  }

  DutHarness<AccelDut>& h_;
  HwConfig cfg_;
  DriverOptions opt_;
  AxilMaster& axil_;
  std::vector<std::string> tag_errors_;  // TLAST/TUSER in the wrong place
  std::vector<StreamDriver*> drivers_;
  std::vector<StreamMonitor*> monitors_;
  StreamDriver* rows_ = nullptr;             // the weight row stream
  std::vector<std::vector<std::uint32_t>> beats_;  // the pass being loaded, as TDATA words
  std::vector<std::uint32_t> junk_, junk_mask_;  // TDATA while the row stream idles
  RunStats stats_;
  std::uint64_t interrupt_at_ = 0;
};

}  // namespace lstm::tb
