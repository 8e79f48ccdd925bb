// How far the fixed-point golden model is from the float reference on h, for
// the default config over a few model shapes, and what it does to the task
// accuracy of the trained models in bench/models/ under several formats.
// Prints figures; asserts nothing.
// Usage: lstm_accuracy_bench [--config HW.json] [--trained-only] [--rtl]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <iostream>

#include "bench/trained_task.hpp"
#include "bench/trained_task_rtl.hpp"
#include "sim/engines.hpp"
#include "sim/fixed_point.hpp"
#include "sim/format_advisor.hpp"
#include "sim/model_io.hpp"
#include "sim/run_common.hpp"
#include "sim/workload.hpp"

namespace {

using namespace lstm;

// The float model with every weight, bias and input rounded to its format:
// comparing golden with it leaves only the error of the fixed-point
// arithmetic (activation tables, narrowings), not of the parameters.
FloatModel round_model(const FloatModel& m, const HwConfig& c) {
  FloatModel r = m;
  for (FloatLayer& l : r.layers) {
    for (double& w : l.w_ih) w = to_double(quantize(w, c.weight), c.weight);
    for (double& w : l.w_hh) w = to_double(quantize(w, c.weight), c.weight);
    for (std::size_t k = 0; k < l.b_ih.size(); ++k) {
      l.b_ih[k] = to_double(quantize(l.b_ih[k] + l.b_hh[k], c.bias), c.bias);
      l.b_hh[k] = 0.0;
    }
  }
  return r;
}

SequenceSet round_inputs(const SequenceSet& x, FixedFormat f) {
  SequenceSet r;
  for (const Sequence& s : x) r.push_back(dequantize_sequence(quantize_sequence(s, f), f));
  return r;
}

// Max and mean over several runs.
struct Totals {
  double max_abs = 0.0;
  double sum = 0.0;
  std::size_t count = 0;
  void add(const ErrorStats& e) {
    max_abs = std::max(max_abs, e.max_abs);
    sum += e.mean_abs * static_cast<double>(e.count);
    count += e.count;
  }
  double mean() const { return count == 0 ? 0.0 : sum / static_cast<double>(count); }
};

// ---------------------------------------------------------------------------
// Trained models.

struct FormatVariant {
  std::string name;
  HwConfig config;
};

std::string format_text(FixedFormat f) { return fmt::format("Q{}.{}", f.width - f.frac, f.frac); }

// The given config, then one change at a time, each valid for models of up
// to 64 inputs and 64 hidden units (the trained ones are smaller).
std::vector<FormatVariant> format_variants(const HwConfig& base) {
  std::vector<FormatVariant> v;
  const auto add = [&](std::string name, auto change) {
    HwConfig c = base;
    c.limits.max_input = c.limits.max_hidden = 64;
    change(c);
    c.accum.frac = c.data.frac + c.weight.frac;
    v.push_back({std::move(name), c});
  };
  add(fmt::format("config \"{}\": data {}, weight {}, {} {}", base.name, format_text(base.data),
                  format_text(base.weight),
                  base.activation.kind == ActivationKind::Pwl ? "pwl" : "lut",
                  1 << base.activation.index_bits),
      [](HwConfig&) {});
  add("data, weight, bias Q6.10", [](HwConfig& c) { c.data = c.weight = c.bias = {16, 10}; });
  add("weight Q2.6 (8 bits)", [](HwConfig& c) { c.weight = {8, 6}; });
  add("weight Q4.4 (8 bits)", [](HwConfig& c) { c.weight = {8, 4}; });
  add("data, weight, bias Q2.6 (8 bits)", [](HwConfig& c) {
    c.data = c.weight = c.bias = {8, 6};
    c.accum = {32, 12};
  });
  add("activations lut, 64 entries", [](HwConfig& c) {
    c.activation.kind = ActivationKind::Lut;
    c.activation.index_bits = 6;
  });
  add("formats of configs/small.json", [](HwConfig& c) {
    c.data = {8, 5};
    c.weight = c.bias = {8, 6};
    c.accum = {24, 11};
    c.gate = {10, 8};
    c.cell = {12, 8};
    c.activation = {ActivationKind::Lut, 5, 4};
  });
  return v;
}

// Largest |weight| and how many weights and (summed) biases saturate when
// quantized to c's formats.
struct WeightRange {
  double max_abs = 0.0;
  double max_bias = 0.0;  // of the biases as the hardware holds them (summed rows)
  std::size_t saturated = 0;
  std::size_t count = 0;
};

WeightRange weight_range(const FloatModel& m, const HwConfig& c) {
  WeightRange r;
  const auto check = [&](double v, const FixedFormat& f) {
    if (&f == &c.bias) r.max_bias = std::max(r.max_bias, std::abs(v));
    // Saturates when the rounded value lies beyond the largest code.
    const double max = std::ldexp(std::ldexp(1.0, f.width - 1) - 1.0, -f.frac);
    r.saturated += std::abs(v) >= max + std::ldexp(0.5, -f.frac);
    ++r.count;
  };
  const auto h = static_cast<std::size_t>(m.hidden_size);
  for (const auto* dir : {&m.layers, &m.reverse})
    for (const FloatLayer& l : *dir) {
      for (const auto* w : {&l.w_ih, &l.w_hh})
        for (double v : *w) {
          r.max_abs = std::max(r.max_abs, std::abs(v));
          check(v, c.weight);
        }
      for (std::size_t k = 0; k < l.b_ih.size(); ++k) {
        if (m.cell == CellType::Gru && k >= 2 * h) {  // a GRU's n row keeps them apart
          check(l.b_ih[k], c.bias);
          check(l.b_hh[k], c.bias);
        } else {
          check(l.b_ih[k] + l.b_hh[k], c.bias);
        }
      }
    }
  return r;
}

// The format advisor (lstmsim formats) on the task's own inputs: chunks whose
// state carries over are one long sequence. Its proposal is scored as one more
// row of the table, and the line after the table says what it proposed and
// how often the task's golden run saturated with it.
void print_advised(const TrainedTask& t, const TaskRun& f, HwConfig base) {
  base.limits.max_input = base.limits.max_hidden = 64;
  SequenceSet inputs = t.inputs;
  if (t.carry_state) {
    Sequence all;
    for (const Sequence& s : t.inputs) all.insert(all.end(), s.begin(), s.end());
    inputs = {all};
  }
  const FormatAdvice a = advise_formats(base, t.model, inputs, {});
  const HwConfig& p = a.proposal;
  const TaskRun g = run_task_golden(t, p);
  std::size_t same = 0;
  for (std::size_t k = 0; k < g.predicted.size(); ++k) same += g.predicted[k] == f.predicted[k];
  const ErrorStats e = compare_task_h(g, f);
  const ErrorStats ec = compare_task_c(g, f);
  const WeightRange w = weight_range(t.model, p);
  fmt::print("| proposed by lstmsim formats | {:.4f} | {:.4f} | {:.3e} | {:.3e} | {} | {} of {} |\n",
             g.accuracy, static_cast<double>(same) / static_cast<double>(g.predicted.size()),
             e.max_abs, e.mean_abs,
             ec.count == 0 ? std::string("(GRU)") : fmt::format("{:.3e}", ec.max_abs),
             w.saturated, w.count);
  fmt::print("\nlstmsim formats proposes data {}, weight {}, bias {}, accum {}, cell {}, "
             "activation range {} with {} segments; saturation events in the task's golden run "
             "with it: {} (with \"{}\": {}).\n",
             format_text(p.data), format_text(p.weight), format_text(p.bias), format_text(p.accum),
             format_text(p.cell), p.activation.range, 1 << p.activation.index_bits,
             total(g.run.saturation), base.name, total(run_task_golden(t, base).run.saturation));
}

// Where the trained models' RTL runs go (--rtl): the config file the RTL is
// generated from, and a folder for the runs' files.
struct RtlScoring {
  std::string config_path;
  std::filesystem::path work_dir;
};

// float, golden and rtl on the task, in the config's own formats: the RTL
// must give golden's bits, so its accuracy is golden's.
void print_engines(const TrainedTask& t, const TaskRun& f, const HwConfig& c,
                   const RtlScoring& rtl) {
  const TaskRun g = run_task_golden(t, c);
  std::vector<std::pair<const char*, TaskRun>> runs = {{"float", f}, {"golden", g}};
  std::string rtl_problem;
  try {
    runs.emplace_back("rtl", run_task_with(t, rtl_task_engine(t, rtl.config_path, c,
                                                              rtl.work_dir / t.name, std::cerr)));
  } catch (const std::runtime_error& e) {
    rtl_problem = e.what();  // a model the config's hardware does not run, or a mismatch
  }
  fmt::print("\n{} on the engines, config \"{}\" ({}):\n\n", t.name, c.name, rtl.config_path);
  fmt::print("| engine | accuracy | same prediction as float | max abs h error vs float | "
             "max abs h difference vs golden |\n|---|---:|---:|---:|---:|\n");
  for (const auto& [name, run] : runs) {
    std::size_t same = 0;
    for (std::size_t k = 0; k < run.predicted.size(); ++k) same += run.predicted[k] == f.predicted[k];
    fmt::print("| {} | {:.4f} | {:.4f} | {:.3e} | {:.3e} |\n", name, run.accuracy,
               static_cast<double>(same) / static_cast<double>(run.predicted.size()),
               compare_task_h(run, f).max_abs, compare_task_h(run, g).max_abs);
  }
  if (!rtl_problem.empty()) fmt::print("| rtl | not run: {} | | | |\n", rtl_problem);
}

void print_trained(const HwConfig& base, const std::filesystem::path& dir,
                   const std::optional<RtlScoring>& rtl) {
  fmt::print("\ntrained models ({}), written by bench/train_accuracy_models.py\n", dir.string());
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().string().ends_with(".task.json")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  const std::vector<FormatVariant> variants = format_variants(base);
  for (const auto& file : files) {
    const TrainedTask t = load_trained_task(file.string());
    const TaskRun f = run_task_float(t);
    std::size_t steps = 0;
    for (const Sequence& s : t.inputs) steps += s.size();
    const WeightRange w0 = weight_range(t.model, base);
    fmt::print("\n{}: {}.\n{} {} ({} sequences, {} steps). Accuracy: torch float64 {:.4f}, "
               "lstmsim float {:.4f}. Float ranges: max |weight| {:.3f}, max |bias| {:.3f}{}.\n\n",
               t.name, t.description, t.labels.size(),
               t.task == "next_character" ? "predictions" : "examples", t.inputs.size(), steps,
               t.torch_accuracy, f.accuracy, w0.max_abs, w0.max_bias,
               t.model.cell == CellType::Lstm && !t.model.bidirectional()
                   ? fmt::format(", max |c| {:.3f} (any step)", max_abs_cell(t))
                   : std::string());
    fmt::print("| formats | golden accuracy | same prediction as float | max abs h error | "
               "mean abs h error | max abs c error | weights and biases saturated |\n");
    fmt::print("|---|---:|---:|---:|---:|---:|---:|\n");
    for (const FormatVariant& v : variants) {
      const std::vector<ConfigError> errors = validate_config(v.config);
      if (!errors.empty()) {
        fmt::print("| {} | invalid config: {} {} | | | | | |\n", v.name, errors.front().path,
                   errors.front().message);
        continue;
      }
      const TaskRun g = run_task_golden(t, v.config);
      std::size_t same = 0;
      for (std::size_t k = 0; k < g.predicted.size(); ++k) same += g.predicted[k] == f.predicted[k];
      const ErrorStats e = compare_task_h(g, f);
      const ErrorStats ec = compare_task_c(g, f);
      const WeightRange w = weight_range(t.model, v.config);
      fmt::print("| {} | {:.4f} | {:.4f} | {:.3e} | {:.3e} | {} | {} of {} |\n", v.name,
                 g.accuracy, static_cast<double>(same) / static_cast<double>(g.predicted.size()),
                 e.max_abs, e.mean_abs,
                 ec.count == 0 ? std::string("(GRU)") : fmt::format("{:.3e}", ec.max_abs),
                 w.saturated, w.count);
    }
    print_advised(t, f, base);
    if (rtl) print_engines(t, f, base, *rtl);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lstm_accuracy_bench: the golden model against the float reference, on random "
               "models and on the trained models of bench/models/ (figures only)"};
  std::optional<std::string> config_path;
  bool trained_only = false;
  bool with_rtl = false;
  std::string rtl_dir = "accuracy-rtl";
  app.add_option("--config", config_path, "hardware config JSON (default: the built-in defaults)");
  app.add_flag("--trained-only", trained_only, "only the trained models");
  app.add_flag("--rtl", with_rtl,
               "also run the trained models on the config's generated RTL (needs --config)")
      ->needs(app.get_option("--config"));
  app.add_option("--rtl-dir", rtl_dir, "where the RTL runs keep their files")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  std::optional<RtlScoring> rtl;
  if (with_rtl) rtl = RtlScoring{*config_path, rtl_dir};
  const auto trained_dir = std::filesystem::path(LSTM_SOURCE_DIR) / "bench" / "models";
  constexpr int kSteps = 20;
  constexpr std::uint64_t kSeeds = 4;
  HwConfig cfg;
  try {
    cfg = load_config_or_throw(config_path);
    if (trained_only) {
      print_trained(cfg, trained_dir, rtl);
      return 0;
    }
  } catch (const std::runtime_error& e) {
    fmt::print(stderr, "lstm_accuracy_bench: error: {}\n", e.what());
    return 2;
  }

  const double lsb = std::ldexp(1.0, -cfg.data.frac);
  fmt::print("golden vs float, |h| error; config \"{}\" ({}), {} steps, seeds 1..{}, "
             "inputs uniform in [-1, 1)\n",
             cfg.name, config_hash(cfg), kSteps, kSeeds);
  fmt::print("vs float: against the float model as given. vs rounded float: against the float\n"
             "model run on weights, biases and inputs rounded to their formats (arithmetic\n"
             "error only). LSB: data format step, {:.3e}.\n", lsb);
  // Two weight scales: a fixed 0.5 (the built-in workload; its gain grows with
  // H, so large models amplify every rounding), and PyTorch's default
  // initialization 1/sqrt(H), closer to trained models.
  for (const bool torch_init : {false, true}) {
    fmt::print("\nweights and biases uniform in [-s, s), s = {}\n\n",
               torch_init ? "1/sqrt(H) (PyTorch default init)" : "0.5");
    fmt::print("| X = H | layers | max vs float | mean vs float | max / LSB | max vs rounded float "
               "| mean vs rounded float |\n");
    fmt::print("|------:|-------:|-------------:|--------------:|----------:|---------------------:"
               "|----------------------:|\n");
    for (int size : {16, 64, 256})
      for (int layers : {1, 2}) {
        WorkloadShape s;
        s.input_size = size;
        s.hidden_size = size;
        s.num_layers = layers;
        s.steps = kSteps;
        s.sequences = 1;
        if (torch_init) s.weight_scale = 1.0 / std::sqrt(static_cast<double>(size));
        Totals plain;
        Totals rounded;
        for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
          const FloatModel m = random_model(s, seed);
          const SequenceSet x = random_inputs(s, seed);
          const SequenceSet golden = run_golden_set(cfg, m, x);
          plain.add(compare_outputs(golden, run_float_set(m, x)));
          rounded.add(compare_outputs(
              golden, run_float_set(round_model(m, cfg), round_inputs(x, cfg.data))));
        }
        fmt::print("| {:>5} | {:>6} | {:>12.3e} | {:>13.3e} | {:>9.1f} | {:>20.3e} | {:>21.3e} |\n",
                   size, layers, plain.max_abs, plain.mean(), plain.max_abs / lsb,
                   rounded.max_abs, rounded.mean());
      }
  }
  try {
    print_trained(cfg, trained_dir, rtl);
  } catch (const std::runtime_error& e) {
    fmt::print(stderr, "lstm_accuracy_bench: error: {}\n", e.what());
    return 2;
  }
  return 0;
}
