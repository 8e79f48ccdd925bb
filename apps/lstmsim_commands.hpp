// The subcommands of lstmsim, one file each (apps/*_command.cpp): each adds
// itself to the command line and returns the function that runs it once the
// command line is parsed. lstmsim_main.cpp parses and dispatches.
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace lstm::app {

struct Command {
  CLI::App* cli = nullptr;  // the subcommand; true after parsing when it was given
  // Runs it with the whole command line (for banners); returns the exit
  // code. Throws FileError for bad input (exit 2).
  std::function<int(const std::string& command_line)> run;
};

Command add_run_command(CLI::App& app);       // run
Command add_workload_command(CLI::App& app);  // workload
Command add_demo_command(CLI::App& app);      // demo
Command add_bench_command(CLI::App& app);     // bench
Command add_sweep(CLI::App& app);             // sweep (apps/sweep_command.hpp)
Command add_emit_tb_command(CLI::App& app);   // emit-tb
Command add_formats_command(CLI::App& app);   // formats

// What the modes do, from the host map's mode table: "single (core 0 alone),
// mp (...), ...", for --help.
std::string mode_help();
// The config a command uses when --config is not given.
std::string default_config_path();
// Saturation warnings (docs/numerics.md, "Saturation"), one per line, on stderr.
void print_warning(const std::string& line);

}  // namespace lstm::app
