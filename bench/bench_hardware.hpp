// The resources and clock of a bench report (`lstmsim bench --synth`,
// `--impl`): Yosys figures of the config's RTL per flow, the deepest
// register-to-register path in LUT4 levels and, when placed and routed,
// nextpnr's clock, so that a run's time (cycles / clock) can stand next to
// its cycles. The figures come from the synthesis cache the sweeps use
// (bench/synth_cache.hpp).
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "bench/synth_cache.hpp"

namespace lstm {

struct BenchOptions;

// The flows behind the report's resources: generic (memories as flip-flops),
// ice40 (block RAMs and DSPs), depth (ice40 without DSPs: LUT4 levels).
inline constexpr const char* kBenchSynthTargets[] = {"generic", "ice40", "depth"};

// Synthesizes (and with o.impl places and routes) the config's RTL, cached.
ConfigFigures bench_hardware(const BenchOptions& o, std::ostream& progress);

// nextpnr's median max frequency, when the design was placed and routed.
std::optional<double> placed_fmax_mhz(const ConfigFigures& f);

// The report's "Resources and clock" section (markdown, without its heading).
std::string hardware_markdown(const BenchOptions& o, const ConfigFigures& f);

// report.json's "hardware": {"synthesis": {target: figures}, "impl": ... or null}.
nlohmann::ordered_json hardware_json(const ConfigFigures& f);

}  // namespace lstm
