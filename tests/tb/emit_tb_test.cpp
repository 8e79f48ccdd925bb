// lstmsim emit-tb: the host writes are the run plan tb/accel_driver.hpp executes, and
// the emitted SystemVerilog testbench passes under Icarus in modes single, mt
// and hc (with and without idle cycles and backpressure), fails when an
// expected value is wrong or the run takes too long, and passes under
// Verilator --binary --timing.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/wait.h>

#include "host/run_plan.hpp"
#include "tb/emit_tb.hpp"
#include "sim/golden_lstm.hpp"
#include "sim/model_io.hpp"
#include "sim/run_common.hpp"
#include "sim/workload.hpp"

namespace fs = std::filesystem;
using namespace lstm;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Runs cmd in dir with output to a log; returns the exit code and the log.
std::pair<int, std::string> run_in(const fs::path& dir, const std::string& cmd,
                                   const std::string& log_name = "tool.log") {
  const fs::path log = dir / log_name;
  const int rc = std::system(
      fmt::format("cd '{}' && {} > '{}' 2>&1", dir.string(), cmd, log.string()).c_str());
  return {rc, slurp(log)};
}

fs::path work_dir(const std::string& name) {
  const fs::path d = fs::path(LSTM_BINARY_DIR) / "emit-tb-test" / name;
  fs::remove_all(d);
  fs::create_directories(d.parent_path());
  return d;
}

struct Fixture {
  HwConfig cfg = load_config_or_throw(std::string(LSTM_SOURCE_DIR) + "/configs/small.json");
  WorkloadShape shape{5, 7, 2, 6, 2};
  FloatModel fmodel = random_model(shape, 42);
  SequenceSet finputs = random_inputs(shape, 42);
  QuantModel model = quantize_model(fmodel, cfg);
  std::vector<IntSequence> inputs;
  Fixture() {
    for (const auto& s : finputs) inputs.push_back(quantize_sequence(s, cfg.data));
  }
  fs::path emit(const std::string& name, const TbOptions& o) const {
    const fs::path d = work_dir(name);
    emit_testbench(cfg, plan_testbench(cfg, model, inputs, o), d, "emit_tb_test " + name);
    return d;
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

// Compiles and runs the folder's testbench under Icarus; returns vvp's output.
std::string run_icarus(const fs::path& dir) {
  const auto [rc, log] = run_in(dir, "iverilog -g2012 -o tb.vvp -f files.f", "iverilog.log");
  INFO(log);
  REQUIRE(rc == 0);
  const auto [vrc, out] = run_in(dir, "vvp -n tb.vvp", "vvp.log");
  CHECK(vrc == 0);
  return out;
}

bool passed(const std::string& out) {
  return out.find("\nPASS") != std::string::npos && out.find("FAIL") == std::string::npos &&
         out.find("MISMATCH") == std::string::npos;
}

// Flips the lowest bit of the first value in the expect file.
void corrupt_first_expected(const fs::path& dir) {
  const fs::path p = dir / kTbExpectFile;
  std::istringstream in(slurp(p));
  std::string out, line;
  bool done = false;
  while (std::getline(in, line)) {
    if (!done && !line.empty() && line.rfind("//", 0) != 0) {
      const std::string word = line.substr(0, line.find(' '));
      const auto v = std::stoull(word, nullptr, 16) ^ 1u;
      line = fmt::format("{:0{}x}", v, word.size());
      done = true;
    }
    out += line + "\n";
  }
  REQUIRE(done);
  std::ofstream(p, std::ios::trunc) << out;
}

}  // namespace

TEST_SUITE("emit-tb") {
  TEST_CASE("the host writes are the run plan's, in the order the driver performs them") {
    const auto& f = fixture();
    for (const char* name : {"single", "mt", "hc", "hybrid"}) {
      CAPTURE(name);
      TbOptions o;
      o.mode = *hostmap::parse_mode(name);
      const TbPlan p = plan_testbench(f.cfg, f.model, f.inputs, o);
      std::vector<JobSpec> specs;
      for (const auto& x : f.inputs) specs.push_back({0, static_cast<std::uint32_t>(x.size())});
      const RunPlan run = plan_run(f.cfg, o.mode, {f.model}, specs);
      std::vector<HostWrite> w = run.load;
      for (const auto& m : mode_writes(run)) w.push_back(m);
      CHECK(p.setup_writes == w.size());
      for (std::size_t j = 0; j < run.jobs.size(); ++j) {
        // Every group's program (mt pipelines its jobs: a group per stage),
        // then START: the testbench runs the jobs one after another.
        for (const auto& prog : run.jobs[j].programs) w.insert(w.end(), prog.begin(), prog.end());
        w.push_back(start_all_write());
        CHECK(p.jobs[j].writes_end == w.size());
      }
      REQUIRE(p.writes.size() == w.size());
      for (std::size_t i = 0; i < w.size(); ++i) {
        CAPTURE(i);
        CHECK(p.writes[i].addr == w[i].addr);
        CHECK(p.writes[i].data == w[i].data);
      }
      CHECK(p.active == run.active);
      CHECK(p.in_port == run.groups.front().in_port);
      CHECK(p.out_port == run.groups.back().out_port);
    }
  }

  TEST_CASE("the host writes load every weight once, then MODE, ACTIVE and per job the programs and START") {
    const auto& f = fixture();
    const auto words_of = [&](const std::vector<UnitSlice>& slices, int first) {
      std::size_t n = 0;
      for (std::size_t i = 0; i < slices.size(); ++i) {
        const auto& l = f.model.layers[static_cast<std::size_t>(first) + i];
        n += static_cast<std::size_t>(slices[i].cnt) * 4 *
             static_cast<std::size_t>(l.input_size + l.hidden_size + 1);
      }
      return n;
    };
    for (const char* name : {"single", "mt", "hc"}) {
      CAPTURE(name);
      TbOptions o;
      o.mode = *hostmap::parse_mode(name);
      const TbPlan p = plan_testbench(f.cfg, f.model, f.inputs, o);
      const int nl = static_cast<int>(f.model.layers.size());
      REQUIRE(p.jobs.size() == f.inputs.size());
      // Load: every weight and bias of every unit, once, then MODE and ACTIVE.
      std::size_t load = 0;
      if (o.mode == hostmap::Mode::Single) {
        load = words_of(full_slices(f.model, 0, nl), 0);
        CHECK(p.active == 1);
        CHECK(p.out_port == 0);
      } else if (o.mode == hostmap::Mode::Mt) {
        const auto stages = partition_stages(f.cfg, f.model, f.cfg.cores);
        for (const auto& [a, b] : stages) load += words_of(full_slices(f.model, a, b), a);
        CHECK(p.active == static_cast<int>(stages.size()));
        CHECK(p.out_port == static_cast<unsigned>(stages.size() - 1));
      } else {
        load = words_of(full_slices(f.model, 0, nl), 0);  // the units split, the words do not
        CHECK(p.active == 2);
        CHECK(p.out_port == 0);
      }
      CHECK(p.active >= 1);
      CHECK(p.setup_writes == load + 2);
      CHECK(p.writes[load].addr == hostmap::global_reg(hostmap::kMode));
      CHECK(p.writes[load].data == static_cast<std::uint32_t>(o.mode));
      CHECK(p.writes[load + 1].addr == hostmap::global_reg(hostmap::kActive));
      CHECK(p.writes[load + 1].data == static_cast<std::uint32_t>(p.active));
      // Per job: the program of every active core (NUM_STEPS = the sequence's
      // length, flags as accel_driver), then START.
      std::size_t begin = p.setup_writes;
      std::vector<HostWrite> expected_prog;
      for (std::size_t j = 0; j < p.jobs.size(); ++j) {
        const auto& job = p.jobs[j];
        // NUM_LAYERS, NUM_STEPS, FLAGS and 6 descriptor words per layer a core
        // runs (mt: one layer per stage here), then START.
        const std::size_t layers_per_core = o.mode == hostmap::Mode::Mt ? 1 : static_cast<std::size_t>(nl);
        CHECK(job.writes_end - begin ==
              static_cast<std::size_t>(p.active) * (3 + 6 * layers_per_core) + 1);
        CHECK(p.writes[job.writes_end - 1].addr == hostmap::global_reg(hostmap::kStart));
        CHECK(p.writes[begin].addr == hostmap::core_reg(0, hostmap::kNumLayers));
        CHECK(p.writes[begin + 1].addr == hostmap::core_reg(0, hostmap::kNumSteps));
        CHECK(p.writes[begin + 1].data == f.inputs[j].size());
        CHECK(p.writes[begin + 2].addr == hostmap::core_reg(0, hostmap::kFlags));
        CHECK(p.writes[begin + 2].data == (hostmap::kFlagOutEn | hostmap::kFlagOutWait));
        if (o.mode == hostmap::Mode::Hc) {  // helper cores: OUT_WAIT only
          const std::size_t core1 = begin + 3 + 6 * static_cast<std::size_t>(nl);
          CHECK(p.writes[core1 + 2].addr == hostmap::core_reg(1, hostmap::kFlags));
          CHECK(p.writes[core1 + 2].data == hostmap::kFlagOutWait);
        }
        begin = job.writes_end;
        // The expected outputs are the golden model's.
        const IntSequence h = GoldenLstm(f.cfg, f.model).run(f.inputs[j]);
        REQUIRE(job.h_end - job.h_begin == h.size() * h[0].size());
        for (std::size_t t = 0; t < h.size(); ++t)
          for (std::size_t u = 0; u < h[t].size(); ++u)
            CHECK(p.expect[job.h_begin + t * h[t].size() + u] == h[t][u]);
      }
      CHECK(begin == p.writes.size());
      CHECK(p.x.size() == f.inputs.size() * 6 * 5);
    }
    TbOptions mp;
    mp.mode = hostmap::Mode::Mp;  // its plan reacts to cores finishing: not replayable
    CHECK_THROWS_WITH_AS(plan_testbench(f.cfg, f.model, f.inputs, mp),
                         doctest::Contains("emit-tb replays jobs one at a time"), MappingError);
  }

  TEST_CASE("Icarus: the testbench passes in modes single, mt, hc and hybrid") {
    const auto& f = fixture();
    struct Case {
      const char* mode;
      double idle, backpressure;
    };
    for (const Case c : {Case{"single", 0.0, 0.0}, Case{"single", 0.3, 0.5}, Case{"mt", 0.0, 0.0},
                         Case{"mt", 0.3, 0.5}, Case{"hc", 0.0, 0.0}, Case{"hc", 0.3, 0.5},
                         Case{"hybrid", 0.3, 0.5}}) {
      CAPTURE(c.mode);
      CAPTURE(c.idle);
      TbOptions o;
      o.mode = *hostmap::parse_mode(c.mode);
      o.idle = c.idle;
      o.backpressure = c.backpressure;
      o.seed = 3;
      const fs::path dir = f.emit(fmt::format("{}_{}", c.mode, c.idle > 0 ? "random" : "plain"), o);
      for (const char* file : {"files.f", "lstm_tb_top.sv", "host_writes.hex", "jobs.hex",
                               "x_in.hex", "h_expect.hex", "README.txt", "emit_tb.json",
                               "rtl/lstm_top.sv"})
        CHECK(fs::exists(dir / file));
      const std::string out = run_icarus(dir);
      INFO(out);
      CHECK(passed(out));
    }
  }

  TEST_CASE("Icarus: a batched plan (--batch) passes, its writes the plan's batches, and a wrong value fails") {
    const HwConfig c = load_config_or_throw(std::string(LSTM_SOURCE_DIR) +
                                            "/tests/rtl/configs/small_batch.json");
    const WorkloadShape shape{4, 2, 1, 5, 5};  // folds on 4 lanes; 3 + 2 sequences
    const QuantModel m = quantize_model(random_model(shape, 9), c);
    std::vector<IntSequence> x;
    for (const auto& s : random_inputs(shape, 9)) x.push_back(quantize_sequence(s, c.data));
    TbOptions o;
    o.batch = 3;
    o.idle = 0.3;
    o.backpressure = 0.5;
    const TbPlan p = plan_testbench(c, m, x, o);
    std::vector<JobSpec> specs(5, JobSpec{0, 5});
    const RunPlan run = plan_run(c, hostmap::Mode::Single, {m}, specs, {}, 3);
    REQUIRE(p.jobs.size() == 2);
    CHECK(p.members == std::vector<std::vector<std::size_t>>{{0, 1, 2}, {3, 4}});
    std::vector<HostWrite> w = run.load;
    for (const auto& mw : mode_writes(run)) w.push_back(mw);
    for (std::size_t b = 0; b < run.batches.size(); ++b) {
      w.insert(w.end(), run.batches[b].program.begin(), run.batches[b].program.end());
      w.push_back(start_all_write());
      CHECK(p.jobs[b].writes_end == w.size());
      CHECK(p.jobs[b].steps == 5 * run.batches[b].jobs.size());  // vectors
    }
    REQUIRE(p.writes.size() == w.size());
    for (std::size_t i = 0; i < w.size(); ++i) CHECK(p.writes[i].data == w[i].data);
    const fs::path dir = work_dir("batch");
    emit_testbench(c, p, dir, "emit_tb_test batch");
    const std::string out = run_icarus(dir);
    INFO(out);
    CHECK(passed(out));
    corrupt_first_expected(dir);
    CHECK_FALSE(passed(run_icarus(dir)));
  }

  TEST_CASE("Icarus: a wrong expected value, an X on the data and a timeout make it print FAIL") {
    const auto& f = fixture();
    TbOptions o;
    o.mode = hostmap::Mode::Hc;
    o.backpressure = 0.4;
    const fs::path dir = f.emit("corrupt", o);
    corrupt_first_expected(dir);
    const std::string out = run_icarus(dir);
    INFO(out);
    CHECK(out.find("MISMATCH: sequence 0 step 0 unit 0: expected") != std::string::npos);
    CHECK(out.find("\nFAIL: 1 errors") != std::string::npos);
    CHECK(out.find("PASS") == std::string::npos);

    // An X on the data lines is a mismatch too (!== comparisons): make bit 0
    // of port 0's data X in the generated top.
    const fs::path xdir = f.emit("x_data", o);
    std::string top = slurp(xdir / "rtl" / "lstm_top.sv");
    const std::string assign = "assign out_data_o[7:0] = core_out_data[7:0];";
    const auto at = top.find(assign);
    REQUIRE(at != std::string::npos);
    top.replace(at, assign.size(), "assign out_data_o[7:0] = core_out_data[7:0] ^ 8'b0000000x;");
    std::ofstream(xdir / "rtl" / "lstm_top.sv", std::ios::trunc) << top;
    const std::string xout = run_icarus(xdir);
    INFO(xout);
    CHECK(xout.find("MISMATCH: sequence 0 step 0 unit 0: expected") != std::string::npos);
    CHECK(xout.find("\nFAIL: 84 errors") != std::string::npos);

    o.timeout_cycles = 1200;  // the load alone takes about 850 cycles
    const fs::path slow = f.emit("timeout", o);
    const std::string tout = run_icarus(slow);
    INFO(tout);
    CHECK(tout.find("FAIL: timeout after 1200 cycles") != std::string::npos);
    CHECK(tout.find("PASS") == std::string::npos);
  }

  TEST_CASE("the testbench template is SystemVerilog that Verilator parses, given its fields") {
    const auto& f = fixture();
    TbOptions o;
    o.mode = hostmap::Mode::Mt;
    const TbPlan p = plan_testbench(f.cfg, f.model, f.inputs, o);
    const fs::path dir = f.emit("template_lint", o);
    // Fields used as numbers get their value; the others stand in comments
    // and strings, where macros are not expanded.
    std::string defines;
    for (const auto& [name, value] : testbench_fields(f.cfg, p, "test")) {
      const bool number = value.find_first_not_of("0123456789abcdef") == std::string::npos;
      defines += fmt::format(" +define+EMIT_TB_{}={}", name, number ? value : "0");
    }
    const auto [rc, log] = run_in(
        dir / "rtl", fmt::format("verilator --lint-only --timing -Wno-fatal -Wno-lint -Wno-style{} "
                                 "--top-module lstm_tb_top -f files.f '{}'",
                                 defines, std::string(LSTM_SOURCE_DIR) + "/tb/templates/lstm_tb_top.sv"),
        "lint.log");
    INFO(log);
    CHECK(rc == 0);
    CHECK(log.find("%Error") == std::string::npos);
  }

  TEST_CASE("emit refuses a folder it did not write") {
    const auto& f = fixture();
    const fs::path dir = work_dir("foreign");
    fs::create_directories(dir);
    std::ofstream(dir / "precious.txt") << "keep me\n";
    CHECK_THROWS(emit_testbench(f.cfg, plan_testbench(f.cfg, f.model, f.inputs, TbOptions{}), dir,
                                "test"));
    CHECK(fs::exists(dir / "precious.txt"));
    CHECK(!fs::exists(dir / "rtl"));
  }

  TEST_CASE("lstmsim emit-tb writes a folder that passes, and rejects bad requests") {
    const auto& f = fixture();
    const fs::path dir = work_dir("cli");
    fs::create_directories(dir);
    write_json_file_atomic((dir / "model.json").string(), model_to_json(f.fmodel));
    write_json_file_atomic((dir / "input.json").string(), inputs_to_json(f.finputs));
    const std::string base = fmt::format("{} emit-tb --config {}/configs/small.json --model model.json "
                                         "--input input.json",
                                         LSTMSIM, LSTM_SOURCE_DIR);
    auto [rc, log] = run_in(dir, base + " --out tb --mode mt --idle 0.2 --backpressure 0.2 --seed 9");
    INFO(log);
    REQUIRE(rc == 0);
    CHECK(log.find("cd tb && iverilog") != std::string::npos);
    const std::string out = run_icarus(dir / "tb");
    INFO(out);
    CHECK(passed(out));
    // Again into the same folder: allowed (it is ours).
    CHECK(run_in(dir, base + " --out tb --mode single").first == 0);
    // mp is not offered; a folder that is not ours is left alone.
    CHECK(WEXITSTATUS(run_in(dir, base + " --out tb2 --mode mp").first) == 2);
    CHECK(WEXITSTATUS(run_in(dir, base + " --out .").first) == 2);
  }

  // Verilator builds the design and testbench in about a minute (two cores).
  TEST_CASE("Verilator --binary --timing: the hc testbench passes and detects a wrong value") {
    const auto& f = fixture();
    TbOptions o;
    o.mode = hostmap::Mode::Hc;
    o.idle = 0.3;
    o.backpressure = 0.5;
    o.seed = 5;
    const fs::path dir = f.emit("verilator_hc", o);
    const auto [rc, log] = run_in(
        dir,
        "verilator --binary --timing -j 0 -f files.f --top-module lstm_tb_top -Mdir obj_dir "
        "-o lstm_tb -MAKEFLAGS 'OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0'",
        "verilator.log");
    INFO(log);
    REQUIRE(rc == 0);
    const auto [xrc, out] = run_in(dir, "./obj_dir/lstm_tb", "sim.log");
    INFO(out);
    CHECK(xrc == 0);
    CHECK(passed(out));
    // Same cycles as Icarus: both print the same per-sequence lines.
    const std::string iv = run_icarus(dir);
    const auto lines = [](const std::string& s) {
      std::string keep;
      std::istringstream in(s);
      for (std::string l; std::getline(in, l);)
        if (l.rfind("sequence ", 0) == 0 || l.rfind("PASS", 0) == 0) keep += l + "\n";
      return keep;
    };
    CHECK(lines(out) == lines(iv));
    corrupt_first_expected(dir);
    const auto [brc, bad] = run_in(dir, "./obj_dir/lstm_tb", "sim_bad.log");
    INFO(bad);
    CHECK(bad.find("MISMATCH: sequence 0 step 0 unit 0") != std::string::npos);
    CHECK(bad.find("\nFAIL") != std::string::npos);
  }
}
