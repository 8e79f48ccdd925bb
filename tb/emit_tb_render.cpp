// The files of an emit-tb folder, one function each, from a TbPlan: the
// vector files, the testbench (tb/templates/lstm_tb_top.sv filled in), the
// file list, README.txt and emit_tb.json.
#include <cctype>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "spec/lstm_shape.hpp"
#include "tb/emit_tb.hpp"

namespace lstm {

namespace {

std::string hex(std::uint64_t v, int bits) { return fmt::format("{:0{}x}", v, (bits + 3) / 4); }

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

// What every file's header names: config, mode, seed and command.
std::string source_line(const HwConfig& c, const TbPlan& p, const std::string& command_line) {
  return fmt::format("config \"{}\" (config hash {}), mode {}, seed {}; command: {}", c.name,
                     config_hash(c), hostmap::mode_name(p.mode), p.seed, command_line);
}

GeneratedFile host_writes_hex(const HwConfig& c, const TbPlan& p, const std::string& source) {
  std::string t = fmt::format(
      "// Host writes over AXI4-Lite, in order: {{word address, data}} (byte address =\n"
      "// word address << ByteShift; docs/host-interface.md).\n"
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
  return {"host_writes.hex", t};
}

GeneratedFile jobs_hex(const TbPlan& p) {
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
  return {"jobs.hex", t};
}

// x_in.hex: one element per line, a comment per step.
GeneratedFile x_in_hex(const HwConfig& c, const TbPlan& p) {
  std::string t = fmt::format(
      "// x elements in stream order ({}-bit two's complement, data format Q{}.{}).\n",
      p.data_width, p.data_width - c.data.frac, c.data.frac);
  std::size_t xi = 0;
  for (std::size_t j = 0; j < p.jobs.size(); ++j) {
    const auto& jb = p.jobs[j];
    const std::size_t per_step = (jb.x_end - (j == 0 ? 0 : p.jobs[j - 1].x_end)) / jb.steps;
    for (std::uint32_t s = 0; s < jb.steps; ++s) {
      t += fmt::format("// sequence {} step {}\n", j, s);
      for (std::size_t u = 0; u < per_step; ++u, ++xi) t += hex(p.x[xi], p.data_width) + "\n";
    }
  }
  return {"x_in.hex", t};
}

// h_expect.hex: one element per line with its value, a comment per step.
GeneratedFile h_expect_hex(const TbPlan& p) {
  std::string t = fmt::format(
      "// Expected h elements from the golden model (sim/golden_lstm.hpp), in stream order\n"
      "// ({}-bit two's complement, data format). Decimal values in the comments.\n",
      p.data_width);
  for (std::size_t j = 0; j < p.jobs.size(); ++j) {
    const auto& jb = p.jobs[j];
    for (std::uint32_t s = 0; s < jb.steps; ++s) {
      t += fmt::format("// sequence {} step {}\n", j, s);
      for (int u = 0; u < p.hidden; ++u) {
        const auto v = p.expect[jb.h_begin + s * static_cast<std::uint32_t>(p.hidden) +
                                static_cast<std::uint32_t>(u)];
        t += fmt::format("{} // {}\n", hex(tb_bits(v, p.data_width), p.data_width), v);
      }
    }
  }
  return {kTbExpectFile, t};
}

// The template without its //! note lines, every `EMIT_TB_<NAME> replaced by
// fields[NAME]. A field the template names but `fields` lacks is a bug here.
std::string fill_template(const std::string& text,
                          const std::map<std::string, std::string>& fields) {
  static constexpr std::string_view kMark = "`EMIT_TB_";
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("//!")) continue;
    for (std::size_t pos = line.find(kMark); pos != std::string::npos; pos = line.find(kMark, pos)) {
      std::size_t end = pos + kMark.size();
      while (end < line.size() && (std::isupper(static_cast<unsigned char>(line[end])) ||
                                   std::isdigit(static_cast<unsigned char>(line[end])) ||
                                   line[end] == '_'))
        ++end;
      const std::string name = line.substr(pos + kMark.size(), end - pos - kMark.size());
      const auto it = fields.find(name);
      if (it == fields.end())
        throw std::logic_error("emit-tb template: unknown field `EMIT_TB_" + name);
      line.replace(pos, end - pos, it->second);
      pos += it->second.size();
    }
    out += line + "\n";
  }
  return out;
}

GeneratedFile files_f(const std::vector<std::string>& rtl_files) {
  std::string t =
      "// lstmsim emit-tb: the generated RTL (rtl/) in compile order, then the testbench.\n";
  // The generated list's +incdir+DIR lines name folders relative to rtl/.
  for (const auto& r : rtl_files)
    t += r.starts_with("+incdir+") ? "+incdir+rtl/" + r.substr(8) + "\n" : "rtl/" + r + "\n";
  t += "lstm_tb_top.sv\n";
  return {"files.f", t};
}

GeneratedFile readme_txt(const std::string& source) {
  return {"README.txt",
          fmt::format(
              "Self-checking testbench for the generated LSTM accelerator, written by lstmsim "
              "emit-tb.\n"
              "{}\n\n"
              "Icarus Verilog (11 or later):\n"
              "  iverilog -g2012 -o tb.vvp -f files.f && vvp -n tb.vvp\n\n"
              "Verilator (5.006 or later):\n"
              "  verilator --binary --timing -j 0 -f files.f --top-module lstm_tb_top "
              "-Mdir obj_dir -o lstm_tb && ./obj_dir/lstm_tb\n"
              "  (about a minute to build; the simulation itself takes well under a second)\n\n"
              "Run either from this folder (the testbench reads its vector files from the "
              "current\n"
              "directory). The last line is PASS or FAIL; each mismatch is printed before it "
              "as\n"
              "\"MISMATCH: sequence S step T unit U: expected E, got G\".\n\n"
              "Files:\n"
              "  rtl/              the generated RTL (lstmgen output for this config)\n"
              "  lstm_tb_top.sv    the testbench\n"
              "  host_writes.hex   every host write {{address, data}} (AXI4-Lite), in order\n"
              "  jobs.hex          per input sequence: where its writes, x and h elements end\n"
              "  x_in.hex          x elements in stream order\n"
              "  {}      expected h elements (golden model)\n"
              "  files.f           compile order for both simulators\n"
              "  emit_tb.json      what was emitted (counts, seed, probabilities)\n",
              source, kTbExpectFile)};
}

GeneratedFile emit_tb_json(const HwConfig& c, const TbPlan& p, const std::string& command_line) {
  nlohmann::ordered_json j;
  j["tool"] = "lstmsim emit-tb";
  j["command"] = command_line;
  j["config"] = c.name;
  j["config_hash"] = config_hash(c);
  j["mode"] = std::string(hostmap::mode_name(p.mode));
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
  return {"emit_tb.json", j.dump(2) + "\n"};
}

}  // namespace

std::map<std::string, std::string> testbench_fields(const HwConfig& c, const TbPlan& p,
                                                    const std::string& command_line) {
  const std::string mode(hostmap::mode_name(p.mode));
  return {{"SOURCE", source_line(c, p, command_line)},
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
                       c.name, mode, p.active, p.cores, p.jobs.size(), p.writes.size(), p.idle,
                       p.backpressure, p.seed)}};
}

std::vector<GeneratedFile> render_testbench(const HwConfig& c, const TbPlan& p,
                                            const std::vector<std::string>& rtl_files,
                                            const std::string& command_line) {
  const std::string source = source_line(c, p, command_line);
  return {host_writes_hex(c, p, source),
          jobs_hex(p),
          x_in_hex(c, p),
          h_expect_hex(p),
          {"lstm_tb_top.sv", fill_template(std::string(testbench_template()),
                                           testbench_fields(c, p, command_line))},
          files_f(rtl_files),
          readme_txt(source),
          emit_tb_json(c, p, command_line)};
}

}  // namespace lstm
