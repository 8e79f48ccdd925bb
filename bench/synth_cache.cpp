#include "bench/synth_cache.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <regex>

#include "gen/generator.hpp"
#include "sim/model_io.hpp"
#include "spec/json_text.hpp"
#include "tb/rtl_build.hpp"
#include "tb/rtl_engine.hpp"

namespace lstm {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

std::string read_text(const fs::path& p) { return read_text_file(p.string()).text; }

fs::path tool(const char* name) { return fs::path(LSTM_SOURCE_DIR) / "tools" / name; }

// The generated files' names and contents, read once right after generation
// (the tools then write their own files into the folder).
std::string rtl_text(const fs::path& rtl) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(rtl))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string all;
  for (const auto& f : files) all += "\n" + f.filename().string() + "\n" + read_text(f);
  return all;
}

// dir/<name>.json holds a tool's result for this fingerprint (its .stamp).
bool cached(const fs::path& dir, const std::string& name, const std::string& fingerprint) {
  const fs::path result = dir / (name + ".json"), stamp = dir / (name + ".stamp");
  return fs::is_regular_file(result) && fs::is_regular_file(stamp) &&
         read_text(stamp) == fingerprint + "\n";
}

void store(const fs::path& dir, const std::string& name, const std::string& fingerprint,
           const std::string& result_text) {
  write_text_file_atomic((dir / (name + ".json")).string(), result_text);
  write_text_file_atomic((dir / (name + ".stamp")).string(), fingerprint + "\n");
}

ordered_json read_json(const fs::path& p) {
  std::ifstream in(p);
  return ordered_json::parse(in);
}

// synth-<target>.json without what only a person reading one run needs;
// depth's whole-design row as lut_levels and deepest_path.
ordered_json synth_figures(ordered_json j) {
  for (const char* k : {"cells_by_type", "command", "script", "top", "target"}) j.erase(k);
  if (j.contains("lut_depth")) {
    const ordered_json whole = j["lut_depth"].value("whole", ordered_json::object());
    j["lut_levels"] = whole.value("lut_levels", ordered_json());
    j["deepest_path"] = whole;
    j.erase("lut_depth");
  }
  return j;
}

ordered_json synthesize_target(const fs::path& dir, const fs::path& rtl, const std::string& rtl_files,
                               const std::string& target, int timeout, std::ostream& progress) {
  const fs::path script = tool("synth.sh");
  // The same text as before the cache learned place and route, so the
  // figures cached then stay valid.
  const std::string fp = text_hash(target + "\n" + read_text(script) + rtl_files);
  if (cached(dir, target, fp)) return synth_figures(read_json(dir / (target + ".json")));
  progress << fmt::format("synthesis: {} with Yosys ({})...\n", dir.filename().string(),
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
  store(dir, target, fp, read_text(rtl / fmt::format("synth-{}.json", target)));
  return synth_figures(read_json(dir / (target + ".json")));
}

ordered_json place_and_route(const fs::path& dir, const fs::path& rtl, const std::string& rtl_files,
                             const ImplRequest& r, std::ostream& progress) {
  const std::string name = "impl-" + r.device;
  std::string scripts;
  for (const char* t : {"impl.sh", "impl_shell.py", "impl_report.py"}) scripts += read_text(tool(t));
  const std::string fp = text_hash(fmt::format("impl {} seeds {} freq {}\n", r.device, r.seeds,
                                               r.freq_mhz) + scripts + rtl_files);
  if (cached(dir, name, fp)) return impl_figures(read_json(dir / (name + ".json")));
  progress << fmt::format("synthesis: placing and routing {} with nextpnr ({}, {} seed{})...\n",
                          dir.filename().string(), r.device, r.seeds, r.seeds == 1 ? "" : "s")
           << std::flush;
  const fs::path log = dir / (name + ".log"), out = rtl / name;
  fs::remove(log);
  const std::string t = std::to_string(r.timeout_seconds);
  const int rc = run_program({"/bin/bash", tool("impl.sh").string(), rtl.string(), "--device",
                              r.device, "--seeds", std::to_string(r.seeds), "--freq",
                              std::to_string(r.freq_mhz), "--synth-timeout", t, "--pnr-timeout", t},
                             log.string());
  if (rc == 1 && read_text(log).find("does not fit the " + r.device) != std::string::npos) {
    store(dir, name, fp, impl_no_fit(read_text(out / "nextpnr-seed1.log"), r.device).dump(2) + "\n");
  } else if (rc != 0) {
    throw std::runtime_error(fmt::format("tools/impl.sh --device {} failed (exit {}); log: {}",
                                         r.device, rc, log.string()));
  } else {
    ordered_json j = read_json(out / "impl.json");
    j["fits"] = true;
    store(dir, name, fp, j.dump(2) + "\n");
  }
  return impl_figures(read_json(dir / (name + ".json")));
}

}  // namespace

ordered_json impl_no_fit(const std::string& nextpnr_log, const std::string& device) {
  ordered_json j{{"device", device}, {"fits", false},
                 {"problem", fmt::format("the design does not fit the {}", device)}};
  const std::regex lc(R"(ICESTORM_LC:\s+(\d+)/\s*(\d+))");
  std::smatch m;
  if (std::regex_search(nextpnr_log, m, lc)) {
    j["logic_cells"] = std::stoi(m[1]);
    j["logic_cells_available"] = std::stoi(m[2]);
    j["problem"] = fmt::format("the design does not fit the {}: {} of {} logic cells", device,
                               m[1].str(), m[2].str());
  }
  return j;
}

ordered_json impl_figures(ordered_json j) {
  j.erase("synth_seconds");
  if (j.contains("seeds"))
    for (auto& s : j["seeds"]) s.erase("seconds");
  return j;
}

ConfigFigures cached_figures(const HwConfig& c, const SynthRequest& r, std::ostream& progress) {
  const std::string key = config_hash(c);
  const fs::path root = rtl_cache_root();
  const fs::path dir = root / (key + "-synth");
  fs::create_directories(dir);
  tb::FileLock lock(root / (key + "-synth.lock"), "the synthesis of config " + key, progress);
  // Regenerating is cheap and reproducible; the fingerprint then tells
  // whether the RTL changed since the cached figures were made.
  const fs::path rtl = dir / "rtl";
  generate_rtl(c, rtl, fmt::format("lstmsim sweep (synthesis, config {})", c.name));
  const std::string files = rtl_text(rtl);
  ConfigFigures out;
  for (const auto& t : r.targets)
    out.synthesis[t] = synthesize_target(dir, rtl, files, t, r.timeout_seconds, progress);
  if (r.impl) out.impl = place_and_route(dir, rtl, files, *r.impl, progress);
  return out;
}

}  // namespace lstm
