#include "bench/sweep_report.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "bench/sweep_plot.hpp"
#include "host/cost_model.hpp"
#include "sim/model_io.hpp"

namespace lstm {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

std::string figure_title(const std::string& figure) {
  if (figure == "luts") return "LUTs";
  if (figure == "flip_flops") return "flip-flops";
  if (figure == "dsps") return "DSPs";
  if (figure == "block_rams") return "block RAMs";
  if (figure == "ram_bits") return "RAM bits";
  return figure;
}

std::string opt(const std::optional<double>& v) {
  return v ? fmt::format("{:.0f}", *v) : std::string("-");
}

std::string error_text(double e) { return fmt::format("{:.3g}", e); }

bool has_target(const SweepSpec& s, const char* target) {
  return std::find(s.synth_targets.begin(), s.synth_targets.end(), target) != s.synth_targets.end();
}

// a is at least as good as b everywhere and better somewhere.
bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool better = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    better = better || a[i] < b[i];
  }
  return better;
}

// The objectives of the ok points that can be judged: resource (with
// synthesis), cycles, error.
std::vector<std::pair<std::size_t, std::vector<double>>> objectives(
    const SweepSpec& s, const std::vector<PointResult>& points, bool with_error) {
  std::vector<std::pair<std::size_t, std::vector<double>>> out;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const PointResult& p = points[i];
    if (p.status != PointStatus::Ok) continue;
    std::vector<double> v;
    if (!s.synth_targets.empty()) {
      const auto r = point_resource(s, p);
      if (!r) continue;
      v.push_back(*r);
    }
    const auto latency = point_latency(s, p);
    if (!latency) continue;
    v.push_back(*latency);
    if (with_error) v.push_back(p.error_max_abs);
    out.emplace_back(i, std::move(v));
  }
  return out;
}

std::vector<std::size_t> non_dominated(
    const std::vector<std::pair<std::size_t, std::vector<double>>>& all) {
  std::vector<std::size_t> out;
  for (const auto& [i, v] : all) {
    const bool beaten = std::any_of(all.begin(), all.end(),
                                    [&](const auto& other) { return dominates(other.second, v); });
    if (!beaten) out.push_back(i);
  }
  return out;
}

std::string budget_text(const SweepSpec& s) {
  std::vector<std::string> parts;
  for (const auto& [figure, max] : s.budget.max_resources)
    parts.push_back(fmt::format("{} <= {:g}", figure_title(figure), max));
  if (s.budget.max_cycles) parts.push_back(fmt::format("cycles <= {:g}", *s.budget.max_cycles));
  if (s.budget.max_time_us) parts.push_back(fmt::format("time <= {:g} us", *s.budget.max_time_us));
  if (s.budget.max_error) parts.push_back(fmt::format("error <= {:g}", *s.budget.max_error));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// The synthesis columns: the judged resource first, then the other figures.
std::vector<std::string> figure_columns(const SweepSpec& s) {
  if (s.synth_targets.empty()) return {};
  std::vector<std::string> out{s.resource};
  for (const char* f : {"luts", "flip_flops", "dsps", "block_rams"})
    if (f != s.resource && target_has_figure(s.synth_targets.front(), f)) out.push_back(f);
  return out;
}

// The columns after cycles: time and clock (impl), the synthesis figures,
// LUT levels (target depth).
std::string point_row(const SweepSpec& s, const PointResult& p) {
  std::string more;
  if (s.impl) {
    const auto t = point_latency(s, p);
    const auto f = p.fmax_mhz();
    more += (t ? fmt::format(" {:.1f} |", *t) : std::string(" - |")) +
            (f ? fmt::format(" {:.2f} |", *f) : std::string(" - |"));
  }
  for (const auto& f : figure_columns(s))
    more += " " + opt(p.figure(s.synth_targets.front(), f)) + " |";
  if (has_target(s, "depth")) more += " " + opt(p.figure("depth", "lut_levels")) + " |";
  return fmt::format("| p{} | {} | {} | {} | {} |{} {} |\n", p.index, p.label, p.mode_text(),
                     p.cores, p.cycles, more, error_text(p.error_max_abs));
}

std::string table_head(const SweepSpec& s) {
  std::string more, rule;
  auto column = [&](const std::string& title) {
    more += " " + title + " |";
    rule += "---|";
  };
  if (s.impl) {
    column("time (us)");
    column(fmt::format("fmax (MHz, {})", s.impl->device));
  }
  for (const auto& f : figure_columns(s))
    column(f == s.resource ? resource_title(s) : figure_title(f));
  if (has_target(s, "depth")) column("LUT levels");
  return fmt::format("| point | config | mode | cores | cycles |{} error |\n|---|---|---|---|---|{}---|\n",
                     more, rule);
}

}  // namespace

SweepResults collect_sweep_results(const SweepSpec& s, const fs::path& out) {
  SweepResults r;
  for (const auto& p : sweep_points(s)) {
    if (auto result = read_point(out, p)) r.points.push_back(std::move(*result));
    else r.missing.push_back(p);
  }
  return r;
}

std::optional<double> point_resource(const SweepSpec& s, const PointResult& p) {
  if (s.synth_targets.empty()) return std::nullopt;
  return p.figure(s.synth_targets.front(), s.resource);
}

std::optional<double> point_latency(const SweepSpec& s, const PointResult& p) {
  if (!s.impl) return static_cast<double>(p.cycles);
  const auto f = p.fmax_mhz();
  if (!f || *f <= 0) return std::nullopt;
  return static_cast<double>(p.cycles) / *f;  // cycles / (MHz) = microseconds
}

std::vector<std::size_t> pareto_optimal(const SweepSpec& s, const std::vector<PointResult>& points) {
  return non_dominated(objectives(s, points, true));
}

std::vector<std::size_t> resource_latency_front(const SweepSpec& s,
                                                const std::vector<PointResult>& points) {
  if (s.synth_targets.empty()) return {};
  std::vector<std::size_t> front = non_dominated(objectives(s, points, false));
  std::sort(front.begin(), front.end(), [&](std::size_t a, std::size_t b) {
    return *point_resource(s, points[a]) < *point_resource(s, points[b]);
  });
  return front;
}

std::optional<std::size_t> best_within_budget(const SweepSpec& s,
                                              const std::vector<PointResult>& points) {
  if (s.budget.empty()) return std::nullopt;
  std::optional<std::size_t> best;
  auto rank = [&](const PointResult& p) {
    return std::make_tuple(*point_latency(s, p), point_resource(s, p).value_or(0.0),
                           p.error_max_abs, p.index);
  };
  for (std::size_t i = 0; i < points.size(); ++i) {
    const PointResult& p = points[i];
    if (p.status != PointStatus::Ok || !point_latency(s, p)) continue;
    bool within = !(s.budget.max_cycles && static_cast<double>(p.cycles) > *s.budget.max_cycles) &&
                  !(s.budget.max_time_us && *point_latency(s, p) > *s.budget.max_time_us) &&
                  !(s.budget.max_error && p.error_max_abs > *s.budget.max_error);
    for (const auto& [figure, max] : s.budget.max_resources) {
      const auto v = p.figure(s.synth_targets.front(), figure);
      within = within && v && *v <= max;
    }
    if (within && (!best || rank(p) < rank(points[*best]))) best = i;
  }
  return best;
}

std::string resource_title(const SweepSpec& s) {
  if (s.synth_targets.empty()) return "";
  return fmt::format("{} ({})", figure_title(s.resource), s.synth_targets.front());
}

std::string sweep_summary_markdown(const SweepSpec& s, const std::vector<PointResult>& points) {
  std::string md;
  const auto front = pareto_optimal(s, points);
  const std::string fastest = s.impl ? "least time" : "fewest cycles";
  md += s.synth_targets.empty()
            ? fmt::format("Pareto-optimal points ({}, smallest error; no synthesis):\n\n", fastest)
            : fmt::format("Pareto-optimal points (least {}, {}, smallest error):\n\n",
                          resource_title(s), fastest);
  if (front.empty()) md += "(none: no point was measured)\n";
  else md += table_head(s);
  for (std::size_t i : front) md += point_row(s, points[i]);
  if (!s.budget.empty()) {
    md += fmt::format("\nBudget: {}.\n", budget_text(s));
    if (const auto best = best_within_budget(s, points))
      md += fmt::format("Best within the budget ({}): p{}, {} in mode {}.\n\n{}{}", fastest,
                        points[*best].index, points[*best].label, points[*best].mode_text(),
                        table_head(s), point_row(s, points[*best]));
    else
      md += "No measured point is within the budget.\n";
  }
  return md;
}

std::string sweep_markdown(const SweepSpec& s, const std::vector<PointResult>& points) {
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const auto& p : points) ++counts[static_cast<int>(p.status)];
  std::string md = fmt::format(
      "# Sweep `{}`\n\nSweep file `{}`, base config `{}` ({}): {} configs x {} modes = {} points; "
      "{} ok, {} invalid, {} mismatch, {} failed.\n\n",
      s.name, s.file.string(), s.base.name, config_hash(s.base), s.configs.size(), s.modes.size(),
      points.size(), counts[0], counts[1], counts[2], counts[3]);
  md += "Every point ran every workload below on its config's generated RTL under Verilator, "
        "checked bit for bit against the golden model; **cycles** is the sum of the measured "
        "cycles over the workloads. **error** is the largest |h(golden) - h(float)| over the "
        "workloads' outputs: the config's fixed-point formats against double precision.";
  if (!s.synth_targets.empty())
    md += fmt::format(" Resources: Yosys, `tools/synth.sh --target {}` on the config's RTL.",
                      s.synth_targets.front());
  if (has_target(s, "depth"))
    md += " **LUT levels**: the deepest register-to-register path in LUT4 levels after "
          "`synth_ice40` without DSPs (`tools/synth.sh --target depth`), a clock figure for "
          "configs that fit no device.";
  if (s.impl)
    md += fmt::format(" **fmax**: nextpnr's max frequency after placing and routing the config on "
                      "the {} (`tools/impl.sh --device {} --seeds {} --freq {}`, median seed); "
                      "**time** = cycles / fmax, the latency the Pareto front uses. A config that "
                      "does not fit the device has no clock and no time.",
                      s.impl->device, s.impl->device, s.impl->seeds, s.impl->freq_mhz);
  if (std::find(s.modes.begin(), s.modes.end(), std::string(kAutoMode)) != s.modes.end())
    md += " Mode **auto** runs each workload in the mode the cost model predicts fastest "
          "(host/cost_model.hpp, as `lstmsim run --mode auto`); the mode column names its "
          "choices, and its cycles are measured on the RTL like every other point's.";
  md += "\n\n| workload | from | X | H | layers | steps | sequences |\n|---|---|---|---|---|---|---|\n";
  for (const auto& w : s.workloads)
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", w.name,
                      w.model.empty() ? w.origin : w.model.filename().string(), w.shape.input_size,
                      w.shape.hidden_size, w.shape.num_layers, w.shape.steps, w.shape.sequences);
  md += "\n## Pareto front\n\n![Pareto front](pareto.svg)\n\n" + sweep_summary_markdown(s, points);
  md += "\n## Every measured point\n\n" + table_head(s);
  for (const auto& p : points)
    if (p.status == PointStatus::Ok || p.status == PointStatus::Mismatch) md += point_row(s, p);
  if (s.impl) {
    std::string no_clock;
    for (const auto& p : points)
      if (p.status == PointStatus::Ok && !p.fmax_mhz())
        no_clock += fmt::format("- p{} {}: {}\n", p.index, p.label,
                                p.impl.is_object() ? p.impl.value("problem", "no clock") : "no clock");
    if (!no_clock.empty())
      md += "\nMeasured, but with no clock (left out of the Pareto front):\n\n" + no_clock;
  }
  md += "\n## Points not measured\n\n";
  bool any = false;
  for (const auto& p : points) {
    if (p.status == PointStatus::Ok) continue;
    if (!any) md += "| point | config | mode | status | problem |\n|---|---|---|---|---|\n";
    any = true;
    std::string problems;
    for (const auto& x : p.problems) problems += (problems.empty() ? "" : "<br>") + x;
    md += fmt::format("| p{} | {} | {} | {} | {} |\n", p.index, p.label, p.mode,
                      status_name(p.status), problems);
  }
  if (!any) md += "None: every point was measured.\n";
  return md;
}

ordered_json sweep_json(const SweepSpec& s, const std::vector<PointResult>& points) {
  ordered_json j;
  j["sweep"] = s.name;
  j["file"] = s.file.string();
  j["base"] = s.base.name;
  j["base_hash"] = config_hash(s.base);
  j["modes"] = s.modes;
  j["synthesis"] = s.synth_targets;
  j["resource"] = s.resource;
  j["impl"] = s.impl ? ordered_json{{"device", s.impl->device},
                                    {"seeds", s.impl->seeds},
                                    {"freq_mhz", s.impl->freq_mhz}}
                     : ordered_json(nullptr);
  j["latency"] = s.impl ? "time_us" : "cycles";
  j["workloads"] = ordered_json::array();
  for (const auto& w : s.workloads)
    j["workloads"].push_back({{"name", w.name},
                              {"from", w.model.empty() ? w.origin : w.model.string()},
                              {"input_size", w.shape.input_size},
                              {"hidden_size", w.shape.hidden_size},
                              {"layers", w.shape.num_layers},
                              {"steps", w.shape.steps},
                              {"sequences", w.shape.sequences}});
  j["pareto"] = ordered_json::array();
  for (std::size_t i : pareto_optimal(s, points)) j["pareto"].push_back(points[i].index);
  const auto best = best_within_budget(s, points);
  j["best_within_budget"] = best ? ordered_json(points[*best].index) : ordered_json(nullptr);
  j["points"] = ordered_json::array();
  for (const auto& p : points) {
    ordered_json row = point_to_json(p);
    const auto latency = point_latency(s, p);
    if (s.impl) row["time_us"] = latency ? ordered_json(*latency) : ordered_json(nullptr);
    row["lut_levels"] = p.figure("depth", "lut_levels") ? p.synthesis["depth"]["lut_levels"]
                                                        : ordered_json(nullptr);
    j["points"].push_back(std::move(row));
  }
  return j;
}

void write_sweep_report(const fs::path& out, const SweepSpec& s,
                        const std::vector<PointResult>& points) {
  write_json_file_atomic((out / "sweep.json").string(), sweep_json(s, points));
  write_text_file_atomic((out / "sweep.md").string(), sweep_markdown(s, points));
  write_text_file_atomic((out / "pareto.svg").string(), pareto_svg(s, points));
}

}  // namespace lstm
