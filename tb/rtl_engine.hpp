// The `rtl` engine of lstmsim: generate the RTL of a config, verilate it on
// first use (cached by config hash), and run rtlsim on it.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "spec/config.hpp"

namespace lstm {

struct RtlRunRequest {
  std::string config_path;           // the config file (rtlsim reads it again)
  std::string mode = "single";       // single, mp, mt, hc
  std::vector<std::string> models;
  std::vector<std::string> inputs;
  std::string output;
  std::string trace;                 // FST file, empty for none
  double backpressure = 0.0;
  double idle = 0.0;
  std::uint64_t seed = 1;
  std::uint64_t timeout_cycles = 0;
  std::uint64_t random_init = 0;     // seed for random unreset state; 0: zeros
  std::uint64_t reset_at = 0;        // reset this many cycles into a first run; 0: none
  bool quiet = false;
  std::string log;                   // append rtlsim's stdout and stderr here; empty: inherit
};

// Where verilated builds are kept: $LSTM_RTL_CACHE, else <build dir>/rtl-cache.
std::filesystem::path rtl_cache_root();

// Generates and builds (if needed) the simulator for c; returns its path.
std::filesystem::path ensure_rtlsim(const HwConfig& c, std::ostream& progress);

// Runs the simulator; returns its exit code (0 bit-exact, 1 mismatch,
// 2 bad input, 3 simulation failure).
int run_rtl_engine(const HwConfig& c, const RtlRunRequest& r, std::ostream& progress);

// Runs a program with arguments (no shell); returns its exit code (128 + the
// signal if one killed it). With a log, its stdout and stderr are appended
// there instead of going to ours.
int run_program(const std::vector<std::string>& argv, const std::string& log = {});

}  // namespace lstm
