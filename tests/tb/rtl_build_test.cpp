// ensure_rtl_build end to end: verilate the fixture (skid buffer -> fifo) into
// LSTM_BINARY_DIR/rtl-cache on first use and run the simulator it builds.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "tb/rtl_build.hpp"

namespace fs = std::filesystem;
using lstm::tb::RtlBuildRequest;

namespace {

const fs::path kSource = LSTM_SOURCE_DIR;
const fs::path kBinary = LSTM_BINARY_DIR;

RtlBuildRequest fixture_request() {
  RtlBuildRequest r;
  r.rtl_dir = kSource / "tests/tb/fixtures/fifo";
  r.top = "lstm_tb_fifo_chain";
  r.cache_root = kBinary / "rtl-cache";
  r.key = "tb-fifo-fixture";
  r.harness_sources = {kSource / "tests/tb/fifo_harness_main.cpp"};
  r.include_roots = {kSource};
  r.include_dirs = {kSource / "tb"};
  r.verilator_args = {"-Wall", "--assert"};
  return r;
}

struct RunResult {
  int exit_code = -1;
  std::string output;
};

RunResult run(const std::string& command) {
  RunResult res;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) res.output.append(buf.data(), n);
  const int status = ::pclose(pipe);
  res.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return res;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// A scratch copy of the fixture, for tests that edit sources.
fs::path scratch_fixture(const std::string& name) {
  const fs::path dir = kBinary / "tests" / "tb_scratch" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(kSource / "tests/tb/fixtures/fifo/lstm_tb_fifo_chain.sv",
                dir / "lstm_tb_fifo_chain.sv");
  fs::copy_file(kSource / "tests/tb/fifo_harness_main.cpp", dir / "main.cpp");
  std::ofstream(dir / "files.f") << "+incdir+" << (kSource / "rtl").string() << "\n"
                                 << (kSource / "tests/tb/fixtures/fifo/lstm_skid_buffer.sv").string()
                                 << "\n"
                                 << (kSource / "rtl/lstm_fifo.sv").string() << "\n"
                                 << "lstm_tb_fifo_chain.sv\n";
  return dir;
}

}  // namespace

TEST_SUITE("rtl_build") {
  TEST_CASE("the fixture builds once, even when two callers ask at the same time, and passes for three seeds") {
    const RtlBuildRequest req = fixture_request();
    std::ostringstream log_a, log_b;
    fs::path exe_a, exe_b;
    std::string err_a, err_b;
    auto call = [&req](std::ostringstream& log, fs::path& exe, std::string& err) {
      try {
        exe = lstm::tb::ensure_rtl_build(req, log);
      } catch (const std::exception& e) {
        err = e.what();
      }
    };
    std::thread a(call, std::ref(log_a), std::ref(exe_a), std::ref(err_a));
    std::thread b(call, std::ref(log_b), std::ref(exe_b), std::ref(err_b));
    a.join();
    b.join();
    MESSAGE(log_a.str() << log_b.str());
    REQUIRE(err_a == "");
    REQUIRE(err_b == "");
    CHECK(exe_a == exe_b);
    CHECK(exe_a == kBinary / "rtl-cache" / "tb-fifo-fixture" / "rtlsim");
    // At most one of them built (none if another test process built it first).
    const bool a_built = log_a.str().find("rtl: building") != std::string::npos;
    const bool b_built = log_b.str().find("rtl: building") != std::string::npos;
    CHECK_FALSE((a_built && b_built));

    for (int seed : {1, 2, 3}) {
      const RunResult r = run(quoted(exe_a) + " " + std::to_string(seed));
      INFO("seed " << seed << ": " << r.output);
      CHECK(r.exit_code == 0);
      CHECK(r.output.find("PASS seed " + std::to_string(seed) + ": 5000 words") != std::string::npos);
    }
  }

  TEST_CASE("a second request for the same key is a cache hit that rebuilds nothing") {
    const RtlBuildRequest req = fixture_request();
    std::ostringstream first;
    const fs::path exe = lstm::tb::ensure_rtl_build(req, first);
    const auto built_at = fs::last_write_time(exe);
    const auto logged_at = fs::last_write_time(exe.parent_path() / "build.log");
    std::ostringstream second;
    CHECK(lstm::tb::ensure_rtl_build(req, second) == exe);
    // No build and no cmake run. (It may print that it waited: another test
    // process can hold the key's lock for a moment to check its own request.)
    CHECK(second.str().find("building") == std::string::npos);
    CHECK(fs::last_write_time(exe) == built_at);
    CHECK(fs::last_write_time(exe.parent_path() / "build.log") == logged_at);
  }

  TEST_CASE("the simulator fails loudly on bad arguments") {
    const fs::path exe = lstm::tb::ensure_rtl_build(fixture_request(), std::cerr);
    CHECK(run(quoted(exe)).exit_code == 2);
    CHECK(run(quoted(exe) + " 1 --bogus").exit_code == 2);
  }

  TEST_CASE("the fingerprint follows the contents of RTL, harness sources, headers and args") {
    const fs::path dir = scratch_fixture("fingerprint");
    fs::create_directories(dir / "inc");
    std::ofstream(dir / "inc" / "helper.hpp") << "// v1\n";
    RtlBuildRequest r = fixture_request();
    r.rtl_dir = dir;
    r.harness_sources = {dir / "main.cpp"};
    r.include_dirs = {kSource / "tb", dir / "inc"};
    const std::string base = lstm::tb::rtl_build_fingerprint(r);
    CHECK(lstm::tb::rtl_build_fingerprint(r) == base);  // stable

    std::ofstream(dir / "lstm_tb_fifo_chain.sv", std::ios::app) << "// edited\n";
    const std::string after_rtl = lstm::tb::rtl_build_fingerprint(r);
    CHECK(after_rtl != base);

    std::ofstream(dir / "main.cpp", std::ios::app) << "// edited\n";
    const std::string after_main = lstm::tb::rtl_build_fingerprint(r);
    CHECK(after_main != after_rtl);

    std::ofstream(dir / "inc" / "helper.hpp") << "// v2\n";
    const std::string after_header = lstm::tb::rtl_build_fingerprint(r);
    CHECK(after_header != after_main);

    r.verilator_args.push_back("-O3");
    CHECK(lstm::tb::rtl_build_fingerprint(r) != after_header);
  }

  TEST_CASE("files.f is read in order with comments, blank lines and include dirs") {
    const fs::path dir = scratch_fixture("filelist");
    fs::create_directories(dir / "include");
    std::ofstream(dir / "a.sv") << "";
    std::ofstream(dir / "files.f") << "// header comment\n\n+incdir+include\n"
                                   << "lstm_tb_fifo_chain.sv  # trailing\n  a.sv\n";
    const auto fl = lstm::tb::read_file_list(dir);
    REQUIRE(fl.sources.size() == 2);
    CHECK(fl.sources[0] == dir / "lstm_tb_fifo_chain.sv");
    CHECK(fl.sources[1] == dir / "a.sv");
    REQUIRE(fl.include_dirs.size() == 1);
    CHECK(fl.include_dirs[0] == dir / "include");

    std::ofstream(dir / "files.f") << "missing.sv\n";
    CHECK_THROWS_WITH_AS(lstm::tb::read_file_list(dir), doctest::Contains("missing.sv not found"),
                         std::runtime_error);
    std::ofstream(dir / "files.f") << "-y lib\n";
    CHECK_THROWS_AS(lstm::tb::read_file_list(dir), std::runtime_error);
  }

  TEST_CASE("a malformed request is rejected before anything runs") {
    RtlBuildRequest r = fixture_request();
    r.key = "../escape";
    CHECK_THROWS_AS(lstm::tb::ensure_rtl_build(r, std::cerr), std::invalid_argument);
    r = fixture_request();
    r.top = "not a module";
    CHECK_THROWS_AS(lstm::tb::ensure_rtl_build(r, std::cerr), std::invalid_argument);
    r = fixture_request();
    r.link_libraries = {"relative/libx.a"};
    CHECK_THROWS_AS(lstm::tb::ensure_rtl_build(r, std::cerr), std::invalid_argument);
  }

  TEST_CASE("a broken design fails with the log path and the log's last lines") {
    const fs::path dir = scratch_fixture("broken");
    std::ofstream(dir / "lstm_tb_fifo_chain.sv", std::ios::app) << "\nmodule oops (;\n";
    RtlBuildRequest r = fixture_request();
    r.rtl_dir = dir;
    r.key = "tb-broken-fixture";
    std::ostringstream progress;
    try {
      lstm::tb::ensure_rtl_build(r, progress);
      FAIL("the broken design built");
    } catch (const std::runtime_error& e) {
      const std::string msg = e.what();
      INFO(msg);
      CHECK(msg.find((kBinary / "rtl-cache" / "tb-broken-fixture" / "build.log").string()) !=
            std::string::npos);
      CHECK(msg.find("%Error") != std::string::npos);  // Verilator's message, from the tail
    }
    CHECK_FALSE(fs::exists(kBinary / "rtl-cache" / "tb-broken-fixture" / "stamp"));
  }
}
