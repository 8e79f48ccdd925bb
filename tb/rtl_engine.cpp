#include "tb/rtl_engine.hpp"

#include <chrono>
#include <cstdlib>
#include <fmt/format.h>

#include "gen/generator.hpp"

namespace lstm {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The build request of a config's plugin: lstm_axi_top (the top users take)
// and its adapter.
tb::RtlBuildRequest plugin_request(const HwConfig& c, const fs::path& rtl_dir, const fs::path& root,
                                   unsigned threads, bool trace) {
  tb::RtlBuildRequest req;
  req.rtl_dir = rtl_dir;
  req.top = "lstm_axi_top";
  req.cache_root = root;
  req.key = config_hash(c) + "-sim" + (threads > 1 ? fmt::format("-t{}", threads) : "") +
            (trace ? "-trace" : "");
  req.trace = trace;
  const fs::path src = LSTM_SOURCE_DIR;
  req.sources = {src / "tb/lstm_axi_top_dut.cpp"};
  req.include_dirs = {src};
  req.defines = {fmt::format("LSTM_TB_CONFIG_HASH=\"{}\"", config_hash(c))};
  // --x-initial unique lets rtlsim --random-init start unreset state from
  // random bits; --x-assign unique does the same for explicit X assignments.
  req.verilator_args = {"--assert", "-Wno-fatal", "--x-assign", "unique", "--x-initial", "unique"};
  if (threads > 1) {
    req.verilator_args.insert(req.verilator_args.end(), {"--threads", std::to_string(threads)});
    req.defines.push_back(fmt::format("LSTM_TB_VERILATOR_THREADS={}", threads));
  }
  // The weight and bias memories visible to the driver's backdoor load.
  req.verilator_configs = {src / "tb/lstm_top_backdoor.vlt"};
  return req;
}

}  // namespace

fs::path rtl_cache_root() {
  if (const char* env = std::getenv("LSTM_RTL_CACHE"); env && *env) return env;
  return fs::path(LSTM_BINARY_DIR) / "rtl-cache";
}

RtlSimulator ensure_rtlsim(const HwConfig& c, std::ostream& progress, unsigned verilator_threads,
                           bool trace) {
  const std::string key = config_hash(c);
  const fs::path root = rtl_cache_root();
  const fs::path rtl_dir = root / key / "rtl";
  // Generation is cheap and reproducible: redo it so the build sees the
  // current generator; the builder only recompiles when the text changed.
  // Several processes (ctest -j) may want the same config. Regenerating
  // replaces the rtl folder, so the lock is held until the build has read it.
  fs::create_directories(rtl_dir.parent_path());
  tb::FileLock lock(root / (key + ".gen.lock"), "config " + key, progress);
  RtlSimulator sim;
  sim.rtlsim = LSTM_RTLSIM;
  const auto t0 = Clock::now();
  generate_rtl(c, rtl_dir, fmt::format("lstmsim (rtl engine, config {})", c.name));
  sim.generate_seconds = seconds_since(t0);
  const tb::RtlBuild b = tb::ensure_rtl_build(plugin_request(c, rtl_dir, root, verilator_threads, trace),
                                                 progress);
  sim.plugin = b.plugin;
  sim.built = b.built;
  sim.times = b.times;
  return sim;
}

std::vector<std::string> rtlsim_command(const RtlSimulator& sim, const RtlRunRequest& r) {
  std::vector<std::string> argv{sim.rtlsim.string(), "--model-lib", sim.plugin.string(),
                                "--config", r.config_path, "--mode", r.mode};
  if (r.batch > 1) argv.insert(argv.end(), {"--batch", std::to_string(r.batch)});
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    argv.insert(argv.end(), {"--model", r.models[i]});
    if (i < r.inputs.size()) argv.insert(argv.end(), {"--input", r.inputs[i]});
  }
  if (!r.output.empty()) argv.insert(argv.end(), {"--output", r.output});
  if (!r.trace.empty()) argv.insert(argv.end(), {"--trace", r.trace});
  argv.insert(argv.end(), {"--backpressure", fmt::format("{}", r.backpressure), "--idle",
                           fmt::format("{}", r.idle), "--seed", std::to_string(r.seed)});
  if (r.axil_idle > 0)
    argv.insert(argv.end(), {"--axil-idle", fmt::format("{}", r.axil_idle)});
  if (r.axil_backpressure > 0)
    argv.insert(argv.end(), {"--axil-backpressure", fmt::format("{}", r.axil_backpressure)});
  if (r.timeout_cycles) argv.insert(argv.end(), {"--timeout-cycles", std::to_string(r.timeout_cycles)});
  if (r.random_init) argv.insert(argv.end(), {"--random-init", std::to_string(r.random_init)});
  if (r.reset_at) argv.insert(argv.end(), {"--reset-at", std::to_string(r.reset_at)});
  if (r.quiet) argv.push_back("--quiet");
  if (!r.load.empty()) argv.insert(argv.end(), {"--load", r.load});
  if (!r.read_state) argv.push_back("--no-state-read");
  if (!r.read_saturation) argv.push_back("--no-saturation-read");
  return argv;
}

int run_rtl_engine(const HwConfig& c, const RtlRunRequest& r, std::ostream& progress) {
  const auto t0 = Clock::now();
  const RtlSimulator sim = ensure_rtlsim(c, progress, 1, !r.trace.empty());
  const auto t1 = Clock::now();
  // With a log, rtlsim's stdout and stderr are appended there (after its
  // command line) instead of going to ours.
  const std::vector<std::string> argv = rtlsim_command(sim, r);
  const int rc = run_program(argv, r.log);
  if (sim.built) {
    const auto& t = sim.times;
    progress << fmt::format(
                    "rtl: first use of config {}: {:.1f} s to the output: generate {:.1f} s, "
                    "verilate {:.1f} s, compile {:.1f} s ({} units, {} at a time), link {:.1f} s, "
                    "simulate {:.1f} s (Verilator and compilers: {:.1f} s of CPU)",
                    c.name, seconds_since(t0), sim.generate_seconds, t.verilate, t.compile,
                    t.units, t.parallel, t.link, seconds_since(t1), t.cpu)
             << std::endl;
  }
  return rc;
}

}  // namespace lstm
