// Speed of the golden model (which counts saturation events as it goes,
// docs/numerics.md), to compare builds before and after a change to it.
// Prints figures; asserts nothing.
// Usage: lstm_golden_speed_bench [--config HW.json] [--repeat N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "sim/engines.hpp"
#include "sim/model_io.hpp"
#include "sim/run_common.hpp"
#include "sim/workload.hpp"

namespace {

using namespace lstm;

// Best of `repeat` runs, in seconds: the least disturbed by other work on the machine.
template <class Fn>
double best_of(int repeat, Fn&& fn) {
  double best = 1e300;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    const std::chrono::duration<double> d = std::chrono::steady_clock::now() - t0;
    best = std::min(best, d.count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<std::string> config_path;
  int repeat = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string opt = argv[i];
    if (opt == "--config") config_path = argv[i + 1];
    else if (opt == "--repeat") repeat = std::max(1, std::atoi(argv[i + 1]));
  }
  try {
    const HwConfig cfg = load_config_or_throw(config_path);
    fmt::print("golden model speed, config {} (best of {} runs)\n\n", cfg.name, repeat);
    fmt::print("| X = H | layers | steps | MACs | golden (ms) | MACs per second |\n");
    fmt::print("|------:|-------:|------:|-----:|------------:|----------------:|\n");
    for (const auto& [size, layers, steps] :
         {std::tuple{16, 1, 400}, std::tuple{64, 2, 200}, std::tuple{256, 2, 50}}) {
      const WorkloadShape s = workload_shape(size, size, layers, steps, 1);
      const FloatModel m = random_model(s, 1);
      const SequenceSet x = random_inputs(s, 1);
      const double macs = 4.0 * size * 2.0 * size * layers * steps;
      const double secs = best_of(repeat, [&] { run_golden_set(cfg, m, x); });
      fmt::print("| {:>5} | {:>6} | {:>5} | {:.2e} | {:>11.2f} | {:>15.3e} |\n", size, layers,
                 steps, macs, secs * 1e3, macs / secs);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "lstm_golden_speed_bench: error: {}\n", e.what());
    return 2;
  }
  return 0;
}
