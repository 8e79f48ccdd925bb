// The memories of a generated design: every lstm_ram_1r1w instance, its width,
// depth and what it holds, for manifest.json ("memories"). An ASIC flow swaps
// SRAM macros in by replacing the one RAM module (rtl/lstm_ram_1r1w.sv) or the
// instances listed here; FPGA flows map them to block RAM
// (docs/synthesis.md, "Memories"). FIFOs and the activation tables are
// registers and logic, not RAMs, and are not listed.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/config.hpp"

namespace lstm {

// The RAM module every memory is an instance of.
inline constexpr const char* kRamModule = "lstm_ram_1r1w";

// A kind of memory in each core (rtl/lstm_core.sv). The instance name and
// the lstm_pkg parameters are those of lstm_core.sv; tests/gen checks them
// against its text.
struct CoreMemory {
  std::string instance;      // inside lstm_core; {slot} for the per-slot ones
  std::string width_param;   // lstm_pkg localparam of the word width
  std::string depth_param;   // lstm_pkg localparam of the depth
  int per_core = 1;          // instances in each core (MAC slots for weights and biases)
  int width = 0;             // bits per word, for this config
  int depth = 0;             // words, for this config
  std::string holds;
};

std::vector<CoreMemory> core_memories(const HwConfig& c);

// The instance name of core k in lstm_top (gen/emit_top.cpp).
std::string core_instance(int k);

// manifest.json's "memories": the module, a row per kind (path pattern from
// lstm_top, instances, width, depth, bits) and the total.
nlohmann::ordered_json memories_json(const HwConfig& c);

}  // namespace lstm
