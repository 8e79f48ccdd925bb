#include "bench/sweep_result.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <stdexcept>

#include "host/cost_model.hpp"
#include "sim/model_io.hpp"

namespace lstm {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

constexpr std::pair<PointStatus, const char*> kStatusNames[] = {
    {PointStatus::Ok, "ok"},
    {PointStatus::Invalid, "invalid"},
    {PointStatus::Mismatch, "mismatch"},
    {PointStatus::Failed, "failed"}};

PointStatus parse_status(const std::string& s) {
  for (const auto& [v, name] : kStatusNames)
    if (s == name) return v;
  throw std::runtime_error(fmt::format("unknown status \"{}\"", s));
}

template <class T>
T field(const ordered_json& j, const char* key) {
  if (!j.contains(key)) throw std::runtime_error(fmt::format("missing \"{}\"", key));
  try {
    return j.at(key).get<T>();
  } catch (const ordered_json::exception&) {
    throw std::runtime_error(fmt::format("\"{}\" has the wrong type", key));
  }
}

}  // namespace

std::string status_name(PointStatus s) {
  for (const auto& [v, name] : kStatusNames)
    if (s == v) return name;
  return "?";
}

std::optional<double> PointResult::figure(const std::string& target, const std::string& name) const {
  if (!synthesis.contains(target)) return std::nullopt;
  const auto& t = synthesis.at(target);
  if (!t.contains(name) || !t.at(name).is_number()) return std::nullopt;
  return t.at(name).get<double>();
}

std::optional<double> PointResult::fmax_mhz() const {
  if (!impl.is_object() || !impl.contains("median_fmax_mhz") ||
      !impl.at("median_fmax_mhz").is_number())
    return std::nullopt;
  return impl.at("median_fmax_mhz").get<double>();
}

std::vector<std::string> PointResult::modes_run() const {
  std::vector<std::string> out;
  for (const auto& r : runs)
    if (std::find(out.begin(), out.end(), r.mode) == out.end()) out.push_back(r.mode);
  return out;
}

std::string PointResult::mode_text() const {
  const auto request = parse_mode_request(mode);
  if (!request || !request->automatic || runs.empty()) return mode;
  std::string chosen;
  for (const auto& m : modes_run()) chosen += (chosen.empty() ? "" : ", ") + m;
  return fmt::format("{} ({})", mode, chosen);
}

ordered_json point_to_json(const PointResult& p) {
  ordered_json j;
  j["index"] = p.index;
  j["key"] = p.key;
  j["label"] = p.label;
  j["mode"] = p.mode;
  j["status"] = status_name(p.status);
  j["problems"] = p.problems;
  j["config"] = p.config_name;
  j["config_hash"] = p.config_hash;
  j["overrides"] = p.overrides;
  j["cores"] = p.cores;
  j["lanes"] = p.lanes;
  j["cycles"] = p.cycles;
  j["error_max_abs"] = p.error_max_abs;
  j["synthesis"] = p.synthesis;
  j["impl"] = p.impl;
  j["workloads"] = ordered_json::array();
  for (const auto& r : p.runs)
    j["workloads"].push_back({{"workload", r.workload},
                              {"mode", r.mode},
                              {"cycles", r.cycles},
                              {"predicted_cycles", r.predicted_cycles},
                              {"cores_used", r.cores_used},
                              {"mac_utilization", r.mac_utilization},
                              {"bit_exact", r.bit_exact},
                              {"error_max_abs", r.error_max_abs},
                              {"error_mean_abs", r.error_mean_abs}});
  return j;
}

PointResult point_from_json(const ordered_json& j) {
  if (!j.is_object()) throw std::runtime_error("expected an object");
  PointResult p;
  p.index = field<int>(j, "index");
  p.key = field<std::string>(j, "key");
  p.label = field<std::string>(j, "label");
  p.mode = field<std::string>(j, "mode");
  p.status = parse_status(field<std::string>(j, "status"));
  p.problems = field<std::vector<std::string>>(j, "problems");
  p.config_name = field<std::string>(j, "config");
  p.config_hash = field<std::string>(j, "config_hash");
  p.overrides = field<ordered_json>(j, "overrides");
  p.cores = field<int>(j, "cores");
  p.lanes = field<int>(j, "lanes");
  p.cycles = field<std::uint64_t>(j, "cycles");
  p.error_max_abs = field<double>(j, "error_max_abs");
  p.synthesis = field<ordered_json>(j, "synthesis");
  p.impl = field<ordered_json>(j, "impl");
  for (const ordered_json& r : field<ordered_json>(j, "workloads")) {
    WorkloadRun w;
    w.workload = field<std::string>(r, "workload");
    w.mode = field<std::string>(r, "mode");
    w.cycles = field<std::uint64_t>(r, "cycles");
    w.predicted_cycles = field<std::uint64_t>(r, "predicted_cycles");
    w.cores_used = field<int>(r, "cores_used");
    w.mac_utilization = field<double>(r, "mac_utilization");
    w.bit_exact = field<bool>(r, "bit_exact");
    w.error_max_abs = field<double>(r, "error_max_abs");
    w.error_mean_abs = field<double>(r, "error_mean_abs");
    p.runs.push_back(std::move(w));
  }
  return p;
}

fs::path point_path(const fs::path& out, const SweepPoint& p) {
  return out / "points" / p.file_name();
}

std::optional<PointResult> read_point(const fs::path& out, const SweepPoint& p) {
  std::ifstream in(point_path(out, p));
  if (!in) return std::nullopt;
  try {
    PointResult r = point_from_json(ordered_json::parse(in));
    if (r.key != p.key || r.index != p.index || r.mode != p.mode) return std::nullopt;
    return r;
  } catch (const std::exception&) {
    return std::nullopt;  // not a result of this point: run it again
  }
}

void write_point(const fs::path& out, const SweepPoint& p, const PointResult& r) {
  // As ordered JSON: a json copy would sort the keys.
  write_text_file_atomic(point_path(out, p).string(), point_to_json(r).dump(2) + "\n");
}

}  // namespace lstm
