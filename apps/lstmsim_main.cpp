// lstmsim: run LSTM models through the software engines or the generated RTL,
// write built-in workloads, propose formats, or show a demo. Exit codes: 0
// success, 2 bad input (usage, files, config, model beyond the hardware's
// limits, saturation under --strict), 1 internal error
// or an RTL result that differs from the golden model, 3 RTL simulation failure.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/benchmark.hpp"
#include "apps/demo.hpp"
#include "apps/sweep_command.hpp"
#include "tb/emit_tb.hpp"
#include "host/run_plan.hpp"
#include "spec/host_map.hpp"
#include "sim/format_advisor.hpp"
#include "sim/model_io.hpp"
#include "tb/rtl_engine.hpp"
#include "sim/run_common.hpp"
#include "sim/workload.hpp"

namespace {

using namespace lstm;

// Saturation warnings (docs/numerics.md, "Saturation"), one per line.
void print_warning(const std::string& line) { fmt::print(stderr, "lstmsim: warning: {}\n", line); }

void print_error(const std::string& what) {
  // Multi-line errors (a config with several problems) get the prefix per line.
  std::size_t start = 0;
  while (start <= what.size()) {
    const std::size_t end = std::min(what.find('\n', start), what.size());
    fmt::print(stderr, "lstmsim: error: {}\n", what.substr(start, end - start));
    start = end + 1;
  }
}

struct WorkloadOptions {
  WorkloadShape shape;
  std::uint64_t seed = 1;
  std::string model_out;
  std::string input_out;
};

void write_workload(const WorkloadOptions& o) {
  write_json_file_atomic(o.model_out, model_to_json(random_model(o.shape, o.seed)));
  try {
    write_json_file_atomic(o.input_out, inputs_to_json(random_inputs(o.shape, o.seed)));
  } catch (const FileError&) {
    std::remove(o.model_out.c_str());  // half a workload is no workload
    throw;
  }
}

// Checks every model and input before the RTL is built, so a bad file fails
// in a second instead of after a minute of verilating.
void precheck_rtl_run(const RtlRunRequest& r, const RunOptions& saturation) {
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
  if (r.models.size() != r.inputs.size())
    throw FileError(fmt::format("give one --input per --model ({} models, {} inputs)",
                                r.models.size(), r.inputs.size()));
  std::vector<QuantModel> models;
  std::vector<JobSpec> jobs;
  std::vector<RunSetup> setups;
  HwConfig cfg;
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    const RunSetup setup = load_run(RunFiles{r.config_path, r.models[i], r.inputs[i], r.output});
    check_model_runs_on_hardware(setup);  // what the golden engine refuses, too
    cfg = setup.config;
    models.push_back(quantize_model(setup.model, cfg));
    for (const auto& s : setup.inputs)
      jobs.push_back({static_cast<int>(i), static_cast<std::uint32_t>(s.size())});
    setups.push_back(setup);
  }
  // The plan rtlsim will execute: a mode that cannot run these models fails here.
  try {
    plan_run(cfg, *hostmap::parse_mode(r.mode), models, jobs);
  } catch (const MappingError& e) {
    throw FileError(e.what());
  }
  // What saturates, by the golden model the RTL must match bit for bit.
  for (const RunSetup& setup : setups) screen_saturation(setup, saturation);
}

// "single (core 0 alone), mp (...), ...": the host map's mode table.
std::string mode_help() {
  std::string out;
  for (const auto& e : hostmap::kModeTable) {
    std::string_view doc = e.doc;
    if (doc.starts_with("MODE: ")) doc.remove_prefix(6);
    out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", e.name, doc);
  }
  return out;
}

struct FormatsRequest {
  std::string config_path;
  std::string model;
  std::string input;
  std::string write_config;
};

// `lstmsim formats`: the format advisor (sim/format_advisor.hpp).
void run_formats(const FormatsRequest& r) {
  const RunSetup run = load_run(RunFiles{r.config_path.empty() ? std::nullopt
                                                                : std::optional{r.config_path},
                                         r.model, r.input, ""});
  check_model_within_limits(run);
  const FormatAdvice advice = advise_formats(run.config, run.model, run.inputs, run.initial);
  fmt::print("{}", advice_report(advice, r.config_path.empty() ? "default" : r.config_path));
  if (!r.write_config.empty()) {
    write_text_file_atomic(r.write_config, canonical_config_json(advice.proposal));
    fmt::print("\nproposed config written to {}\n", r.write_config);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lstmsim: run LSTM models (PyTorch torch.nn.LSTM layout) through the "
               "float reference or the bit-exact fixed-point golden model.\n"
               "File formats: docs/models.md. Fixed-point rules: docs/numerics.md."};
  app.require_subcommand(1);

  const std::vector<Engine> engines = builtin_engines();
  std::vector<std::string> engine_names;
  std::string engine_help = "engine to run:";
  for (const Engine& e : engines) {
    engine_names.push_back(e.name);
    engine_help += fmt::format("\n  {}: {}", e.name, e.help);
  }

  // run
  CLI::App* run = app.add_subcommand("run", "Run a model file on an input file, write an output file");
  std::string engine_name;
  RunFiles files;
  std::string config_path;
  std::vector<std::string> model_paths, input_paths;
  RtlRunRequest rtl;
  engine_names.push_back("rtl");
  engine_help += "\n  rtl: the generated RTL of --config under Verilator (built on first use, "
                 "cached), checked bit for bit against golden";
  run->add_option("--engine", engine_name, engine_help)->required()->check(CLI::IsMember(engine_names));
  run->add_option("--config", config_path,
                  "hardware config JSON (formats, activation tables, limits); "
                  "default: the built-in default config");
  run->add_option("--model", model_paths,
                  "model JSON: PyTorch state_dict keys plus input_size, hidden_size, num_layers "
                  "(rtl engine, mode mp or single: repeat for several models)")
      ->required();
  run->add_option("--input", input_paths,
                  "input JSON: {\"sequences\": [sequence][step][input_size numbers]}; one per --model")
      ->required();
  run->add_option("--mode", rtl.mode, "rtl engine: " + mode_help())
      ->check(CLI::IsMember(hostmap::mode_names()));
  run->add_option("--backpressure", rtl.backpressure,
                  "rtl engine: probability that an output stream's ready is low in a cycle (0..0.95)")
      ->check(CLI::Range(0.0, 0.95));
  run->add_option("--idle", rtl.idle,
                  "rtl engine: probability of an idle cycle on an input stream (0..0.95)")
      ->check(CLI::Range(0.0, 0.95));
  run->add_option("--seed", rtl.seed, "rtl engine: seed of the idle and backpressure patterns");
  run->add_option("--trace", rtl.trace, "rtl engine: write an FST waveform to this file");
  run->add_option("--random-init", rtl.random_init,
                  "rtl engine: start every register and memory without a reset from random bits "
                  "seeded by this (default 0: zeros)");
  run->add_option("--reset-at", rtl.reset_at,
                  "rtl engine: pull reset this many cycles into a first run, then run everything "
                  "again and check that run (default 0: no reset)");
  run->add_option("--timeout-cycles", rtl.timeout_cycles,
                  "rtl engine: fail after this many cycles (default: derived from the work)");
  bool strict = false;
  run->add_flag("--strict", strict,
                "refuse (exit 2, nothing written) if any value of the model or input saturates "
                "in the config's formats, or the golden model counts a saturation event; "
                "without it these are warnings");
  run->add_option("--output", files.output,
                  "output JSON to write: {\"outputs\": [sequence][step][hidden_size]} plus run "
                  "facts; written only if the run succeeds")->required();

  // workload
  CLI::App* wl = app.add_subcommand(
      "workload", "Write a built-in random model and input (weights, biases uniform in "
                  "[-0.5, 0.5), inputs in [-1, 1)); the same seed gives the same files everywhere");
  WorkloadOptions w;
  wl->add_option("--input-size", w.shape.input_size, "inputs per step, X (1..4096)")
      ->required()->check(CLI::Range(1, 4096));
  wl->add_option("--hidden-size", w.shape.hidden_size, "hidden units per layer, H (1..4096)")
      ->required()->check(CLI::Range(1, 4096));
  wl->add_option("--layers", w.shape.num_layers, "stacked layers (1..64)")
      ->required()->check(CLI::Range(1, 64));
  wl->add_option("--steps", w.shape.steps, "timesteps per sequence (1..100000)")
      ->required()->check(CLI::Range(1, 100000));
  wl->add_option("--sequences", w.shape.sequences, "independent sequences (1..10000)")
      ->required()->check(CLI::Range(1, 10000));
  wl->add_option("--seed", w.seed, "random seed (0..2^64-1)")->required();
  wl->add_option("--model-out", w.model_out, "model JSON to write")->required();
  wl->add_option("--input-out", w.input_out, "input JSON to write")->required();

  // demo
  CLI::App* demo = app.add_subcommand(
      "demo", "Run a built-in 2-layer LSTM (X = H = 64, 20 steps, 2 sequences, seed 1) "
              "through both engines and print how far fixed point is from float");
  std::string demo_config;
  demo->add_option("--config", demo_config,
                   "hardware config JSON; default: the built-in default config");

  // bench
  CLI::App* bench = app.add_subcommand(
      "bench", "Run a built-in suite of LSTM workloads in every mode on the generated RTL of a "
               "config and print the measured cycles, speedups and MAC utilization");
  BenchOptions bench_opt;
  std::string bench_report;
  bench->add_option("--config", bench_opt.config_path,
                    "hardware config JSON (default: configs/default.json)");
  bench->add_option("--suite", bench_opt.suite,
                    "paper: workloads shaped like the paper's references (default); targets: the "
                    "utilization and speedup targets; quick: two tiny workloads")
      ->check(CLI::IsMember(bench_suite_names()));
  bench->add_option("--report", bench_report,
                    "folder for report.json, report.md and speedup.svg (and the workload files)");
  bench->add_flag("--synth", bench_opt.synth,
                  "also synthesize the config's RTL with Yosys (generic and ice40) and add the "
                  "resources to the report; needs --report; minutes for configs/small.json, far "
                  "longer for large configs");

  // emit-tb (tb/emit_tb.hpp, docs/reliability-sim.md)
  CLI::App* etb = app.add_subcommand(
      "emit-tb", "Write a self-checking SystemVerilog testbench folder (generated RTL, testbench, "
                 "$readmemh vectors, expected outputs from the golden model) that runs under "
                 "Icarus and Verilator");
  EmitTbRequest etb_req;
  etb->add_option("--config", etb_req.config_path, "hardware config JSON")->required();
  etb->add_option("--model", etb_req.model, "model JSON")->required();
  etb->add_option("--input", etb_req.input, "input JSON; each sequence runs as its own job")
      ->required();
  etb->add_option("--out", etb_req.out_dir,
                  "folder to write (missing, empty, or an earlier emit-tb folder)")->required();
  etb->add_option("--mode", etb_req.mode,
                  mode_help() + "; mp is refused: its host reacts to cores finishing")
      ->check(CLI::IsMember(hostmap::mode_names()));
  etb->add_option("--backpressure", etb_req.options.backpressure,
                  "probability that out_ready is low in a cycle (0..0.95)")
      ->check(CLI::Range(0.0, 0.95));
  etb->add_option("--idle", etb_req.options.idle,
                  "probability of an idle cycle on the x stream (0..0.95)")
      ->check(CLI::Range(0.0, 0.95));
  etb->add_option("--seed", etb_req.options.seed, "seed of the testbench's idle and backpressure patterns");
  bool etb_strict = false;
  etb->add_flag("--strict", etb_strict,
                "refuse (exit 2, nothing written) if anything saturates, as lstmsim run --strict");
  etb->add_option("--timeout-cycles", etb_req.options.timeout_cycles,
                  "testbench prints FAIL: timeout after this many cycles (default: derived from the work)");

  // formats
  CLI::App* formats = app.add_subcommand(
      "formats", "Measure the ranges a model reaches on an input file (float model) and propose "
                 "the narrowest fixed-point formats that saturate nothing, with their error "
                 "against float (docs/models.md, \"Choosing formats\")");
  FormatsRequest fr;
  formats->add_option("--config", fr.config_path,
                      "hardware config JSON to start from (cores, lanes, limits, rounding and "
                      "fraction widths are kept); default: the built-in default config");
  formats->add_option("--model", fr.model, "model JSON")->required();
  formats->add_option("--input", fr.input, "input JSON with representative sequences")
      ->required();
  formats->add_option("--write-config", fr.write_config, "write the proposed config JSON here");

  // sweep (apps/sweep_command.cpp)
  SweepCli sweep;
  add_sweep_command(app, sweep);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    print_error(e.what());
    fmt::print(stderr, "Run with --help for more information.\n");
    return 2;
  }

  try {
    if (*run) {
      if (!config_path.empty()) files.config = config_path;
      if (engine_name == "rtl") {
        rtl.config_path = config_path.empty() ? std::string(LSTM_SOURCE_DIR) + "/configs/default.json"
                                              : config_path;
        rtl.models = model_paths;
        rtl.inputs = input_paths;
        rtl.output = files.output;
        precheck_rtl_run(rtl, RunOptions{strict, print_warning});
        const HwConfig cfg = load_config_or_throw(rtl.config_path);
        return run_rtl_engine(cfg, rtl, std::cerr);
      }
      if (model_paths.size() != 1 || input_paths.size() != 1)
        throw FileError(fmt::format("engine {} takes one --model and one --input", engine_name));
      files.model = model_paths.front();
      files.input = input_paths.front();
      for (const Engine& e : engines)
        if (e.name == engine_name) run_engine(e, files, RunOptions{strict, print_warning});
    } else if (*bench) {
      if (bench_opt.config_path.empty())
        bench_opt.config_path = std::string(LSTM_SOURCE_DIR) + "/configs/default.json";
      bench_opt.config = load_config_or_throw(bench_opt.config_path);
      bench_opt.report_dir = bench_report;
      if (bench_opt.synth && bench_report.empty())
        throw FileError("--synth needs --report (the RTL and the Yosys logs go there)");
      const auto rows = run_bench(bench_opt, std::cerr);
      fmt::print("\n{}", bench_markdown(bench_opt, rows));
      std::vector<SynthFigures> synth;
      if (bench_opt.synth) {
        synth = run_bench_synthesis(bench_opt, std::cerr);
        fmt::print("\n{}", synth_markdown(bench_opt, synth));
      }
      if (!bench_report.empty()) {
        write_bench_report(bench_opt, rows, synth);
        fmt::print("\nreport: {0}/report.md, {0}/report.json, {0}/speedup.svg\n", bench_report);
      }
      for (const auto& r : rows)
        if (!r.bit_exact) return 1;
    } else if (*etb) {
      std::string cmd = "lstmsim";
      for (int i = 1; i < argc; ++i) cmd += std::string(" ") + argv[i];
      const RunSetup setup = load_run(RunFiles{etb_req.config_path, etb_req.model, etb_req.input, ""});
      check_model_runs_on_hardware(setup);
      screen_saturation(setup, RunOptions{etb_strict, print_warning});
      run_emit_tb(etb_req, cmd);
    } else if (*formats) {
      run_formats(fr);
    } else if (*sweep.app) {
      return run_sweep_cli(sweep);
    } else if (*wl) {
      write_workload(w);
    } else if (*demo) {
      run_demo(load_config_or_throw(demo_config.empty() ? std::nullopt
                                                        : std::optional{demo_config}),
               stdout);
    }
  } catch (const FileError& e) {
    print_error(e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "lstmsim: internal error: {}\n", e.what());
    return 1;
  }
  return 0;
}
