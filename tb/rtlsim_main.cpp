// rtlsim: the Verilator engine, built once with the project. It loads the
// config's model plugin (the verilated lstm_axi_top, built per config by
// tb/rtl_build.*: --model-lib); `lstmsim run --engine rtl` runs it. Loads the
// models over AXI4-Lite and the weight row stream (lstm_axi_top; --load), runs
// every sequence in the chosen mode, checks
// every output against the golden model bit for bit, reads the cores'
// saturation counters after each job and checks them against the golden
// model's counts, and writes the outputs with the measured cycle counts and
// the counted saturation (the golden engine's `saturation` object).
//
// Exit codes: 0 bit-exact, 1 mismatch (outputs or saturation counts) or stream-protocol error, 2 bad input,
// 3 simulation failure (timeout, error status, failed assertion).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <iostream>
#include <map>
#include <string>

#include "host/bidirectional_plan.hpp"
#include "host/cost_model.hpp"
#include "tb/accel_driver.hpp"
#include "tb/accel_dut.hpp"
#include "tb/model_library.hpp"
#include "tb/rtl_scoreboard.hpp"
#include "sim/model_io.hpp"
#include "sim/run_common.hpp"
#include "sim/saturation_report.hpp"

namespace {

using namespace lstm;

struct Args {
  std::string model_lib;
  std::string config;
  std::string mode = "single";
  int batch = 1;                  // --batch: sequences core 0 runs together (mode single)
  std::vector<std::string> models;
  std::vector<std::string> inputs;
  std::string output;
  std::string trace;
  tb::DriverOptions drv;
  std::uint64_t random_init = 0;  // seed for randomizing unreset state; 0: zeros
  std::uint64_t reset_at = 0;     // cycles into a first run to pull reset; 0: no reset
  bool quiet = false;
  bool timing = false;            // record the simulation's cycles and seconds
  bool read_state = true;         // read every job's h_n and c_n (--no-state-read: not)
};

// --load's names.
std::map<std::string, tb::WeightLoad> load_methods() {
  return {{"rows", tb::WeightLoad::Rows},
          {"host-port", tb::WeightLoad::HostPort},
          {"backdoor", tb::WeightLoad::Backdoor}};
}
std::string load_name(tb::WeightLoad w) {
  for (const auto& [name, v] : load_methods())
    if (v == w) return name;
  return "?";
}

// Plusargs for the model: with a random-init seed every register and memory
// without a reset starts with random bits (the build uses --x-initial unique).
std::vector<std::string> model_plusargs(const Args& a) {
  if (a.random_init == 0) return {};
  return {"+verilator+rand+reset+2", fmt::format("+verilator+seed+{}", a.random_init)};
}

// CPU time of this process so far: a figure other processes on the machine
// do not inflate as much as wall time.
double process_cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The models and one job per input sequence, as the files give them.
struct Inputs {
  HwConfig cfg;
  std::vector<QuantModel> models;
  std::vector<RunSetup> setups;  // per model: its files, for the saturation object
  std::vector<tb::Job> jobs;
  std::vector<JobSpec> specs;     // per job: steps, initial state, state read
  bool bidirectional = false;     // one model, two directions (run layer by layer)
};

Inputs load_inputs(const Args& a) {
  Inputs in;
  in.cfg = load_config_or_throw(a.config);
  if (a.models.size() != a.inputs.size())
    throw FileError(fmt::format("give one --input per --model ({} models, {} inputs)",
                                a.models.size(), a.inputs.size()));
  for (std::size_t i = 0; i < a.models.size(); ++i) {
    RunSetup setup = load_run(RunFiles{a.config, a.models[i], a.inputs[i], a.output});
    check_model_runs_on_hardware(setup, HardwareRunner::RtlEngine);  // the same refusal as lstmsim's and the golden engine's
    for (std::size_t s = 0; s < setup.inputs.size(); ++s)
      in.jobs.push_back(tb::Job{static_cast<int>(i), static_cast<int>(s),
                                quantize_sequence(setup.inputs[s], in.cfg.data), {}, {}, {}});
    for (JobSpec& j : sequence_jobs(static_cast<int>(i), setup, a.read_state && a.batch <= 1))
      in.specs.push_back(std::move(j));
    in.models.push_back(quantize_model(setup.model, in.cfg));
    in.bidirectional = in.bidirectional || setup.model.bidirectional();
    in.setups.push_back(std::move(setup));
  }
  if (in.bidirectional && a.models.size() != 1)
    throw FileError("a bidirectional model runs alone: give one --model and one --input");
  if (in.bidirectional && a.reset_at != 0)
    throw FileError("--reset-at is not available for a bidirectional model");
  return in;
}

hostmap::Mode run_mode(const Args& a) {
  const auto mode = hostmap::parse_mode(a.mode);
  if (!mode) throw FileError(fmt::format("unknown mode {}", a.mode));
  return *mode;
}

// What the design did: the driver's figures, or the exit code of a failure.
struct Simulation {
  int exit_code = 0;
  tb::RunStats stats;
  std::uint64_t reset_cycle = 0;  // with --reset-at: where the reset came
  std::uint64_t clock_cycles = 0; // every cycle simulated (reset and loading included)
  double seconds = 0.0;           // the simulation's wall time
  double cpu_seconds = 0.0;       // and its CPU time
  std::string stages;             // hybrid: the plan's stages (stages_text)
};

// A fresh design of the config with its driver, after reset; `body(harness,
// driver, sim)` runs on it. A timeout or simulation error ends it with exit
// code 3; the simulated cycles and the time spent are recorded either way.
template <class Body>
Simulation with_design(const Args& a, const HwConfig& cfg, Body body) {
  const tb::ModelLibrary lib(a.model_lib);
  tb::DutHarness<tb::AccelDut> h(
      tb::accel_dut_factory(lib, cfg), model_plusargs(a));
  if (!a.trace.empty()) h.open_trace(a.trace);
  tb::AccelDriver drv(h, cfg, a.drv);
  h.reset(4);
  Simulation sim;
  const auto sim_start = std::chrono::steady_clock::now();
  const double sim_cpu_start = process_cpu_seconds();
  try {
    body(h, drv, sim);
  } catch (const tb::TimeoutError& e) {
    std::cerr << "rtlsim: error: " << e.what() << "\n";
    sim.exit_code = 3;
  } catch (const tb::SimulationError& e) {
    std::cerr << "rtlsim: error: " << e.what() << "\n";
    sim.exit_code = 3;
  }
  sim.clock_cycles = h.cycle();
  sim.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - sim_start).count();
  sim.cpu_seconds = process_cpu_seconds() - sim_cpu_start;
  return sim;
}

// Runs the plan on the design; with --reset-at, first a run cut short by
// reset wherever it is, then the run that counts (the same as on a fresh
// design).
Simulation simulate(const Args& a, const HwConfig& cfg, const RunPlan& p,
                    std::vector<tb::Job>& jobs) {
  return with_design(a, cfg, [&](auto& h, tb::AccelDriver& drv, Simulation& sim) {
    if (a.reset_at != 0) {
      drv.interrupt_at(h.cycle() + a.reset_at);
      try {
        drv.run(p, jobs);
        std::cerr << fmt::format("rtlsim: error: --reset-at {}: the run took fewer cycles\n",
                                 a.reset_at);
        sim.exit_code = 2;
        return;
      } catch (const tb::RunInterrupted& i) {
        sim.reset_cycle = i.cycle;
      }
      drv.forget_run(jobs);
      h.reset(4);
    }
    sim.stats = drv.run(p, jobs);
  });
}

// Adds the figures of one plan's run to those of the whole run.
void add_stats(tb::RunStats& sum, const tb::RunStats& st) {
  sum.cycles += st.cycles;
  sum.load_cycles += st.load_cycles;
  sum.cores_used = std::max(sum.cores_used, st.cores_used);
  for (std::size_t c = 0; c < st.per_core.size(); ++c) {
    auto& k = sum.per_core[c];
    k.cycles += st.per_core[c].cycles;
    k.mac_busy += st.per_core[c].mac_busy;
    k.stall_dep += st.per_core[c].stall_dep;
    k.stall_other += st.per_core[c].stall_other;
    sum.jobs_per_core[c] += st.jobs_per_core[c];
  }
  sum.stream_errors.insert(sum.stream_errors.end(), st.stream_errors.begin(),
                           st.stream_errors.end());
}

// The next layer's input of a bidirectional model, [forward ; reverse] per
// step as the golden model's (the reverse job's outputs, over the reversed
// sequence, are reversed back), and the final state rows 2 l + d.
void collect_bidirectional_layer(std::size_t l, std::vector<tb::Job>& sub,
                                 std::vector<IntSequence>& x, std::vector<tb::Job>& jobs) {
  const std::size_t rows = jobs.empty() ? 0 : jobs.front().final_state.h.size();
  for (std::size_t s = 0; s < jobs.size(); ++s) {
    const tb::Job& f = sub[2 * s];
    tb::Job& r = sub[2 * s + 1];
    std::reverse(r.h.begin(), r.h.end());
    IntSequence next(x[s].size());
    for (std::size_t t = 0; t < next.size(); ++t) {
      if (t < f.h.size()) next[t] = f.h[t];
      if (t < r.h.size()) next[t].insert(next[t].end(), r.h[t].begin(), r.h[t].end());
    }
    x[s] = std::move(next);
    for (std::size_t d = 0; d < 2; ++d) {
      const tb::Job& j = sub[2 * s + d];
      jobs[s].saturation.resize(rows);
      if (!j.saturation.empty()) jobs[s].saturation[2 * l + d] += j.saturation[0];
      if (j.final_state.h.empty()) continue;
      jobs[s].final_state.h[2 * l + d] = j.final_state.h[0];
      jobs[s].final_state.c[2 * l + d] = j.final_state.c[0];
    }
  }
}

// A bidirectional model on the design, layer by layer, as its plans say
// (host/bidirectional_plan.hpp). Cycles add up over the plans.
Simulation simulate_bidirectional(const Args& a, const Inputs& in,
                                  const std::vector<BidirectionalLayerPlan>& layers,
                                  std::vector<tb::Job>& jobs) {
  return with_design(a, in.cfg, [&](auto&, tb::AccelDriver& drv, Simulation& sim) {
    sim.stats.per_core.assign(static_cast<std::size_t>(in.cfg.cores), tb::CoreCounters{});
    sim.stats.jobs_per_core.assign(static_cast<std::size_t>(in.cfg.cores), 0);
    std::vector<IntSequence> x;  // per sequence: the current layer's input
    for (auto& j : jobs) {
      x.push_back(j.x);
      j.final_state.h.assign(2 * layers.size(), {});
      j.final_state.c.assign(2 * layers.size(), {});
    }
    for (std::size_t l = 0; l < layers.size(); ++l) {
      // Layer job 2 s + d: direction d of sequence s, the reverse one reversed.
      std::vector<tb::Job> sub;
      for (std::size_t s = 0; s < jobs.size(); ++s)
        for (int d = 0; d < 2; ++d) {
          IntSequence xs = x[s];
          if (d == 1) std::reverse(xs.begin(), xs.end());
          sub.push_back(tb::Job{d, static_cast<int>(s), std::move(xs), {}, {}, {}});
        }
      for (const DirectionPlan& part : layers[l].parts) {
        std::vector<tb::Job> pj;
        for (std::size_t k = 0; k < part.jobs.size(); ++k) {
          pj.push_back(sub[part.jobs[k]]);
          pj.back().model = part.plan.jobs[k].model;
        }
        add_stats(sim.stats, drv.run(part.plan, pj));
        for (std::size_t k = 0; k < part.jobs.size(); ++k) sub[part.jobs[k]] = std::move(pj[k]);
      }
      collect_bidirectional_layer(l, sub, x, jobs);
    }
    for (std::size_t s = 0; s < jobs.size(); ++s) {
      jobs[s].h = x[s];
      if (!a.read_state) jobs[s].final_state = {};
    }
  });
}

// The saturation events the RTL counted for model i, summed over its jobs.
LayerSatCounts rtl_saturation(const Inputs& in, std::size_t i) {
  LayerSatCounts sum(in.models[i].layers.size() + in.models[i].reverse.size());
  for (const auto& job : in.jobs) {
    if (static_cast<std::size_t>(job.model) != i) continue;
    for (std::size_t l = 0; l < job.saturation.size() && l < sum.size(); ++l)
      sum[l] += job.saturation[l];
  }
  return sum;
}

// The output file: outputs per model, the scoreboard's verdict, the cycles.
nlohmann::ordered_json output_json(const Args& a, const Inputs& in, const Simulation& sim,
                                   const tb::Scoreboard& sb, std::uint64_t predicted) {
  const tb::RunStats& stats = sim.stats;
  nlohmann::ordered_json out;
  out["engine"] = "rtl";
  out["mode"] = a.mode;
  out["config"] = in.cfg.name;
  out["config_hash"] = config_hash(in.cfg);
  std::vector<nlohmann::ordered_json> per_model(a.models.size());
  for (std::size_t i = 0; i < a.models.size(); ++i) {
    per_model[i]["model"] = a.models[i];
    per_model[i]["outputs"] = nlohmann::json::array();
  }
  // Without the counters read (--no-saturation-read), null: nothing was counted.
  std::vector<nlohmann::json> saturation;
  for (std::size_t i = 0; i < a.models.size(); ++i)
    saturation.push_back(a.drv.read_saturation
                             ? saturation_json(in.setups[i], rtl_saturation(in, i))
                             : nlohmann::json(nullptr));
  for (const auto& job : in.jobs) {
    auto& pm = per_model[static_cast<std::size_t>(job.model)];
    pm["outputs"].push_back(dequantize_sequence(job.h, in.cfg.data));
    if (a.read_state) {
      const FloatState st = dequantize_state(job.final_state, in.cfg);
      pm["h_n"].push_back(st.h);
      // A GRU has no c (as in the golden and float engines' files).
      if (in.models[static_cast<std::size_t>(job.model)].cell == CellType::Lstm)
        pm["c_n"].push_back(st.c);
    }
  }
  if (a.models.size() == 1) {
    out["outputs"] = per_model[0]["outputs"];
    out["saturation"] = saturation[0];
    if (a.read_state) {
      out["h_n"] = per_model[0]["h_n"];
      if (per_model[0].contains("c_n")) out["c_n"] = per_model[0]["c_n"];
    }
  }
  else {
    for (std::size_t i = 0; i < a.models.size(); ++i) per_model[i]["saturation"] = saturation[i];
    out["models"] = per_model;
  }
  out["bit_exact"] = sb.mismatches() == 0;
  out["mismatches"] = sb.mismatches();
  out["saturation_mismatches"] = sb.sat_mismatches();
  out["cycles"] = stats.cycles;
  out["predicted_cycles"] = predicted;  // the cost model's, never a measurement
  out["load"] = load_name(a.drv.load);
  out["load_cycles"] = stats.load_cycles;
  out["cores"] = in.cfg.cores;
  out["cores_used"] = stats.cores_used;
  out["lanes"] = in.cfg.lanes;
  out["macs"] = sb.macs();
  out["mac_utilization"] = sb.mac_utilization(stats.cores_used, stats.cycles);
  out["jobs"] = in.jobs.size();
  if (!sim.stages.empty()) out["stages"] = sim.stages;
  auto& pc = out["per_core"] = nlohmann::json::array();
  for (std::size_t c = 0; c < stats.per_core.size(); ++c) {
    const auto& k = stats.per_core[c];
    pc.push_back({{"core", c}, {"jobs", stats.jobs_per_core[c]}, {"busy_cycles", k.cycles},
                  {"mac_busy_cycles", k.mac_busy}, {"stall_dep_cycles", k.stall_dep},
                  {"stall_other_cycles", k.stall_other}});
  }
  out["stream_errors"] = stats.stream_errors;
  out["random_init"] = a.random_init;
  if (a.reset_at != 0) out["reset_at_cycle"] = sim.reset_cycle;
  // Every clock cycle simulated (reset and weight loading included) and the
  // time the simulation took: what lstm_speed_bench divides.
  if (a.timing)
    out["simulation"] = {{"cycles", sim.clock_cycles}, {"seconds", sim.seconds},
                         {"cpu_seconds", sim.cpu_seconds}};
  return out;
}

// The summary line (unless --quiet), then every mismatch and stream error.
void print_report(const Args& a, const Inputs& in, const Simulation& sim,
                  const tb::Scoreboard& sb, std::uint64_t predicted) {
  const tb::RunStats& stats = sim.stats;
  std::string verdict = sb.mismatches() == 0
                            ? "bit-exact against the golden model"
                            : fmt::format("{} MISMATCHES against the golden model", sb.mismatches());
  if (sb.sat_mismatches() != 0)
    verdict += fmt::format(", {} SATURATION COUNT MISMATCHES", sb.sat_mismatches());
  if (!a.quiet)
    std::cout << fmt::format(
        "rtl {}{}: {} jobs on {} of {} cores: {} cycles (predicted {}), load_cycles {} ({}), "
        "MAC utilization {:.3f}, {}\n",
        a.mode, sim.stages.empty() ? "" : " (stages " + sim.stages + ")", in.jobs.size(), stats.cores_used, in.cfg.cores, stats.cycles, predicted,
        stats.load_cycles, load_name(a.drv.load), sb.mac_utilization(stats.cores_used, stats.cycles),
        verdict);
  for (const auto& r : sb.messages()) std::cerr << "rtlsim: mismatch: " << r << "\n";
  for (const auto& e : stats.stream_errors) std::cerr << "rtlsim: stream error: " << e << "\n";
}

int run(Args a, bool load_given) {
  Inputs in = load_inputs(a);
  // Without --load, the design's own method (the row stream if it has one).
  if (!load_given) a.drv.load = tb::default_load(in.cfg);
  // A design without counters has no saturation counts to read or check.
  if (!in.cfg.features.counters) a.drv.read_saturation = false;
  if (const std::string why = tb::load_problem(in.cfg, a.drv.load); !why.empty()) {
    std::cerr << "rtlsim: error: " << why << "\n";
    return 2;
  }
  std::uint64_t predicted = 0;
  Simulation sim;
  if (in.bidirectional) {
    const auto layers = plan_bidirectional(in.cfg, run_mode(a), in.models.at(0), in.specs);
    predicted = predict_cycles(in.cfg, layers);
    sim = simulate_bidirectional(a, in, layers, in.jobs);
  } else {
    const RunPlan p = plan_run(in.cfg, run_mode(a), in.models, in.specs, {}, a.batch);
    predicted = predict_cycles(in.cfg, p);
    sim = simulate(a, in.cfg, p, in.jobs);
    sim.stages = stages_text(p);
  }
  if (sim.exit_code != 0) return sim.exit_code;
  tb::Scoreboard sb(in.cfg, in.models, a.drv.read_saturation);
  for (std::size_t j = 0; j < in.jobs.size(); ++j) {
    const auto& job = in.jobs[j];
    sb.check(job.model, job.sequence, job.x, job.h, job.saturation, in.specs[j].initial,
             job.final_state);
  }
  if (!a.output.empty()) write_json_file_atomic(a.output, output_json(a, in, sim, sb, predicted));
  print_report(a, in, sim, sb, predicted);
  return (sb.mismatches() == 0 && sb.sat_mismatches() == 0 && sim.stats.stream_errors.empty())
             ? 0
             : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rtlsim: run LSTM models on the generated RTL of one config (Verilator)"};
  Args a;
  app.add_option("--model-lib", a.model_lib,
                 "the config's model plugin (built by the rtl engine, tb/rtl_build.hpp)")
      ->required();
  app.add_option("--config", a.config, "hardware config JSON the RTL was generated from")->required();
  app.add_option("--mode", a.mode, fmt::format("{}", fmt::join(hostmap::mode_names(), ", ")))
      ->check(CLI::IsMember(hostmap::mode_names()));
  app.add_option("--batch", a.batch,
                 "mode single on a design with features.batch: sequences of one model run "
                 "together in core 0 (default 1)")
      ->check(CLI::Range(1, 256));
  app.add_option("--model", a.models, "model JSON (repeat for several models in mp mode)")->required();
  app.add_option("--input", a.inputs, "input JSON, one per --model")->required();
  app.add_option("--output", a.output, "output JSON");
  app.add_option("--trace", a.trace, "write an FST waveform to this file");
  app.add_option("--seed", a.drv.seed, "seed of the random idle and backpressure patterns");
  app.add_option("--backpressure", a.drv.backpressure,
                 "probability that an h stream's TREADY is low in a cycle")
      ->check(CLI::Range(0.0, 0.95));
  app.add_option("--idle", a.drv.idle, "probability of an idle cycle before an x stream's beat")
      ->check(CLI::Range(0.0, 0.95));
  app.add_option_function<double>(
         "--axil-idle",
         [&a](double p) { a.drv.axil.aw_idle = a.drv.axil.w_idle = a.drv.axil.ar_idle = p; },
         "probability of an idle cycle before each AXI4-Lite AW, W and AR request")
      ->check(CLI::Range(0.0, 0.95));
  app.add_option_function<double>(
         "--axil-backpressure",
         [&a](double p) { a.drv.axil.b_backpressure = a.drv.axil.r_backpressure = p; },
         "probability that the AXI4-Lite BREADY and RREADY are low in a cycle")
      ->check(CLI::Range(0.0, 0.95));
  app.add_option("--load", a.drv.load,
                 "how weights reach the memories: rows (the AXI4-Stream weight row stream, a "
                 "beat per memory word of every slot; the default when the design has the row "
                 "loader), host-port (one AXI4-Lite write per weight; the default without it) or "
                 "backdoor (directly, no cycles; the same contents and run cycles)")
      ->transform(CLI::CheckedTransformer(load_methods()));
  app.add_option("--timeout-cycles", a.drv.timeout_cycles, "fail after this many cycles (0: automatic)");
  app.add_option("--random-init", a.random_init,
                 "start every register and memory without a reset from random bits seeded by this "
                 "(0: zeros)");
  app.add_option("--reset-at", a.reset_at,
                 "pull reset this many cycles into a first run, then run everything again "
                 "(0: no reset)");
  app.add_flag("--quiet", a.quiet, "print nothing on success");
  app.add_flag("--no-state-read", [&a](std::int64_t) { a.read_state = false; },
               "do not read the final state (h_n, c_n) of the jobs; in mp and pipelined mt "
               "those reads delay a core's next job, so benchmarks leave them out");
  app.add_flag("--no-saturation-read", [&a](std::int64_t) { a.drv.read_saturation = false; },
               "do not read the saturation counters after the jobs (nor check or write the "
               "counts); like --no-state-read, for benchmarks");
  app.add_flag("--timing", a.timing,
               "add the simulated cycles and the simulation's wall time to the output");
  CLI11_PARSE(app, argc, argv);
  if (a.batch > 1) a.read_state = false;  // a batched run keeps no state
  try {
    return run(a, app.count("--load") > 0);
  } catch (const FileError& e) {
    std::cerr << "rtlsim: error: " << e.what() << "\n";
    return 2;
  } catch (const MappingError& e) {
    std::cerr << "rtlsim: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "rtlsim: error: " << e.what() << "\n";
    return 3;
  }
}
