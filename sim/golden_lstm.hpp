// The bit-exact fixed-point model that the RTL must match, written from the
// equations and docs/numerics.md: LSTM and GRU layers, one or two directions,
// from a given initial state.
#pragma once

#include <string>

#include "sim/activation.hpp"
#include "sim/fixed_point.hpp"
#include "sim/lstm_model.hpp"
#include "sim/saturation.hpp"

namespace lstm {

// One sequence's run: the last layer's h per step (data format; a
// bidirectional model's two directions concatenated, forward first) and the
// final state (h_n, and c_n for an LSTM; rows layer * directions + direction).
// Also the saturation events of the run (docs/numerics.md, "Saturation
// events"), one SatCounts per layer and direction in the rows of the state.
struct IntRun {
  IntSequence outputs;
  IntState final_state;
  LayerSatCounts saturation;
};

// Runs LSTM and GRU models (QuantModel::cell); named after the first.
class GoldenLstm {
 public:
  GoldenLstm(const HwConfig& c, QuantModel m);
  // One sequence from zero state: the last layer's h (data format) per step.
  IntSequence run(const IntSequence& x) const;
  // One sequence from `initial` (an empty h or c means zeros).
  IntRun run(const IntSequence& x, const IntState& initial) const;
  const QuantModel& model() const { return model_; }

 private:
  // One direction of one layer over the whole sequence: updates h and c from
  // their initial values to the final ones and returns h after every step
  // (indexed by step, also when the direction runs backwards).
  // Counts its saturation events in sat.
  IntSequence run_direction(const QuantLayer& l, const IntSequence& in, bool backwards,
                            IntVector& h, IntVector& c, const std::string& where,
                            SatCounts& sat) const;
  // One layer-step, h and c updated in place (docs/numerics.md).
  void lstm_step(const QuantLayer& l, const IntVector& x, IntVector& h, IntVector& c,
                 const std::string& where, SatCounts& sat) const;
  void gru_step(const QuantLayer& l, const IntVector& x, IntVector& h,
                const std::string& where, SatCounts& sat) const;  // in golden_gru.cpp
  void check_state(const IntState& s) const;

  Numerics num_;
  GateActivations act_;
  QuantModel model_;
};

// Double-precision reference with torch.nn.LSTM / torch.nn.GRU semantics.
struct FloatRun {
  Sequence outputs;
  FloatState final_state;
};
// From zero state: the last layer's h per step.
Sequence run_float_lstm(const FloatModel& m, const Sequence& x);
// The smallest and largest of a set of values; empty until the first add.
struct ValueRange {
  double lo = 0.0;
  double hi = 0.0;
  bool empty = true;
  void add(double v) {
    lo = empty || v < lo ? v : lo;
    hi = empty || v > hi ? v : hi;
    empty = false;
  }
  void add(const ValueRange& r) {
    if (r.empty) return;
    add(r.lo);
    add(r.hi);
  }
};

// What a float run reaches, over every layer, direction and step: the ranges
// the format advisor fits formats to (sim/format_advisor.hpp).
struct FloatRanges {
  ValueRange preact;  // gate pre-activations: LSTM i, f, g, o; GRU r, z and n's
  ValueRange cell;    // c (LSTM)
  ValueRange h;       // h of every layer
};

// From `initial` (an empty h or c means zeros). Given `ranges`, widens them by
// every value the run reaches.
FloatRun run_float_model(const FloatModel& m, const Sequence& x, const FloatState& initial,
                         FloatRanges* ranges = nullptr);

}  // namespace lstm
