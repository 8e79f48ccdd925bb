// ensure_rtl_build end to end: build the fixture (skid buffer -> fifo) into a
// model plugin in LSTM_BINARY_DIR/rtl-cache on first use, load it into this
// process and stream words through it.
#include <doctest/doctest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tb/harness.hpp"
#include "tb/model_library.hpp"
#include "tb/port_pack.hpp"
#include "tb/rtl_build.hpp"
#include "tb/stream.hpp"
#include "tests/tb/fifo_chain_dut.hpp"

namespace fs = std::filesystem;
using lstm::tb::RtlBuildRequest;
using namespace lstm::tb::test;

namespace {

const fs::path kSource = LSTM_SOURCE_DIR;
const fs::path kBinary = LSTM_BINARY_DIR;

RtlBuildRequest fixture_request() {
  RtlBuildRequest r;
  r.rtl_dir = kSource / "tests/tb/fixtures/fifo";
  r.top = "lstm_tb_fifo_chain";
  r.cache_root = kBinary / "rtl-cache";
  r.key = "tb-fifo-fixture";
  r.sources = {kSource / "tests/tb/fifo_chain_plugin.cpp"};
  r.include_dirs = {kSource};
  r.verilator_args = {"-Wall", "--assert"};
  return r;
}

// Streams `words` random words through the chain with idle cycles and
// backpressure; returns the problems found (none: every word arrived once, in
// order, unchanged, and the FIFO never held more than Depth words).
std::vector<std::string> run_chain(const fs::path& plugin, std::uint64_t seed, std::uint64_t words) {
  using namespace lstm::tb;
  const ModelLibrary lib(plugin);
  const auto make = lib.entry<MakeFifoChainFn>(kMakeFifoChainSymbol);
  DutHarness<FifoChainDut> h(
      [make](VerilatedContext& c) { return std::unique_ptr<FifoChainDut>(make(&c)); });
  auto& drv = h.emplace<StreamDriver>(
      StreamDriver::Ports{.valid = [&](bool v) { h->set_in_valid(v); },
                          .ready = [&] { return h->in_ready(); },
                          .data = [&](std::uint64_t d) { h->set_in_data(d); }},
      seed * 2 + 1, /*idle_probability=*/0.25);
  auto& mon = h.emplace<StreamMonitor>(
      StreamMonitor::Ports{.valid = [&] { return h->out_valid(); },
                           .ready = [&](bool r) { h->set_out_ready(r); },
                           .data = [&] { return h->out_data(); }},
      seed * 2 + 2, /*backpressure_probability=*/0.5, "out");
  std::deque<std::uint64_t> expected;
  std::vector<std::string> errors;
  std::mt19937_64 rng(seed);
  for (std::uint64_t i = 0; i < words; ++i) {
    const std::uint64_t w = rng() & low_mask(kChainWidth);
    drv.push(w);
    expected.push_back(w);
  }
  mon.on_beat = [&](const Beat& b) {
    if (expected.empty() || b.data != expected.front())
      errors.push_back("cycle " + std::to_string(b.cycle) + ": unexpected word " +
                       std::to_string(b.data));
    if (!expected.empty()) expected.pop_front();
  };
  auto& occupancy = h.emplace<FunctionAgent>();
  occupancy.on_sample = [&](std::uint64_t cycle) {
    if (h->count() > kChainDepth) errors.push_back("cycle " + std::to_string(cycle) + ": count > Depth");
  };
  h.reset(3);
  h.run_until([&] { return mon.count() >= words || errors.size() >= 10; }, words * 20 + 100,
              std::to_string(words) + " words at the output");
  h.run(20);  // nothing more may come out
  for (const auto& e : mon.errors()) errors.push_back(e);
  if (mon.count() != words)
    errors.push_back("received " + std::to_string(mon.count()) + " words, sent " + std::to_string(words));
  return errors;
}

// A scratch copy of the fixture, for tests that edit sources.
fs::path scratch_fixture(const std::string& name) {
  const fs::path dir = kBinary / "tests" / "tb_scratch" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(kSource / "tests/tb/fixtures/fifo/lstm_tb_fifo_chain.sv",
                dir / "lstm_tb_fifo_chain.sv");
  fs::copy_file(kSource / "tests/tb/fifo_chain_plugin.cpp", dir / "plugin.cpp");
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
    lstm::tb::RtlBuild build_a, build_b;
    std::string err_a, err_b;
    auto call = [&req](std::ostringstream& log, lstm::tb::RtlBuild& b, std::string& err) {
      try {
        b = lstm::tb::ensure_rtl_build(req, log);
      } catch (const std::exception& e) {
        err = e.what();
      }
    };
    std::thread a(call, std::ref(log_a), std::ref(build_a), std::ref(err_a));
    std::thread b(call, std::ref(log_b), std::ref(build_b), std::ref(err_b));
    a.join();
    b.join();
    MESSAGE(log_a.str() << log_b.str());
    REQUIRE(err_a == "");
    REQUIRE(err_b == "");
    CHECK(build_a.plugin == build_b.plugin);
    CHECK(build_a.plugin == kBinary / "rtl-cache" / "tb-fifo-fixture" / "Vlstm_tb_fifo_chain.so");
    // At most one of them built (none if another test process built it first).
    CHECK_FALSE((build_a.built && build_b.built));
    if (build_a.built) {
      CHECK(build_a.times.units >= 2);  // at least one model unit and the adapter
      CHECK(build_a.times.compile > 0.0);
    }
    for (int seed : {1, 2, 3}) {
      INFO("seed " << seed);
      CHECK(run_chain(build_a.plugin, seed, 5000) == std::vector<std::string>{});
    }
  }

  TEST_CASE("a second request for the same key is a cache hit that rebuilds nothing") {
    const RtlBuildRequest req = fixture_request();
    std::ostringstream first;
    const fs::path plugin = lstm::tb::ensure_rtl_build(req, first).plugin;
    const auto built_at = fs::last_write_time(plugin);
    const auto logged_at = fs::last_write_time(plugin.parent_path() / "build.log");
    std::ostringstream second;
    const lstm::tb::RtlBuild again = lstm::tb::ensure_rtl_build(req, second);
    CHECK(again.plugin == plugin);
    CHECK_FALSE(again.built);
    // No build. (It may print that it waited: another test process can hold
    // the key's lock for a moment to check its own request.)
    CHECK(second.str().find("building") == std::string::npos);
    CHECK(fs::last_write_time(plugin) == built_at);
    CHECK(fs::last_write_time(plugin.parent_path() / "build.log") == logged_at);
  }

  TEST_CASE("a plugin without the entry point asked for, or no plugin at all, fails with its path") {
    const fs::path plugin = lstm::tb::ensure_rtl_build(fixture_request(), std::cerr).plugin;
    const lstm::tb::ModelLibrary lib(plugin);
    CHECK_THROWS_WITH_AS(lib.entry<MakeFifoChainFn>("lstm_tb_no_such_entry"),
                         doctest::Contains(plugin.string().c_str()), std::runtime_error);
    // The model's own symbols stay private to the plugin.
    CHECK_THROWS_AS(lib.entry<void (*)()>("_ZN19Vlstm_tb_fifo_chain4evalEv"), std::runtime_error);
    CHECK_THROWS_WITH_AS(lstm::tb::ModelLibrary(kBinary / "no-such-plugin.so"),
                         doctest::Contains("no-such-plugin.so"), std::runtime_error);
  }

  TEST_CASE("the fingerprint follows the contents of RTL, sources, included headers and args") {
    const fs::path dir = scratch_fixture("fingerprint");
    fs::create_directories(dir / "inc");
    std::ofstream(dir / "inc" / "helper.hpp") << "// v1\n";
    RtlBuildRequest r = fixture_request();
    r.rtl_dir = dir;
    r.sources = {dir / "plugin.cpp"};
    const std::vector<fs::path> headers{dir / "inc" / "helper.hpp"};
    const std::string base = lstm::tb::rtl_build_fingerprint(r, headers);
    CHECK(lstm::tb::rtl_build_fingerprint(r, headers) == base);  // stable

    std::ofstream(dir / "lstm_tb_fifo_chain.sv", std::ios::app) << "// edited\n";
    const std::string after_rtl = lstm::tb::rtl_build_fingerprint(r, headers);
    CHECK(after_rtl != base);

    std::ofstream(dir / "plugin.cpp", std::ios::app) << "// edited\n";
    const std::string after_source = lstm::tb::rtl_build_fingerprint(r, headers);
    CHECK(after_source != after_rtl);

    std::ofstream(dir / "inc" / "helper.hpp") << "// v2\n";
    const std::string after_header = lstm::tb::rtl_build_fingerprint(r, headers);
    CHECK(after_header != after_source);

    r.verilator_args.push_back("-O3");
    const std::string after_args = lstm::tb::rtl_build_fingerprint(r, headers);
    CHECK(after_args != after_header);

    r.defines.push_back("EXTRA=1");
    CHECK(lstm::tb::rtl_build_fingerprint(r, headers) != after_args);
  }

  TEST_CASE("a header the adapter includes is recorded, and editing it rebuilds the plugin") {
    const fs::path dir = scratch_fixture("header");
    fs::create_directories(dir / "inc");
    std::ofstream(dir / "inc" / "helper.hpp") << "inline int helper() { return 1; }\n";
    std::ofstream(dir / "plugin.cpp", std::ios::app) << "#include \"inc/helper.hpp\"\n";
    RtlBuildRequest r = fixture_request();
    r.rtl_dir = dir;
    r.key = "tb-header-fixture";
    r.sources = {dir / "plugin.cpp"};
    r.include_dirs = {kSource, dir};
    lstm::tb::ensure_rtl_build(r, std::cerr);
    std::ifstream stamp(kBinary / "rtl-cache" / "tb-header-fixture" / "stamp");
    const std::string text{std::istreambuf_iterator<char>(stamp), std::istreambuf_iterator<char>()};
    CHECK(text.find((dir / "inc" / "helper.hpp").string()) != std::string::npos);
    CHECK(text.find((kSource / "tb" / "dut.hpp").string()) != std::string::npos);
    CHECK_FALSE(lstm::tb::ensure_rtl_build(r, std::cerr).built);
    std::ofstream(dir / "inc" / "helper.hpp") << "inline int helper() { return 2; }\n";
    CHECK(lstm::tb::ensure_rtl_build(r, std::cerr).built);
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
    // The include dir reaches Verilator.
    const auto cmd = lstm::tb::verilator_command(fixture_request(), fl);
    CHECK(std::find(cmd.begin(), cmd.end(), "+incdir+" + (dir / "include").string()) != cmd.end());

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
    r.sources = {kSource / "tests/tb/no_such_adapter.cpp"};
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

  TEST_CASE("a broken adapter fails with the compiler's message") {
    const fs::path dir = scratch_fixture("broken_adapter");
    std::ofstream(dir / "plugin.cpp", std::ios::app) << "\nint oops = ;\n";
    RtlBuildRequest r = fixture_request();
    r.rtl_dir = dir;
    r.key = "tb-broken-adapter";
    r.sources = {dir / "plugin.cpp"};
    CHECK_THROWS_WITH_AS(lstm::tb::ensure_rtl_build(r, std::cerr),
                         doctest::Contains("plugin.cpp"), std::runtime_error);
    CHECK_FALSE(fs::exists(kBinary / "rtl-cache" / "tb-broken-adapter" / "stamp"));
  }
}
