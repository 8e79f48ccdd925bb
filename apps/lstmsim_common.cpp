// What several lstmsim subcommands share.
#include <fmt/format.h>
#include <memory>
#include <string_view>

#include "apps/lstmsim_commands.hpp"
#include "apps/sweep_command.hpp"
#include "spec/host_map.hpp"

namespace lstm::app {

std::string mode_help() {
  std::string out;
  for (const auto& e : hostmap::kModeTable) {
    std::string_view doc = e.doc;
    if (doc.starts_with("MODE: ")) doc.remove_prefix(6);
    out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", e.name, doc);
  }
  return out;
}

void print_warning(const std::string& line) { fmt::print(stderr, "lstmsim: warning: {}\n", line); }

// The sweep subcommand keeps its own interface (apps/sweep_command.hpp).
Command add_sweep(CLI::App& app) {
  auto cli = std::make_shared<SweepCli>();
  add_sweep_command(app, *cli);
  return {cli->app, [cli](const std::string&) { return run_sweep_cli(*cli); }};
}

std::string default_config_path() { return std::string(LSTM_SOURCE_DIR) + "/configs/default.json"; }

}  // namespace lstm::app
