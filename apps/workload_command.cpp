// `lstmsim workload`: a built-in random model and input, the same files for
// the same seed everywhere.
#include <cstdio>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "apps/lstmsim_commands.hpp"
#include "sim/model_io.hpp"
#include "sim/workload.hpp"

namespace lstm::app {

namespace {

struct WorkloadOptions {
  WorkloadShape shape;
  std::uint64_t seed = 1;
  std::string model_out;
  std::string input_out;
};

int write_workload(const WorkloadOptions& o) {
  write_json_file_atomic(o.model_out, model_to_json(random_model(o.shape, o.seed)));
  try {
    write_json_file_atomic(o.input_out, inputs_to_json(random_inputs(o.shape, o.seed)));
  } catch (const FileError&) {
    std::remove(o.model_out.c_str());  // half a workload is no workload
    throw;
  }
  return 0;
}

}  // namespace

Command add_workload_command(CLI::App& app) {
  auto o = std::make_shared<WorkloadOptions>();
  CLI::App* cmd = app.add_subcommand(
      "workload", "Write a built-in random model and input (weights, biases uniform in "
                  "[-0.5, 0.5), inputs in [-1, 1)); the same seed gives the same files everywhere");
  WorkloadShape& s = o->shape;
  cmd->add_option("--input-size", s.input_size, "inputs per step, X (1..4096)")
      ->required()->check(CLI::Range(1, 4096));
  cmd->add_option("--hidden-size", s.hidden_size, "hidden units per layer, H (1..4096)")
      ->required()->check(CLI::Range(1, 4096));
  cmd->add_option("--layers", s.num_layers, "stacked layers (1..64)")
      ->required()->check(CLI::Range(1, 64));
  cmd->add_option("--steps", s.steps, "timesteps per sequence (1..100000)")
      ->required()->check(CLI::Range(1, 100000));
  cmd->add_option("--sequences", s.sequences, "independent sequences (1..10000)")
      ->required()->check(CLI::Range(1, 10000));
  cmd->add_option("--seed", o->seed, "random seed (0..2^64-1)")->required();
  cmd->add_option("--cell", s.cell, "cell type: lstm (default) or gru")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, CellType>{{"lstm", CellType::Lstm}, {"gru", CellType::Gru}}));
  cmd->add_flag("--bidirectional", s.bidirectional, "two directions (PyTorch bidirectional=True)");
  cmd->add_option("--model-out", o->model_out, "model JSON to write")->required();
  cmd->add_option("--input-out", o->input_out, "input JSON to write")->required();
  return {cmd, [o](const std::string&) { return write_workload(*o); }};
}

}  // namespace lstm::app
