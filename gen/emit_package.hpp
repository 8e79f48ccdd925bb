// lstm_pkg: the config's numbers as localparams and the fixed-point rules of
// docs/numerics.md as functions, each mirroring the C++ function of the same
// name in sim/ (bias_to_accum, narrow_cell, narrow_hidden, the activation
// table lookups and the activations themselves).
#pragma once

#include <string>
#include <vector>

#include "config.hpp"
#include "sv/ast.hpp"

namespace lstm {

// Function names of lstm_pkg, in the order they are emitted.
inline const std::vector<std::string>& package_function_names() {
  static const std::vector<std::string> names{
      "bias_to_accum", "narrow_cell",  "narrow_hidden",  "sigmoid_entry",
      "tanh_entry",    "act_sigmoid_acc", "act_tanh_acc", "act_tanh_cell"};
  return names;
}

sv::Package emit_package(const HwConfig& c);

}  // namespace lstm
