// `lstmsim demo`: shows what the fixed-point model costs in accuracy.
#include "apps/demo.hpp"

#include <cmath>

#include <fmt/format.h>

#include "sim/engines.hpp"

namespace lstm {

WorkloadShape demo_shape() { return workload_shape(64, 64, 2, 20, 2); }

void run_demo(const HwConfig& c, std::FILE* out) {
  const WorkloadShape s = demo_shape();
  const FloatModel model = random_model(s, kDemoSeed);
  const SequenceSet inputs = random_inputs(s, kDemoSeed);
  const ErrorStats err =
      compare_outputs(run_golden_set(c, model, inputs), run_float_set(model, inputs));

  fmt::print(out, "lstmsim demo: built-in random LSTM (seed {}), config \"{}\" ({})\n",
             kDemoSeed, c.name, config_hash(c));
  fmt::print(out, "  {:<24} {}\n", "model", fmt::format("{} layers, input {}, hidden {}",
                                                          s.num_layers, s.input_size,
                                                          s.hidden_size));
  fmt::print(out, "  {:<24} {} sequences x {} steps\n", "workload", s.sequences, s.steps);
  fmt::print(out, "  {:<24} {:.3e}\n", "max |golden - float| h", err.max_abs);
  fmt::print(out, "  {:<24} {:.3e}\n", "mean |golden - float| h", err.mean_abs);
  fmt::print(out, "  {:<24} {} values\n", "compared", err.count);
  // The error is best read against the smallest step the data format can take.
  fmt::print(out, "  {:<24} {:.3e} (data Q{}.{})\n", "data format LSB",
             std::ldexp(1.0, -c.data.frac), c.data.width - c.data.frac, c.data.frac);
}

}  // namespace lstm
