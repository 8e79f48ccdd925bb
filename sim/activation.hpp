// Sigmoid and tanh as integer functions of the config (docs/numerics.md). The
// tables built here are the golden model's and the generated ROMs' contents.
#pragma once

#include <cstdint>
#include <vector>

#include "spec/config.hpp"
#include "sim/fixed_point.hpp"
#include "sim/saturation.hpp"

namespace lstm {

enum class ActFunction { Sigmoid, Tanh };

// Table entries in the gate format: N entries for lut, N+1 for pwl.
std::vector<std::int64_t> activation_table(const HwConfig& c, ActFunction f);

class Activation {
 public:
  Activation(const HwConfig& c, ActFunction f);
  // z has in_frac fraction bits (accum.frac for gates, cell.frac for tanh(c)).
  std::int64_t operator()(std::int64_t z, int in_frac) const {
    return lookup(z, in_frac).value;
  }
  // The same; `saturated` says that z was beyond the table's range [-R, R),
  // i.e. that the index t = z >>> s fell outside [-N/2, N/2 - 1] and the
  // result is the table's first or last entry (docs/numerics.md).
  Clamped lookup(std::int64_t z, int in_frac) const;
  const std::vector<std::int64_t>& table() const { return table_; }
  // lookup's value in the three steps of lstm_pkg's act_*_read, act_*_mul and
  // act_*_fin, which the post unit of a pwl design registers between:
  // fin(r.lo, mul(r), in_frac) == operator()(z, in_frac) for r = read(z, in_frac).
  // read: the index and the two table reads (lo = T[idx], slope = T[idx+1] -
  // T[idx], rem = z - (t << s)) inside the table's range with pwl; beyond it
  // (and with lut) lo is the result and slope = rem = 0.
  struct Read {
    std::int64_t lo, slope, rem;
  };
  Read read(std::int64_t z, int in_frac) const;
  static std::int64_t mul(const Read& r) { return r.slope * r.rem; }
  // narrow(lo * 2^s + prod, s, gate.width) in the config's rounding.
  std::int64_t fin(std::int64_t lo, std::int64_t prod, int in_frac) const;

 private:
  // Where z falls: the index shift s, the floored quotient t = z >> s and the
  // table index idx = t + 2^index_bits / 2 (outside the table when < 0 or >= n).
  struct Index {
    int s;
    std::int64_t t, idx, n;
  };
  Index index_of(std::int64_t z, int in_frac) const;
  HwConfig cfg_;
  std::vector<std::int64_t> table_;
};

// The activation lookups of one layer-step by their lstm_pkg names: sigmoid
// and tanh of an accumulator value (a gate pre-activation, accum.frac) and
// tanh of a cell value (cell.frac). Given `sat`, each counts an input beyond
// the table's range as the event of its name (docs/numerics.md).
class GateActivations {
 public:
  explicit GateActivations(const HwConfig& c);
  std::int64_t act_sigmoid_acc(std::int64_t z, SatCounts* sat = nullptr) const;
  std::int64_t act_tanh_acc(std::int64_t z, SatCounts* sat = nullptr) const;
  std::int64_t act_tanh_cell(std::int64_t c, SatCounts* sat = nullptr) const;

 private:
  int acc_frac_;
  int cell_frac_;
  Activation sigmoid_;
  Activation tanh_;
};

}  // namespace lstm
