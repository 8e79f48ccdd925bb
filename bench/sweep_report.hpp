// Merging a sweep's point results into what a person uses: sweep.json (one
// row per point), sweep.md, the Pareto plot (pareto.svg), the Pareto-optimal
// points and the best point within the sweep file's budget.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/sweep_result.hpp"
#include "bench/sweep_spec.hpp"

namespace lstm {

struct SweepResults {
  std::vector<PointResult> points;   // in point order; complete when `missing` is empty
  std::vector<SweepPoint> missing;   // points with no result file
};
SweepResults collect_sweep_results(const SweepSpec& s, const std::filesystem::path& out);

// The resource a point is judged by (the first synthesis target's figure
// s.resource); none without synthesis.
std::optional<double> point_resource(const SweepSpec& s, const PointResult& p);

// The latency a point is judged by: its cycles (the sum over the workloads,
// measured on the RTL), or, when the sweep places and routes ("impl"), its
// time in microseconds: cycles / nextpnr's max frequency of its config. None
// for a point whose config has no clock (it does not fit the device).
std::optional<double> point_latency(const SweepSpec& s, const PointResult& p);

// Positions (into `points`) of the ok points that no other ok point beats:
// none is at least as good in resource, latency and error and better in one.
// Without synthesis, in latency and error only.
std::vector<std::size_t> pareto_optimal(const SweepSpec& s, const std::vector<PointResult>& points);
// The ok points on the resource-against-latency front alone (the plotted line),
// by increasing resource.
std::vector<std::size_t> resource_latency_front(const SweepSpec& s,
                                                const std::vector<PointResult>& points);

// The ok point within every limit of the budget with the least latency (then
// the least resource, then the smallest error); none if no point is within.
std::optional<std::size_t> best_within_budget(const SweepSpec& s,
                                              const std::vector<PointResult>& points);

// "LUTs (ice40)", "flip-flops (generic)", ...
std::string resource_title(const SweepSpec& s);

// What `lstmsim sweep` prints: the Pareto-optimal points and the budget's pick.
std::string sweep_summary_markdown(const SweepSpec& s, const std::vector<PointResult>& points);
// sweep.md: the summary, the workloads, every point, the points not measured.
std::string sweep_markdown(const SweepSpec& s, const std::vector<PointResult>& points);
nlohmann::ordered_json sweep_json(const SweepSpec& s, const std::vector<PointResult>& points);
// Writes sweep.json, sweep.md and pareto.svg into out, each atomically.
void write_sweep_report(const std::filesystem::path& out, const SweepSpec& s,
                        const std::vector<PointResult>& points);

}  // namespace lstm
