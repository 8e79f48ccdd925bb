#include "bench/sweep_result.hpp"

#include <fmt/format.h>
#include <fstream>
#include <stdexcept>

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
  j["workloads"] = ordered_json::array();
  for (const auto& r : p.runs)
    j["workloads"].push_back({{"workload", r.workload},
                              {"cycles", r.cycles},
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
  for (const ordered_json& r : field<ordered_json>(j, "workloads")) {
    WorkloadRun w;
    w.workload = field<std::string>(r, "workload");
    w.cycles = field<std::uint64_t>(r, "cycles");
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
