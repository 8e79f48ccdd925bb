// lstmsim: run LSTM models through the software engines or the generated RTL,
// write built-in workloads, benchmark the RTL, write a SystemVerilog
// testbench, propose formats, or show a demo. One file per subcommand
// (apps/*_command.cpp). Exit codes: 0 success, 2 bad input (usage, files,
// config, model beyond the hardware's limits, saturation under --strict), 1
// internal error or an RTL result that differs from the golden model, 3 RTL
// simulation failure.
#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "apps/lstmsim_commands.hpp"
#include "sim/model_io.hpp"

namespace {

void print_error(const std::string& what) {
  // Multi-line errors (a config with several problems) get the prefix per line.
  std::size_t start = 0;
  while (start <= what.size()) {
    const std::size_t end = std::min(what.find('\n', start), what.size());
    fmt::print(stderr, "lstmsim: error: {}\n", what.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace lstm::app;
  CLI::App app{"lstmsim: run LSTM and GRU models (PyTorch torch.nn.LSTM / torch.nn.GRU "
               "layout) through the float reference, the bit-exact fixed-point golden model, "
               "or the generated RTL "
               "under Verilator (the rtl engine, checked bit for bit against golden).\n"
               "File formats: docs/models.md. Fixed-point rules: docs/numerics.md."};
  app.require_subcommand(1);
  const std::vector<Command> commands{add_run_command(app), add_workload_command(app),
                                      add_demo_command(app), add_bench_command(app),
                                      add_sweep(app),
                                      add_emit_tb_command(app), add_formats_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    print_error(e.what());
    fmt::print(stderr, "Run with --help for more information.\n");
    return 2;
  }
  std::string command_line = "lstmsim";
  for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
  try {
    for (const Command& c : commands)
      if (*c.cli) return c.run(command_line);
  } catch (const lstm::FileError& e) {
    print_error(e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "lstmsim: internal error: {}\n", e.what());
    return 1;
  }
  return 0;
}
