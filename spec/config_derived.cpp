// Quantities derived from a config that several parts need.
#include "spec/config.hpp"

namespace lstm {

int ceil_log2(std::int64_t v) {
  int b = 0;
  while ((std::int64_t{1} << b) < v) ++b;
  return b;
}

int post_pwl_stages(const HwConfig& c) { return c.activation.kind == ActivationKind::Pwl ? 5 : 0; }

int activation_shift(const HwConfig& c, int in_frac) {
  return in_frac + ceil_log2(c.activation.range) + 1 - c.activation.index_bits;
}

}  // namespace lstm
