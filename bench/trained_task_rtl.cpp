// A trained task's runs on the rtl engine: see bench/trained_task_rtl.hpp.
#include "bench/trained_task_rtl.hpp"

#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/model_io.hpp"
#include "tb/rtl_engine.hpp"

namespace lstm {

namespace {

// outputs, h_n and c_n of an output file (docs/models.md, "Output file").
SetRun read_rtl_output(const std::filesystem::path& file) {
  std::ifstream in(file);
  const nlohmann::json j = nlohmann::json::parse(in);
  SetRun r;
  r.outputs = j.at("outputs").get<SequenceSet>();
  const auto h_n = j.at("h_n").get<std::vector<std::vector<Vector>>>();
  const auto c_n = j.value("c_n", std::vector<std::vector<Vector>>(h_n.size()));
  for (std::size_t s = 0; s < h_n.size(); ++s) r.final_states.push_back({h_n[s], c_n[s]});
  return r;
}

// The last line of a log (rtlsim's error message, when it failed).
std::string last_line(const std::string& log) {
  std::ifstream in(log);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

}  // namespace

TaskEngine rtl_task_engine(const TrainedTask& t, const std::string& config_path,
                           const HwConfig& c, const std::filesystem::path& work_dir,
                           std::ostream& progress) {
  std::filesystem::create_directories(work_dir);
  return [&t, config_path, c, work_dir, &progress](const SequenceSet& x,
                                                   const std::vector<FloatState>& initial) {
    const std::filesystem::path input = work_dir / "input.json";
    const std::filesystem::path output = work_dir / "output.json";
    write_json_file_atomic(input.string(), inputs_to_json(InputSet{x, initial}));
    RtlRunRequest r;
    r.config_path = config_path;
    r.models = {t.model_path};
    r.inputs = {input.string()};
    r.output = output.string();
    r.quiet = true;
    r.log = (work_dir / "rtlsim.log").string();
    const int code = run_rtl_engine(c, r, progress);
    if (code != 0)
      throw std::runtime_error(fmt::format("the rtl engine exited with {} (0: bit-exact with "
                                           "golden): {} (log: {})", code, last_line(r.log), r.log));
    return read_rtl_output(output);
  };
}

}  // namespace lstm
