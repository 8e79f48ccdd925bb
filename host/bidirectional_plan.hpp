// How a bidirectional model runs on the cores (docs/models.md, "Bidirectional
// models on the rtl engine"): layer by layer. Each layer's two directions are
// one-layer jobs, the reverse one over the reversed sequence; the next layer
// reads [forward ; reverse] per step, so it waits for both. Single and mp run
// a layer's two directions in one plan (mp: on two cores at once); mt and hc
// run one model per plan, so each direction's jobs get a plan of their own.
//
// The plans depend only on the model's shape and the jobs, not on the data:
// the driver (rtlsim) executes them with each layer's inputs, and the cost
// model adds up their predicted cycles (--mode auto, the bench).
#pragma once

#include <cstddef>
#include <vector>

#include "host/run_plan.hpp"
#include "sim/lstm_model.hpp"
#include "spec/config.hpp"
#include "spec/host_map.hpp"

namespace lstm {

// One plan of a layer and the layer jobs it runs: job 2 s + d is direction d
// (0 forward, 1 reverse) of sequence s; plan.jobs[k] is layer job jobs[k].
struct DirectionPlan {
  RunPlan plan;
  std::vector<std::size_t> jobs;
};

struct BidirectionalLayerPlan {
  std::vector<DirectionPlan> parts;  // run one after the other
};

// The plans of every layer of the bidirectional model q in mode m for the
// sequences `sequences` (one JobSpec each, model 0; `initial` rows are
// layer * 2 + direction as in PyTorch's h0/c0). Throws MappingError as
// plan_run does.
std::vector<BidirectionalLayerPlan> plan_bidirectional(const HwConfig& c, hostmap::Mode m,
                                                       const QuantModel& q,
                                                       const std::vector<JobSpec>& sequences);

}  // namespace lstm
