// Drives the generated lstm_top the way a host would: register and memory
// writes over the host port, x vectors into the input streams, h vectors out
// of the output streams, one job per (model, sequence). Every figure it
// reports is a count of simulated clock cycles.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tb/harness.hpp"
#include "spec/host_map.hpp"
#include "host/host_program.hpp"
#include "tb/port_pack.hpp"
#include "tb/stream.hpp"

namespace lstm::tb {

// One sequence of one model to run.
struct Job {
  int model = 0;            // index into the driver's models
  int sequence = 0;         // index into that model's sequences
  IntSequence x;            // quantized inputs, [t][x]
  IntSequence h;            // filled in: outputs, [t][h]
};

struct CoreCounters {
  std::uint32_t cycles = 0, mac_busy = 0, stall_dep = 0, stall_other = 0;
};

struct RunStats {
  std::uint64_t cycles = 0;       // from the first start to the last output, all jobs
  std::uint64_t load_cycles = 0;  // weight loading before the run (not in cycles)
  int cores_used = 0;
  std::vector<CoreCounters> per_core;   // summed over the jobs each core ran
  std::vector<int> jobs_per_core;
  std::vector<std::string> stream_errors;
};

struct DriverOptions {
  double idle = 0.0;           // probability of an idle cycle on input streams
  double backpressure = 0.0;   // probability of ready low on output streams
  std::uint64_t seed = 1;
  std::uint64_t timeout_cycles = 0;  // 0: derived from the work
};

// Thrown out of a run at the cycle set by AccelDriver::interrupt_at, so the
// caller can pull reset in the middle of whatever the design was doing.
struct RunInterrupted {
  std::uint64_t cycle;
};

template <class Model>
class AccelDriver {
 public:
  AccelDriver(Harness<Model>& h, const HwConfig& cfg, std::vector<QuantModel> models,
              DriverOptions opt)
      : h_(h), cfg_(cfg), models_(std::move(models)), opt_(opt) {
    const unsigned dw = static_cast<unsigned>(cfg_.data.width);
    for (int c = 0; c < cfg_.cores; ++c) {
      const auto cu = static_cast<unsigned>(c);
      drivers_.push_back(&h_.template emplace<StreamDriver>(
          StreamDriver::Ports{
              [this, cu](bool v) { set_bit(h_->in_valid_i, cu, v); },
              [this, cu] { return get_bit(h_->in_ready_o, cu); },
              [this, cu, dw](std::uint64_t d) { set_slice(h_->in_data_i, cu, dw, d); }},
          opt_.seed * 7919 + cu, opt_.idle));
      monitors_.push_back(&h_.template emplace<StreamMonitor>(
          StreamMonitor::Ports{
              [this, cu] { return get_bit(h_->out_valid_o, cu); },
              [this, cu](bool r) { set_bit(h_->out_ready_i, cu, r); },
              [this, cu, dw] { return get_slice(h_->out_data_o, cu, dw); },
              [this, cu] { return get_bit(h_->out_last_o, cu); }},
          opt_.seed * 104729 + cu, opt_.backpressure, fmt::format("out[{}]", c)));
    }
    h_->host_we_i = 0;
    h_->host_re_i = 0;
    // Runs last in every cycle's sample phase, before the rising edge.
    auto& interrupter = h_.template emplace<FunctionAgent>();
    interrupter.on_sample = [this](std::uint64_t cycle) {
      if (interrupt_at_ != 0 && cycle >= interrupt_at_) {
        interrupt_at_ = 0;
        throw RunInterrupted{cycle};
      }
    };
  }

  // The next run() throws RunInterrupted at harness cycle `cycle` (0: never).
  void interrupt_at(std::uint64_t cycle) { interrupt_at_ = cycle; }

  // Forget an interrupted run: words not yet streamed, outputs received, where
  // the weights went (a reset keeps the memories, but the next run loads
  // everything again) and the jobs' outputs. Stream-rule violations seen
  // before the interruption stay in the monitors' errors.
  void forget_run(std::vector<Job>& jobs) {
    for (auto* d : drivers_) d->clear();
    for (auto* m : monitors_) m->clear();
    next_free_.clear();
    images_.clear();
    for (auto& j : jobs) j.h.clear();
  }

  // ---------------------------------------------------------------- host port
  void write(std::uint32_t addr, std::uint32_t data) {
    h_->host_we_i = 1;
    h_->host_addr_i = addr;
    h_->host_wdata_i = data;
    h_.step();
    h_->host_we_i = 0;
  }
  void write_all(const std::vector<HostWrite>& ws) {
    for (const auto& w : ws) write(w.addr, w.data);
  }
  std::uint32_t read(std::uint32_t addr) {
    h_->host_re_i = 1;
    h_->host_addr_i = addr;
    h_.step();
    h_->host_re_i = 0;
    h_.step();
    return static_cast<std::uint32_t>(h_->host_rdata_o);
  }

  // ---------------------------------------------------------------- modes
  RunStats run(hostmap::Mode mode, std::vector<Job>& jobs) {
    stats_ = RunStats{};
    stats_.per_core.assign(static_cast<std::size_t>(cfg_.cores), CoreCounters{});
    stats_.jobs_per_core.assign(static_cast<std::size_t>(cfg_.cores), 0);
    switch (mode) {
      case hostmap::Mode::Single: run_single(jobs); break;
      case hostmap::Mode::Mp: run_mp(jobs); break;
      case hostmap::Mode::Mt: run_mt(jobs); break;
      case hostmap::Mode::Hc: run_hc(jobs); break;
    }
    for (auto* m : monitors_)
      for (const auto& e : m->errors()) stats_.stream_errors.push_back(e);
    return stats_;
  }

 private:
  using Mode = hostmap::Mode;

  template <class P>
  static bool get_bit(const P& port, unsigned i) { return get_slice(port, i, 1) != 0; }
  template <class P>
  static void set_bit(P& port, unsigned i, bool v) { set_slice(port, i, 1, v ? 1 : 0); }

  std::uint64_t budget(std::uint64_t work) const {
    return opt_.timeout_cycles ? opt_.timeout_cycles : 200000 + 40 * work;
  }

  void set_mode(Mode m, int active) {
    write(hostmap::global_reg(hostmap::kMode), static_cast<std::uint32_t>(m));
    write(hostmap::global_reg(hostmap::kActive), static_cast<std::uint32_t>(active));
  }

  // Loads every model's layers [first, last) with the given slices into core
  // c, one after another, and remembers where each went.
  void load(unsigned core, int model, int first, int last, const std::vector<UnitSlice>& slices) {
    auto& pos = next_free_[core];
    CoreImage img = place_layers(cfg_, models_[static_cast<std::size_t>(model)], core, first,
                                 last, slices, pos.first, pos.second);
    const std::uint64_t t0 = h_.cycle();
    write_all(img.writes);
    stats_.load_cycles += h_.cycle() - t0;
    pos = {img.weight_end, img.bias_end};
    images_[{core, model}] = std::move(img.layers);
  }
  const std::vector<LayerDesc>& placed(unsigned core, int model) const {
    return images_.at({core, model});
  }

  void feed(unsigned port, const IntSequence& x) {
    const auto mask = (std::uint64_t{1} << cfg_.data.width) - 1;
    for (const auto& v : x)
      for (auto e : v) drivers_[port]->push(static_cast<std::uint64_t>(e) & mask);
  }

  // Collects T vectors of H values from port's monitor into job.h.
  bool collect(unsigned port, std::size_t& seen, Job& job, int hidden) {
    auto& mon = *monitors_[port];
    const auto& beats = mon.received();
    while (seen < beats.size()) {
      if (job.h.empty() || static_cast<int>(job.h.back().size()) == hidden) job.h.emplace_back();
      job.h.back().push_back(sign_extend(beats[seen].data, static_cast<unsigned>(cfg_.data.width)));
      ++seen;
    }
    return job.h.size() == job.x.size() && static_cast<int>(job.h.back().size()) == hidden;
  }

  void wait_idle(std::uint64_t work, const std::string& what) {
    h_.run_until([&] { return (read(hostmap::global_reg(hostmap::kBusyMask)) & 0xFFFF) == 0; },
                 budget(work), what);
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

  void check_status(unsigned core) {
    using namespace hostmap;
    const std::uint32_t s = read(core_reg(core, kStatus));
    const auto field = [s](unsigned lsb, unsigned bits) { return (s >> lsb) & ((1u << bits) - 1); };
    if (field(kStatusErrorBit, 1))
      throw SimulationError(fmt::format("core {} reports error {} ({}) in layer {}", core,
                                        field(kStatusCodeLsb, kStatusCodeBits),
                                        error_name(field(kStatusCodeLsb, kStatusCodeBits)),
                                        field(kStatusLayerLsb, kStatusLayerBits)));
  }

  std::uint64_t job_work(const Job& j, int first, int last) const {
    const auto& m = models_[static_cast<std::size_t>(j.model)];
    std::uint64_t w = 0;
    for (int l = first; l < last; ++l) {
      const auto& L = m.layers[static_cast<std::size_t>(l)];
      w += static_cast<std::uint64_t>(
          layer_step_work(cfg_.lanes, L.input_size, L.hidden_size, L.hidden_size));
    }
    return w * j.x.size();
  }

  // Runs one job on a set of cores already programmed; the input goes to
  // in_port and the output comes from out_port.
  // The host's program writes count, as they do when mp dispatches a job.
  void run_one(Job& job, const std::vector<HostWrite>& program, unsigned in_port,
               unsigned out_port, int hidden, std::uint64_t work, const std::string& what) {
    std::size_t seen = 0;
    monitors_[out_port]->clear();
    const std::uint64_t t0 = h_.cycle();
    write_all(program);
    feed(in_port, job.x);
    write(hostmap::global_reg(hostmap::kStart), 1);
    h_.run_until([&] { return collect(out_port, seen, job, hidden); }, budget(work), what);
    wait_idle(work, what + " (completion)");
    stats_.cycles += h_.cycle() - t0;
  }

  void run_single(std::vector<Job>& jobs) {
    stats_.cores_used = 1;
    for (std::size_t m = 0; m < models_.size(); ++m)
      load(0, static_cast<int>(m), 0, static_cast<int>(models_[m].layers.size()),
           full_slices(models_[m], 0, static_cast<int>(models_[m].layers.size())));
    set_mode(Mode::Single, 1);
    for (auto& job : jobs) {
      const auto& model = models_[static_cast<std::size_t>(job.model)];
      const auto program = program_writes(0, placed(0, job.model),
                                          static_cast<std::uint32_t>(job.x.size()),
                                          hostmap::kFlagOutEn | hostmap::kFlagOutWait);
      const int nl = static_cast<int>(model.layers.size());
      run_one(job, program, 0, 0, model.hidden_size(), job_work(job, 0, nl),
              fmt::format("single-mode job {}", &job - jobs.data()));
      check_status(0);
      add_counters(0);
    }
  }

  // Weight and bias words all models take in one core.
  bool all_models_fit() const {
    std::int64_t w = 0, b = 0;
    for (const auto& m : models_)
      for (const auto& l : m.layers) {
        w += layer_step_work(cfg_.lanes, l.input_size, l.hidden_size, l.hidden_size);
        b += (l.hidden_size + cfg_.lanes - 1) / cfg_.lanes;
      }
    return w <= cfg_.limits.weight_depth && b <= hostmap::bias_depth(cfg_);
  }

  // mp: when every core can hold every model, idle cores take the next job
  // from one queue. Otherwise jobs are assigned up front to the least loaded
  // core, each core holds only the models of its jobs and runs them in order.
  void run_mp(std::vector<Job>& jobs) {
    const int n = std::min<int>(cfg_.cores, static_cast<int>(jobs.size()));
    stats_.cores_used = n;
    const bool shared = all_models_fit();
    std::vector<std::deque<std::size_t>> queues(static_cast<std::size_t>(shared ? 1 : n));
    std::uint64_t work = 0;
    std::vector<std::uint64_t> assigned(static_cast<std::size_t>(n), 0);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const auto w = job_work(jobs[i], 0, static_cast<int>(models_[static_cast<std::size_t>(jobs[i].model)].layers.size()));
      work += w;
      if (shared) {
        queues[0].push_back(i);
      } else {
        const auto c = static_cast<std::size_t>(std::min_element(assigned.begin(), assigned.end()) - assigned.begin());
        assigned[c] += w;
        queues[c].push_back(i);
      }
    }
    for (int c = 0; c < n; ++c) {
      std::vector<bool> needed(models_.size(), shared);
      if (!shared)
        for (auto i : queues[static_cast<std::size_t>(c)]) needed[static_cast<std::size_t>(jobs[i].model)] = true;
      for (std::size_t m = 0; m < models_.size(); ++m)
        if (needed[m])
          load(static_cast<unsigned>(c), static_cast<int>(m), 0,
               static_cast<int>(models_[m].layers.size()),
               full_slices(models_[m], 0, static_cast<int>(models_[m].layers.size())));
    }
    set_mode(Mode::Mp, n);
    struct Slot {
      Job* job = nullptr;
      std::size_t seen = 0;
    };
    std::vector<Slot> slots(static_cast<std::size_t>(n));
    std::size_t finished = 0;
    // Programs core c with its next job, if any; returns whether it got one.
    auto dispatch = [&](unsigned c, bool start) {
      auto& q = queues[shared ? 0 : c];
      if (q.empty()) return false;
      Job& job = jobs[q.front()];
      q.pop_front();
      slots[c] = Slot{&job, 0};
      monitors_[c]->clear();
      write_all(program_writes(c, placed(c, job.model), static_cast<std::uint32_t>(job.x.size()),
                               hostmap::kFlagOutEn | hostmap::kFlagOutWait));
      feed(c, job.x);
      if (start) write(hostmap::core_reg(c, hostmap::kCtrl), 1);
      return true;
    };
    const std::uint64_t t0 = h_.cycle();
    for (int c = 0; c < n; ++c) dispatch(static_cast<unsigned>(c), false);
    write(hostmap::global_reg(hostmap::kStart), 1);
    h_.run_until(
        [&] {
          for (int c = 0; c < n; ++c) {
            auto& s = slots[static_cast<std::size_t>(c)];
            if (!s.job) continue;
            const auto& model = models_[static_cast<std::size_t>(s.job->model)];
            if (!collect(static_cast<unsigned>(c), s.seen, *s.job, model.hidden_size())) continue;
            // Outputs complete; the core finishes a few cycles later.
            const auto cu = static_cast<unsigned>(c);
            if ((read(hostmap::core_reg(cu, hostmap::kStatus)) >> hostmap::kStatusBusyBit) & 1u) continue;
            check_status(cu);
            add_counters(cu);
            s.job = nullptr;
            ++finished;
            dispatch(cu, true);
          }
          return finished == jobs.size();
        },
        budget(work), "mp jobs");
    stats_.cycles += h_.cycle() - t0;
  }

  // mt: the layers are cut into stages, one per core; core k's h stream feeds core k+1.
  void run_mt(std::vector<Job>& jobs) {
    if (models_.size() != 1) throw MappingError("mt mode runs one model; give one --model");
    const auto& model = models_[0];
    const auto stages = partition_stages(cfg_, model, cfg_.cores);
    const int n = static_cast<int>(stages.size());
    stats_.cores_used = n;
    for (int k = 0; k < n; ++k)
      load(static_cast<unsigned>(k), 0, stages[static_cast<std::size_t>(k)].first,
           stages[static_cast<std::size_t>(k)].second,
           full_slices(model, stages[static_cast<std::size_t>(k)].first,
                       stages[static_cast<std::size_t>(k)].second));
    set_mode(Mode::Mt, n);
    for (auto& job : jobs) {
      std::vector<HostWrite> program;
      for (int k = 0; k < n; ++k)
        for (const auto& w : program_writes(static_cast<unsigned>(k), placed(static_cast<unsigned>(k), 0),
                                            static_cast<std::uint32_t>(job.x.size()),
                                            hostmap::kFlagOutEn | hostmap::kFlagOutWait))
          program.push_back(w);
      run_one(job, program, 0, static_cast<unsigned>(n - 1), model.hidden_size(),
              job_work(job, 0, static_cast<int>(model.layers.size())),
              fmt::format("mt job {}", &job - jobs.data()));
      for (int k = 0; k < n; ++k) {
        check_status(static_cast<unsigned>(k));
        add_counters(static_cast<unsigned>(k));
      }
    }
  }

  // hc: every layer's units are split over the cores; h slices go to all.
  void run_hc(std::vector<Job>& jobs) {
    if (models_.size() != 1) throw MappingError("hc mode runs one model; give one --model");
    const auto& model = models_[0];
    const int nl = static_cast<int>(model.layers.size());
    int n = cfg_.cores;
    for (const auto& l : model.layers)
      n = std::min(n, static_cast<int>(split_units(l.hidden_size, cfg_.lanes, cfg_.cores).size()));
    stats_.cores_used = n;
    for (int k = 0; k < n; ++k) {
      std::vector<UnitSlice> slices;
      for (const auto& l : model.layers)
        slices.push_back(split_units(l.hidden_size, cfg_.lanes, n)[static_cast<std::size_t>(k)]);
      load(static_cast<unsigned>(k), 0, 0, nl, slices);
    }
    set_mode(Mode::Hc, n);
    for (auto& job : jobs) {
      std::vector<HostWrite> program;
      for (int k = 0; k < n; ++k)
        for (const auto& w : program_writes(static_cast<unsigned>(k), placed(static_cast<unsigned>(k), 0),
                                            static_cast<std::uint32_t>(job.x.size()),
                                            (k == 0 ? hostmap::kFlagOutEn : 0u) | hostmap::kFlagOutWait))
          program.push_back(w);
      run_one(job, program, 0, 0, model.hidden_size(), job_work(job, 0, nl),
              fmt::format("hc job {}", &job - jobs.data()));
      for (int k = 0; k < n; ++k) {
        check_status(static_cast<unsigned>(k));
        add_counters(static_cast<unsigned>(k));
      }
    }
  }

  Harness<Model>& h_;
  HwConfig cfg_;
  std::vector<QuantModel> models_;
  DriverOptions opt_;
  std::vector<StreamDriver*> drivers_;
  std::vector<StreamMonitor*> monitors_;
  std::map<unsigned, std::pair<std::uint32_t, std::uint32_t>> next_free_;
  std::map<std::pair<unsigned, int>, std::vector<LayerDesc>> images_;
  RunStats stats_;
  std::uint64_t interrupt_at_ = 0;
};

}  // namespace lstm::tb
