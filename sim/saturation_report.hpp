// What `lstmsim` says about saturation in a run (docs/numerics.md,
// "Saturation"): warning lines, the --strict refusal and the output file's
// "saturation" object.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sim/lstm_model.hpp"
#include "sim/run_common.hpp"
#include "sim/saturation.hpp"

namespace lstm {

// The events a cell type can have, in kSatEventNames order: the LSTM's five,
// or the GRU's act_sigmoid_acc, act_tanh_acc, narrow_candidate, narrow_gru_hidden.
std::vector<SatEvent> events_of(CellType cell);

// One line per tensor of the model and input files with saturated values:
// "m.json: /weight_ih_l0/0/0: 1e6 saturated to 1.984 (...); 1 of 448 weights".
std::vector<std::string> load_saturation_lines(const RunSetup& run);

// One line per layer and direction with run-time saturation events:
// "m.json: layer 0: at run time 36 act_sigmoid_acc (gate pre-activations beyond
// the activation range [-8, 8)); counts in o.json under /saturation".
std::vector<std::string> runtime_saturation_lines(const RunSetup& run,
                                                  const LayerSatCounts& counts,
                                                  const std::string& output);

// Under --strict: throws FileError listing every saturated tensor and, given
// `runtime`, every layer with run-time events; returns if there are none.
void refuse_saturation(const RunSetup& run, const LayerSatCounts* runtime);

// {"total", "layers": [{"layer", ["direction",] <event>: count...}],
//  "load": [{"file", "tensor", "format", "count", "of", "first", "largest"}]}.
nlohmann::json saturation_json(const RunSetup& run, const LayerSatCounts& counts);

}  // namespace lstm
