// Golden files of the emitted modules (tests/gen/golden/<config>/): lstm_pkg.sv
// and lstm_top.sv of configs/small.json and tests/rtl/configs/tri_pwl.json, as
// sv::print() writes them (without the banner), byte for byte. The golden text
// itself is linted with verilator -Wall and compiled by Icarus and Yosys with
// the rtl/ modules it uses; rtl_modes_test simulates the same two configs in
// every mode, bit-exact against the golden model, so a golden file cannot be
// pretty but wrong. LSTM_UPDATE_GOLDEN=1 rewrites the files (tests/gen/golden_file.hpp).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gen/emit_package.hpp"
#include "gen/emit_top.hpp"
#include "gen/generator.hpp"
#include "gen/sv/printer.hpp"
#include "spec/config.hpp"
#include "tests/gen/golden_file.hpp"

namespace fs = std::filesystem;

namespace {

lstm::HwConfig load(const std::string& rel) {
  const lstm::ConfigResult r = lstm::load_config_file(std::string(LSTM_SOURCE_DIR) + "/" + rel);
  REQUIRE(r.ok());
  return r.config;
}

int run(const fs::path& dir, const std::string& cmd) {
  return std::system(fmt::format("cd '{}' && {} > tool.log 2>&1", dir.string(), cmd).c_str());
}

// The output folder of c with the emitted files replaced by the golden ones.
fs::path folder_with_golden(const lstm::HwConfig& c, const std::string& name) {
  const fs::path dir = fs::path(LSTM_BINARY_DIR) / "test_scratch" / "golden" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const lstm::GeneratedFile& f :
       lstm::render_rtl(c, "generator_golden_test", lstm::default_rtl_dir()))
    std::ofstream(dir / f.name, std::ios::binary) << f.text;
  for (const char* f : {"lstm_pkg.sv", "lstm_top.sv"})
    std::ofstream(dir / f, std::ios::binary)
        << lstm_test::read_text(lstm_test::golden_path(name + "/" + f));
  return dir;
}

void check_config(const std::string& rel, const std::string& name) {
  const lstm::HwConfig c = load(rel);
  CHECK(lstm_test::matches_golden(name + "/lstm_pkg.sv", lstm::sv::print(lstm::emit_package(c))));
  CHECK(lstm_test::matches_golden(name + "/lstm_top.sv", lstm::sv::print(lstm::emit_top(c))));
  const fs::path dir = folder_with_golden(c, name);
  CHECK_MESSAGE(run(dir, "verilator --lint-only -Wall -f files.f --top-module lstm_axi_top") == 0,
                lstm_test::read_text(dir / "tool.log"));
  CHECK_MESSAGE(run(dir, "iverilog -g2012 -s lstm_top -o top.vvp -c files.f") == 0,
                lstm_test::read_text(dir / "tool.log"));
  CHECK_MESSAGE(run(dir, "yosys -q -p \"read_verilog -sv -I. $(grep -v '^//\\|^+incdir+' files.f | tr '\\n' ' '); "
                         "hierarchy -check -top lstm_top\"") == 0,
                lstm_test::read_text(dir / "tool.log"));
}

}  // namespace

TEST_SUITE("generator golden") {
  TEST_CASE("small: lstm_pkg and lstm_top are the golden files, which lint and compile") {
    check_config("configs/small.json", "small");
  }

  TEST_CASE("tri_pwl: lstm_pkg and lstm_top are the golden files, which lint and compile") {
    check_config("tests/rtl/configs/tri_pwl.json", "tri_pwl");
  }
}
