// The benchmark behind `lstmsim bench`: built-in LSTM workloads run in every
// mode on the generated RTL of a config. Every figure is a count of simulated
// clock cycles of that RTL (rtlsim's output), never a formula.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "bench/synth_cache.hpp"
#include "spec/config.hpp"
#include "spec/host_map.hpp"
#include "sim/workload.hpp"

namespace lstm {

struct BenchWorkload {
  std::string name;
  std::string description;
  WorkloadShape shape;               // sequences: set from the core count
  std::vector<hostmap::Mode> modes;  // besides single, which is always run
  std::optional<double> paper;       // the paper's speedup for this kind of mode
  std::optional<double> target_util; // single-mode MAC utilization to reach (with batch: of the
                                     // batched run)
  std::optional<double> target;      // the modes' speedup to reach, instead of target_speedup()'s
  int batch = 1;                     // > 1: also single with this many sequences batched
                                     // (a design with features.batch; sequences = batch)
};

struct BenchRow {
  std::string workload;
  hostmap::Mode mode = hostmap::Mode::Single;  // for the auto row: the mode auto chose
  bool automatic = false;            // the auto row: the cost model's choice among the modes
  int batch = 1;                     // single with this many sequences batched (rtlsim --batch)
  int cores = 0, cores_used = 0, lanes = 0;
  std::uint64_t cycles = 0;          // the run: from the first start to the last output
  std::uint64_t load_cycles = 0;     // the weight load before it (the row stream)
  std::uint64_t predicted = 0;       // the cost model's cycles for this mode (host/cost_model.hpp)
  double speedup = 0.0;              // cycles(single) / cycles(mode)
  double mac_utilization = 0.0;
  std::optional<double> paper;       // paper's figure for this mode
  std::optional<double> target;      // what we set out to reach (speedup or utilization)
  bool bit_exact = false;
};

struct BenchOptions {
  std::string config_path;
  HwConfig config;
  std::string suite = "paper";       // paper, targets, quick
  std::filesystem::path report_dir;  // empty: no files
  std::string config_label;          // names the config in the report
  std::string load;                  // rtlsim --load: rows, host-port or backdoor; empty: load_method()
  bool synth = false;                // also synthesize the config with Yosys (bench/bench_hardware.hpp)
  std::optional<ImplRequest> impl;   // and place and route it (implies synth)
};

std::vector<BenchWorkload> bench_suite(const std::string& suite, const HwConfig& c);
// The load method the runs use: o.load, or without one the config's own (rows,
// or host-port on a design without the row loader, config features).
std::string load_method(const BenchOptions& o);
std::vector<std::string> bench_suite_names();

// Runs the suite; prints a progress line per run to `progress`.
std::vector<BenchRow> run_bench(const BenchOptions& o, std::ostream& progress);

// The table printed at the end and written to report.md; with a clock (the
// placed design's fmax) a column of each run's time in microseconds.
std::string bench_markdown(const BenchOptions& o, const std::vector<BenchRow>& rows,
                           std::optional<double> fmax_mhz = std::nullopt);
// report.json, report.md and speedup.svg into o.report_dir; hardware: the
// resources and clock (bench --synth), or null.
void write_bench_report(const BenchOptions& o, const std::vector<BenchRow>& rows,
                        const ConfigFigures* hardware = nullptr);

}  // namespace lstm
