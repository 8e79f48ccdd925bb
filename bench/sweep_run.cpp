#include "bench/sweep_run.hpp"

#include <fmt/format.h>
#include <fstream>

#include "bench/synth_cache.hpp"
#include "host/cost_model.hpp"
#include "sim/engines.hpp"
#include "sim/lstm_model.hpp"
#include "sim/model_io.hpp"
#include "sim/run_common.hpp"
#include "spec/json_text.hpp"
#include "tb/rtl_engine.hpp"

namespace lstm {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kMarker = ".lstm-sweep";

struct LoadedWorkload {
  const SweepWorkload* spec = nullptr;
  FloatModel model;
  InputSet inputs;
  std::string model_path, input_path;
};

fs::path workload_dir(const fs::path& out, const SweepWorkload& w) {
  return out / "workloads" / w.name;
}

LoadedWorkload load_workload(const fs::path& out, const SweepWorkload& w) {
  LoadedWorkload l;
  l.spec = &w;
  if (w.model.empty()) {
    l.model = random_model(w.shape, w.seed);
    l.inputs.sequences = random_inputs(w.shape, w.seed + 1);
    l.model_path = (workload_dir(out, w) / "model.json").string();
    l.input_path = (workload_dir(out, w) / "input.json").string();
  } else {
    l.model = read_model_file(w.model.string());
    l.inputs = read_input_file(w.input.string(), l.model, w.model.string());
    l.model_path = w.model.string();
    l.input_path = w.input.string();
  }
  return l;
}

PointResult blank_result(const SweepSpec& s, const SweepPoint& p) {
  const SweepConfig& c = s.configs[static_cast<std::size_t>(p.config)];
  PointResult r;
  r.index = p.index;
  r.key = p.key;
  r.label = c.label;
  r.mode = p.mode;
  r.overrides = c.overrides;
  if (c.config) {
    r.config_name = c.config->name;
    r.config_hash = config_hash(*c.config);
    r.cores = c.config->cores;
    r.lanes = c.config->lanes;
  }
  return r;
}

// The last "error:" line rtlsim wrote to its log, for the point's problems.
std::string last_error(const fs::path& log) {
  std::ifstream in(log);
  std::string line, found;
  while (std::getline(in, line))
    if (line.find("error:") != std::string::npos) found = line;
  const auto at = found.find("error: ");
  return at == std::string::npos ? found : found.substr(at + 7);
}

// Every point of one config gets the same verdict without running.
void settle_all(const SweepSpec& s, const std::vector<SweepPoint>& points, const fs::path& out,
                PointStatus status, const std::vector<std::string>& problems,
                ShardSummary& summary, std::ostream& progress) {
  for (const auto& p : points) {
    PointResult r = blank_result(s, p);
    r.status = status;
    r.problems = problems;
    write_point(out, p, r);
    ++summary.ran;
    if (status != PointStatus::Invalid) ++summary.not_ok;
    progress << fmt::format("sweep: p{:04} {} {}: {}: {}\n", p.index, r.label, p.mode,
                            status_name(status), problems.empty() ? "" : problems.front());
  }
}

struct ConfigContext {
  const SweepSpec& s;
  const HwConfig& config;
  std::string config_path;
  const fs::path& out;
  std::vector<LoadedWorkload> workloads;
  std::vector<ErrorStats> accuracy;  // per workload: golden against float
  ConfigFigures figures;
};

// The mode a point runs a workload in: its own, or for auto the one the cost
// model predicts fastest for this workload's jobs (MappingError when none can).
std::string mode_to_run(const ConfigContext& cx, const SweepPoint& p, const LoadedWorkload& l) {
  if (!parse_mode_request(p.mode)->automatic) return p.mode;
  std::vector<JobSpec> jobs;
  for (const auto& s : l.inputs.sequences) jobs.push_back({0, static_cast<std::uint32_t>(s.size())});
  const AutoChoice a = choose_mode(cx.config, {quantize_model(l.model, cx.config)}, jobs);
  return std::string(hostmap::mode_name(a.mode));
}

// One workload of one point on the RTL.
void run_workload(const ConfigContext& cx, const SweepPoint& p, std::size_t w, PointResult& r,
                  std::ostream& progress) {
  const LoadedWorkload& l = cx.workloads[w];
  const fs::path work = cx.out / "work" / fmt::format("p{:04}", p.index);
  fs::create_directories(work);
  const std::string what = fmt::format("workload {}", l.spec->name);
  RtlRunRequest q;
  q.config_path = cx.config_path;
  try {
    q.mode = mode_to_run(cx, p, l);
  } catch (const MappingError& e) {
    r.status = PointStatus::Invalid;
    r.problems.push_back(fmt::format("{}: {}", what, e.what()));
    return;
  }
  q.models = {l.model_path};
  q.inputs = {l.input_path};
  q.output = (work / (l.spec->name + ".json")).string();
  q.log = (cx.out / "logs" / fmt::format("p{:04}.log", p.index)).string();
  q.quiet = true;
  q.read_state = false;  // sweeps measure the runs, not the reads of h_n and c_n
  q.read_saturation = false;  // nor of the saturation counters
  fs::remove(q.output);
  const int rc = run_rtl_engine(cx.config, q, progress);
  if (rc == 2) {
    r.status = PointStatus::Invalid;
    r.problems.push_back(fmt::format("{}: {}", what, last_error(q.log)));
    return;
  }
  if (rc != 0 && rc != 1) {
    r.status = PointStatus::Failed;
    r.problems.push_back(fmt::format("{}: rtlsim exit {}: {} (log: {})", what, rc,
                                     last_error(q.log), q.log));
    return;
  }
  std::ifstream f(q.output);
  const json j = json::parse(f);
  WorkloadRun run;
  run.workload = l.spec->name;
  run.mode = q.mode;
  run.cycles = j.at("cycles").get<std::uint64_t>();
  run.predicted_cycles = j.at("predicted_cycles").get<std::uint64_t>();
  run.cores_used = j.at("cores_used").get<int>();
  run.mac_utilization = j.at("mac_utilization").get<double>();
  run.bit_exact = rc == 0 && j.at("bit_exact").get<bool>();
  run.error_max_abs = cx.accuracy[w].max_abs;
  run.error_mean_abs = cx.accuracy[w].mean_abs;
  if (!run.bit_exact) {
    r.status = PointStatus::Mismatch;
    r.problems.push_back(fmt::format("{}: the RTL differs from the golden model (log: {})", what,
                                     q.log));
  }
  r.cycles += run.cycles;
  r.error_max_abs = std::max(r.error_max_abs, run.error_max_abs);
  r.runs.push_back(std::move(run));
}

void run_point(const ConfigContext& cx, const SweepPoint& p, ShardSummary& summary,
               std::ostream& progress) {
  PointResult r = blank_result(cx.s, p);
  r.synthesis = cx.figures.synthesis;
  r.impl = cx.figures.impl;
  fs::remove(cx.out / "logs" / fmt::format("p{:04}.log", p.index));
  for (std::size_t w = 0; w < cx.workloads.size() && r.status != PointStatus::Failed &&
                          r.status != PointStatus::Invalid;
       ++w) {
    try {
      run_workload(cx, p, w, r, progress);
    } catch (const std::exception& e) {  // a rebuild that failed, an unreadable output
      r.status = PointStatus::Failed;
      r.problems.push_back(fmt::format("workload {}: {}", cx.workloads[w].spec->name, e.what()));
    }
  }
  if (r.status == PointStatus::Invalid || r.status == PointStatus::Failed) {
    r.runs.clear();  // part of the work: not comparable with other points
    r.cycles = 0;
    r.error_max_abs = 0;
  }
  if (r.status == PointStatus::Ok) fs::remove_all(cx.out / "work" / fmt::format("p{:04}", p.index));
  write_point(cx.out, p, r);
  ++summary.ran;
  if (r.status == PointStatus::Mismatch || r.status == PointStatus::Failed) ++summary.not_ok;
  progress << fmt::format("sweep: p{:04} {} {}: {}\n", p.index, r.label, r.mode_text(),
                          r.status == PointStatus::Ok
                              ? fmt::format("{} cycles, bit-exact", r.cycles)
                              : status_name(r.status) + ": " + r.problems.front());
}

SynthRequest synth_request(const SweepSpec& s) {
  SynthRequest q{s.synth_targets, s.synth_timeout, std::nullopt};
  if (s.impl) q.impl = ImplRequest{s.impl->device, s.impl->seeds, s.impl->freq_mhz, s.impl->timeout};
  return q;
}

// The points of one valid config: checks, build, synthesis, accuracy, runs.
void run_config(const SweepSpec& s, const SweepConfig& c, const std::vector<SweepPoint>& points,
                const fs::path& out, ShardSummary& summary, std::ostream& progress) {
  const HwConfig& cfg = *c.config;
  ConfigContext cx{s, cfg, (out / "configs" / (config_hash(cfg) + ".json")).string(), out, {}, {}, {}};
  write_text_file_atomic(cx.config_path, canonical_config_json(cfg));
  std::vector<std::string> problems;
  for (const auto& w : s.workloads) {
    cx.workloads.push_back(load_workload(out, w));
    for (const auto& m : model_limit_problems(cfg, cx.workloads.back().model))
      problems.push_back(fmt::format("workload {}: {}", w.name, m));
  }
  if (!problems.empty())
    return settle_all(s, points, out, PointStatus::Invalid, problems, summary, progress);
  try {
    ensure_rtlsim(cfg, progress);
    if (!s.synth_targets.empty() || s.impl) cx.figures = cached_figures(cfg, synth_request(s), progress);
  } catch (const std::exception& e) {
    return settle_all(s, points, out, PointStatus::Failed, {e.what()}, summary, progress);
  }
  for (const auto& l : cx.workloads)
    cx.accuracy.push_back(
        compare_outputs(run_golden(cfg, l.model, l.inputs.sequences, l.inputs.initial).outputs,
                        run_float(l.model, l.inputs.sequences, l.inputs.initial).outputs));
  for (const auto& p : points) run_point(cx, p, summary, progress);
}

}  // namespace

void prepare_sweep_dir(const fs::path& out, const SweepSpec& s) {
  std::error_code ec;
  if (fs::exists(out, ec)) {
    if (!fs::is_directory(out, ec))
      throw FileError(fmt::format("{}: exists and is not a folder", out.string()));
    if (!fs::is_empty(out, ec) && !fs::exists(out / kMarker, ec))
      throw FileError(fmt::format("{}: exists, is not empty and was not written by lstmsim sweep; "
                                  "give a new or empty folder",
                                  out.string()));
  } else if (out.has_parent_path() && !fs::is_directory(fs::absolute(out).parent_path(), ec)) {
    throw FileError(fmt::format("{}: cannot create: folder {} does not exist", out.string(),
                                fs::absolute(out).parent_path().string()));
  }
  for (const char* sub : {"points", "logs", "work", "configs", "workloads"})
    fs::create_directories(out / sub);
  write_text_file_atomic((out / kMarker).string(),
                         fmt::format("lstmsim sweep folder; sweep {} from {}\n", s.name,
                                     s.file.string()));
}

void write_sweep_workloads(const fs::path& out, const SweepSpec& s) {
  for (const auto& w : s.workloads) {
    if (!w.model.empty()) continue;
    const fs::path dir = workload_dir(out, w);
    fs::create_directories(dir);
    // The same seed gives the same files: write only what is missing.
    if (!fs::exists(dir / "model.json"))
      write_json_file_atomic((dir / "model.json").string(), model_to_json(random_model(w.shape, w.seed)));
    if (!fs::exists(dir / "input.json"))
      write_json_file_atomic((dir / "input.json").string(),
                             inputs_to_json(random_inputs(w.shape, w.seed + 1)));
  }
}

std::vector<SweepPoint> missing_points(const std::vector<SweepPoint>& points, const fs::path& out) {
  std::vector<SweepPoint> todo;
  for (const auto& p : points)
    if (!read_point(out, p)) todo.push_back(p);
  return todo;
}

ShardSummary run_sweep_points(const SweepSpec& s, const std::vector<SweepPoint>& points,
                              const fs::path& out, std::ostream& progress) {
  ShardSummary summary;
  summary.points = static_cast<int>(points.size());
  const std::vector<SweepPoint> todo = missing_points(points, out);
  summary.skipped = summary.points - static_cast<int>(todo.size());
  if (summary.skipped)
    progress << fmt::format("sweep: {} of {} points already have results\n", summary.skipped,
                            summary.points);
  write_sweep_workloads(out, s);
  for (std::size_t i = 0; i < todo.size();) {
    std::vector<SweepPoint> group;
    const int config = todo[i].config;
    while (i < todo.size() && todo[i].config == config) group.push_back(todo[i++]);
    const SweepConfig& c = s.configs[static_cast<std::size_t>(config)];
    if (!c.config) {
      std::vector<std::string> problems;
      for (const auto& e : c.errors)
        problems.push_back(fmt::format("config {}{}", e.path.empty() ? "" : e.path + ": ", e.message));
      settle_all(s, group, out, PointStatus::Invalid, problems, summary, progress);
      continue;
    }
    run_config(s, c, group, out, summary, progress);
  }
  return summary;
}

}  // namespace lstm
