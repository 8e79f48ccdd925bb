// Runs random workloads on the generated RTL of a config through the rtl
// engine, and checks the output file against the golden model computed here,
// independently of rtlsim's own scoreboard.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/saturation.hpp"
#include "sim/workload.hpp"

namespace lstm::test {

struct RtlCase {
  std::string name;                 // folder name for the files
  std::string config;               // path relative to the source tree
  std::string mode = "single";
  std::vector<WorkloadShape> models;  // one job set per model
  std::uint64_t seed = 1;
  double backpressure = 0.3;
  double idle = 0.2;
  double axil_idle = 0.0;           // AXI4-Lite AW, W, AR idle (rtlsim --axil-idle)
  double axil_backpressure = 0.0;   // BREADY, RREADY low (rtlsim --axil-backpressure)
  std::uint64_t random_init = 0;    // rtlsim --random-init
  std::uint64_t reset_at = 0;       // rtlsim --reset-at
  std::string load = "rows";        // rtlsim --load: rows, host-port or backdoor; empty: rtlsim's default
  bool saturating = false;          // models from saturating_model, not random_model
  int batch = 1;                    // rtlsim --batch (mode single on a batch design)
};

struct RtlResult {
  int exit_code = -1;
  bool bit_exact = false;           // output file equals the golden model
  std::uint64_t cycles = 0;
  std::uint64_t load_cycles = 0;
  std::uint64_t reset_at_cycle = 0;  // where the reset came, with reset_at
  int cores_used = 0;
  std::string stages;               // hybrid: the plan's stages (run_plan.hpp, stages_text)
  std::string output_path;
  std::string outputs;              // the output file's "outputs" or "models", as JSON text
  // The output file's saturation counts (its "saturation" objects' layers),
  // per model, and whether they equal the golden engine's, computed here.
  std::vector<LayerSatCounts> saturation;
  bool saturation_exact = false;    // false too when the file has no counts (null)
  std::uint64_t saturation_mismatches = 0;  // the file's count (rtlsim's scoreboard)
};

RtlResult run_rtl_case(const RtlCase& c);

}  // namespace lstm::test
