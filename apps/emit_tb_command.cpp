// `lstmsim emit-tb`: a self-checking SystemVerilog testbench folder for a
// config, model and input (tb/emit_tb.hpp, docs/emit-tb.md).
#include <memory>

#include "apps/lstmsim_commands.hpp"
#include "sim/run_common.hpp"
#include "spec/host_map.hpp"
#include "tb/emit_tb.hpp"

namespace lstm::app {

Command add_emit_tb_command(CLI::App& app) {
  auto r = std::make_shared<EmitTbRequest>();
  auto strict = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "emit-tb", "Write a self-checking SystemVerilog testbench folder (generated RTL, testbench, "
                 "$readmemh vectors, expected outputs from the golden model) that runs under "
                 "Icarus and Verilator");
  cmd->add_option("--config", r->config_path, "hardware config JSON")->required();
  cmd->add_option("--model", r->model, "model JSON")->required();
  cmd->add_option("--input", r->input, "input JSON; each sequence runs as its own job")
      ->required();
  cmd->add_option("--out", r->out_dir,
                  "folder to write (missing, empty, or an earlier emit-tb folder)")->required();
  cmd->add_option("--mode", r->mode,
                  mode_help() + "; mp is refused: its host reacts to cores finishing")
      ->check(CLI::IsMember(hostmap::mode_names()));
  TbOptions& o = r->options;
  cmd->add_option("--backpressure", o.backpressure,
                  "probability that the h stream's TREADY is low in a cycle (0..0.95)")
      ->check(CLI::Range(0.0, 0.95));
  cmd->add_option("--idle", o.idle, "probability of an idle cycle on the x stream (0..0.95)")
      ->check(CLI::Range(0.0, 0.95));
  cmd->add_option("--seed", o.seed, "seed of the testbench's idle and backpressure patterns");
  cmd->add_option("--batch", o.batch,
                  "mode single on a config with features.batch: run up to this many sequences "
                  "of one length together (as lstmsim run --batch; each batch is one job of the "
                  "testbench, its x and h interleaved step by step)")
      ->check(CLI::Range(1, 256));
  cmd->add_flag("--strict", *strict,
                "refuse (exit 2, nothing written) if anything saturates, as lstmsim run --strict");
  cmd->add_option("--timeout-cycles", o.timeout_cycles,
                  "testbench prints FAIL: timeout after this many cycles (default: derived from "
                  "the work)");
  return {cmd, [r, strict](const std::string& command_line) {
            const RunSetup setup = load_run(RunFiles{r->config_path, r->model, r->input, ""});
            check_model_runs_on_hardware(setup, HardwareRunner::EmitTb);
            screen_saturation(setup, RunOptions{*strict, print_warning});
            run_emit_tb(*r, command_line);
            return 0;
          }};
}

}  // namespace lstm::app
