// Shared parts of `lstmsim run`: loading, engine table, output file.
#include "sim/run_common.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/engines.hpp"
#include "sim/model_io.hpp"
#include "sim/saturation_report.hpp"
#include "spec/lstm_shape.hpp"

namespace lstm {

std::vector<Engine> builtin_engines() {
  return {
      {"float", "double-precision reference with torch.nn.LSTM semantics",
       [](const RunSetup& r) { return run_float(r.model, r.inputs, r.initial); },
       /*quantizes=*/false},
      {"golden", "bit-exact fixed-point model of the generated hardware (docs/numerics.md)",
       [](const RunSetup& r) {
         check_model_within_limits(r);
         return run_golden(r.config, r.model, r.inputs, r.initial);
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
  InputSet in = read_input_file(files.input, run.model, files.model);
  run.inputs = std::move(in.sequences);
  run.initial = std::move(in.initial);
  quantize_model(run.model, run.config, &run.model_saturation);
  run.input_saturation = input_saturation(run.inputs, run.initial, run.config);
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

// `layers` holds the forward direction; `reverse` the reverse one of a
// bidirectional model (else empty), which the weight memory holds as well.
std::vector<std::string> limit_problems(const HwConfig& c, const std::vector<LayerShape>& layers,
                                        const std::vector<LayerShape>& reverse) {
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
  // A bidirectional layer k > 0 reads both directions' h: 2 x hidden_size
  // inputs, which the accumulator is sized for only up to the widest input a
  // config allows (spec/config.cpp, check_accum_capacity).
  const int widest = std::max(lim.max_input, lim.max_hidden);
  if (p.empty() && !reverse.empty() && layers.size() > 1 && layers[1].input_size > widest)
    p.push_back(fmt::format(
        "/hidden_size: layer 1 of a bidirectional model reads 2 x /hidden_size = {} inputs, "
        "more than max(/limits/max_input, /limits/max_hidden) = {}",
        layers[1].input_size, widest));
  if (!p.empty()) return p;
  std::int64_t words = 0;
  for (const auto* dir : {&layers, &reverse})
    for (const LayerShape& l : *dir)
      words += layer_step_work(c.lanes, l.input_size, l.hidden_size, l.hidden_size);
  if (words > lim.weight_depth)
    p.push_back(fmt::format(
        "the model needs {} weight words in one core (over its layers{}, ceil(hidden_size / "
        "lanes) * (inputs + hidden_size) with lanes {}), exceeds /limits/weight_depth {}",
        words, reverse.empty() ? "" : " and both directions", c.lanes, lim.weight_depth));
  return p;
}

}  // namespace

std::int64_t layer_step_work(int lanes, int in, int hidden, int units) {
  return std::int64_t{groups_of(units, lanes)} * (in + hidden);
}

std::vector<std::string> model_limit_problems(const HwConfig& c, const FloatModel& m) {
  return limit_problems(c, shapes_of(m.layers), shapes_of(m.reverse));
}

std::vector<std::string> model_limit_problems(const HwConfig& c, const QuantModel& m) {
  return limit_problems(c, shapes_of(m.layers), shapes_of(m.reverse));
}

void check_model_within_limits(const RunSetup& run) {
  for (const std::string& p : model_limit_problems(run.config, run.model))
    throw FileError(fmt::format("{}: does not fit the hardware of {}: {}", run.files.model,
                                run.files.config.value_or("the default config"), p));
}

std::vector<std::string> hardware_feature_problems(const RunSetup& run, HardwareRunner runner) {
  std::vector<std::string> p;
  const std::string& model = run.files.model;
  const std::string config = run.files.config.value_or("the default config");
  if (run.model.cell == CellType::Gru && runner == HardwareRunner::EmitTb)
    p.push_back(fmt::format("{}: /cell: GRU layers run on the float, golden and rtl engines; "
                            "emit-tb's testbench does not run them yet", model));
  else if (run.model.cell == CellType::Gru && !run.config.cells.gru)
    p.push_back(fmt::format("{}: /cell: a GRU model needs hardware generated with GRU, but {} "
                            "has no \"gru\" in /cells (configs/default.json has)",
                            model, config));
  else if (run.model.cell == CellType::Lstm && !run.config.cells.lstm)
    p.push_back(fmt::format("{}: /cell: an LSTM model needs hardware generated with LSTM, but "
                            "{} has no \"lstm\" in /cells", model, config));
  if (run.model.bidirectional() && runner == HardwareRunner::EmitTb)
    p.push_back(fmt::format("{}: /bidirectional: bidirectional models run on the float, golden "
                            "and rtl engines; emit-tb's testbench does not run them yet",
                            model));
  if (runner == HardwareRunner::RtlEngine) return p;  // it loads h0/c0 (issue 13, item 1)
  for (std::size_t s = 0; s < run.initial.size(); ++s) {
    const FloatState& st = run.initial[s];
    for (const auto* rows : {&st.h, &st.c})
      for (const Vector& row : *rows)
        for (double v : row)
          if (v != 0.0) {
            p.push_back(fmt::format(
                "{}: /{}/{}: a non-zero initial state runs on the float and golden engines; "
                "emit-tb's testbench starts every sequence from zero state (the rtl engine "
                "loads it)",
                run.files.input, rows == &st.h ? "h0" : "c0", s));
            return p;
          }
  }
  return p;
}

void check_model_runs_on_hardware(const RunSetup& run, HardwareRunner runner) {
  check_model_within_limits(run);
  for (const std::string& p : hardware_feature_problems(run, runner)) throw FileError(p);
}

nlohmann::json output_json(const std::string& engine, const RunSetup& run, const SetRun& result) {
  std::vector<std::size_t> steps;
  for (const Sequence& s : run.inputs) steps.push_back(s.size());
  nlohmann::json h_n = nlohmann::json::array(), c_n = nlohmann::json::array();
  for (const FloatState& st : result.final_states) {
    h_n.push_back(st.h);
    c_n.push_back(st.c);
  }
  nlohmann::json j = {
      {"outputs", result.outputs},
      {"h_n", std::move(h_n)},
      {"engine", engine},
      {"config", run.config.name},
      {"config_hash", config_hash(run.config)},
      {"sequences", run.inputs.size()},
      {"steps", steps},
      {"cell", cell_name(run.model.cell)},
      {"bidirectional", run.model.bidirectional()},
      {"num_layers", run.model.layers.size()},
      {"input_size", run.model.input_size},
      {"hidden_size", run.model.hidden_size},
  };
  if (run.model.cell == CellType::Lstm) j["c_n"] = std::move(c_n);
  if (!result.saturation.empty()) j["saturation"] = saturation_json(run, result.saturation);
  return j;
}

namespace {

void screen_load(const RunSetup& run, const RunOptions& options) {
  if (options.strict) refuse_saturation(run, nullptr);
  if (options.warn)
    for (const std::string& line : load_saturation_lines(run)) options.warn(line);
}

void screen_runtime(const RunSetup& run, const LayerSatCounts& counts, const std::string& output,
                    const RunOptions& options) {
  if (options.strict) refuse_saturation(run, &counts);
  if (options.warn)
    for (const std::string& line : runtime_saturation_lines(run, counts, output))
      options.warn(line);
}

}  // namespace

void run_engine(const Engine& engine, const RunFiles& files, const RunOptions& options) {
  const RunSetup run = load_run(files);
  if (!engine.quantizes) {  // nothing is rounded to a format, so nothing saturates
    write_json_file_atomic(files.output, output_json(engine.name, run, engine.run(run)));
    return;
  }
  screen_load(run, options);
  const SetRun result = engine.run(run);
  screen_runtime(run, result.saturation, files.output, options);
  write_json_file_atomic(files.output, output_json(engine.name, run, result));
}

void screen_saturation(const RunSetup& run, const RunOptions& options) {
  screen_load(run, options);
  check_model_within_limits(run);
  const SetRun golden = run_golden(run.config, run.model, run.inputs, run.initial);
  screen_runtime(run, golden.saturation, "", options);
}

}  // namespace lstm
