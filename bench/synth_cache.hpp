// Yosys resource figures (tools/synth.sh) and nextpnr's clock (tools/impl.sh)
// of a config, cached beside its verilated build: <rtl cache>/<config
// hash>-synth/. A target is synthesized, or the design placed and routed,
// again only when the generated RTL, the scripts or the request changed.
// Processes that want the same config wait for each other (flock), so the
// shards of a sweep share one synthesis per config, on one machine or on a
// cluster's shared folder.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/config.hpp"

namespace lstm {

// tools/impl.sh DIR --device D --seeds N --freq F.
struct ImplRequest {
  std::string device = "hx8k";
  int seeds = 1;
  int freq_mhz = 50;
  int timeout_seconds = 1800;  // per tool run: Yosys, then each nextpnr seed
};

struct SynthRequest {
  std::vector<std::string> targets;  // tools/synth.sh --target values
  int timeout_seconds = 3600;        // per Yosys run
  std::optional<ImplRequest> impl;   // place and route too
};

struct ConfigFigures {
  // Target -> the figures of synth-<target>.json (cells, luts, flip_flops,
  // latches, dsps, block_rams, distributed_rams, memories, ram_bits, the Yosys
  // version, ...), without the per-cell-type counts; target depth adds
  // lut_levels and deepest_path (the whole design's row of lut_depth).
  nlohmann::ordered_json synthesis = nlohmann::ordered_json::object();
  // impl.json of tools/impl.sh without its run times (device, target_mhz,
  // median_fmax_mhz, logic_cells, seeds, ...) and "fits": true; or, when the
  // design does not fit the device, {"device", "fits": false, "problem"}.
  // Null without an ImplRequest.
  nlohmann::ordered_json impl;
};

// Throws std::runtime_error naming the log when a tool fails (a design that
// does not fit the device is a result, not a failure).
ConfigFigures cached_figures(const HwConfig& c, const SynthRequest& r, std::ostream& progress);

// A design that does not fit the device, as a result: the device and, from
// nextpnr's log, the logic cells it needed (no paths: results are compared
// across machines).
nlohmann::ordered_json impl_no_fit(const std::string& nextpnr_log, const std::string& device);

// The figures kept from tools/impl.sh's impl.json: without the run times,
// which would make two runs' results differ.
nlohmann::ordered_json impl_figures(nlohmann::ordered_json impl_json);

}  // namespace lstm
