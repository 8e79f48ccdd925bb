// One gate pre-activation of the golden model, summed the way the hardware's
// accumulator must hold it.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

namespace lstm {

// Tracks the positive and negative partial sums of one accumulation. If both
// fit in the accumulator, every summation order fits, which is what makes the
// hardware's modes bit-identical (the config validator guarantees this for
// models within the config's limits).
class CheckedAccumulator {
 public:
  explicit CheckedAccumulator(int width)
      : max_((std::int64_t{1} << (width - 1)) - 1), min_(-max_ - 1) {}
  void add(std::int64_t term) {
    if (term >= 0) pos_ += term; else neg_ += term;
  }
  // sum_j a[j] * b[j] over n terms.
  void add_products(const std::int64_t* a, const std::int64_t* b, std::size_t n) {
    for (std::size_t j = 0; j < n; ++j) add(a[j] * b[j]);
  }
  // The exact sum; the error names the layer (`where`), the gate row and
  // which `part` of the row was summed if it does not fit.
  std::int64_t sum(std::string_view where, std::size_t row, std::string_view part = "") const {
    if (pos_ > max_ || neg_ < min_)
      throw std::logic_error(fmt::format(
          "golden model: {} gate row {}{}: partial sums reach [{}, {}], beyond the "
          "accumulator's [{}, {}]; the config validator should have rejected this config",
          where, row, part, neg_, pos_, min_, max_));
    return pos_ + neg_;
  }

 private:
  std::int64_t max_;
  std::int64_t min_;
  std::int64_t pos_ = 0;
  std::int64_t neg_ = 0;
};

}  // namespace lstm
