#include "bench/bench_hardware.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bench/benchmark.hpp"

namespace lstm {

using nlohmann::ordered_json;

namespace {

// A figure of a synth-<target>.json, or "-" where the flow has none.
std::string cell(const ordered_json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "-";
  return j[key].is_number_integer() ? fmt::to_string(j[key].get<std::int64_t>()) : j[key].dump();
}

std::string synthesis_table(const ConfigFigures& f) {
  std::string md =
      "| flow | cells | LUTs | flip-flops | DSPs | block RAMs | RAM bits | LUT4 levels |\n"
      "|---|---|---|---|---|---|---|---|\n";
  for (const char* t : kBenchSynthTargets) {
    if (!f.synthesis.contains(t)) continue;
    const ordered_json& j = f.synthesis[t];
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", t, cell(j, "cells"),
                      cell(j, "luts"), cell(j, "flip_flops"), cell(j, "dsps"),
                      cell(j, "block_rams"), cell(j, "ram_bits"), cell(j, "lut_levels"));
  }
  return md;
}

std::string deepest_path_line(const ConfigFigures& f) {
  if (!f.synthesis.contains("depth")) return "";
  const ordered_json& p = f.synthesis["depth"].value("deepest_path", ordered_json::object());
  if (!p.contains("start") || p["start"].is_null()) return "";
  return fmt::format("\nDeepest register-to-register path (depth flow): {} LUT4 levels, `{}` -> `{}`.\n",
                     cell(p, "lut_levels"), p["start"].get<std::string>(),
                     p.value("end", std::string("?")));
}

std::string impl_lines(const BenchOptions& o, const ConfigFigures& f) {
  if (f.impl.is_null() || !o.impl) return "";
  if (!f.impl.value("fits", true))
    return fmt::format("\nPlace and route (tools/impl.sh --device {}): {}.\n", o.impl->device,
                       f.impl.value("problem", std::string("does not fit")));
  const ordered_json& i = f.impl;
  return fmt::format(
      "\nPlaced and routed (tools/impl.sh --device {} --seeds {} --freq {}; nextpnr-ice40): {} "
      "of {} logic cells, {} of {} block RAMs, {} DSPs; median max frequency **{:.2f} MHz** "
      "(target {} MHz {}). The time column of the results table is cycles / this clock.\n",
      o.impl->device, o.impl->seeds, o.impl->freq_mhz, cell(i, "logic_cells"),
      cell(i, "logic_cells_available"), cell(i, "block_rams"), cell(i, "block_rams_available"),
      cell(i, "dsps"), i.value("median_fmax_mhz", 0.0), i.value("target_mhz", 0),
      i.value("met", false) ? "met" : "not met");
}

}  // namespace

ConfigFigures bench_hardware(const BenchOptions& o, std::ostream& progress) {
  SynthRequest r;
  r.targets.assign(std::begin(kBenchSynthTargets), std::end(kBenchSynthTargets));
  r.impl = o.impl;
  progress << fmt::format("bench: synthesizing config {} with Yosys ({}){}; cached per config\n",
                          o.config.name, fmt::join(r.targets, ", "),
                          o.impl ? fmt::format(", then nextpnr on the {}", o.impl->device) : "");
  return cached_figures(o.config, r, progress);
}

std::optional<double> placed_fmax_mhz(const ConfigFigures& f) {
  if (f.impl.is_object() && f.impl.value("fits", true) && f.impl.contains("median_fmax_mhz"))
    return f.impl["median_fmax_mhz"].get<double>();
  return std::nullopt;
}

std::string hardware_markdown(const BenchOptions& o, const ConfigFigures& f) {
  return fmt::format(
             "Yosys 0.23 on the RTL of config `{}` (tools/synth.sh; generic maps memories to "
             "flip-flops, ice40 to block RAMs and DSPs, depth is ice40 without DSPs and gives "
             "the deepest path in LUT4 levels):\n\n",
             o.config.name) +
         synthesis_table(f) + deepest_path_line(f) + impl_lines(o, f);
}

ordered_json hardware_json(const ConfigFigures& f) {
  return {{"synthesis", f.synthesis}, {"impl", f.impl}};
}

}  // namespace lstm
