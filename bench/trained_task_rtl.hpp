// The trained tasks of the accuracy benchmark on the generated RTL: each run
// of a task (a chunk with its carried state, or all examples) is one run of
// lstmsim's rtl engine, which also checks its outputs bit for bit against the
// golden model (tb/rtl_engine.hpp).
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "bench/trained_task.hpp"
#include "spec/config.hpp"

namespace lstm {

// An engine for run_task_with() on the RTL of config c (read from
// config_path, as rtlsim reads it again). Runs keep their files in work_dir;
// a run that does not end bit-exact throws std::runtime_error naming its log.
TaskEngine rtl_task_engine(const TrainedTask& t, const std::string& config_path,
                           const HwConfig& c, const std::filesystem::path& work_dir,
                           std::ostream& progress);

}  // namespace lstm
