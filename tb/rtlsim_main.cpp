// rtlsim: the Verilator engine. Built per config by the runtime builder
// (tb/rtl_build.*) around the generated lstm_top; `lstmsim run --engine rtl`
// runs it. Loads the models through the host port, runs every sequence in the
// chosen mode, checks every output against the golden model bit for bit, and
// writes the outputs with the measured cycle counts.
//
// Exit codes: 0 bit-exact, 1 mismatch or stream-protocol error, 2 bad input,
// 3 simulation failure (timeout, error status, failed assertion).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "Vlstm_top.h"
#include "tb/accel_driver.hpp"
#include "sim/golden_lstm.hpp"
#include "sim/model_io.hpp"
#include "sim/run_common.hpp"
#include "spec/lstm_shape.hpp"

namespace {

using namespace lstm;

struct Args {
  std::string config;
  std::string mode = "single";
  std::vector<std::string> models;
  std::vector<std::string> inputs;
  std::string output;
  std::string trace;
  tb::DriverOptions drv;
  std::uint64_t random_init = 0;  // seed for randomizing unreset state; 0: zeros
  std::uint64_t reset_at = 0;     // cycles into a first run to pull reset; 0: no reset
  bool quiet = false;
};

// Plusargs for the model: with a random-init seed every register and memory
// without a reset starts with random bits (the build uses --x-initial unique).
std::vector<std::string> model_plusargs(const Args& a) {
  if (a.random_init == 0) return {};
  return {"+verilator+rand+reset+2", fmt::format("+verilator+seed+{}", a.random_init)};
}

int run(const Args& a) {
  const HwConfig cfg = load_config_or_throw(a.config);
  if (a.models.size() != a.inputs.size())
    throw FileError(fmt::format("give one --input per --model ({} models, {} inputs)",
                                a.models.size(), a.inputs.size()));
  std::vector<FloatModel> fmodels;
  std::vector<QuantModel> qmodels;
  std::vector<SequenceSet> inputs;
  std::vector<tb::Job> jobs;
  for (std::size_t i = 0; i < a.models.size(); ++i) {
    RunSetup setup = load_run(RunFiles{a.config, a.models[i], a.inputs[i], a.output});
    check_model_runs_on_hardware(setup);  // the same refusal as lstmsim's and the golden engine's
    QuantModel q = quantize_model(setup.model, cfg);
    for (std::size_t s = 0; s < setup.inputs.size(); ++s)
      jobs.push_back(tb::Job{static_cast<int>(i), static_cast<int>(s),
                             quantize_sequence(setup.inputs[s], cfg.data), {}});
    fmodels.push_back(std::move(setup.model));
    inputs.push_back(std::move(setup.inputs));
    qmodels.push_back(std::move(q));
  }
  const auto mode = hostmap::parse_mode(a.mode);
  if (!mode) throw FileError(fmt::format("unknown mode {}", a.mode));
  std::vector<JobSpec> specs;
  for (const auto& job : jobs) specs.push_back({job.model, static_cast<std::uint32_t>(job.x.size())});
  const RunPlan plan = plan_run(cfg, *mode, qmodels, specs);

  tb::Harness<Vlstm_top> h(model_plusargs(a));
  if (!a.trace.empty()) h.open_trace(a.trace);
  tb::AccelDriver<Vlstm_top> drv(h, cfg, a.drv);
  h.reset(4);
  tb::RunStats stats;
  std::uint64_t reset_cycle = 0;
  try {
    if (a.reset_at != 0) {
      // A first run, cut short by reset wherever it is; the run after the
      // reset must be the same as on a fresh design.
      drv.interrupt_at(h.cycle() + a.reset_at);
      try {
        drv.run(plan, jobs);
        std::cerr << fmt::format("rtlsim: error: --reset-at {}: the run took fewer cycles\n",
                                 a.reset_at);
        return 2;
      } catch (const tb::RunInterrupted& i) {
        reset_cycle = i.cycle;
      }
      drv.forget_run(jobs);
      h.reset(4);
    }
    stats = drv.run(plan, jobs);
  } catch (const tb::TimeoutError& e) {
    std::cerr << "rtlsim: error: " << e.what() << "\n";
    return 3;
  } catch (const tb::SimulationError& e) {
    std::cerr << "rtlsim: error: " << e.what() << "\n";
    return 3;
  }

  // Scoreboard: every output against the golden model.
  std::size_t mismatches = 0;
  std::vector<std::string> report;
  std::uint64_t macs = 0;
  for (auto& job : jobs) {
    const auto& q = qmodels[static_cast<std::size_t>(job.model)];
    const IntSequence expect = GoldenLstm(cfg, q).run(job.x);
    for (const auto& l : q.layers)
      macs += std::uint64_t{kGates} * static_cast<std::uint64_t>(l.hidden_size) *
              static_cast<std::uint64_t>(l.input_size + l.hidden_size) * job.x.size();
    for (std::size_t t = 0; t < expect.size(); ++t)
      for (std::size_t u = 0; u < expect[t].size(); ++u) {
        const bool have = t < job.h.size() && u < job.h[t].size();
        if (have && job.h[t][u] == expect[t][u]) continue;
        if (++mismatches <= 10)
          report.push_back(fmt::format("model {} sequence {} step {} unit {}: expected {}, got {}",
                                       job.model, job.sequence, t, u, expect[t][u],
                                       have ? fmt::to_string(job.h[t][u]) : "nothing"));
      }
  }

  const double util = stats.cycles == 0 ? 0.0
      : static_cast<double>(macs) /
            (double{kGates} * cfg.lanes * stats.cores_used * static_cast<double>(stats.cycles));
  nlohmann::ordered_json out;
  out["engine"] = "rtl";
  out["mode"] = a.mode;
  out["config"] = cfg.name;
  out["config_hash"] = config_hash(cfg);
  std::vector<nlohmann::ordered_json> per_model(a.models.size());
  for (std::size_t i = 0; i < a.models.size(); ++i) {
    per_model[i]["model"] = a.models[i];
    per_model[i]["outputs"] = nlohmann::json::array();
  }
  for (auto& job : jobs)
    per_model[static_cast<std::size_t>(job.model)]["outputs"].push_back(
        dequantize_sequence(job.h, cfg.data));
  if (a.models.size() == 1) out["outputs"] = per_model[0]["outputs"];
  else out["models"] = per_model;
  out["bit_exact"] = mismatches == 0;
  out["mismatches"] = mismatches;
  out["cycles"] = stats.cycles;
  out["load_cycles"] = stats.load_cycles;
  out["cores"] = cfg.cores;
  out["cores_used"] = stats.cores_used;
  out["lanes"] = cfg.lanes;
  out["macs"] = macs;
  out["mac_utilization"] = util;
  out["jobs"] = jobs.size();
  auto& pc = out["per_core"] = nlohmann::json::array();
  for (std::size_t c = 0; c < stats.per_core.size(); ++c) {
    const auto& k = stats.per_core[c];
    pc.push_back({{"core", c}, {"jobs", stats.jobs_per_core[c]}, {"busy_cycles", k.cycles},
                  {"mac_busy_cycles", k.mac_busy}, {"stall_dep_cycles", k.stall_dep},
                  {"stall_other_cycles", k.stall_other}});
  }
  out["stream_errors"] = stats.stream_errors;
  out["random_init"] = a.random_init;
  if (a.reset_at != 0) out["reset_at_cycle"] = reset_cycle;
  if (!a.output.empty()) write_json_file_atomic(a.output, out);

  if (!a.quiet)
    std::cout << fmt::format(
        "rtl {}: {} jobs on {} of {} cores: {} cycles, MAC utilization {:.3f}, {}\n", a.mode,
        jobs.size(), stats.cores_used, cfg.cores, stats.cycles, util,
        mismatches == 0 ? "bit-exact against the golden model"
                        : fmt::format("{} MISMATCHES against the golden model", mismatches));
  for (const auto& r : report) std::cerr << "rtlsim: mismatch: " << r << "\n";
  for (const auto& e : stats.stream_errors) std::cerr << "rtlsim: stream error: " << e << "\n";
  return (mismatches == 0 && stats.stream_errors.empty()) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rtlsim: run LSTM models on the generated RTL of one config (Verilator)"};
  Args a;
  app.add_option("--config", a.config, "hardware config JSON the RTL was generated from")->required();
  app.add_option("--mode", a.mode, fmt::format("{}", fmt::join(hostmap::mode_names(), ", ")))
      ->check(CLI::IsMember(hostmap::mode_names()));
  app.add_option("--model", a.models, "model JSON (repeat for several models in mp mode)")->required();
  app.add_option("--input", a.inputs, "input JSON, one per --model")->required();
  app.add_option("--output", a.output, "output JSON");
  app.add_option("--trace", a.trace, "write an FST waveform to this file");
  app.add_option("--seed", a.drv.seed, "seed of the random idle and backpressure patterns");
  app.add_option("--backpressure", a.drv.backpressure, "probability that an output ready is low")
      ->check(CLI::Range(0.0, 0.95));
  app.add_option("--idle", a.drv.idle, "probability of an idle cycle on an input stream")
      ->check(CLI::Range(0.0, 0.95));
  app.add_option("--timeout-cycles", a.drv.timeout_cycles, "fail after this many cycles (0: automatic)");
  app.add_option("--random-init", a.random_init,
                 "start every register and memory without a reset from random bits seeded by this "
                 "(0: zeros)");
  app.add_option("--reset-at", a.reset_at,
                 "pull reset this many cycles into a first run, then run everything again "
                 "(0: no reset)");
  app.add_flag("--quiet", a.quiet, "print nothing on success");
  CLI11_PARSE(app, argc, argv);
  try {
    return run(a);
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
