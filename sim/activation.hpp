// Sigmoid and tanh as integer functions of the config (docs/numerics.md). The
// tables built here are the golden model's and the generated ROMs' contents.
#pragma once

#include <cstdint>
#include <vector>

#include "spec/config.hpp"

namespace lstm {

enum class ActFunction { Sigmoid, Tanh };

// Table entries in the gate format: N entries for lut, N+1 for pwl.
std::vector<std::int64_t> activation_table(const HwConfig& c, ActFunction f);

class Activation {
 public:
  Activation(const HwConfig& c, ActFunction f);
  // z has in_frac fraction bits (accum.frac for gates, cell.frac for tanh(c)).
  std::int64_t operator()(std::int64_t z, int in_frac) const;
  const std::vector<std::int64_t>& table() const { return table_; }

 private:
  HwConfig cfg_;
  std::vector<std::int64_t> table_;
};

}  // namespace lstm
