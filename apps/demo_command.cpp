// `lstmsim demo`: a built-in 2-layer LSTM through the golden and float
// engines; shows what the fixed-point model costs in accuracy.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "apps/lstmsim_commands.hpp"
#include "sim/engines.hpp"
#include "sim/run_common.hpp"
#include "sim/workload.hpp"

namespace lstm::app {

namespace {

constexpr std::uint64_t kDemoSeed = 1;

// 2 layers, X = H = 64, 20 steps, 2 sequences.
WorkloadShape demo_shape() { return workload_shape(64, 64, 2, 20, 2); }

// Runs both engines and prints the model shape and the golden-vs-float error.
int run_demo(const HwConfig& c, std::FILE* out) {
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
  return 0;
}

}  // namespace

Command add_demo_command(CLI::App& app) {
  auto config = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "Run a built-in 2-layer LSTM (X = H = 64, 20 steps, 2 sequences, seed 1) "
              "through both engines and print how far fixed point is from float");
  cmd->add_option("--config", *config,
                  "hardware config JSON; default: the built-in default config");
  return {cmd, [config](const std::string&) {
            return run_demo(load_config_or_throw(config->empty() ? std::nullopt
                                                                 : std::optional{*config}),
                            stdout);
          }};
}

}  // namespace lstm::app
