// How far the fixed-point golden model is from the float reference on h, for
// the default config over a few model shapes. Prints figures; asserts nothing.
// Usage: lstm_accuracy_bench [--config HW.json]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "sim/engines.hpp"
#include "sim/fixed_point.hpp"
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

}  // namespace

int main(int argc, char** argv) {
  std::optional<std::string> config_path;
  if (argc == 3 && std::string(argv[1]) == "--config") config_path = argv[2];
  else if (argc != 1) {
    fmt::print(stderr, "usage: {} [--config HW.json]\n", argv[0]);
    return 2;
  }
  constexpr int kSteps = 20;
  constexpr std::uint64_t kSeeds = 4;
  HwConfig cfg;
  try {
    cfg = load_config_or_throw(config_path);
  } catch (const FileError& e) {
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
  return 0;
}
