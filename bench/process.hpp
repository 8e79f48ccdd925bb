// Child processes for the sweep executors: start one with its output going
// to a log, wait for whichever ends, or run one and capture what it prints.
// Programs are found on PATH; no shell is involved.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace lstm {

// Starts argv with stdin from /dev/null and stdout and stderr appended to
// `log`. Throws std::runtime_error when it cannot start.
pid_t start_program(const std::vector<std::string>& argv, const std::string& log);

// Waits up to `seconds` for any of our children to end. Returns its pid and
// sets `exit_code` (128 + the signal if one killed it); 0 when none ended.
pid_t wait_any_child(double seconds, int& exit_code);

struct Captured {
  int exit_code = 0;
  std::string out, err;
};
// Runs argv to its end. exit_code 127: it could not be started.
Captured run_captured(const std::vector<std::string>& argv);

}  // namespace lstm
