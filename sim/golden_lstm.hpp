// The bit-exact fixed-point LSTM that the RTL must match, written from the
// equations and docs/numerics.md.
#pragma once

#include "sim/activation.hpp"
#include "sim/fixed_point.hpp"
#include "sim/lstm_model.hpp"

namespace lstm {

class GoldenLstm {
 public:
  GoldenLstm(const HwConfig& c, QuantModel m);
  // One sequence from zero state: the last layer's h (data format) per step.
  IntSequence run(const IntSequence& x) const;
  const QuantModel& model() const { return model_; }

 private:
  Numerics num_;
  Activation sigmoid_;
  Activation tanh_;
  QuantModel model_;
};

// Double-precision reference with torch.nn.LSTM semantics (zero initial state).
Sequence run_float_lstm(const FloatModel& m, const Sequence& x);

}  // namespace lstm
