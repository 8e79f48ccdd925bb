// Built-in workloads: random models and inputs from a seed, for demos and tests.
#pragma once

#include <cstdint>

#include "sim/lstm_model.hpp"

namespace lstm {

struct WorkloadShape {
  int input_size = 16;
  int hidden_size = 16;
  int num_layers = 1;
  int steps = 10;
  int sequences = 1;
  CellType cell = CellType::Lstm;
  bool bidirectional = false;
  double weight_scale = 0.5;  // weights and biases uniform in [-scale, scale]
  double input_scale = 1.0;   // inputs uniform in [-scale, scale]
};

// A shape with the default scales.
WorkloadShape workload_shape(int input_size, int hidden_size, int num_layers, int steps,
                             int sequences = 1);

FloatModel random_model(const WorkloadShape& s, std::uint64_t seed);
SequenceSet random_inputs(const WorkloadShape& s, std::uint64_t seed);

}  // namespace lstm
