// Saturation event counts (docs/numerics.md, "Saturation events").
#include "sim/saturation.hpp"

namespace lstm {

std::uint64_t SatCounts::total() const {
  std::uint64_t sum = 0;
  for (std::uint64_t v : n) sum += v;
  return sum;
}

SatCounts& SatCounts::operator+=(const SatCounts& o) {
  for (std::size_t k = 0; k < kSatEvents; ++k) n[k] += o.n[k];
  return *this;
}

std::uint64_t total(const LayerSatCounts& layers) {
  std::uint64_t sum = 0;
  for (const SatCounts& l : layers) sum += l.total();
  return sum;
}

}  // namespace lstm
