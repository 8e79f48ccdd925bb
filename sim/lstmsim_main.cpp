// lstmsim: run LSTM models through the software engines, write built-in
// workloads, or show a demo. Exit codes: 0 success, 2 bad input (usage, files,
// config), 1 internal error.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "demo.hpp"
#include "model_io.hpp"
#include "run_common.hpp"
#include "workload.hpp"

namespace {

using namespace lstm;

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
  run->add_option("--engine", engine_name, engine_help)->required()->check(CLI::IsMember(engine_names));
  run->add_option("--config", config_path,
                  "hardware config JSON (formats, activation tables, limits); "
                  "default: the built-in default config");
  run->add_option("--model", files.model,
                  "model JSON: PyTorch state_dict keys plus input_size, hidden_size, num_layers")
      ->required();
  run->add_option("--input", files.input,
                  "input JSON: {\"sequences\": [sequence][step][input_size numbers]}")->required();
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
      for (const Engine& e : engines)
        if (e.name == engine_name) run_engine(e, files);
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
