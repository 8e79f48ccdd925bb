// A random LSTM model built to saturate at every LSTM event on
// tests/rtl/configs/sat_tri.json (data Q1.4, bias Q4.4, cell Q4.6,
// activation range 4): every (l+2)-th unit of layer l (0, 2, 4, ... in layer
// 0; 0, 3, 6, ... in layer 1; so each layer has its own counts and a count
// put in the wrong layer shows) gets b_ih = b_hh = 3.5 on all four gates, so its pre-activations sit beyond the table range
// (act_sigmoid_acc, act_tanh_acc), i, f, g and o take the table ends (0.98,
// 0.98, 1.0, 0.98), c grows by about 1 a step past 4 (act_tanh_cell) and the
// cell format's 8 (narrow_cell), and h = 0.98 exceeds Q1.4's 0.9375
// (narrow_hidden). The other units keep their random weights and biases.
// A GRU (s.cell) gets these biases on r and n and -3.5 on z: a_r, a_z and a_n
// sit beyond the table range, so r takes the sigmoid's top (0.98), z its
// bottom (0.02) and n the tanh's top (1.0), and h = (1 - z) n + z h follows n
// past Q1.4's 0.9375 (narrow_gru_hidden); narrow_candidate stays 0 (it needs
// a sum beyond the accumulator).
#pragma once

#include <cstdint>

#include "sim/lstm_model.hpp"
#include "sim/workload.hpp"
#include "spec/lstm_shape.hpp"

namespace lstm::test {

inline FloatModel saturating_model(const WorkloadShape& s, std::uint64_t seed) {
  FloatModel m = random_model(s, seed);
  for (std::size_t k = 0; k < m.layers.size(); ++k) {
    FloatLayer& l = m.layers[k];
    const int every = static_cast<int>(k) + 2;
    for (int q = 0; q < gate_rows(m.cell); ++q)
      for (int u = 0; u < l.hidden_size; u += every) {
        const auto row = static_cast<std::size_t>(q * l.hidden_size + u);
        // A GRU's z gate gets -3.5: z near 0 makes h follow n past Q1.4.
        const double b = m.cell == CellType::Gru && q == 1 ? -3.5 : 3.5;
        l.b_ih[row] = b;
        l.b_hh[row] = b;
      }
  }
  return m;
}

// A shape for it: inputs within Q1.4 (0.9 < 0.9375), so none saturates at load.
inline WorkloadShape saturating_shape(int input, int hidden, int layers, int steps,
                                      int sequences = 1) {
  WorkloadShape s = workload_shape(input, hidden, layers, steps, sequences);
  s.input_scale = 0.9;
  return s;
}

}  // namespace lstm::test
