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
#include "tb/emit_tb_template.hpp"
#include "sim/golden_lstm.hpp"
#include "sim/model_io.hpp"
#include "sim/run_common.hpp"
#include "spec/lstm_shape.hpp"

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

std::uint64_t mask_bits(std::int64_t v, int width) {
  return static_cast<std::uint64_t>(v) & ((std::uint64_t{1} << width) - 1);
}

std::string hex(std::uint64_t v, int bits) {
  return fmt::format("{:0{}x}", v, (bits + 3) / 4);
}

// The name of `value` in a host-map table, or `other`.
std::string_view name_in(std::span<const hostmap::Entry> table, unsigned value,
                         std::string_view other) {
  const hostmap::Entry* e = hostmap::find_entry(table, value);
  return e ? e->name : other;
}

// A comment naming what a host write does (the .hex files stay readable).
std::string describe_write(const HwConfig& c, const HostWrite& w) {
  using namespace hostmap;
  const auto [target, region, index] = decode(w.addr);
  if (target == kGlobal)
    return fmt::format("{} = {}", name_in(kGlobalRegTable, index, "global register"), w.data);
  if (region == static_cast<unsigned>(Region::Regs)) {
    if (index >= kLayerBase)
      return fmt::format("core {} layer {} {} = {}", target, (index - kLayerBase) / kLayerStride,
                         name_in(kLayerFieldTable, (index - kLayerBase) % kLayerStride, "?"),
                         w.data);
    return fmt::format("core {} {} = {}", target, name_in(kCoreRegTable, index, "register"),
                       w.data);
  }
  const int sb = slot_bits(c);
  const unsigned slot = index & ((1u << sb) - 1);
  return fmt::format("core {} {} word {} lane {} gate {}", target,
                     region == static_cast<unsigned>(Region::Weights) ? "weight" : "bias",
                     index >> sb, slot / kGates, kGateLetters[slot % kGates]);
}

std::string replace_fields(std::string text, const std::map<std::string, std::string>& fields) {
  for (const auto& [name, value] : fields) {
    const std::string key = "${" + name + "}";
    for (std::size_t pos = text.find(key); pos != std::string::npos;
         pos = text.find(key, pos + value.size()))
      text.replace(pos, key.size(), value);
  }
  if (const auto pos = text.find("${"); pos != std::string::npos)
    throw std::logic_error("emit-tb template: unfilled field " + text.substr(pos, 24));
  return text;
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
// job its program and START, one write per cycle.
void serialize_host_writes(const RunPlan& run, TbPlan& p) {
  if (run.dispatch != Dispatch::Serial)
    throw MappingError(fmt::format(
        "emit-tb replays jobs one at a time; mode {} dispatches jobs to cores as they finish, "
        "which the testbench does not do (use single, mt or hc)",
        hostmap::mode_name(run.mode)));
  const CoreGroup& g = run.groups.at(0);
  p.mode = run.mode;
  p.active = run.active;
  p.in_port = g.in_port;
  p.out_port = g.out_port;
  p.writes = run.load;
  for (const auto& w : mode_writes(run)) p.writes.push_back(w);
  p.setup_writes = static_cast<std::uint32_t>(p.writes.size());
  for (const std::size_t j : run.queues.at(0)) {
    const auto& prog = run.jobs[j].programs.at(0);
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
  for (std::size_t s = 0; s < inputs.size(); ++s) {
    TbJob& job = p.jobs[s];
    for (const auto& v : inputs[s])
      for (auto e : v) p.x.push_back(mask_bits(e, c.data.width));
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
  serialize_host_writes(plan_run(c, o.mode, {m}, testbench_jobs(m, inputs)), p);
  add_vectors(c, m, inputs, p);
  p.timeout_cycles = testbench_timeout(p, o);
  return p;
}

std::vector<GeneratedFile> render_testbench(const HwConfig& c, const TbPlan& p,
                                            const std::vector<std::string>& rtl_files,
                                            const std::string& command_line) {
  const std::string mode = std::string(hostmap::mode_name(p.mode));
  const std::string source = fmt::format(
      "config \"{}\" (config hash {}), mode {}, seed {}; command: {}", c.name, config_hash(c),
      mode, p.seed, command_line);
  std::vector<GeneratedFile> out;

  // host_writes.hex
  {
    std::string t = fmt::format(
        "// Host writes, one per cycle, in order: {{address, data}} (docs/host-interface.md).\n"
        "// {}\n",
        source);
    std::size_t job = 0;
    for (std::size_t i = 0; i < p.writes.size(); ++i) {
      if (i == 0) t += "// load: weights and biases, then MODE and ACTIVE\n";
      if (i == p.setup_writes) t += "// sequence 0: program, START\n";
      t += fmt::format("{}{} // {}\n", hex(p.writes[i].addr, 32), hex(p.writes[i].data, 32),
                       describe_write(c, p.writes[i]));
      while (job < p.jobs.size() && i + 1 == p.jobs[job].writes_end) {
        if (job + 1 < p.jobs.size()) t += fmt::format("// sequence {}: program, START\n", job + 1);
        ++job;
      }
    }
    out.push_back({"host_writes.hex", t});
  }
  // jobs.hex
  {
    std::string t =
        "// One line per input sequence (job): {writes_end, x_end, h_begin, h_end, steps},\n"
        "// 32 bits each. Host writes [previous writes_end, writes_end) precede the job's\n"
        "// outputs (the last is START); x elements [previous x_end, x_end) and expected h\n"
        "// elements [h_begin, h_end) are the job's.\n";
    for (std::size_t j = 0; j < p.jobs.size(); ++j) {
      const auto& jb = p.jobs[j];
      t += fmt::format("{}{}{}{}{} // sequence {}\n", hex(jb.writes_end, 32), hex(jb.x_end, 32),
                       hex(jb.h_begin, 32), hex(jb.h_end, 32), hex(jb.steps, 32), j);
    }
    out.push_back({"jobs.hex", t});
  }
  // x_in.hex and h_expect.hex: one element per line, a comment per step.
  {
    std::string tx = fmt::format(
        "// x elements in stream order ({}-bit two's complement, data format Q{}.{}).\n",
        p.data_width, p.data_width - c.data.frac, c.data.frac);
    std::string th = fmt::format(
        "// Expected h elements from the golden model (sim/golden_lstm.hpp), in stream order\n"
        "// ({}-bit two's complement, data format). Decimal values in the comments.\n",
        p.data_width);
    std::size_t xi = 0;
    for (std::size_t j = 0; j < p.jobs.size(); ++j) {
      const auto& jb = p.jobs[j];
      const std::size_t xin = (jb.x_end - (j == 0 ? 0 : p.jobs[j - 1].x_end)) / jb.steps;
      for (std::uint32_t t = 0; t < jb.steps; ++t) {
        tx += fmt::format("// sequence {} step {}\n", j, t);
        for (std::size_t u = 0; u < xin; ++u, ++xi) tx += hex(p.x[xi], p.data_width) + "\n";
        th += fmt::format("// sequence {} step {}\n", j, t);
        for (int u = 0; u < p.hidden; ++u) {
          const auto v = p.expect[jb.h_begin + t * static_cast<std::uint32_t>(p.hidden) +
                                  static_cast<std::uint32_t>(u)];
          th += fmt::format("{} // {}\n", hex(mask_bits(v, p.data_width), p.data_width), v);
        }
      }
    }
    out.push_back({"x_in.hex", tx});
    out.push_back({kTbExpectFile, th});
  }
  // lstm_tb_top.sv
  {
    const std::map<std::string, std::string> f{
        {"SOURCE", source},
        {"MODE_NAME", mode},
        {"IDLE", fmt::format("{}", p.idle)},
        {"BP", fmt::format("{}", p.backpressure)},
        {"CORES", std::to_string(p.cores)},
        {"DW", std::to_string(p.data_width)},
        {"ACTIVE", std::to_string(p.active)},
        {"IN_PORT", std::to_string(p.in_port)},
        {"OUT_PORT", std::to_string(p.out_port)},
        {"HIDDEN", std::to_string(p.hidden)},
        {"NUM_WRITES", std::to_string(p.writes.size())},
        {"NUM_JOBS", std::to_string(p.jobs.size())},
        {"NUM_X", std::to_string(p.x.size())},
        {"NUM_H", std::to_string(p.expect.size())},
        {"TIMEOUT", std::to_string(p.timeout_cycles)},
        {"IDLE_T", std::to_string(p.idle_threshold)},
        {"BP_T", std::to_string(p.bp_threshold)},
        {"SEED", std::to_string(p.seed)},
        {"X_SEED", hex(p.x_seed, 32)},
        {"BP_SEED", hex(p.bp_seed, 32)},
        {"SUMMARY",
         fmt::format("config {}, mode {} on {} of {} cores, {} sequences, {} host writes, "
                     "idle {}, backpressure {}, seed {}",
                     c.name, mode, p.active, p.cores, p.jobs.size(), p.writes.size(),
                     p.idle, p.backpressure, p.seed)}};
    out.push_back({"lstm_tb_top.sv", replace_fields(tb_template::kTestbench, f)});
  }
  // files.f
  {
    std::string t =
        "// lstmsim emit-tb: the generated RTL (rtl/) in compile order, then the testbench.\n";
    // The generated list's +incdir+DIR lines name folders relative to rtl/.
    for (const auto& r : rtl_files)
      t += r.starts_with("+incdir+") ? "+incdir+rtl/" + r.substr(8) + "\n" : "rtl/" + r + "\n";
    t += "lstm_tb_top.sv\n";
    out.push_back({"files.f", t});
  }
  // README.txt
  out.push_back(
      {"README.txt",
       fmt::format(
           "Self-checking testbench for the generated LSTM accelerator, written by lstmsim emit-tb.\n"
           "{}\n\n"
           "Icarus Verilog (11 or later):\n"
           "  iverilog -g2012 -o tb.vvp -f files.f && vvp -n tb.vvp\n\n"
           "Verilator (5.006 or later):\n"
           "  verilator --binary --timing -j 0 -f files.f --top-module lstm_tb_top "
           "-Mdir obj_dir -o lstm_tb && ./obj_dir/lstm_tb\n"
           "  (about a minute to build; the simulation itself takes well under a second)\n\n"
           "Run either from this folder (the testbench reads its vector files from the current\n"
           "directory). The last line is PASS or FAIL; each mismatch is printed before it as\n"
           "\"MISMATCH: sequence S step T unit U: expected E, got G\".\n\n"
           "Files:\n"
           "  rtl/              the generated RTL (lstmgen output for this config)\n"
           "  lstm_tb_top.sv    the testbench\n"
           "  host_writes.hex   every host write {{address, data}}, one per cycle, in order\n"
           "  jobs.hex          per input sequence: where its writes, x and h elements end\n"
           "  x_in.hex          x elements in stream order\n"
           "  {}      expected h elements (golden model)\n"
           "  files.f           compile order for both simulators\n"
           "  emit_tb.json      what was emitted (counts, seed, probabilities)\n",
           source, kTbExpectFile)});
  // emit_tb.json
  {
    nlohmann::ordered_json j;
    j["tool"] = "lstmsim emit-tb";
    j["command"] = command_line;
    j["config"] = c.name;
    j["config_hash"] = config_hash(c);
    j["mode"] = mode;
    j["cores"] = p.cores;
    j["active"] = p.active;
    j["in_port"] = p.in_port;
    j["out_port"] = p.out_port;
    j["sequences"] = p.jobs.size();
    j["host_writes"] = p.writes.size();
    j["x_elements"] = p.x.size();
    j["h_elements"] = p.expect.size();
    j["idle"] = p.idle;
    j["backpressure"] = p.backpressure;
    j["seed"] = p.seed;
    j["timeout_cycles"] = p.timeout_cycles;
    out.push_back({"emit_tb.json", j.dump(2) + "\n"});
  }
  return out;
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
  check_model_runs_on_hardware(setup);
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
