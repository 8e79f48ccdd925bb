// The multicore top (lstm_top) and what the host needs to drive it.
#pragma once

#include <nlohmann/json.hpp>

#include "spec/config.hpp"
#include "gen/sv/ast.hpp"

namespace lstm {

// Name of the emitted top module.
inline constexpr const char* kTopName = "lstm_top";

// The top module; its port list also fills "ports" of manifest.json (every port
// width must have a known value, see sv::ref).
sv::Module emit_top(const HwConfig& c);

// "host_map" of manifest.json: register map and anything else a host reads.
nlohmann::ordered_json host_map_json(const HwConfig& c);

}  // namespace lstm
