// Built-in random workloads, reproducible on every machine: std::mt19937_64 is
// fully specified by the standard, and the mapping to doubles below is ours
// (std::uniform_real_distribution is implementation-defined).
#include "sim/workload.hpp"

#include <random>

namespace lstm {

namespace {

// Uniform in [-scale, scale): the top 53 bits of one draw give u in [0, 1)
// exactly, then scale * (2u - 1).
class Uniform {
 public:
  Uniform(std::uint64_t seed, double scale) : rng_(seed), scale_(scale) {}
  double operator()() {
    const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
    return scale_ * (2.0 * u - 1.0);
  }
  std::vector<double> draw(std::size_t n) {
    std::vector<double> v(n);
    for (double& x : v) x = (*this)();
    return v;
  }

 private:
  std::mt19937_64 rng_;
  double scale_;
};

// Inputs use their own stream, so the same seed gives unrelated model and inputs.
constexpr std::uint64_t kInputStream = 0x9E3779B97F4A7C15ULL;

}  // namespace

WorkloadShape workload_shape(int input_size, int hidden_size, int num_layers, int steps,
                             int sequences) {
  WorkloadShape s;
  s.input_size = input_size;
  s.hidden_size = hidden_size;
  s.num_layers = num_layers;
  s.steps = steps;
  s.sequences = sequences;
  return s;
}

FloatModel random_model(const WorkloadShape& s, std::uint64_t seed) {
  Uniform rnd(seed, s.weight_scale);
  FloatModel m;
  m.cell = s.cell;
  m.input_size = s.input_size;
  m.hidden_size = s.hidden_size;
  const auto h = static_cast<std::size_t>(s.hidden_size);
  const std::size_t rows = static_cast<std::size_t>(gate_rows(s.cell)) * h;
  const int directions = s.bidirectional ? 2 : 1;
  // Draw order: per layer and direction (forward first) w_ih, w_hh, b_ih,
  // b_hh, each row-major.
  for (int k = 0; k < s.num_layers; ++k)
    for (int d = 0; d < directions; ++d) {
      FloatLayer l;
      l.input_size = k == 0 ? s.input_size : directions * s.hidden_size;
      l.hidden_size = s.hidden_size;
      l.w_ih = rnd.draw(rows * static_cast<std::size_t>(l.input_size));
      l.w_hh = rnd.draw(rows * h);
      l.b_ih = rnd.draw(rows);
      l.b_hh = rnd.draw(rows);
      (d == 0 ? m.layers : m.reverse).push_back(std::move(l));
    }
  return m;
}

SequenceSet random_inputs(const WorkloadShape& s, std::uint64_t seed) {
  Uniform rnd(seed ^ kInputStream, s.input_scale);
  SequenceSet set(static_cast<std::size_t>(s.sequences));
  for (Sequence& seq : set)  // draw order: sequence, step, element
    for (int t = 0; t < s.steps; ++t)
      seq.push_back(rnd.draw(static_cast<std::size_t>(s.input_size)));
  return set;
}

}  // namespace lstm
