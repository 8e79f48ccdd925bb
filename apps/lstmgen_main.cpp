// lstmgen: reads a hardware config and writes the accelerator's output folder.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <fmt/format.h>
#include <string>

#include "spec/config.hpp"
#include "gen/generator.hpp"
#include "gen/version.hpp"

namespace {

constexpr int kExitIo = 1;
constexpr int kExitUsage = 2;  // bad command line or bad config: nothing written

const char* kFooter = R"(Output folder (written atomically: built in DIR.tmp-XXXXXX next to DIR,
then swapped in; an existing DIR is replaced only if it is empty or was written
by lstmgen):
  lstm_pkg.sv     package lstm_pkg: the config's numbers and the fixed-point
                  functions (mirrors of the golden model in sim/)
  lstm_*.sv       the hand-written modules of rtl/ this design uses, copied verbatim
  lstm_top.sv     the emitted top module
  files.f         every .sv in compile order, relative to DIR
                  (verilator -f DIR/files.f, iverilog -c DIR/files.f after cd DIR)
  manifest.json   generator, top, canonical config and its hash, files, ports,
                  host register map
Every file starts with a banner naming the lstmgen version, the config name and
hash, and this command; there are no timestamps, so the same config and command
give the same bytes.

Exit status: 0 success, 1 I/O error, 2 bad command line or bad config (each
problem printed as "FILE: /json/path: message"; nothing written).
See docs/generator.md.)";

std::string quote_arg(const std::string& a) {
  if (!a.empty() && a.find_first_of(" \t\n'\"\\$") == std::string::npos) return a;
  std::string q = "'";
  for (char ch : a) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lstmgen: generator of a multicore fixed-point LSTM accelerator in SystemVerilog.\n"
               "Reads a hardware config (JSON) and writes a self-contained RTL folder.",
               "lstmgen"};
  std::string config_path;
  std::string out_dir;
  bool print_config = false;
  app.add_option("--config", config_path, "hardware config (JSON), see spec/config.hpp")
      ->required()
      ->type_name("HW.json");
  app.add_option("--out", out_dir, "output folder to (re)write")->type_name("DIR");
  app.add_flag("--print-config", print_config,
               "print the canonical config (every field, fixed order) and exit");
  app.set_version_flag("--version", std::string("lstmgen ") + lstm::kLstmgenVersion);
  app.footer(kFooter);
  try {
    app.parse(argc, argv);
    if (!print_config && out_dir.empty())
      throw CLI::RequiredError("--out is required unless --print-config is given");
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  const lstm::ConfigResult r = lstm::load_config_file(config_path);
  if (!r.ok()) {
    for (const lstm::ConfigError& e : r.errors)
      fmt::print(stderr, "{}: {}{}\n", config_path, e.path.empty() ? "" : e.path + ": ",
                 e.message);
    return kExitUsage;
  }
  if (print_config) {
    fmt::print("{}\n", lstm::canonical_config_json(r.config));
    return 0;
  }

  std::string command = "lstmgen";
  for (int i = 1; i < argc; ++i) command += " " + quote_arg(argv[i]);
  try {
    lstm::generate_rtl(r.config, out_dir, command);
  } catch (const std::exception& e) {
    fmt::print(stderr, "lstmgen: error: {}\n", e.what());
    return kExitIo;
  }
  return 0;
}
