#include "bench/sweep_slurm.hpp"

#include <chrono>
#include <fmt/format.h>
#include <stdexcept>
#include <thread>

#include "tb/process.hpp"
#include "sim/model_io.hpp"

namespace lstm {

namespace fs = std::filesystem;

namespace {

// A word for bash: single-quoted, with embedded quotes closed and reopened.
std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  const auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

std::string array_spec(const std::vector<int>& tasks) {
  std::string out;
  for (std::size_t i = 0; i < tasks.size();) {
    std::size_t k = i;
    while (k + 1 < tasks.size() && tasks[k + 1] == tasks[k] + 1) ++k;
    out += (out.empty() ? "" : ",") +
           (k == i ? std::to_string(tasks[i]) : fmt::format("{}-{}", tasks[i], tasks[k]));
    i = k + 1;
  }
  return out;
}

std::vector<std::string> sbatch_command(const SlurmJob& j, const fs::path& script) {
  std::vector<std::string> argv{"sbatch", "--parsable", "--job-name=" + j.name,
                                "--array=" + array_spec(j.tasks),
                                "--output=" + (j.out / "logs" / "slurm-%A_%a.log").string()};
  if (!j.partition.empty()) argv.push_back("--partition=" + j.partition);
  if (!j.time.empty()) argv.push_back("--time=" + j.time);
  argv.insert(argv.end(), j.options.begin(), j.options.end());
  argv.push_back(script.string());
  return argv;
}

std::string slurm_script(const SlurmJob& j) {
  std::string s = "#!/bin/bash\n";
  s += "# Written by lstmsim sweep --executor slurm: one array task per shard of the sweep.\n";
  s += "# Submitted with (rerun it to run these shards again; finished points are skipped):\n#  ";
  for (const auto& a : sbatch_command(j, j.out / "slurm" / "shards.sbatch")) s += " " + quote(a);
  s += "\nset -euo pipefail\n";
  s += "# The build cache is shared by every task: on a cluster it must be a shared folder.\n";
  s += "export LSTM_RTL_CACHE=" + quote(j.cache.string()) + "\n";
  s += fmt::format("exec {} sweep --sweep {} --out {} --shard \"${{SLURM_ARRAY_TASK_ID}}/{}\"\n",
                   quote(j.self), quote(j.sweep_file.string()), quote(j.out.string()), j.shards);
  return s;
}

std::string submit_slurm_job(const SlurmJob& j, std::ostream& progress) {
  const fs::path script = j.out / "slurm" / "shards.sbatch";
  fs::create_directories(script.parent_path());
  write_text_file_atomic(script.string(), slurm_script(j));
  const auto argv = sbatch_command(j, script);
  const tb::Captured c = tb::run_captured(argv);
  if (c.exit_code != 0)
    throw std::runtime_error(fmt::format("sbatch refused the job (exit {}): {}", c.exit_code,
                                         trim(c.err.empty() ? c.out : c.err)));
  // --parsable prints "id" or "id;cluster".
  const std::string id = trim(c.out.substr(0, c.out.find(';')));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error("sbatch printed no job id: " + trim(c.out + c.err));
  progress << fmt::format("sweep: submitted Slurm job {} (array {} of {} shards; script {})\n", id,
                          array_spec(j.tasks), j.shards, script.string());
  return id;
}

void wait_slurm_job(const std::string& id, double poll_seconds, const std::function<void()>& tick) {
  int failures = 0;
  for (;;) {
    const tb::Captured c = tb::run_captured({"squeue", "--noheader", "--jobs=" + id, "--format=%i %T"});
    if (c.exit_code == 0 && trim(c.out).empty()) return;
    // A job that ended a while ago is no longer known: done as well.
    if (c.exit_code != 0 && c.err.find("Invalid job id") != std::string::npos) return;
    if (c.exit_code != 0 && ++failures > 10)
      throw std::runtime_error(fmt::format("squeue keeps failing (exit {}): {}", c.exit_code,
                                           trim(c.err)));
    if (c.exit_code == 0) failures = 0;
    tick();
    std::this_thread::sleep_for(std::chrono::duration<double>(poll_seconds));
  }
}

}  // namespace lstm
