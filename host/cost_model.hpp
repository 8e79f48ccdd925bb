// The cost model: the cycles a run plan will take, predicted without
// simulating the RTL, and the mode that `--mode auto` picks with it.
//
// predict_cycles() lays the plan's layer-steps out on the cores with the
// rules of docs/architecture.md: one issue per cycle, the part order (2.3),
// operand readiness through hdone (2.4), the post unit's pace per group
// (2.6), the h merge's one write per cycle (3.1), the output streamer (2.8)
// and mt's chain of streams (3.2), plus the host's register writes. A hybrid
// stage is simulated as an hc group, the stages chained as mt's cores. Three
// latencies are fitted to the RTL (cost_model.cpp). It is a prediction,
// never reported as a measurement: the bench and `lstmsim run` print it
// beside the measured cycles (docs/performance.md, "Cost model").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/bidirectional_plan.hpp"
#include "host/run_plan.hpp"
#include "spec/config.hpp"
#include "spec/host_map.hpp"

namespace lstm {

std::uint64_t predict_cycles(const HwConfig& c, const RunPlan& p);
// A bidirectional model's plans run one after the other: the sum of theirs.
std::uint64_t predict_cycles(const HwConfig& c, const std::vector<BidirectionalLayerPlan>& layers);

struct ModePrediction {
  hostmap::Mode mode = hostmap::Mode::Single;
  bool possible = false;      // plan_run accepted the mode for these models and jobs
  std::uint64_t cycles = 0;   // predicted, when possible
  std::string why_not;        // plan_run's reason, when not
  int batch = 1;              // single with this many sequences together (Dispatch::Batched)
};

struct AutoChoice {
  hostmap::Mode mode = hostmap::Mode::Single;  // the fewest predicted cycles
  std::vector<ModePrediction> candidates;      // every mode of the host map, in table order
                                               // (then, with batching, single with a batch)
  int batch = 1;                               // the chosen candidate's batch
};

// What a user may ask for as a run's mode (`lstmsim run --mode`, a sweep
// file's "modes"): a mode of the host map, or kAutoMode, which is no hardware
// mode: choose_mode() resolves it before anything runs.
inline constexpr std::string_view kAutoMode = "auto";
struct ModeRequest {
  bool automatic = false;                      // kAutoMode
  hostmap::Mode mode = hostmap::Mode::Single;  // when not automatic
};
// hostmap::parse_mode() for the host map's names, plus kAutoMode; none for
// any other string.
std::optional<ModeRequest> parse_mode_request(std::string_view name);
// hostmap::mode_names() and then kAutoMode: the choices a user may give.
std::vector<std::string> mode_request_names();

// Plans the jobs in every mode, predicts each plan's cycles and picks the
// fewest (the earlier mode of the table on a tie). A bidirectional model runs
// alone, layer by layer (plan_bidirectional). Throws MappingError with
// every mode's reason when no mode can run them.
// batching (a design with features.batch, models that are not
// bidirectional): also single with the largest batch plan_run accepts (its
// jobs read no final state), after the modes; it wins only with fewer cycles.
AutoChoice choose_mode(const HwConfig& c, const std::vector<QuantModel>& models,
                       const std::vector<JobSpec>& jobs, bool batching = false);

}  // namespace lstm
