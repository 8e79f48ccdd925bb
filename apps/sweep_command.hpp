// `lstmsim sweep`: design-space sweeps over configs, workloads and modes on
// one machine or a Slurm cluster (bench/sweep_exec.hpp, docs/sweeps.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "bench/sweep_exec.hpp"

namespace lstm {

struct SweepCli {
  SweepCommand command;
  std::string shard;        // "I/N" as typed
  CLI::App* app = nullptr;
};

// Adds the subcommand and its options to `parent`.
void add_sweep_command(CLI::App& parent, SweepCli& cli);
// Runs it after parsing; returns the exit code (throws FileError for bad input).
int run_sweep_cli(SweepCli& cli);

}  // namespace lstm
