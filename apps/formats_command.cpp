// `lstmsim formats`: the format advisor (sim/format_advisor.hpp): the ranges a
// model reaches on an input file and the narrowest formats that saturate
// nothing.
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "apps/lstmsim_commands.hpp"
#include "sim/format_advisor.hpp"
#include "sim/model_io.hpp"
#include "sim/run_common.hpp"

namespace lstm::app {

namespace {

struct FormatsRequest {
  std::string config_path;
  std::string model;
  std::string input;
  std::string write_config;
};

int run_formats(const FormatsRequest& r) {
  const RunSetup run = load_run(RunFiles{r.config_path.empty() ? std::nullopt
                                                                : std::optional{r.config_path},
                                         r.model, r.input, ""});
  check_model_within_limits(run);
  const FormatAdvice advice = advise_formats(run.config, run.model, run.inputs, run.initial);
  fmt::print("{}", advice_report(advice, r.config_path.empty() ? "default" : r.config_path));
  if (!r.write_config.empty()) {
    write_text_file_atomic(r.write_config, canonical_config_json(advice.proposal));
    fmt::print("\nproposed config written to {}\n", r.write_config);
  }
  return 0;
}

}  // namespace

Command add_formats_command(CLI::App& app) {
  auto r = std::make_shared<FormatsRequest>();
  CLI::App* cmd = app.add_subcommand(
      "formats", "Measure the ranges a model reaches on an input file (float model) and propose "
                 "the narrowest fixed-point formats that saturate nothing, with their error "
                 "against float (docs/models.md, \"Choosing formats\")");
  cmd->add_option("--config", r->config_path,
                  "hardware config JSON to start from (cores, lanes, limits, rounding and "
                  "fraction widths are kept); default: the built-in default config");
  cmd->add_option("--model", r->model, "model JSON")->required();
  cmd->add_option("--input", r->input, "input JSON with representative sequences")->required();
  cmd->add_option("--write-config", r->write_config, "write the proposed config JSON here");
  return {cmd, [r](const std::string&) { return run_formats(*r); }};
}

}  // namespace lstm::app
