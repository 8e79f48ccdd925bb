// Shared parts of `lstmsim run`: loading, engine table, output file.
#include "run_common.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engines.hpp"
#include "model_io.hpp"

namespace lstm {

std::vector<Engine> builtin_engines() {
  return {
      {"float", "double-precision reference with torch.nn.LSTM semantics",
       [](const RunSetup& r) { return run_float_set(r.model, r.inputs); }},
      {"golden", "bit-exact fixed-point model of the generated hardware (docs/numerics.md)",
       [](const RunSetup& r) {
         check_model_fits(r);
         return run_golden_set(r.config, r.model, r.inputs);
       }},
  };
}

HwConfig load_config_or_throw(const std::optional<std::string>& path) {
  if (!path) return HwConfig{};
  const ConfigResult result = load_config_file(*path);
  if (result.ok()) return result.config;
  std::string lines;
  for (const ConfigError& e : result.errors) {
    if (!lines.empty()) lines += '\n';
    lines += e.path.empty() ? fmt::format("{}: {}", *path, e.message)
                            : fmt::format("{}: {}: {}", *path, e.path, e.message);
  }
  throw FileError(lines);
}

RunSetup load_run(const RunFiles& files) {
  RunSetup run;
  run.files = files;
  run.config = load_config_or_throw(files.config);
  run.model = read_model_file(files.model);
  run.inputs = read_input_file(files.input, run.model.input_size);
  return run;
}

void check_model_fits(const RunSetup& run) {
  const Limits& lim = run.config.limits;
  const std::string cfg = run.files.config.value_or("default config");
  if (run.model.input_size > lim.max_input)
    throw FileError(fmt::format("{}: /input_size: {} exceeds /limits/max_input {} of {}",
                                run.files.model, run.model.input_size, lim.max_input, cfg));
  if (run.model.hidden_size > lim.max_hidden)
    throw FileError(fmt::format("{}: /hidden_size: {} exceeds /limits/max_hidden {} of {}",
                                run.files.model, run.model.hidden_size, lim.max_hidden, cfg));
}

nlohmann::json output_json(const std::string& engine, const RunSetup& run,
                           const SequenceSet& outputs) {
  std::vector<std::size_t> steps;
  for (const Sequence& s : run.inputs) steps.push_back(s.size());
  return {
      {"outputs", outputs},
      {"engine", engine},
      {"config", run.config.name},
      {"config_hash", config_hash(run.config)},
      {"sequences", run.inputs.size()},
      {"steps", steps},
      {"num_layers", run.model.layers.size()},
      {"input_size", run.model.input_size},
      {"hidden_size", run.model.hidden_size},
  };
}

void run_engine(const Engine& engine, const RunFiles& files) {
  const RunSetup run = load_run(files);
  const SequenceSet outputs = engine.run(run);
  write_json_file_atomic(files.output, output_json(engine.name, run, outputs));
}

}  // namespace lstm
