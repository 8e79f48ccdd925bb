// lstm_axi_top: lstm_top behind an AXI4-Lite slave (rtl/lstm_axil_slave.sv)
// for its host registers and memories, and the x and h streams as AXI4-Stream
// ports (rtl/lstm_axis_in.sv, rtl/lstm_axis_out.sv, one per core port); busy_o
// passes through, and the weight/bias row stream wl_* as s_axis_w_*.
#pragma once

#include "gen/sv/ast.hpp"
#include "spec/config.hpp"

namespace lstm {

inline constexpr const char* kAxiTopName = "lstm_axi_top";

// `top` is lstm_top as emit_top() built it: its ports other than the host port and
// the streams are copied.
sv::Module emit_axi_top(const HwConfig& c, const sv::Module& top);

}  // namespace lstm
