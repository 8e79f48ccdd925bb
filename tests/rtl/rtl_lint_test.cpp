// Generated SystemVerilog is accepted by the three tools users run: zero
// warnings under verilator --lint-only -Wall for every reference and test
// config, Icarus compiles it. Yosys synthesizes the small config in
// tests/tools (synth.sh's generic flow: the same `synth -top lstm_top`, and
// its figures checked), not twice.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

std::string generate(const std::string& config, const std::string& name) {
  const fs::path out = fs::path(LSTM_BINARY_DIR) / "rtl-lint" / name;
  fs::create_directories(out.parent_path());
  const std::string cmd = fmt::format("{} --config {}/{} --out {} > /dev/null", LSTMGEN,
                                      LSTM_SOURCE_DIR, config, out.string());
  REQUIRE(std::system(cmd.c_str()) == 0);
  return out.string();
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Runs cmd in dir, output to a log; returns the exit code and the log.
std::pair<int, std::string> run_in(const std::string& dir, const std::string& cmd) {
  const std::string log = dir + "/tool.log";
  const int rc = std::system(fmt::format("cd {} && {} > {} 2>&1", dir, cmd, log).c_str());
  return {rc, slurp(log)};
}

const char* kConfigs[][2] = {{"configs/default.json", "default"},
                             {"configs/quad.json", "quad"},
                             {"configs/iso-1x32.json", "iso_1x32"},
                             {"configs/small.json", "small"},
                             {"configs/ice40.json", "ice40"},
                             // issue 10's 1-core 1-lane 8-bit area config (docs/synthesis.md)
                             {"tests/rtl/configs/ice40_1lane.json", "ice40_1lane"},
                             {"tests/rtl/configs/tri_pwl.json", "tri_pwl"},
                             {"tests/rtl/configs/quad_lut.json", "quad_lut"},
                             // the largest fabrics: 8 and 16 cores (distinct targets)
                             {"configs/octa.json", "octa"},
                             {"tests/rtl/configs/eight_tiny.json", "eight_tiny"},
                             {"tests/rtl/configs/sixteen_tiny.json", "sixteen_tiny"},
                             // one layer, power-of-two MaxHidden: CAddrW < UnitW
                             {"tests/rtl/configs/one_layer.json", "one_layer"},
                             {"tests/rtl/configs/small_batch.json", "small_batch"}};

}  // namespace

TEST_SUITE("rtl lint") {
  TEST_CASE("every reference and test config lints with zero warnings under verilator -Wall") {
    for (const auto& c : kConfigs) {
      const std::string config = c[0];
      CAPTURE(config);
      const std::string dir = generate(c[0], c[1]);
      const auto [rc, log] = run_in(dir, "verilator --lint-only -Wall -f files.f --top-module lstm_axi_top");
      CHECK(rc == 0);
      CHECK(log.find("%Warning") == std::string::npos);
      INFO(log);
    }
  }
  TEST_CASE("Icarus compiles the small and the three-core designs, and a batch design") {
    for (const auto& c : {kConfigs[3], kConfigs[4], kConfigs[std::size(kConfigs) - 1]}) {
      const std::string config = c[0];
      CAPTURE(config);
      const std::string dir = generate(c[0], std::string(c[1]) + "_iv");
      const auto [rc, log] = run_in(dir, "iverilog -g2012 -o design.vvp -f files.f");
      INFO(log);
      CHECK(rc == 0);
      CHECK(log.find("error") == std::string::npos);
    }
  }
}
