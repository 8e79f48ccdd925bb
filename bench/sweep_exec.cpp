#include "bench/sweep_exec.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fmt/format.h>
#include <map>
#include <thread>

#include "tb/process.hpp"
#include "bench/sweep_report.hpp"
#include "bench/sweep_run.hpp"
#include "bench/sweep_slurm.hpp"
#include "sim/model_io.hpp"
#include "tb/rtl_engine.hpp"

namespace lstm {

namespace fs = std::filesystem;

namespace {

// Seconds between polls of squeue and of the results folder;
// $LSTM_SWEEP_POLL overrides (the tests poll faster).
double poll_seconds() {
  if (const char* v = std::getenv("LSTM_SWEEP_POLL"); v && *v) {
    const double s = std::atof(v);
    if (s > 0) return s;
  }
  return 10.0;
}

int shard_count(const SweepCommand& c, const SweepSpec& s, int configs, int fallback) {
  const int n = c.shards ? c.shards : s.shards ? s.shards : fallback;
  return std::clamp(n, 1, std::max(1, configs));
}

// The shards (of n) that have points without results.
std::vector<int> incomplete_shards(const std::vector<SweepPoint>& points, const fs::path& out, int n) {
  std::vector<int> tasks;
  for (int i = 0; i < n; ++i)
    if (!missing_points(shard_points(points, i, n), out).empty()) tasks.push_back(i);
  return tasks;
}

// Prints "k of n points done" when k changed.
class ProgressCounter {
 public:
  ProgressCounter(const std::vector<SweepPoint>& points, const fs::path& out, std::ostream& progress)
      : points_(points), out_(out), progress_(progress) {}
  void tick() {
    const std::size_t done = points_.size() - missing_points(points_, out_).size();
    if (done == last_) return;
    last_ = done;
    progress_ << fmt::format("sweep: {} of {} points done\n", done, points_.size()) << std::flush;
  }

 private:
  const std::vector<SweepPoint>& points_;
  fs::path out_;
  std::ostream& progress_;
  std::size_t last_ = static_cast<std::size_t>(-1);
};

fs::path self_path(const SweepCommand& c) {
  std::error_code ec;
  const fs::path p = c.self.empty() ? fs::read_symlink("/proc/self/exe", ec) : fs::path(c.self);
  return fs::absolute(p);
}

std::vector<std::string> shard_argv(const SweepCommand& c, const SweepSpec& s, int i, int n) {
  return {self_path(c).string(), "sweep", "--sweep", s.file.string(), "--out", fs::absolute(c.out).string(),
          "--shard", fmt::format("{}/{}", i, n)};
}

// Every incomplete shard as a child process, at most `jobs` at a time.
void run_local(const SweepCommand& c, const SweepSpec& s, const std::vector<SweepPoint>& points,
               std::ostream& progress) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int n = shard_count(c, s, config_count(points), cores);
  const int jobs = std::max(1, c.jobs ? c.jobs : cores);
  const std::vector<int> tasks = incomplete_shards(points, c.out, n);
  progress << fmt::format("sweep: {} points in {} shards; {} to run here, {} at a time (logs: {})\n",
                          points.size(), n, tasks.size(), std::min<int>(jobs, static_cast<int>(tasks.size())),
                          (c.out / "logs").string());
  ProgressCounter counter(points, c.out, progress);
  std::map<pid_t, int> running;
  std::size_t next = 0;
  while (next < tasks.size() || !running.empty()) {
    while (next < tasks.size() && static_cast<int>(running.size()) < jobs) {
      const int i = tasks[next++];
      const fs::path log = c.out / "logs" / fmt::format("shard-{}-of-{}.log", i, n);
      fs::remove(log);
      running[tb::start_program(shard_argv(c, s, i, n), log.string())] = i;
    }
    int rc = 0;
    const pid_t pid = tb::wait_any_child(poll_seconds(), rc);
    counter.tick();
    if (pid <= 0 || !running.count(pid)) continue;
    const int i = running[pid];
    running.erase(pid);
    if (rc != 0)
      progress << fmt::format("sweep: shard {}/{} ended with exit {} (log: {})\n", i, n, rc,
                              (c.out / "logs" / fmt::format("shard-{}-of-{}.log", i, n)).string());
  }
}

// Returns false when --no-wait left the job running.
bool run_slurm(const SweepCommand& c, const SweepSpec& s, const std::vector<SweepPoint>& points,
               std::ostream& out, std::ostream& progress) {
  SlurmJob j;
  j.self = self_path(c).string();
  j.sweep_file = s.file;
  j.out = fs::absolute(c.out).lexically_normal();
  j.cache = fs::absolute(rtl_cache_root()).lexically_normal();
  j.name = "lstm-sweep-" + s.name;
  j.shards = shard_count(c, s, config_count(points), config_count(points));
  j.tasks = incomplete_shards(points, c.out, j.shards);
  j.partition = c.partition.empty() ? s.slurm.partition : c.partition;
  j.time = c.time.empty() ? s.slurm.time : c.time;
  j.options = s.slurm.options;
  j.options.insert(j.options.end(), c.sbatch_options.begin(), c.sbatch_options.end());
  if (j.tasks.empty()) {
    progress << "sweep: every point has a result; nothing to submit\n";
    return true;
  }
  const std::string id = submit_slurm_job(j, progress);
  if (c.no_wait) {
    out << fmt::format("Submitted Slurm job {}. When it has finished, merge with:\n  lstmsim sweep "
                       "--sweep {} --out {} --merge\n",
                       id, s.file.string(), j.out.string());
    return false;
  }
  ProgressCounter counter(points, c.out, progress);
  wait_slurm_job(id, poll_seconds(), [&] { counter.tick(); });
  // A shared folder's clients may cache a directory for a few seconds: look
  // again before calling a point missing.
  for (int k = 0; k < 3 && !missing_points(points, c.out).empty(); ++k)
    std::this_thread::sleep_for(std::chrono::duration<double>(std::min(2.0, poll_seconds())));
  counter.tick();
  return true;
}

// Reads every point's result; writes and prints the report when complete.
int merge(const SweepCommand& c, const SweepSpec& s, std::ostream& out, std::ostream& progress) {
  const SweepResults r = collect_sweep_results(s, c.out);
  if (!r.missing.empty()) {
    const auto points = sweep_points(s);
    const int n = shard_count(c, s, config_count(points), config_count(points));
    progress << fmt::format("sweep: {} of {} points have no result in {}:\n", r.missing.size(),
                            points.size(), (c.out / "points").string());
    for (std::size_t k = 0; k < r.missing.size() && k < 20; ++k) {
      const SweepPoint& p = r.missing[k];
      progress << fmt::format("  p{:04} {} {}\n", p.index,
                              s.configs[static_cast<std::size_t>(p.config)].label, p.mode);
    }
    if (r.missing.size() > 20) progress << fmt::format("  ... and {} more\n", r.missing.size() - 20);
    progress << fmt::format("sweep: no report written; run the sweep again (finished points are "
                            "skipped), or the shards that lack results (of {}: {})\n",
                            n, array_spec(incomplete_shards(points, c.out, n)));
    return 1;
  }
  write_sweep_report(c.out, s, r.points);
  out << "\n" << sweep_summary_markdown(s, r.points);
  out << fmt::format("\nreport: {0}/sweep.md, {0}/sweep.json, {0}/pareto.svg\n", c.out.string());
  int bad = 0;
  for (const auto& p : r.points)
    if (p.status == PointStatus::Mismatch || p.status == PointStatus::Failed) ++bad;
  if (bad)
    progress << fmt::format("sweep: {} points failed or differ from the golden model (see "
                            "sweep.md)\n", bad);
  return bad ? 1 : 0;
}

}  // namespace

std::optional<std::pair<int, int>> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= text.size()) return std::nullopt;
  const std::string a = text.substr(0, slash), b = text.substr(slash + 1);
  auto digits = [](const std::string& s) {
    return s.size() <= 6 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (!digits(a) || !digits(b)) return std::nullopt;
  const int i = std::stoi(a), n = std::stoi(b);
  if (n < 1 || i >= n) return std::nullopt;
  return std::pair{i, n};
}

int run_sweep_command(const SweepCommand& c, std::ostream& out, std::ostream& progress) {
  const SweepParse parsed = load_sweep_file(c.sweep_file);
  if (!parsed.ok()) throw FileError(sweep_errors_text(parsed));
  if (c.executor != "local" && c.executor != "slurm")
    throw FileError(fmt::format("--executor: expected local or slurm, got \"{}\"", c.executor));
  const SweepSpec& s = parsed.spec;
  const std::vector<SweepPoint> points = sweep_points(s);
  if (c.merge) {
    if (!fs::exists(c.out / ".lstm-sweep"))
      throw FileError(fmt::format("{}: not a sweep folder (no results to merge)", c.out.string()));
    return merge(c, s, out, progress);
  }
  prepare_sweep_dir(c.out, s);
  if (c.shard) {
    const auto [i, n] = *c.shard;
    const auto mine = shard_points(points, i, n);
    progress << fmt::format("sweep: shard {}/{}: {} points of {}\n", i, n, mine.size(), points.size());
    const ShardSummary sum = run_sweep_points(s, mine, c.out, progress);
    progress << fmt::format("sweep: shard {}/{} done: {} ran, {} already done, {} failed or "
                            "mismatched\n",
                            i, n, sum.ran, sum.skipped, sum.not_ok);
    return sum.not_ok ? 1 : 0;
  }
  write_sweep_workloads(c.out, s);
  if (c.executor == "slurm") {
    if (!run_slurm(c, s, points, out, progress)) return 0;
  } else {
    run_local(c, s, points, progress);
  }
  return merge(c, s, out, progress);
}

}  // namespace lstm
