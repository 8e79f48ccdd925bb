// Yosys resource figures of a config (tools/synth.sh), cached beside its
// verilated build: <rtl cache>/<config hash>-synth/. A target is synthesized
// again only when the generated RTL or tools/synth.sh changed. Processes that
// want the same config wait for each other (flock), so the shards of a sweep
// share one synthesis per config, on one machine or on a cluster's shared
// folder.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/config.hpp"

namespace lstm {

struct SynthRequest {
  std::vector<std::string> targets;  // tools/synth.sh --target values
  int timeout_seconds = 3600;        // per Yosys run
};

// Target -> the figures of synth-<target>.json (cells, luts, flip_flops,
// latches, dsps, block_rams, distributed_rams, memories, ram_bits, the Yosys
// version, and whatever else the script reports), without the per-cell-type
// counts. Throws std::runtime_error naming the log when Yosys fails.
nlohmann::ordered_json cached_synthesis(const HwConfig& c, const SynthRequest& r,
                                        std::ostream& progress);

}  // namespace lstm
