// Shared parts of `lstmsim run`: loading, engine table, output file.
#include "sim/run_common.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/engines.hpp"
#include "sim/model_io.hpp"

namespace lstm {

std::vector<Engine> builtin_engines() {
  return {
      {"float", "double-precision reference with torch.nn.LSTM semantics",
       [](const RunSetup& r) { return run_float_set(r.model, r.inputs); }},
      {"golden", "bit-exact fixed-point model of the generated hardware (docs/numerics.md)",
       [](const RunSetup& r) {
         check_model_runs_on_hardware(r);
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

namespace {

struct LayerShape {
  int input_size;
  int hidden_size;
};

template <class Layers>
std::vector<LayerShape> shapes_of(const Layers& layers) {
  std::vector<LayerShape> out;
  for (const auto& l : layers) out.push_back({l.input_size, l.hidden_size});
  return out;
}

std::vector<std::string> limit_problems(const HwConfig& c, const std::vector<LayerShape>& layers) {
  std::vector<std::string> p;
  const Limits& lim = c.limits;
  if (layers.empty()) p.push_back("the model has no layers");
  if (static_cast<int>(layers.size()) > lim.max_layers)
    p.push_back(fmt::format("/num_layers: {} exceeds /limits/max_layers {}", layers.size(),
                            lim.max_layers));
  // Layers after the first take hidden_size inputs: one check per field.
  if (!layers.empty() && layers.front().input_size > lim.max_input)
    p.push_back(fmt::format("/input_size: {} exceeds /limits/max_input {}",
                            layers.front().input_size, lim.max_input));
  for (const LayerShape& l : layers) {
    if (l.hidden_size > lim.max_hidden) {
      p.push_back(fmt::format("/hidden_size: {} exceeds /limits/max_hidden {}", l.hidden_size,
                              lim.max_hidden));
      break;
    }
  }
  if (!p.empty()) return p;
  std::int64_t words = 0;
  for (const LayerShape& l : layers)
    words += layer_step_work(c.lanes, l.input_size, l.hidden_size, l.hidden_size);
  if (words > lim.weight_depth)
    p.push_back(fmt::format(
        "the model needs {} weight words in one core (over its layers, ceil(hidden_size / "
        "lanes) * (inputs + hidden_size) with lanes {}), exceeds /limits/weight_depth {}",
        words, c.lanes, lim.weight_depth));
  return p;
}

}  // namespace

std::int64_t layer_step_work(int lanes, int in, int hidden, int units) {
  return std::int64_t{(units + lanes - 1) / lanes} * (in + hidden);
}

std::vector<std::string> model_limit_problems(const HwConfig& c, const FloatModel& m) {
  return limit_problems(c, shapes_of(m.layers));
}

std::vector<std::string> model_limit_problems(const HwConfig& c, const QuantModel& m) {
  return limit_problems(c, shapes_of(m.layers));
}

void check_model_runs_on_hardware(const RunSetup& run) {
  for (const std::string& p : model_limit_problems(run.config, run.model))
    throw FileError(fmt::format("{}: does not fit the hardware of {}: {}", run.files.model,
                                run.files.config.value_or("the default config"), p));
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
