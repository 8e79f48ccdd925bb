// The sweep file of `lstmsim sweep` (docs/sweeps.md): a base config, axes to
// vary or an explicit list of configs, the workloads, the modes (auto among
// them), synthesis targets, place and route, a budget and Slurm options. Read strictly, like a config: unknown
// keys refused, every problem collected with its JSON pointer.
//
// A sweep has one *point* per (config, mode). Every point runs every workload
// on the config's RTL and is written to its own result file, named by a key
// that hashes everything the point's result depends on, so a rerun skips the
// points already done.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/config.hpp"
#include "sim/workload.hpp"

namespace lstm {

// One workload every point runs: a generated one (a built-in suite's or a
// shape given in the sweep file) or the user's model and input files.
struct SweepWorkload {
  std::string name;
  std::string origin;                 // "suite quick", "shape", "files"
  WorkloadShape shape;                // generated: the shape; files: read from them
  std::uint64_t seed = 1;             // generated: model seed (inputs: seed + 1)
  std::filesystem::path model, input; // files: absolute paths; generated: empty
  std::string fingerprint;            // hash of what the results depend on
};

// One distinct config of the sweep. `document` is the config JSON after the
// overrides; it may be invalid, in which case `errors` says why and every
// point of this config is reported invalid with them.
struct SweepConfig {
  std::string label;                  // "lanes=2 cores=1", or the explicit entry's label
  std::string origin;                 // JSON pointer of what made it: "/axes", "/configs/2"
  nlohmann::ordered_json overrides;   // pointer -> value, as given
  nlohmann::json document;
  std::optional<HwConfig> config;     // when valid
  std::vector<ConfigError> errors;    // when invalid
};

struct SweepBudget {
  // Resource figures of the first synthesis target ("luts", "flip_flops",
  // "cells", "dsps", "block_rams", "ram_bits") -> maximum.
  std::vector<std::pair<std::string, double>> max_resources;
  std::optional<double> max_cycles;   // total over the workloads
  std::optional<double> max_time_us;  // cycles / fmax (needs "impl")
  std::optional<double> max_error;    // max |golden - float| over the workloads
  bool empty() const { return max_resources.empty() && !max_cycles && !max_time_us && !max_error; }
};

// "impl": tools/impl.sh on every valid config (place and route on an iCE40):
// nextpnr's max frequency, and with it each point's time per run.
struct ImplSettings {
  std::string device = "hx8k";        // impl.sh --device
  int seeds = 1;                      // --seeds: the median seed's clock is used
  int freq_mhz = 50;                  // --freq: nextpnr's clock target
  int timeout = 1800;                 // seconds per tool run (Yosys, each nextpnr seed)
};

struct SlurmSettings {
  std::string partition;              // empty: the cluster's default
  std::string time;                   // per array task, e.g. "01:00:00"; empty: default
  std::vector<std::string> options;   // extra sbatch options, e.g. "--mem=4G"
};

struct SweepSpec {
  std::filesystem::path file;         // absolute
  std::string name;
  HwConfig base;
  std::vector<SweepConfig> configs;
  std::vector<SweepWorkload> workloads;
  std::vector<std::string> modes;
  std::vector<std::string> synth_targets;  // empty: no synthesis
  std::string resource;               // Pareto resource figure of synth_targets[0]
  int synth_timeout = 3600;           // seconds per Yosys run
  std::optional<ImplSettings> impl;   // none: no place and route, latency in cycles
  SweepBudget budget;
  SlurmSettings slurm;
  int shards = 0;                     // 0: the executor chooses
};

struct SweepPoint {
  int index = 0;                      // position in the sweep, from 0
  int config = 0;                     // index into SweepSpec::configs
  std::string mode;                   // a mode of the host map, or auto
  std::string key;                    // 16 hex digits
  std::string file_name() const;      // "p0003-<key>.json"
};

struct SweepProblem {
  std::string pointer;                // in the sweep file
  std::string message;
};

struct SweepParse {
  SweepSpec spec;
  std::vector<SweepProblem> errors;   // empty: spec is usable
  bool ok() const { return errors.empty(); }
};

// Reads and checks a sweep file; reads the base config, the explicit config
// files and the user's model and input files it names (paths relative to the
// sweep file). Never throws on bad content.
SweepParse load_sweep_file(const std::string& path);
SweepParse parse_sweep(const nlohmann::json& j, const std::filesystem::path& file);

// The problems as one message, a "FILE: POINTER: MESSAGE" line each.
std::string sweep_errors_text(const SweepParse& p);

// Every point: configs in order, each with every mode in order.
std::vector<SweepPoint> sweep_points(const SweepSpec& s);

// The points of shard `shard` of `shards`: whole configs, config i going to
// shard i % shards, so that shards never wait for each other's builds.
std::vector<SweepPoint> shard_points(const std::vector<SweepPoint>& points, int shard,
                                     int shards);
// How many configs have a point in `points`.
int config_count(const std::vector<SweepPoint>& points);

// The built-in suites a sweep may name (bench_suite_names()).
std::vector<std::string> sweep_suite_names();
// The mode names a sweep may list: the host map's mode table and auto
// (mode_request_names()); without "modes", a sweep runs the host map's.
std::vector<std::string> sweep_mode_names();
// The synthesis targets and the resource figures each gives. Target depth
// (synth_ice40 without DSPs) also gives "lut_levels", the deepest
// register-to-register path in LUT4 levels (tools/lut_depth.py).
std::vector<std::string> sweep_synth_targets();
bool target_has_figure(const std::string& target, const std::string& figure);

}  // namespace lstm
