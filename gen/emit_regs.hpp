// Register blocks emitted from the host map's tables (spec/host_map.hpp), the
// way a register generator such as OpenTitan's reggen writes a register file
// from its description: a table entry's access says what hardware it gets.
//
//   RW  storage (width: the entry's package localparam, or 32 bits; reset: the
//       entry's), written by the host unless lock_i is high (or the entry is
//       not `locked`), read back; output <name>_o
//   R   read from input <name>_i (32 bits)
//   W   a write strobe, output <name>_wr_o; the data is the block's reg_wdata_i
//   W1C storage like RW, whose bits input <name>_set_i sets and a host write
//       clears where reg_wdata_i has a 1 (never locked); a set wins over a
//       clear in the same cycle; read back; output <name>_o
//
// A block may also output the next value of some RW registers,
// <name>_next_o (what the register holds after the coming clock edge), for
// logic that registers something derived from them without a cycle's delay.
// <name> is the entry's name in lower case (NUM_LAYERS: num_layers_o). A
// layer field table adds, per field, MaxLayers registers at RegLayerBase +
// RegLayerStride * l + field, flattened into MaxLayers * 32-bit ports.
// Reads return the data one cycle later (registered); registers that do not
// exist read 0 and ignore writes. Adding a register to a table adds it here,
// to lstm_pkg, to manifest.json and to the C++ host code at once.
#pragma once

#include <string_view>

#include "gen/sv/ast.hpp"
#include "spec/config.hpp"

namespace lstm {

// lstm_core_regs: a core's registers (kCoreRegTable) and its layer registers
// (kLayerFieldTable); lock_i is the core's busy.
sv::Module emit_core_regs(const HwConfig& c);

// The controller registers whose next value lstm_ctrl_regs outputs and whose
// reset value lstm_pkg names (<sv>Reset): lstm_mode_ctrl registers the routing
// it derives from them.
inline constexpr std::string_view kCtrlNextOf[] = {"MODE", "ACTIVE", "STAGES"};

// lstm_ctrl_regs: the mode-select controller's registers (kGlobalRegTable);
// lock_i is the controller's run state.
sv::Module emit_ctrl_regs(const HwConfig& c);

}  // namespace lstm
