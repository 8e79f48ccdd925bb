// process.hpp: running the tools a build needs (Verilator, the compiler) and
// the programs the rtl engine starts, without a shell.
//
//   int rc = run_logged({"verilator", "--cc", ...}, log);       // output appended to log
//   std::vector<Command> cmds = {{"unit 0", {...}, log0}, ...};
//   run_parallel(cmds, 2);                                       // at most 2 at a time
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace lstm::tb {

// One program to run: argv[0] is looked up on PATH; stdout and stderr are
// appended to `log`, stdin is /dev/null.
struct Command {
  std::string name;                 // for messages ("compile unit 2")
  std::vector<std::string> argv;
  std::filesystem::path log;
  int exit_code = -1;               // filled in: 0..255, 128 + signal if killed
  double seconds = 0.0;             // filled in: wall time
  double cpu_seconds = 0.0;         // filled in: user + system time of the command
};

// Runs one command; returns its exit code. Throws std::runtime_error if it
// cannot be started.
int run_logged(const std::vector<std::string>& argv, const std::filesystem::path& log);

// Runs the commands, at most `parallel` at a time, in order of the vector;
// fills in exit_code and seconds. After a failure no new command is started.
// Returns whether all exited 0. Safe to call from several threads at once (it
// waits only for its own children).
bool run_parallel(std::vector<Command>& commands, unsigned parallel);

// Runs a program and waits for it, its output going where ours goes; returns
// its exit code (127 if it could not be started, 128 + signal if killed).
int run_program(const std::vector<std::string>& argv);

// The last n lines of a text file, each prefixed with "  | ".
std::string tail_lines(const std::filesystem::path& path, std::size_t n);

}  // namespace lstm::tb
