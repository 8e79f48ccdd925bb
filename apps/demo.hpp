// `lstmsim demo`: a built-in workload through the golden and float engines.
#pragma once

#include <cstdio>

#include "spec/config.hpp"
#include "sim/workload.hpp"

namespace lstm {

// 2 layers, X = H = 64, 20 steps, 2 sequences, seed 1.
WorkloadShape demo_shape();
inline constexpr std::uint64_t kDemoSeed = 1;

// Runs both engines and prints the model shape and the golden-vs-float error.
void run_demo(const HwConfig& c, std::FILE* out);

}  // namespace lstm
