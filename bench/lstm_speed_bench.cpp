// How fast the simulators run one job on a config: simulated clock cycles per
// second of the rtl engine (rtlsim on the config's model plugin) and of Icarus
// on the testbench `lstmsim emit-tb` writes for the same job, and their ratio
// (CPU time of each simulation: the machine may be shared).
// With --cold it first builds the config's plugin in an empty cache and prints
// where the time to the first output went. Prints figures; asserts nothing.
//
// Usage: lstm_speed_bench [--config HW.json] [--cold] [--no-icarus] [--runs N]
//                         [--layers N] [--size N] [--steps N] [--work DIR]
//                         [--verilator-threads N]
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>

#include "sim/model_io.hpp"
#include "sim/workload.hpp"
#include "tb/emit_tb.hpp"
#include "tb/process.hpp"
#include "tb/rtl_engine.hpp"

namespace {

using namespace lstm;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string config = std::string(LSTM_SOURCE_DIR) + "/configs/default.json";
  std::string work;
  bool cold = false;
  bool icarus = true;
  int runs = 3;
  unsigned verilator_threads = 1;
  int layers = 2, size = 64, steps = 24;
};

// Simulated cycles and the simulator's CPU time (user + system): on a shared
// machine CPU time moves much less with the load than wall time.
struct Speed {
  std::uint64_t cycles = 0;
  double seconds = 0.0;       // CPU
  double wall = 0.0;
  double per_second() const { return seconds > 0 ? static_cast<double>(cycles) / seconds : 0.0; }
};

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The job: a random model shaped to fit the config, two sequences.
WorkloadShape job_shape(const Args& a, const HwConfig& c) {
  return workload_shape(std::min(a.size, c.limits.max_input), std::min(a.size, c.limits.max_hidden),
                        std::min(a.layers, c.limits.max_layers), a.steps, 2);
}

// Builds the plugin in an empty cache and runs the job once, printing the breakdown.
void cold_start(const Args& a, const HwConfig& c, const RtlRunRequest& r, const fs::path& work) {
  const fs::path cache = work / "rtl-cache-cold";
  fs::remove_all(cache);
  ::setenv("LSTM_RTL_CACHE", cache.c_str(), 1);
  std::ostringstream quiet;
  const auto t0 = Clock::now();
  const RtlSimulator sim = ensure_rtlsim(c, quiet, a.verilator_threads);
  const auto t1 = Clock::now();
  if (tb::run_program(rtlsim_command(sim, r)) != 0) throw std::runtime_error("rtlsim failed");
  const auto& t = sim.times;
  std::cout << fmt::format(
      "cold start (empty cache, {}): {:.1f} s to the first output: generate {:.1f} s, verilate "
      "{:.1f} s, compile {:.1f} s ({} units, {} at a time), link {:.1f} s, simulate {:.1f} s "
      "(Verilator and compilers: {:.1f} s of CPU)\n",
      a.config, seconds_since(t0), sim.generate_seconds, t.verilate, t.compile, t.units,
      t.parallel, t.link, seconds_since(t1), t.cpu);
}

// rtlsim --timing: the simulation loop's own cycles and seconds; best of n runs.
Speed rtl_speed(const HwConfig& c, RtlRunRequest r, int runs, unsigned threads) {
  const RtlSimulator sim = ensure_rtlsim(c, std::cerr, threads);
  std::vector<std::string> cmd = rtlsim_command(sim, r);
  cmd.push_back("--timing");
  Speed best;
  for (int i = 0; i < runs; ++i) {
    if (tb::run_program(cmd) != 0) throw std::runtime_error("rtlsim failed");
    const auto j = nlohmann::json::parse(read_file(r.output));
    const auto& sim = j.at("simulation");
    const Speed s{sim.at("cycles").get<std::uint64_t>(), sim.at("cpu_seconds").get<double>(),
                  sim.at("seconds").get<double>()};
    // Threads trade CPU time for wall time: a threaded model's best run is its fastest.
    const bool better = threads > 1 ? s.wall < best.wall : s.seconds < best.seconds;
    if (best.seconds == 0.0 || better) best = s;
  }
  return best;
}

// emit-tb, iverilog, vvp: the cycles the testbench counted, vvp's wall time.
Speed icarus_speed(const Args& a, const fs::path& work, const fs::path& model, const fs::path& input,
                   double& compile_seconds) {
  const fs::path dir = work / "emit-tb";
  fs::remove_all(dir);
  EmitTbRequest e;
  e.config_path = a.config;
  e.model = model.string();
  e.input = input.string();
  e.out_dir = dir.string();
  run_emit_tb(e, "lstm_speed_bench");  // prints what it wrote
  const fs::path log = dir / "icarus.log";
  fs::current_path(dir);  // files.f and the $readmemh files are relative to the folder
  auto t0 = Clock::now();
  if (tb::run_logged({"iverilog", "-g2012", "-o", (dir / "tb.vvp").string(), "-f",
                      (dir / "files.f").string()}, log) != 0)
    throw std::runtime_error("iverilog failed; log: " + log.string());
  compile_seconds = seconds_since(t0);
  std::vector<tb::Command> vvp{{"vvp", {"vvp", "-n", (dir / "tb.vvp").string()}, log}};
  if (!tb::run_parallel(vvp, 1)) throw std::runtime_error("vvp failed; log: " + log.string());
  const std::string out = read_file(log);
  std::smatch m;
  if (out.find("PASS:") == std::string::npos ||
      !std::regex_search(out, m, std::regex(R"(lstm_tb_top: (\d+) clock cycles simulated)")))
    throw std::runtime_error("the Icarus testbench did not pass; log: " + log.string());
  return {std::stoull(m[1]), vvp[0].cpu_seconds, vvp[0].seconds};
}

int run(const Args& a) {
  const HwConfig c = load_config_or_throw(a.config);
  const fs::path work = fs::absolute(a.work.empty() ? fs::temp_directory_path() / "lstm-speed-bench" : fs::path(a.work));
  fs::create_directories(work);
  const WorkloadShape s = job_shape(a, c);
  const fs::path model = work / "model.json", input = work / "input.json";
  write_json_file_atomic(model.string(), model_to_json(random_model(s, 1)));
  write_json_file_atomic(input.string(), inputs_to_json(random_inputs(s, 2)));
  std::cout << fmt::format(
      "speed: config {} ({} cores x {} lanes); job: single mode, {} layers, X {}, H {}, {} steps, "
      "{} sequences\n",
      c.name, c.cores, c.lanes, s.num_layers, s.input_size, s.hidden_size, s.steps, s.sequences);
  RtlRunRequest r;
  r.config_path = a.config;
  r.models = {model.string()};
  r.inputs = {input.string()};
  r.output = (work / "rtl-output.json").string();
  r.quiet = true;
  r.read_state = false;
  r.read_saturation = false;
  if (a.cold) cold_start(a, c, r, work);
  const Speed rtl = rtl_speed(c, r, a.runs, a.verilator_threads);
  std::cout << fmt::format("rtl engine (Verilator, model plugin, {} thread{}): {} cycles in {:.3f} s "
                           "of CPU ({:.3f} s wall): {:.0f} cycles/s of CPU, {:.0f} of wall (best of {})\n",
                           a.verilator_threads, a.verilator_threads > 1 ? "s" : "", rtl.cycles,
                           rtl.seconds, rtl.wall, rtl.per_second(),
                           rtl.wall > 0 ? static_cast<double>(rtl.cycles) / rtl.wall : 0.0, a.runs);
  if (!a.icarus) return 0;
  double compile = 0.0;
  const Speed icarus = icarus_speed(a, work, model, input, compile);
  std::cout << fmt::format("Icarus (emit-tb, vvp): {} cycles in {:.1f} s of CPU ({:.1f} s wall): "
                           "{:.0f} cycles/s (iverilog {:.1f} s)\n",
                           icarus.cycles, icarus.seconds, icarus.wall, icarus.per_second(), compile);
  std::cout << fmt::format("ratio: the rtl engine simulates {:.0f}x as many cycles per second as Icarus\n",
                           rtl.per_second() / icarus.per_second());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lstm_speed_bench: simulated cycles per second of the rtl engine and of Icarus on one job"};
  Args a;
  app.add_option("--config", a.config, "hardware config JSON (default: configs/default.json)");
  app.add_flag("--cold", a.cold, "first build the config's plugin in an empty cache and print the breakdown");
  app.add_flag("!--no-icarus", a.icarus, "skip the Icarus run");
  app.add_option("--runs", a.runs, "rtl engine runs (the best counts)")->check(CLI::Range(1, 100));
  app.add_option("--verilator-threads", a.verilator_threads,
                 "verilate the config's model with --threads N (a separate cached plugin)")
      ->check(CLI::Range(1, 16));
  app.add_option("--layers", a.layers, "layers of the job's model")->check(CLI::Range(1, 64));
  app.add_option("--size", a.size, "X and H of the job's model")->check(CLI::Range(1, 4096));
  app.add_option("--steps", a.steps, "steps per sequence")->check(CLI::Range(1, 100000));
  app.add_option("--work", a.work, "scratch folder (default: a temporary one)");
  CLI11_PARSE(app, argc, argv);
  try {
    return run(a);
  } catch (const std::exception& e) {
    std::cerr << "lstm_speed_bench: error: " << e.what() << "\n";
    return 1;
  }
}
