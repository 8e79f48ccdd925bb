// Values that saturate when a model or an input set is quantized to a
// config's formats (docs/numerics.md, "Saturation at load time"): counted per
// tensor, with the JSON pointer of the first and of the largest, so that a user
// can find them in the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spec/config.hpp"
#include "sim/fixed_point.hpp"
#include "sim/lstm_model.hpp"

namespace lstm {

// One tensor with at least one saturated value.
struct TensorSaturation {
  std::string tensor;       // "weight_ih_l0", "bias_ih_l0 + bias_hh_l0", "sequences", "h0"
  std::string format_name;  // the config's name of the format: "weight", "bias", "data", "cell"
  FixedFormat format;
  std::string noun;         // the values, plural: "weights", "biases", "inputs", "values of h0"
  std::size_t count = 0;    // values that saturated
  std::size_t total = 0;    // values in the tensor
  std::string first_pointer;
  double first_value = 0.0;
  std::string largest_pointer;  // of the saturated value of largest magnitude
  double largest_value = 0.0;
};
using LoadSaturation = std::vector<TensorSaturation>;

// Quantizes the values of one tensor, counting those that saturate. The JSON
// pointer of a value is only built when it saturates.
class SaturationTally {
 public:
  SaturationTally(std::string tensor, std::string format_name, FixedFormat format,
                  std::string noun);
  // pointer() gives the value's JSON pointer, "/weight_ih_l0/3/1".
  template <class PointerFn>
  std::int64_t quantize(double v, PointerFn&& pointer) {
    const Clamped q = quantize_checked(v, t_.format);
    if (q.saturated) record(v, pointer());
    ++t_.total;
    return q.value;
  }
  // Appends the tensor to `out` if any value saturated.
  void finish(LoadSaturation* out) const;

 private:
  void record(double v, std::string pointer);
  TensorSaturation t_;
};

// The inputs ("/sequences/s/t/j") in the data format, and the initial states
// of an input file, h0 in the data format and c0 in the cell format
// ("/h0/s/row/j"); empty if none saturate.
LoadSaturation input_saturation(const SequenceSet& x, const std::vector<FloatState>& initial,
                                const HwConfig& c);

// "/weight_ih_l0/0/0: 1e6 saturated to 1.984 (weight format Q2.6: [-2, 1.984]);
// 1 of 448 weights"; when several saturate, ", the largest 3e6 at POINTER" or
// ", the first is the largest".
std::string describe(const TensorSaturation& t);
// "Q2.6": integer bits (width - frac, sign included), fraction bits.
std::string q_name(FixedFormat f);
// A number as a person would write it, 4 significant digits ("1e6", "1.984",
// "-2"), or more if needed to tell it from the next power of two.
std::string short_number(double v);

}  // namespace lstm
