// The `rtl` engine of lstmsim: generate the RTL of a config, build it into a
// model plugin on first use (tb/rtl_build.hpp, cached by config hash), and
// run rtlsim (built with the project) on it. A first use prints where the time
// went: generate, verilate, compile, link, simulate.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "spec/config.hpp"
#include "tb/process.hpp"
#include "tb/rtl_build.hpp"

namespace lstm {

struct RtlRunRequest {
  std::string config_path;           // the config file (rtlsim reads it again)
  std::string mode = "single";       // single, mp, mt, hc, hybrid
  int batch = 1;                     // single on a batch design: sequences run together (--batch)
  std::vector<std::string> models;
  std::vector<std::string> inputs;
  std::string output;
  std::string trace;                 // FST file, empty for none
  double backpressure = 0.0;
  double idle = 0.0;
  double axil_idle = 0.0;            // before each AXI4-Lite AW, W, AR request
  double axil_backpressure = 0.0;    // BREADY and RREADY low
  std::uint64_t seed = 1;
  std::uint64_t timeout_cycles = 0;
  std::uint64_t random_init = 0;     // seed for random unreset state; 0: zeros
  std::uint64_t reset_at = 0;        // reset this many cycles into a first run; 0: none
  bool quiet = false;
  std::string log;                   // append rtlsim's stdout and stderr here; empty: inherit
  std::string load;                  // rtlsim --load: rows, host-port or backdoor; empty: rtlsim's default
  bool read_state = true;            // read h_n and c_n after every job (benchmarks: false)
  bool read_saturation = true;       // read the saturation counters after a job (benchmarks: false)
};

// Where verilated builds are kept: $LSTM_RTL_CACHE, else <build dir>/rtl-cache.
std::filesystem::path rtl_cache_root();

// The simulator of a config: rtlsim and the config's model plugin.
struct RtlSimulator {
  std::filesystem::path rtlsim;   // the program (the project's build)
  std::filesystem::path plugin;   // the config's model (rtl cache)
  bool built = false;             // the plugin was built by this call
  double generate_seconds = 0.0;  // of the RTL, by this call
  tb::RtlBuildTimes times;        // of the build, if built
};

// Generates the RTL of c and builds its plugin if needed. verilator_threads > 1
// builds a separate plugin verilated with --threads N (lstm_speed_bench
// --verilator-threads; docs/testbench.md has why the default stays 1).
// trace builds a separate plugin verilated with --trace-fst, for runs that
// write a waveform: the trace code is about a third of the model's C++, so
// runs without a waveform (every test, the bench) do not compile it.
RtlSimulator ensure_rtlsim(const HwConfig& c, std::ostream& progress, unsigned verilator_threads = 1,
                           bool trace = false);

// rtlsim's command line for a run.
std::vector<std::string> rtlsim_command(const RtlSimulator& sim, const RtlRunRequest& r);

// Runs the simulator; returns its exit code (0 bit-exact, 1 mismatch,
// 2 bad input, 3 simulation failure).
int run_rtl_engine(const HwConfig& c, const RtlRunRequest& r, std::ostream& progress);

using tb::run_program;
// The same with a log: stdout and stderr (after the command line) are appended
// there instead of going to ours; an empty log inherits ours.
inline int run_program(const std::vector<std::string>& argv, const std::string& log) {
  return log.empty() ? tb::run_program(argv) : tb::run_logged(argv, log);
}

}  // namespace lstm
