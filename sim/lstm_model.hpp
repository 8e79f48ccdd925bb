// LSTM models in PyTorch torch.nn.LSTM layout (gate rows stacked i, f, g, o),
// in floating point and quantized to a config's formats.
#pragma once

#include <cstdint>
#include <vector>

#include "spec/config.hpp"

namespace lstm {

using Vector = std::vector<double>;
using Sequence = std::vector<Vector>;          // [t][x]
using SequenceSet = std::vector<Sequence>;     // [seq][t][x]

struct FloatLayer {
  int input_size = 0;
  int hidden_size = 0;
  std::vector<double> w_ih;  // [4H][X] row-major
  std::vector<double> w_hh;  // [4H][H] row-major
  std::vector<double> b_ih;  // [4H]
  std::vector<double> b_hh;  // [4H]
};

struct FloatModel {
  int input_size = 0;
  int hidden_size = 0;
  std::vector<FloatLayer> layers;  // num_layers = layers.size()
};

using IntVector = std::vector<std::int64_t>;
using IntSequence = std::vector<IntVector>;     // [t][x]

struct QuantLayer {
  int input_size = 0;
  int hidden_size = 0;
  IntVector w_ih;  // [4H][X] weight format
  IntVector w_hh;  // [4H][H] weight format
  IntVector bias;  // [4H] bias format: quantize(b_ih + b_hh)
};

struct QuantModel {
  std::vector<QuantLayer> layers;
  int input_size() const { return layers.empty() ? 0 : layers.front().input_size; }
  int hidden_size() const { return layers.empty() ? 0 : layers.back().hidden_size; }
};

QuantModel quantize_model(const FloatModel& m, const HwConfig& c);
IntSequence quantize_sequence(const Sequence& s, FixedFormat fmt);
Sequence dequantize_sequence(const IntSequence& s, FixedFormat fmt);

}  // namespace lstm
