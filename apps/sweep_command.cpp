#include "apps/sweep_command.hpp"

#include <iostream>

#include "sim/model_io.hpp"

namespace lstm {

void add_sweep_command(CLI::App& parent, SweepCli& cli) {
  SweepCommand& c = cli.command;
  CLI::App* s = parent.add_subcommand(
      "sweep", "Run a design-space sweep (a sweep file: a base config, axes or configs, workloads, "
               "modes including auto, Yosys targets including depth for LUT levels, optionally "
               "place and route for fmax) on the RTL of every config, here or as a Slurm job "
               "array; print the Pareto-optimal configs and write sweep.md, sweep.json and "
               "pareto.svg (docs/sweeps.md)");
  cli.app = s;
  s->add_option("--sweep", c.sweep_file, "sweep file (JSON; configs/sweep-small.json is an example)")
      ->required();
  s->add_option("--out", c.out,
                "sweep folder: results per point, logs, the report (new, empty, or an earlier "
                "sweep's folder, whose finished points are kept)")
      ->required();
  s->add_option("--executor", c.executor,
                "local: the shards run here in parallel, one per core (default); slurm: the "
                "shards run as a Slurm job array (sbatch --array), then merge")
      ->check(CLI::IsMember({"local", "slurm"}));
  s->add_option("--shard", cli.shard,
                "run only shard I of N (I from 0), e.g. from your own scheduler; merge later with "
                "--merge");
  s->add_flag("--merge", c.merge,
              "only merge the point results already in --out into the report (shards run by any "
              "other means)");
  s->add_option("--shards", c.shards,
                "number of shards (default: the sweep file's \"shards\"; local: one per core; "
                "slurm: one per config)")
      ->check(CLI::Range(1, 100000));
  s->add_option("--jobs", c.jobs, "local: shards running at a time (default: one per core)")
      ->check(CLI::Range(1, 1024));
  s->add_option("--partition", c.partition, "slurm: partition (sbatch --partition)");
  s->add_option("--time", c.time, "slurm: time limit per shard (sbatch --time), e.g. 02:00:00");
  s->add_option("--sbatch-option", c.sbatch_options,
                "slurm: one more sbatch option, e.g. --sbatch-option=--mem=4G (repeatable)")
      ->allow_extra_args(false);
  s->add_flag("--no-wait", c.no_wait,
              "slurm: submit and return; merge later with --merge");
}

int run_sweep_cli(SweepCli& cli) {
  SweepCommand& c = cli.command;
  if (!cli.shard.empty()) {
    c.shard = parse_shard(cli.shard);
    if (!c.shard)
      throw FileError("--shard: expected I/N with 0 <= I < N, e.g. 0/4, got \"" + cli.shard + "\"");
  }
  if (c.shard && c.merge) throw FileError("--shard and --merge exclude each other");
  return run_sweep_command(c, std::cout, std::cerr);
}

}  // namespace lstm
