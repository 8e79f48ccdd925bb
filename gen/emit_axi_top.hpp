// lstm_axi_top: lstm_top behind an AXI4-Lite slave (rtl/lstm_axil_slave.sv)
// for its host registers and memories; the x and h streams and busy_o pass
// through with lstm_top's names and widths.
#pragma once

#include "gen/sv/ast.hpp"
#include "spec/config.hpp"

namespace lstm {

inline constexpr const char* kAxiTopName = "lstm_axi_top";

// `top` is lstm_top as emit_top() built it: its stream ports are copied.
sv::Module emit_axi_top(const HwConfig& c, const sv::Module& top);

}  // namespace lstm
