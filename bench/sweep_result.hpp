// The result of one sweep point (one config in one mode, every workload): what
// a shard writes to DIR/points/<point>.json and what the merge reads back.
// Every field is deterministic (no times, no host names), so the results of
// two executors can be compared point by point.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/sweep_spec.hpp"

namespace lstm {

// One workload of a point, measured on the RTL.
struct WorkloadRun {
  std::string workload;
  std::string mode;              // the mode that ran: the point's, or auto's choice
  std::uint64_t cycles = 0;      // measured on the RTL
  std::uint64_t predicted_cycles = 0;  // the cost model's (host/cost_model.hpp), never a measurement
  int cores_used = 0;
  double mac_utilization = 0.0;
  bool bit_exact = false;
  double error_max_abs = 0.0;    // golden (the config's formats) against float
  double error_mean_abs = 0.0;
};

// ok: every workload ran bit-exact; invalid: the config, a workload or the
// mode does not fit (problems say why); mismatch: an output differs from the
// golden model (a defect); failed: a build, simulation or synthesis failed.
enum class PointStatus { Ok, Invalid, Mismatch, Failed };
std::string status_name(PointStatus s);

struct PointResult {
  int index = 0;
  std::string key;
  std::string label;
  std::string mode;
  PointStatus status = PointStatus::Ok;
  std::vector<std::string> problems;
  std::string config_name, config_hash;  // empty when the config is invalid
  nlohmann::ordered_json overrides;      // pointer -> value, as in the sweep file
  int cores = 0, lanes = 0;
  std::vector<WorkloadRun> runs;
  std::uint64_t cycles = 0;              // total over the workloads
  double error_max_abs = 0.0;            // worst over the workloads
  // Per synthesis target, the figures of tools/synth.sh's synth-<target>.json
  // (cells, luts, flip_flops, dsps, block_rams, ram_bits, ...).
  nlohmann::ordered_json synthesis = nlohmann::ordered_json::object();
  // tools/impl.sh's figures (bench/synth_cache.hpp, ConfigFigures::impl);
  // null when the sweep has no "impl".
  nlohmann::ordered_json impl;

  // A figure of a target; none when absent or null.
  std::optional<double> figure(const std::string& target, const std::string& name) const;
  // nextpnr's max frequency (median seed) in MHz; none without impl or when
  // the design does not fit the device.
  std::optional<double> fmax_mhz() const;
  // The modes the workloads ran, in order, each once: {"mt"} for mode mt;
  // auto's choices for auto.
  std::vector<std::string> modes_run() const;
  // The mode, and for auto the modes it chose: "mt", "auto (mt)", "auto (mt, hc)".
  std::string mode_text() const;
};

nlohmann::ordered_json point_to_json(const PointResult& p);
// Throws std::runtime_error naming the missing or malformed field.
PointResult point_from_json(const nlohmann::ordered_json& j);

// The result file of a point in a sweep folder, and reading it back: none
// when missing, unreadable or written for another point definition.
std::filesystem::path point_path(const std::filesystem::path& out, const SweepPoint& p);
std::optional<PointResult> read_point(const std::filesystem::path& out, const SweepPoint& p);
// Writes atomically (temporary file, then rename).
void write_point(const std::filesystem::path& out, const SweepPoint& p, const PointResult& r);

}  // namespace lstm
