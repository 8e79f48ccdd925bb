#include "bench/sweep_report.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "bench/sweep_plot.hpp"
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
    v.push_back(static_cast<double>(p.cycles));
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

std::string point_row(const SweepSpec& s, const PointResult& p) {
  std::string synth;
  for (const auto& f : figure_columns(s))
    synth += " " + opt(p.figure(s.synth_targets.front(), f)) + " |";
  return fmt::format("| p{} | {} | {} | {} | {} |{} {} |\n", p.index, p.label, p.mode, p.cores,
                     p.cycles, synth, error_text(p.error_max_abs));
}

std::string table_head(const SweepSpec& s) {
  std::string synth, rule;
  for (const auto& f : figure_columns(s)) {
    synth += " " + (f == s.resource ? resource_title(s) : figure_title(f)) + " |";
    rule += "---|";
  }
  return fmt::format("| point | config | mode | cores | cycles |{} error |\n|---|---|---|---|---|{}---|\n",
                     synth, rule);
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
    return std::make_tuple(p.cycles, point_resource(s, p).value_or(0.0), p.error_max_abs, p.index);
  };
  for (std::size_t i = 0; i < points.size(); ++i) {
    const PointResult& p = points[i];
    if (p.status != PointStatus::Ok) continue;
    bool within = !(s.budget.max_cycles && static_cast<double>(p.cycles) > *s.budget.max_cycles) &&
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
  md += s.synth_targets.empty()
            ? "Pareto-optimal points (fewest cycles, smallest error; no synthesis):\n\n"
            : fmt::format("Pareto-optimal points (least {}, fewest cycles, smallest error):\n\n",
                          resource_title(s));
  if (front.empty()) md += "(none: no point was measured)\n";
  else md += table_head(s);
  for (std::size_t i : front) md += point_row(s, points[i]);
  if (!s.budget.empty()) {
    md += fmt::format("\nBudget: {}.\n", budget_text(s));
    if (const auto best = best_within_budget(s, points))
      md += fmt::format("Best within the budget (fewest cycles): p{}, {} in mode {}.\n\n{}{}",
                        points[*best].index, points[*best].label, points[*best].mode,
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
  md += "\n\n| workload | from | X | H | layers | steps | sequences |\n|---|---|---|---|---|---|---|\n";
  for (const auto& w : s.workloads)
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", w.name,
                      w.model.empty() ? w.origin : w.model.filename().string(), w.shape.input_size,
                      w.shape.hidden_size, w.shape.num_layers, w.shape.steps, w.shape.sequences);
  md += "\n## Pareto front\n\n![Pareto front](pareto.svg)\n\n" + sweep_summary_markdown(s, points);
  md += "\n## Every measured point\n\n" + table_head(s);
  for (const auto& p : points)
    if (p.status == PointStatus::Ok || p.status == PointStatus::Mismatch) md += point_row(s, p);
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
  for (const auto& p : points) j["points"].push_back(point_to_json(p));
  return j;
}

void write_sweep_report(const fs::path& out, const SweepSpec& s,
                        const std::vector<PointResult>& points) {
  write_json_file_atomic((out / "sweep.json").string(), sweep_json(s, points));
  write_text_file_atomic((out / "sweep.md").string(), sweep_markdown(s, points));
  write_text_file_atomic((out / "pareto.svg").string(), pareto_svg(s, points));
}

}  // namespace lstm
