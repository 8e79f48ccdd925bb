// lstm_pkg: the config's numbers, the host map (spec/host_map.hpp, entry for
// entry) and the sizes and widths the RTL shares as localparams, and the
// fixed-point rules of docs/numerics.md as functions, each mirroring the C++
// function of the same name in sim/ (bias_to_accum, narrow_cell,
// narrow_hidden, the activation table lookups and the activations themselves),
// and the x, h and c buffer layouts (x_addr, h_addr, c_addr).
// The hand-written RTL and the emitted top take every such number from here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "spec/config.hpp"
#include "gen/sv/ast.hpp"

namespace lstm {

sv::Package emit_package(const HwConfig& c);

// The localparams of lstm_pkg, in declaration order, each with its value.
std::vector<sv::Param> package_localparams(const HwConfig& c);

// `lstm_pkg::<name>` with its value, for emitters that use the package's
// numbers (throws std::logic_error if params has no such localparam).
sv::Expr package_ref(const std::vector<sv::Param>& params, std::string_view name);

}  // namespace lstm
