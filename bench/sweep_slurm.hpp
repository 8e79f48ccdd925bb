// The slurm executor of `lstmsim sweep`: a batch script whose array tasks are
// the shards (`sbatch --array`), submitted with sbatch and waited for with
// squeue (no accounting needed). Every task runs `lstmsim sweep --shard I/N`
// on the shared sweep folder and build cache.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace lstm {

struct SlurmJob {
  std::string self;                   // lstmsim, as the compute nodes see it
  std::filesystem::path sweep_file;   // absolute
  std::filesystem::path out;          // absolute
  std::filesystem::path cache;        // the RTL build cache, absolute
  std::string name;                   // job name
  int shards = 1;
  std::vector<int> tasks;             // the shards to run: the array indices
  std::string partition, time;
  std::vector<std::string> options;   // extra sbatch options
};

// The batch script (a bash script run once per array task).
std::string slurm_script(const SlurmJob& j);
// The sbatch command line that submits the script at `script`.
std::vector<std::string> sbatch_command(const SlurmJob& j, const std::filesystem::path& script);
// "0-3" or "0,2,5": the --array value for the task list.
std::string array_spec(const std::vector<int>& tasks);

// Writes the script to out/slurm/shards.sbatch, submits it and returns the job
// id. Throws std::runtime_error with sbatch's message when it refuses.
std::string submit_slurm_job(const SlurmJob& j, std::ostream& progress);

// Polls squeue every `poll_seconds` until the job has no task left, calling
// `tick` after each poll (for progress). Throws when squeue keeps failing.
void wait_slurm_job(const std::string& id, double poll_seconds, const std::function<void()>& tick);

}  // namespace lstm
