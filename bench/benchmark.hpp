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
  std::optional<double> target_util; // single-mode MAC utilization to reach
};

struct BenchRow {
  std::string workload;
  hostmap::Mode mode = hostmap::Mode::Single;  // for the auto row: the mode auto chose
  bool automatic = false;            // the auto row: the cost model's choice among the modes
  int cores = 0, cores_used = 0, lanes = 0;
  std::uint64_t cycles = 0;
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
  bool synth = false;                // also synthesize the config with Yosys (needs report_dir)
};

// Resource figures of one Yosys flow (tools/synth.sh) on the config's RTL.
struct SynthFigures {
  std::string target;
  std::int64_t cells = 0, luts = 0, flip_flops = 0, dsps = 0, block_rams = 0, ram_bits = 0;
};

// Generates the config's RTL into report_dir/rtl and runs tools/synth.sh on it
// (generic and ice40). Throws with the log's location when Yosys fails.
std::vector<SynthFigures> run_bench_synthesis(const BenchOptions& o, std::ostream& progress);

std::vector<BenchWorkload> bench_suite(const std::string& suite, const HwConfig& c);
std::vector<std::string> bench_suite_names();

// Runs the suite; prints a progress line per run to `progress`.
std::vector<BenchRow> run_bench(const BenchOptions& o, std::ostream& progress);

// The table printed at the end and written to report.md.
std::string bench_markdown(const BenchOptions& o, const std::vector<BenchRow>& rows);
// report.json, report.md and speedup.svg into o.report_dir.
void write_bench_report(const BenchOptions& o, const std::vector<BenchRow>& rows,
                        const std::vector<SynthFigures>& synth = {});
std::string synth_markdown(const BenchOptions& o, const std::vector<SynthFigures>& synth);

}  // namespace lstm
