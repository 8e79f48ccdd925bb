// `lstmsim run`: a model file on an input file through one engine (float,
// golden, or the generated RTL under Verilator), output file written only on
// success.
#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "apps/lstmsim_commands.hpp"
#include "host/cost_model.hpp"
#include "host/run_plan.hpp"
#include "sim/model_io.hpp"
#include "sim/run_common.hpp"
#include "spec/host_map.hpp"
#include "tb/rtl_engine.hpp"

namespace lstm::app {

namespace {

struct RunCommandOptions {
  std::string engine;
  std::string config_path;
  std::vector<std::string> models, inputs;
  std::string output;
  bool strict = false;  // --strict: saturation is an error, not a warning
  RtlRunRequest rtl;    // the rtl engine's own options
};

// --engine: the software engines, then rtl.
std::vector<Engine> engine_list() { return builtin_engines(); }

std::string engine_help(std::vector<std::string>& names) {
  std::string help = "engine to run:";
  for (const Engine& e : engine_list()) {
    names.push_back(e.name);
    help += fmt::format("\n  {}: {}", e.name, e.help);
  }
  names.push_back("rtl");
  return help + "\n  rtl: the generated RTL of --config under Verilator (built on first use, "
                "cached), checked bit for bit against golden; --mode picks how the cores run";
}

// Output and trace paths that can be written, before anything runs.
void check_output_paths(const RtlRunRequest& r) {
  for (const std::string& out : {r.output, r.trace}) {
    if (out.empty()) continue;
    const std::filesystem::path p(out);
    const std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : ".";
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
      throw FileError(fmt::format("{}: cannot write: folder {} does not exist", out, dir.string()));
    if (std::filesystem::is_directory(p, ec))
      throw FileError(fmt::format("{}: cannot write: it is a folder", out));
  }
}

// --mode auto: the mode the cost model predicts fastest for these jobs,
// with every mode's prediction (or why it cannot run them) on stderr.
// On a design with batching, single with a batch is a candidate too (r.batch).
std::string choose_auto(const HwConfig& cfg, const std::vector<QuantModel>& models,
                        const std::vector<JobSpec>& jobs, RtlRunRequest& r) {
  const AutoChoice a = choose_mode(cfg, models, jobs, true);
  const auto name = [](const auto& m) {
    return m.batch > 1 ? fmt::format("{} --batch {}", hostmap::mode_name(m.mode), m.batch)
                       : std::string(hostmap::mode_name(m.mode));
  };
  std::string line;
  for (const auto& m : a.candidates)
    line += m.possible ? fmt::format(" {} {},", name(m), m.cycles)
                       : fmt::format(" {} cannot ({}),", name(m), m.why_not);
  line.pop_back();
  fmt::print(stderr, "lstmsim: auto: predicted cycles:{}; running {}\n", line, name(a));
  r.batch = a.batch;
  return std::string(hostmap::mode_name(a.mode));
}

// Checks every model and input, and plans the run, before the RTL is built,
// so a bad file or a mode that cannot run the models fails in a second
// instead of after a minute of verilating. Resolves --mode auto.
void precheck_rtl_run(RtlRunRequest& r, const RunOptions& saturation) {
  check_output_paths(r);
  if (r.models.size() != r.inputs.size())
    throw FileError(fmt::format("give one --input per --model ({} models, {} inputs)",
                                r.models.size(), r.inputs.size()));
  std::vector<QuantModel> models;
  std::vector<JobSpec> jobs;
  std::vector<RunSetup> setups;
  HwConfig cfg;
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    const RunSetup setup = load_run(RunFiles{r.config_path, r.models[i], r.inputs[i], r.output});
    check_model_runs_on_hardware(setup, HardwareRunner::RtlEngine);  // what the golden engine refuses, too
    cfg = setup.config;
    models.push_back(quantize_model(setup.model, cfg));
    // The jobs rtlsim will run (plan_run checks the formats of what they read).
    for (JobSpec& j : sequence_jobs(static_cast<int>(i), setup, r.read_state && r.batch <= 1))
      jobs.push_back(std::move(j));
    setups.push_back(setup);
  }
  const bool bidirectional = models.size() == 1 && models[0].bidirectional();
  try {
    if (parse_mode_request(r.mode)->automatic) {
      r.mode = choose_auto(cfg, models, jobs, r);
      if (r.batch > 1)
        for (JobSpec& j : jobs) j.read_state = false;  // a batched run keeps no state
    }
    // The plans rtlsim will run: a bidirectional model's layer by layer.
    const hostmap::Mode m = *hostmap::parse_mode(r.mode);
    if (bidirectional)
      plan_bidirectional(cfg, m, models[0], jobs);
    else
      plan_run(cfg, m, models, jobs, {}, r.batch);
  } catch (const MappingError& e) {
    throw FileError(e.what());
  }
  // What saturates, by the golden model the RTL must match bit for bit.
  for (const RunSetup& setup : setups) screen_saturation(setup, saturation);
}

int run_rtl(RunCommandOptions& o) {
  RtlRunRequest& r = o.rtl;
  r.config_path = o.config_path.empty() ? default_config_path() : o.config_path;
  r.models = o.models;
  r.inputs = o.inputs;
  r.output = o.output;
  precheck_rtl_run(r, RunOptions{o.strict, print_warning});
  return run_rtl_engine(load_config_or_throw(r.config_path), r, std::cerr);
}

int run(RunCommandOptions& o) {
  if (o.engine == "rtl") return run_rtl(o);
  if (o.models.size() != 1 || o.inputs.size() != 1)
    throw FileError(fmt::format("engine {} takes one --model and one --input", o.engine));
  RunFiles files;
  if (!o.config_path.empty()) files.config = o.config_path;
  files.model = o.models.front();
  files.input = o.inputs.front();
  files.output = o.output;
  for (const Engine& e : engine_list())
    if (e.name == o.engine) run_engine(e, files, RunOptions{o.strict, print_warning});
  return 0;
}

// The options only the rtl engine reads.
void add_rtl_options(CLI::App* cmd, RtlRunRequest& r) {
  cmd->add_option("--mode", r.mode,
                  "rtl engine: " + mode_help() + ", " + std::string(kAutoMode) +
                      " (the mode the cost model predicts fastest; every prediction is printed)")
      ->check(CLI::IsMember(mode_request_names()));
  cmd->add_option("--batch", r.batch,
                  "rtl engine, mode single on a config with features.batch: run up to this many "
                  "sequences of one model (of one length) together in core 0, each as its own "
                  "local layers (docs/architecture.md, \"Batching\"); default 1")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--backpressure", r.backpressure,
                  "rtl engine: probability that an output stream's ready is low in a cycle (0..0.95)")
      ->check(CLI::Range(0.0, 0.95));
  cmd->add_option("--idle", r.idle,
                  "rtl engine: probability of an idle cycle on an input stream, x or weight rows (0..0.95)")
      ->check(CLI::Range(0.0, 0.95));
  cmd->add_option("--load", r.load,
                  "rtl engine: how the weights reach the memories before the run: rows (the "
                  "weight row stream, a beat per memory word of 4 x lanes weights; the default "
                  "when the config has the row loader), host-port (one host write per weight; the "
                  "default without it) or backdoor (no cycles, a simulation "
                  "shortcut). The output's load_cycles counts them, beside the run's cycles")
      ->check(CLI::IsMember({"rows", "host-port", "backdoor"}));
  cmd->add_option("--seed", r.seed, "rtl engine: seed of the idle and backpressure patterns");
  cmd->add_option("--trace", r.trace, "rtl engine: write an FST waveform to this file");
  cmd->add_option("--random-init", r.random_init,
                  "rtl engine: start every register and memory without a reset from random bits "
                  "seeded by this (default 0: zeros)");
  cmd->add_option("--reset-at", r.reset_at,
                  "rtl engine: pull reset this many cycles into a first run, then run everything "
                  "again and check that run (default 0: no reset)");
  cmd->add_option("--timeout-cycles", r.timeout_cycles,
                  "rtl engine: fail after this many cycles (default: derived from the work)");
}

}  // namespace

Command add_run_command(CLI::App& app) {
  auto o = std::make_shared<RunCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Run a model file on an input file and write an output file, through the float "
             "reference, the golden fixed-point model, or the generated RTL under Verilator "
             "(--engine rtl, with --mode single, mp, mt, hc, hybrid or auto)");
  std::vector<std::string> names;
  const std::string help = engine_help(names);
  cmd->add_option("--engine", o->engine, help)->required()->check(CLI::IsMember(names));
  cmd->add_option("--config", o->config_path,
                  "hardware config JSON (formats, activation tables, limits); "
                  "default: the built-in default config");
  cmd->add_option("--model", o->models,
                  "model JSON: PyTorch state_dict keys plus input_size, hidden_size, num_layers "
                  "(rtl engine, mode mp or single: repeat for several models)")
      ->required();
  cmd->add_option("--input", o->inputs,
                  "input JSON: {\"sequences\": [sequence][step][input_size numbers]}; one per --model")
      ->required();
  add_rtl_options(cmd, o->rtl);
  cmd->add_flag("--strict", o->strict,
                "refuse (exit 2, nothing written) if any value of the model or input saturates "
                "in the config's formats, or the golden model counts a saturation event; "
                "without it these are warnings");
  cmd->add_option("--output", o->output,
                  "output JSON to write: {\"outputs\": [sequence][step][hidden_size]} plus run "
                  "facts; written only if the run succeeds")->required();
  return {cmd, [o](const std::string&) { return run(*o); }};
}

}  // namespace lstm::app
