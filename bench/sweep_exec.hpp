// `lstmsim sweep`: one shard, all shards here in parallel (local executor), a
// Slurm job array (slurm executor), or the merge of results gathered by any
// other means. See docs/sweeps.md.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace lstm {

struct SweepCommand {
  std::string sweep_file;
  std::filesystem::path out;
  std::string executor = "local";          // local, slurm
  std::optional<std::pair<int, int>> shard;  // run only shard I of N
  bool merge = false;                      // only merge the results in out
  int shards = 0;                          // 0: the sweep file's, else the executor's choice
  int jobs = 0;                            // local: shards at a time; 0: one per core
  std::string partition, time;             // slurm: override the sweep file's
  std::vector<std::string> sbatch_options; // slurm: added to the sweep file's
  bool no_wait = false;                    // slurm: submit and return
  std::string self;                        // the lstmsim executable the shards run
};

// Parses "I/N" (0 <= I < N); none when malformed.
std::optional<std::pair<int, int>> parse_shard(const std::string& text);

// Runs the command; prints progress to `progress` and the result (the Pareto
// table, the budget's pick, the files written) to `out`. Returns 0 when every
// point has a result and none is a mismatch or a failure, 1 otherwise. Throws
// FileError for a bad sweep file or folder (nothing is written then).
int run_sweep_command(const SweepCommand& c, std::ostream& out, std::ostream& progress);

}  // namespace lstm
