#include "tb/rtl_engine.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gen/generator.hpp"
#include "tb/rtl_build.hpp"

namespace lstm {

namespace fs = std::filesystem;

fs::path rtl_cache_root() {
  if (const char* env = std::getenv("LSTM_RTL_CACHE"); env && *env) return env;
  return fs::path(LSTM_BINARY_DIR) / "rtl-cache";
}

fs::path ensure_rtlsim(const HwConfig& c, std::ostream& progress) {
  const std::string key = config_hash(c);
  const fs::path root = rtl_cache_root();
  const fs::path rtl_dir = root / key / "rtl";
  // Generation is cheap and reproducible: redo it so the build sees the
  // current generator; the builder only recompiles when the text changed.
  // Several processes (ctest -j) may want the same config. Regenerating
  // replaces the rtl folder, so the lock is held until the build has read it.
  fs::create_directories(rtl_dir.parent_path());
  tb::FileLock lock(root / (key + ".gen.lock"), "config " + key, progress);
  generate_rtl(c, rtl_dir, fmt::format("lstmsim (rtl engine, config {})", c.name));
  tb::RtlBuildRequest req;
  req.rtl_dir = rtl_dir;
  req.top = "lstm_top";
  req.cache_root = root;
  req.key = key + "-sim";
  const fs::path src = LSTM_SOURCE_DIR;
  req.harness_sources = {src / "tb/rtlsim_main.cpp"};
  req.include_roots = {src};
  req.include_dirs = {src / "spec", src / "sim", src / "host", src / "tb"};
  req.link_libraries = {fs::path(LSTM_LIB_DIR) / "liblstm_host.a",
                        fs::path(LSTM_LIB_DIR) / "liblstm_sim.a",
                        fs::path(LSTM_LIB_DIR) / "liblstm_spec.a"};
  req.find_packages = {"fmt", "nlohmann_json", "CLI11"};
  req.link_targets = {"fmt::fmt", "nlohmann_json::nlohmann_json", "CLI11::CLI11"};
  // --x-initial unique lets rtlsim --random-init start unreset state from
  // random bits; --x-assign unique does the same for explicit X assignments.
  req.verilator_args = {"--assert", "-Wno-fatal", "--x-assign", "unique", "--x-initial", "unique"};
  return tb::ensure_rtl_build(req, progress);
}

int run_program(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("cannot start " + argv.front());
  if (pid == 0) {
    if (!log.empty()) {
      const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) _exit(127);
    }
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int run_rtl_engine(const HwConfig& c, const RtlRunRequest& r, std::ostream& progress) {
  const fs::path exe = ensure_rtlsim(c, progress);
  std::vector<std::string> argv{exe.string(), "--config", r.config_path, "--mode", r.mode};
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    argv.insert(argv.end(), {"--model", r.models[i]});
    if (i < r.inputs.size()) argv.insert(argv.end(), {"--input", r.inputs[i]});
  }
  if (!r.output.empty()) argv.insert(argv.end(), {"--output", r.output});
  if (!r.trace.empty()) argv.insert(argv.end(), {"--trace", r.trace});
  argv.insert(argv.end(), {"--backpressure", fmt::format("{}", r.backpressure), "--idle",
                           fmt::format("{}", r.idle), "--seed", std::to_string(r.seed)});
  if (r.timeout_cycles) argv.insert(argv.end(), {"--timeout-cycles", std::to_string(r.timeout_cycles)});
  if (r.random_init) argv.insert(argv.end(), {"--random-init", std::to_string(r.random_init)});
  if (r.reset_at) argv.insert(argv.end(), {"--reset-at", std::to_string(r.reset_at)});
  if (r.quiet) argv.push_back("--quiet");
  return run_program(argv, r.log);
}

}  // namespace lstm
