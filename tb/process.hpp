// process.hpp: running the tools a build needs (Verilator, the compiler), the
// programs the rtl engine starts and the sweep executors' shards and commands,
// without a shell.
//
//   int rc = run_logged({"verilator", "--cc", ...}, log);       // output appended to log
//   std::vector<Command> cmds = {{"unit 0", {...}, log0}, ...};
//   run_parallel(cmds, 2);                                       // at most 2 at a time
//   pid_t pid = start_program({"lstmsim", ...}, log);            // returns at once
//   Captured c = run_captured({"squeue", ...});                  // its stdout and stderr
#pragma once

#include <sys/types.h>

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

// Starts argv with stdin from /dev/null and stdout and stderr appended to
// `log`, and returns at once. Throws std::runtime_error when it cannot start.
pid_t start_program(const std::vector<std::string>& argv, const std::filesystem::path& log);

// Waits up to `seconds` for any of this process's children to end. Returns its
// pid and sets `exit_code` (128 + the signal if one killed it); 0 when none ended.
pid_t wait_any_child(double seconds, int& exit_code);

struct Captured {
  int exit_code = 0;
  std::string out, err;
};
// Runs argv to its end. exit_code 127: it could not be started.
Captured run_captured(const std::vector<std::string>& argv);

}  // namespace lstm::tb
