// Saturation events of one LSTM layer-step, counted where they happen: in the
// narrowing functions of sim/fixed_point.hpp and the activation lookups of
// sim/activation.hpp, named after the lstm_pkg functions they mirror. The exact
// definition of each event, which the RTL's counters reproduce, is in
// docs/numerics.md ("Saturation events").
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace lstm {

enum class SatEvent : std::uint8_t {
  ActSigmoidAcc,    // a gate pre-activation (LSTM i, f, o; GRU r, z) beyond the sigmoid table
  ActTanhAcc,       // a gate pre-activation (LSTM g; GRU n) beyond the tanh table
  NarrowCell,       // LSTM: c_new clamped to the cell format
  ActTanhCell,      // LSTM: c_new beyond the tanh table
  NarrowHidden,     // LSTM: h_new clamped to the data format
  NarrowCandidate,  // GRU: a_nx + r * a_nh clamped to the accumulator
  NarrowGruHidden,  // GRU: h_new clamped to the data format
};
inline constexpr std::size_t kSatEvents = 7;

// The lstm_pkg function name of each event ("act_sigmoid_acc", ...), in enum
// order: the keys of the output file's "saturation" objects.
inline constexpr std::array<std::string_view, kSatEvents> kSatEventNames{
    "act_sigmoid_acc", "act_tanh_acc",     "narrow_cell",      "act_tanh_cell",
    "narrow_hidden",   "narrow_candidate", "narrow_gru_hidden"};

// Event counts of one layer (or any share of its work: they add up).
struct SatCounts {
  std::array<std::uint64_t, kSatEvents> n{};

  void count(SatEvent e, bool happened) { n[static_cast<std::size_t>(e)] += happened ? 1 : 0; }
  std::uint64_t operator[](SatEvent e) const { return n[static_cast<std::size_t>(e)]; }
  std::uint64_t total() const;
  SatCounts& operator+=(const SatCounts& o);
  bool operator==(const SatCounts&) const = default;
};

// Counts per layer and direction, in the rows of a state (layer * directions
// + direction).
using LayerSatCounts = std::vector<SatCounts>;

std::uint64_t total(const LayerSatCounts& layers);

}  // namespace lstm
