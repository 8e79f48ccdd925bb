// Running sweep points: the work of one shard (`lstmsim sweep --shard I/N`).
// Each point builds (or reuses) its config's verilated RTL and synthesis,
// measures every workload on the RTL bit-exact against the golden model,
// measures the golden model's error against the float model, and writes its
// result file atomically. Points whose result file exists are skipped, so a
// killed shard is simply run again.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "bench/sweep_result.hpp"
#include "bench/sweep_spec.hpp"

namespace lstm {

// The sweep folder: refuses (FileError) a folder that exists, is not empty and
// was not written by lstmsim sweep; creates it and its parts otherwise.
void prepare_sweep_dir(const std::filesystem::path& out, const SweepSpec& s);

// Writes the generated workloads' model and input files (once; they are the
// same for every shard).
void write_sweep_workloads(const std::filesystem::path& out, const SweepSpec& s);

struct ShardSummary {
  int points = 0;     // in the shard
  int skipped = 0;    // already had a result
  int ran = 0;
  int not_ok = 0;     // ran and are mismatch or failed
};

// Runs the points (of one shard) that have no result in `out`.
ShardSummary run_sweep_points(const SweepSpec& s, const std::vector<SweepPoint>& points,
                              const std::filesystem::path& out, std::ostream& progress);

// The points of `points` with no result in `out`.
std::vector<SweepPoint> missing_points(const std::vector<SweepPoint>& points,
                                       const std::filesystem::path& out);

}  // namespace lstm
