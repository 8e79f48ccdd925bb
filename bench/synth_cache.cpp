#include "bench/synth_cache.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

#include "gen/generator.hpp"
#include "sim/model_io.hpp"
#include "spec/json_text.hpp"
#include "tb/rtl_build.hpp"
#include "tb/rtl_engine.hpp"

namespace lstm {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

std::string read_text(const fs::path& p) { return read_text_file(p.string()).text; }

// Everything a target's figures depend on: the generated files, the script
// and the target.
std::string synth_fingerprint(const fs::path& rtl, const fs::path& script, const std::string& target) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(rtl))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string all = target + "\n" + read_text(script);
  for (const auto& f : files) all += "\n" + f.filename().string() + "\n" + read_text(f);
  return text_hash(all);
}

// synth-<target>.json without what only a person reading one run needs.
ordered_json figures_of(const fs::path& json_file) {
  std::ifstream in(json_file);
  ordered_json j = ordered_json::parse(in);
  for (const char* k : {"cells_by_type", "command", "script", "top", "target"}) j.erase(k);
  return j;
}

ordered_json synthesize_target(const fs::path& dir, const fs::path& rtl, const std::string& target,
                               int timeout, std::ostream& progress) {
  const fs::path script = fs::path(LSTM_SOURCE_DIR) / "tools/synth.sh";
  const fs::path result = dir / (target + ".json"), stamp = dir / (target + ".stamp");
  const std::string fp = synth_fingerprint(rtl, script, target);
  if (fs::is_regular_file(result) && fs::is_regular_file(stamp) && read_text(stamp) == fp + "\n")
    return figures_of(result);
  progress << fmt::format("sweep: synthesizing {} with Yosys ({})...\n", dir.filename().string(),
                          target)
           << std::flush;
  const fs::path log = dir / (target + ".log");
  fs::remove(log);
  const int rc = run_program({"/usr/bin/timeout", std::to_string(timeout), "/bin/bash",
                              script.string(), rtl.string(), "--target", target},
                             log.string());
  if (rc == 124)
    throw std::runtime_error(fmt::format("Yosys ({}) took longer than {} s; log: {}", target,
                                         timeout, log.string()));
  if (rc != 0)
    throw std::runtime_error(fmt::format("tools/synth.sh --target {} failed (exit {}); log: {}",
                                         target, rc, log.string()));
  fs::copy_file(rtl / fmt::format("synth-{}.json", target), result,
                fs::copy_options::overwrite_existing);
  write_text_file_atomic(stamp.string(), fp + "\n");
  return figures_of(result);
}

}  // namespace

ordered_json cached_synthesis(const HwConfig& c, const SynthRequest& r, std::ostream& progress) {
  const std::string key = config_hash(c);
  const fs::path root = rtl_cache_root();
  const fs::path dir = root / (key + "-synth");
  fs::create_directories(dir);
  tb::FileLock lock(root / (key + "-synth.lock"), "the synthesis of config " + key, progress);
  // Regenerating is cheap and reproducible; the fingerprint then tells
  // whether the RTL changed since the cached figures were made.
  const fs::path rtl = dir / "rtl";
  generate_rtl(c, rtl, fmt::format("lstmsim sweep (synthesis, config {})", c.name));
  ordered_json out = ordered_json::object();
  for (const auto& t : r.targets) out[t] = synthesize_target(dir, rtl, t, r.timeout_seconds, progress);
  return out;
}

}  // namespace lstm
