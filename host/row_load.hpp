// The weight/bias row stream (lstm_top wl_*, lstm_axi_top s_axis_w_*;
// docs/host-interface.md, "Loading weights by rows"): a plan's weight and bias
// writes (RunPlan::load, one host write per word) regrouped as row beats, one
// beat per memory word of every slot of a core, and broadcast to every core
// whose memories get the same image (mp runs one model on each core).
#pragma once

#include <cstdint>
#include <vector>

#include "host/host_program.hpp"
#include "spec/config.hpp"

namespace lstm {

// One pass of the row stream: write WLOAD_MASK and WLOAD_ADDR (row_pass_writes),
// then send the rows, one beat each, in order. Each beat writes the next word.
struct RowPass {
  std::uint32_t mask = 0;  // WLOAD_MASK: the cores the beats write
  std::uint32_t addr = 0;  // WLOAD_ADDR: region << kRegionShift | first word << slot_bits
  // rows[k][s]: slot s (lane * kGates + gate) of word `first + k`, the low
  // bits of the host write's data (0 where the plan writes nothing).
  std::vector<std::vector<std::uint32_t>> rows;
};

// The passes that leave the memories as `load` does (at least: slots of a
// row the load does not write are written 0). Cores with equal images share
// passes; consecutive words share a pass. Throws std::invalid_argument for a
// write to anything but a weight or bias word.
std::vector<RowPass> row_passes(const HwConfig& c, const std::vector<HostWrite>& load);

// The register writes that start a pass: WLOAD_MASK, then WLOAD_ADDR.
std::vector<HostWrite> row_pass_writes(const RowPass& p);

// WLOAD_NEXT after the pass's beats: where its last row ends.
std::uint32_t row_pass_end(const HwConfig& c, const RowPass& p);

// A row as the beat's TDATA: slot s at bits [s * row_slot_width +:
// row_slot_width] (hostmap::row_slot_width), in 32-bit words, bit 0 of word 0
// first; ceil(4 * lanes * row_slot_width / 32) words. Throws
// std::invalid_argument for a row of another slot count.
std::vector<std::uint32_t> row_beat_words(const HwConfig& c, const std::vector<std::uint32_t>& row);

// Beats of all passes (the stream's transfers).
std::uint64_t row_beats(const std::vector<RowPass>& passes);

}  // namespace lstm
