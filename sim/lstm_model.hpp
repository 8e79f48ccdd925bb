// Recurrent models in PyTorch layout: torch.nn.LSTM (gate rows stacked i, f, g,
// o) and torch.nn.GRU (rows r, z, n), one or two directions, in floating point
// and quantized to a config's formats.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "spec/config.hpp"

namespace lstm {

using Vector = std::vector<double>;
using Sequence = std::vector<Vector>;          // [t][x]
using SequenceSet = std::vector<Sequence>;     // [seq][t][x]

// The cell a model's layers use (every layer of a model uses the same one).
enum class CellType { Lstm, Gru };

// Weight rows per hidden unit: 4 for LSTM (i, f, g, o), 3 for GRU (r, z, n).
int gate_rows(CellType c);
// "lstm" or "gru": the value of the model file's "cell" key.
std::string_view cell_name(CellType c);

// One direction of one layer.
struct FloatLayer {
  int input_size = 0;
  int hidden_size = 0;
  std::vector<double> w_ih;  // [G*H][X] row-major, G = gate_rows(cell)
  std::vector<double> w_hh;  // [G*H][H] row-major
  std::vector<double> b_ih;  // [G*H]
  std::vector<double> b_hh;  // [G*H]
};

struct FloatModel {
  CellType cell = CellType::Lstm;
  int input_size = 0;
  int hidden_size = 0;
  std::vector<FloatLayer> layers;   // forward direction; num_layers = layers.size()
  std::vector<FloatLayer> reverse;  // bidirectional: each layer's reverse direction; else empty
  bool bidirectional() const { return !reverse.empty(); }
  int directions() const { return bidirectional() ? 2 : 1; }
};

// The state of one sequence, as PyTorch's h0/c0 and h_n/c_n hold it for one
// batch entry: row layer * directions + direction, hidden_size numbers each.
// c is empty for a GRU (it has no cell state).
struct FloatState {
  std::vector<Vector> h;
  std::vector<Vector> c;
};

using IntVector = std::vector<std::int64_t>;
using IntSequence = std::vector<IntVector>;     // [t][x]

// h in the data format, c in the cell format; same rows as FloatState.
struct IntState {
  std::vector<IntVector> h;
  std::vector<IntVector> c;
};

struct QuantLayer {
  int input_size = 0;
  int hidden_size = 0;
  IntVector w_ih;  // [G*H][X] weight format
  IntVector w_hh;  // [G*H][H] weight format
  // [G*H] bias format. LSTM: quantize(b_ih + b_hh) for every row. GRU: rows r
  // and z the same; row n holds quantize(b_in) alone, because the reset gate
  // multiplies W_hn h + b_hn but not W_in x + b_in.
  IntVector bias;
  IntVector bias_hn;  // GRU: [H] quantize(b_hn); empty for LSTM
};

struct QuantModel {
  CellType cell = CellType::Lstm;
  std::vector<QuantLayer> layers;   // forward direction
  std::vector<QuantLayer> reverse;  // bidirectional: reverse direction; else empty
  int input_size() const { return layers.empty() ? 0 : layers.front().input_size; }
  int hidden_size() const { return layers.empty() ? 0 : layers.back().hidden_size; }
  bool bidirectional() const { return !reverse.empty(); }
  int directions() const { return bidirectional() ? 2 : 1; }
};

struct TensorSaturation;  // sim/load_saturation.hpp
// Given `sat`, appends every tensor with values that saturate (weight_ih_l<k>,
// weight_hh_l<k>, the summed bias of layer k), named by model file pointers.
QuantModel quantize_model(const FloatModel& m, const HwConfig& c,
                          std::vector<TensorSaturation>* sat = nullptr);
IntSequence quantize_sequence(const Sequence& s, FixedFormat fmt);
Sequence dequantize_sequence(const IntSequence& s, FixedFormat fmt);
// h to the data format, c to the cell format (round half away, saturate).
IntState quantize_state(const FloatState& s, const HwConfig& c);
FloatState dequantize_state(const IntState& s, const HwConfig& c);

}  // namespace lstm
