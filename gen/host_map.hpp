// The host register and memory map: one table that the generator puts into
// lstm_pkg (so the RTL decodes with these numbers), into manifest.json (so
// tools read it), and that the host driver in tb/ programs with.
// docs/host-interface.md explains each entry.
#pragma once

#include <cstdint>
#include <string_view>

#include "config.hpp"

namespace lstm::hostmap {

// Host address: [31:28] target (core index, or kGlobal), [27:26] region,
// [25:0] index within the region.
inline constexpr unsigned kTargetShift = 28;
inline constexpr unsigned kRegionShift = 26;
inline constexpr std::uint32_t kIndexMask = (1u << kRegionShift) - 1;
inline constexpr unsigned kGlobal = 0xF;

enum class Region : unsigned { Regs = 0, Weights = 1, Biases = 2 };

// Per-core registers.
enum CoreReg : unsigned {
  kCtrl = 0,        // W: bit 0 starts the program
  kStatus = 1,      // R: bit 0 busy, 1 done, 2 error; [15:8] error code; [23:16] layer
  kNumLayers = 2,   // layers this core runs
  kNumSteps = 3,    // timesteps of the sequence
  kFlags = 4,       // bit 0 stream h out, bit 1 wait for the output streamer
  kCycles = 8,      // R: cycles busy in the last run
  kMacBusy = 9,     // R: cycles the MAC array took an element
  kStallDep = 10,   // R: cycles waiting for an operand (x or h not there yet)
  kStallOther = 11, // R: cycles waiting for the post unit or the output streamer
  kLayerBase = 16,  // layer l's descriptor at kLayerBase + kLayerStride * l
  kLayerStride = 8,
};
// Fields of a layer descriptor.
enum LayerField : unsigned {
  kInSize = 0,   // X of this layer (layer l > 0: H of layer l-1)
  kHidden = 1,   // H of this layer (all units, also those other cores compute)
  kUnitLo = 2,   // first hidden unit this core computes
  kUnitCnt = 3,  // number of hidden units this core computes
  kWBase = 4,    // weight memory word of the layer's first group
  kBBase = 5,    // bias memory word of the layer's first group
};
inline constexpr std::uint32_t kFlagOutEn = 1;
inline constexpr std::uint32_t kFlagOutWait = 2;

// Global registers (mode-select controller).
enum GlobalReg : unsigned {
  kMode = 0, kActive = 1, kStart = 2, kGStatus = 3, kGCycles = 4,
  kBusyMask = 5, kDoneMask = 6, kErrorMask = 7, kCores = 8, kLanes = 9,
};
enum class Mode : unsigned { Single = 0, Mp = 1, Mt = 2, Hc = 3 };

// Error codes in the core's STATUS[15:8].
enum ErrorCode : unsigned {
  kErrNone = 0, kErrNumLayers = 1, kErrNumSteps = 2, kErrInSize = 3, kErrInChain = 4,
  kErrHidden = 5, kErrUnits = 6, kErrWeights = 7, kErrBiases = 8, kErrOutWait = 9,
};
std::string_view error_name(unsigned code);
std::string_view mode_name(Mode m);

// Bits of the slot (lane*4 + gate) field inside a weight or bias index.
int slot_bits(const HwConfig& c);
// Bias memory depth: max_layers * ceil(max_hidden / lanes).
int bias_depth(const HwConfig& c);

inline std::uint32_t address(unsigned target, Region r, std::uint32_t index) {
  return (std::uint32_t{target} << kTargetShift) |
         (static_cast<std::uint32_t>(r) << kRegionShift) | (index & kIndexMask);
}
inline std::uint32_t core_reg(unsigned core, unsigned reg) {
  return address(core, Region::Regs, reg);
}
inline std::uint32_t layer_reg(unsigned core, unsigned layer, LayerField f) {
  return core_reg(core, kLayerBase + kLayerStride * layer + f);
}
inline std::uint32_t global_reg(unsigned reg) { return address(kGlobal, Region::Regs, reg); }
// Weight or bias word `word` of MAC slot `slot` (lane * 4 + gate).
inline std::uint32_t mem_addr(const HwConfig& c, unsigned core, Region r, std::uint32_t word,
                              unsigned slot) {
  return address(core, r, (word << slot_bits(c)) | slot);
}

}  // namespace lstm::hostmap
