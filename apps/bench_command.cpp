// `lstmsim bench`: a built-in suite in every mode on the generated RTL of a
// config; prints the table and writes the report (bench/benchmark.hpp).
#include <iostream>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "apps/lstmsim_commands.hpp"
#include "bench/bench_hardware.hpp"
#include "bench/benchmark.hpp"
#include "sim/model_io.hpp"
#include "sim/run_common.hpp"

namespace lstm::app {

namespace {

struct BenchCommandOptions {
  BenchOptions bench;
  std::string report;  // --report, as given
};

int bench(const BenchCommandOptions& c) {
  BenchOptions o = c.bench;
  o.report_dir = c.report;
  if (o.config_path.empty()) o.config_path = default_config_path();
  o.config = load_config_or_throw(o.config_path);
  if (o.impl) o.synth = true;
  const auto rows = run_bench(o, std::cerr);
  std::optional<ConfigFigures> hardware;
  if (o.synth) hardware = bench_hardware(o, std::cerr);
  const std::optional<double> fmax = hardware ? placed_fmax_mhz(*hardware) : std::nullopt;
  fmt::print("\n{}", bench_markdown(o, rows, fmax));
  if (hardware) fmt::print("\n{}", hardware_markdown(o, *hardware));
  if (!o.report_dir.empty()) {
    write_bench_report(o, rows, hardware ? &*hardware : nullptr);
    fmt::print("\nreport: {0}/report.md, {0}/report.json, {0}/speedup.svg\n", c.report);
  }
  for (const auto& r : rows)
    if (!r.bit_exact) return 1;
  return 0;
}

}  // namespace

Command add_bench_command(CLI::App& app) {
  auto c = std::make_shared<BenchCommandOptions>();
  BenchOptions* o = &c->bench;
  CLI::App* cmd = app.add_subcommand(
      "bench", "Run a built-in suite of LSTM workloads in every mode on the generated RTL of a "
               "config (rtl engine) and print the measured cycles, speedups and MAC utilization");
  cmd->add_option("--config", o->config_path,
                  "hardware config JSON (default: configs/default.json)");
  cmd->add_option("--suite", o->suite,
                  "paper: workloads shaped like the paper's references (default); targets: the "
                  "utilization and speedup targets; quick: two tiny workloads")
      ->check(CLI::IsMember(bench_suite_names()));
  cmd->add_option("--load", o->load,
                  "how each run loads its weights: rows (the weight row stream; the default when "
                  "the config has the row loader), host-port (one host write per weight; the "
                  "default without it) or backdoor (no cycles); the report "
                  "shows the load's cycles and load + run beside the run's cycles")
      ->check(CLI::IsMember({"rows", "host-port", "backdoor"}));
  cmd->add_option("--report", c->report,
                  "folder for report.json, report.md and speedup.svg (and the workload files)");
  cmd->add_flag("--synth", o->synth,
                "also synthesize the config's RTL with Yosys (generic, ice40 and depth: LUT4 "
                "levels) and add a resources section; cached per config; minutes for "
                "configs/small.json, far longer for large configs");
  cmd->add_option_function<std::string>(
         "--impl",
         [o](const std::string& device) {
           if (!o->impl) o->impl.emplace();
           o->impl->device = device;
         },
         "also place and route it on an iCE40 (tools/impl.sh; hx8k or up5k): the report adds "
         "the clock and each run's time in microseconds")
      ->check(CLI::IsMember({"hx8k", "up5k"}));
  cmd->add_option_function<int>(
         "--impl-seeds",
         [o](int seeds) {
           if (!o->impl) o->impl.emplace();
           o->impl->seeds = seeds;
         },
         "nextpnr seeds for --impl; the median counts (default 1)")
      ->check(CLI::Range(1, 9));
  return {cmd, [c](const std::string&) { return bench(*c); }};
}

}  // namespace lstm::app
