#include "tb/emit_tb.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "host/run_plan.hpp"
#include "sim/golden_lstm.hpp"
#include "sim/model_io.hpp"
#include "sim/run_common.hpp"

namespace lstm {

namespace fs = std::filesystem;
using hostmap::Mode;

namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// A nonzero xorshift32 state derived from the seed and a stream number.
std::uint32_t seed32(std::uint64_t seed, std::uint64_t stream) {
  const auto v = static_cast<std::uint32_t>(splitmix64(seed * 0x100000001B3ull + stream));
  return v == 0 ? 1u : v;
}

std::uint32_t threshold(double p) {
  if (!(p >= 0.0) || p > 0.95)
    throw std::invalid_argument(fmt::format("probability {} is outside 0..0.95", p));
  return static_cast<std::uint32_t>(std::lround(p * 65536.0));
}

std::string read_text(const fs::path& p) {
  std::ifstream f(p);
  if (!f) throw std::runtime_error("cannot read " + p.string());
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) throw std::runtime_error("cannot write " + p.string());
}

}  // namespace

namespace {

// The jobs of the testbench: one per input sequence, each checked first.
std::vector<JobSpec> testbench_jobs(const QuantModel& m, const std::vector<IntSequence>& inputs) {
  std::vector<JobSpec> jobs;
  for (std::size_t s = 0; s < inputs.size(); ++s) {
    const IntSequence& x = inputs[s];
    if (x.empty()) throw MappingError(fmt::format("input sequence {} has no steps", s));
    for (const auto& v : x)
      if (static_cast<int>(v.size()) != m.input_size())
        throw MappingError(fmt::format("input sequence {} has {} elements per step, the model "
                                       "takes {}", s, v.size(), m.input_size()));
    jobs.push_back({0, static_cast<std::uint32_t>(x.size())});
  }
  return jobs;
}

// The plan as the testbench replays it: the load, MODE and ACTIVE, then per
// job its program and START, one write per cycle. A pipelined plan (mt, several
// jobs) runs the same programs one job at a time: the testbench checks the
// bits, the Verilator driver measures the overlap.
void serialize_host_writes(const RunPlan& run, TbPlan& p) {
  if (run.dispatch == Dispatch::Batched) {
    // A batch is one job of the testbench: its program, START, and its
    // members' x and h interleaved (add_vectors).
    p.mode = run.mode;
    p.active = run.active;
    p.in_port = run.groups.front().in_port;
    p.out_port = run.groups.back().out_port;
    p.writes = run.load;
    for (const auto& w : mode_writes(run)) p.writes.push_back(w);
    p.setup_writes = static_cast<std::uint32_t>(p.writes.size());
    for (const BatchRun& b : run.batches) {
      p.writes.insert(p.writes.end(), b.program.begin(), b.program.end());
      p.writes.push_back(start_all_write());
      TbJob job;
      job.writes_end = static_cast<std::uint32_t>(p.writes.size());
      job.steps = run.jobs[b.jobs.front()].steps * static_cast<std::uint32_t>(b.jobs.size());
      job.work = b.work;
      p.jobs.push_back(job);
      p.members.push_back(b.jobs);
    }
    return;
  }
  if (run.dispatch != Dispatch::Serial && run.dispatch != Dispatch::Pipelined)
    throw MappingError(fmt::format(
        "emit-tb replays jobs one at a time; mode {} dispatches jobs to cores as they finish, "
        "which the testbench does not do (use single, mt or hc)",
        hostmap::mode_name(run.mode)));
  p.mode = run.mode;
  p.active = run.active;
  p.in_port = run.groups.front().in_port;
  p.out_port = run.groups.back().out_port;
  p.writes = run.load;
  for (const auto& w : mode_writes(run)) p.writes.push_back(w);
  p.setup_writes = static_cast<std::uint32_t>(p.writes.size());
  for (const std::size_t j : run.queues.at(0)) {
    for (const auto& prog : run.jobs[j].programs)
      p.writes.insert(p.writes.end(), prog.begin(), prog.end());
    p.writes.push_back(start_all_write());
    TbJob job;
    job.writes_end = static_cast<std::uint32_t>(p.writes.size());
    job.steps = run.jobs[j].steps;
    job.work = run.jobs[j].work;
    p.jobs.push_back(job);
  }
}

// Each job's x elements and the golden model's h elements, in stream order.
void add_vectors(const HwConfig& c, const QuantModel& m, const std::vector<IntSequence>& inputs,
                 TbPlan& p) {
  const GoldenLstm golden(c, m);
  if (!p.members.empty()) {
    for (std::size_t j = 0; j < p.jobs.size(); ++j) {
      TbJob& job = p.jobs[j];
      const auto& mem = p.members[j];
      std::vector<std::vector<IntVector>> h;
      for (std::size_t s : mem) h.push_back(golden.run(inputs[s]));
      job.h_begin = static_cast<std::uint32_t>(p.expect.size());
      for (std::size_t t = 0; t < inputs[mem.front()].size(); ++t)
        for (std::size_t k = 0; k < mem.size(); ++k) {
          for (auto e : inputs[mem[k]][t]) p.x.push_back(tb_bits(e, c.data.width));
          for (auto e : h[k][t]) p.expect.push_back(e);
        }
      job.x_end = static_cast<std::uint32_t>(p.x.size());
      job.h_end = static_cast<std::uint32_t>(p.expect.size());
    }
    return;
  }
  for (std::size_t s = 0; s < inputs.size(); ++s) {
    TbJob& job = p.jobs[s];
    for (const auto& v : inputs[s])
      for (auto e : v) p.x.push_back(tb_bits(e, c.data.width));
    job.x_end = static_cast<std::uint32_t>(p.x.size());
    job.h_begin = static_cast<std::uint32_t>(p.expect.size());
    for (const auto& h : golden.run(inputs[s]))
      for (auto e : h) p.expect.push_back(e);
    job.h_end = static_cast<std::uint32_t>(p.expect.size());
  }
}

// Generous: the design needs about `work` cycles plus pipeline latency (small
// designs: about 1.2 cycles per unit of work) and each stream element
// 1 / (1 - p) cycles on average; a hang should not keep anyone waiting long
// under Icarus.
std::uint64_t testbench_timeout(const TbPlan& p, const TbOptions& o) {
  if (o.timeout_cycles) return std::min<std::uint64_t>(o.timeout_cycles, 0x7FFFFFFF);
  std::uint64_t timeout = 100;
  for (std::size_t j = 0; j < p.jobs.size(); ++j) {
    const TbJob& job = p.jobs[j];
    const std::uint64_t xs = job.x_end - (j == 0 ? 0 : p.jobs[j - 1].x_end);
    timeout += 2000 + 8 * job.work +
               static_cast<std::uint64_t>(10.0 * static_cast<double>(xs) / (1.0 - o.idle) +
                                          10.0 * static_cast<double>(job.h_end - job.h_begin) /
                                              (1.0 - o.backpressure));
  }
  timeout += 2 * p.writes.size();
  return std::min<std::uint64_t>(timeout, 0x7FFFFFFF);
}

}  // namespace

TbPlan plan_testbench(const HwConfig& c, const QuantModel& m,
                      const std::vector<IntSequence>& inputs, const TbOptions& o) {
  if (m.layers.empty()) throw MappingError("the model has no layers");
  if (inputs.empty()) throw MappingError("no input sequences");
  for (const auto& p : model_limit_problems(c, m)) throw MappingError(p);

  TbPlan p;
  p.cores = c.cores;
  p.data_width = c.data.width;
  p.hidden = m.hidden_size();
  p.seed = o.seed;
  p.idle = o.idle;
  p.backpressure = o.backpressure;
  p.idle_threshold = threshold(o.idle);
  p.bp_threshold = threshold(o.backpressure);
  p.x_seed = seed32(o.seed, 1);
  p.bp_seed = seed32(o.seed, 2);
  serialize_host_writes(plan_run(c, o.mode, {m}, testbench_jobs(m, inputs), {}, o.batch), p);
  add_vectors(c, m, inputs, p);
  p.timeout_cycles = testbench_timeout(p, o);
  return p;
}

void emit_testbench(const HwConfig& c, const TbPlan& p, const fs::path& dir,
                    const std::string& command_line) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec))
      throw std::runtime_error(dir.string() + " exists and is not a folder");
    if (!fs::is_empty(dir, ec) && !fs::exists(dir / "emit_tb.json", ec))
      throw std::runtime_error(dir.string() +
                               " is not empty and was not written by emit-tb (no emit_tb.json); "
                               "not replacing it");
  }
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  generate_rtl(c, dir / "rtl", command_line);
  std::vector<std::string> rtl_files;
  {
    std::istringstream in(read_text(dir / "rtl" / "files.f"));
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line.rfind("//", 0) != 0) rtl_files.push_back(line);
  }
  auto files = render_testbench(c, p, rtl_files, command_line);
  // emit_tb.json first: a folder left half written is still recognised as ours.
  std::stable_partition(files.begin(), files.end(),
                        [](const GeneratedFile& f) { return f.name == "emit_tb.json"; });
  for (const auto& f : files) write_text(dir / f.name, f.text);
}

void run_emit_tb(const EmitTbRequest& r, const std::string& command_line) {
  TbOptions o = r.options;
  const auto mode = hostmap::parse_mode(r.mode);
  if (!mode) throw FileError(fmt::format("unknown mode {}", r.mode));
  o.mode = *mode;
  const RunSetup setup = load_run(RunFiles{r.config_path, r.model, r.input, ""});
  check_model_runs_on_hardware(setup, HardwareRunner::EmitTb);
  const HwConfig& c = setup.config;
  const QuantModel q = quantize_model(setup.model, c);
  std::vector<IntSequence> x;
  for (const auto& s : setup.inputs) x.push_back(quantize_sequence(s, c.data));
  TbPlan plan;
  try {
    plan = plan_testbench(c, q, x, o);
  } catch (const MappingError& e) {
    throw FileError(fmt::format("{}: cannot run in mode {} on this hardware: {}", r.model, r.mode,
                                e.what()));
  }
  try {
    emit_testbench(c, plan, r.out_dir, command_line);
  } catch (const std::runtime_error& e) {
    throw FileError(e.what());
  }
  fmt::print("wrote {}: mode {} on {} of {} cores, {} sequences, {} host writes, {} x and {} h "
             "elements\n"
             "run: cd {} && iverilog -g2012 -o tb.vvp -f files.f && vvp -n tb.vvp\n"
             "     (Verilator: see README.txt)\n",
             r.out_dir, r.mode, plan.active, plan.cores, plan.jobs.size(), plan.writes.size(),
             plan.x.size(), plan.expect.size(), r.out_dir);
}

}  // namespace lstm
