// Saturation at load time (docs/numerics.md): per-tensor counts and the
// messages lstmsim prints for them.
#include "sim/load_saturation.hpp"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace lstm {

namespace {

// fmt's "1e+06" written as "1e6", "1e-05" as "1e-5".
std::string tidy_exponent(std::string s) {
  const std::size_t e = s.find('e');
  if (e == std::string::npos) return s;
  std::string mantissa = s.substr(0, e);
  std::string exponent = s.substr(e + 1);
  std::string sign;
  if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) {
    if (exponent[0] == '-') sign = "-";
    exponent.erase(0, 1);
  }
  while (exponent.size() > 1 && exponent[0] == '0') exponent.erase(0, 1);
  return mantissa + "e" + sign + exponent;
}

bool is_power_of_two(double v) {
  if (v <= 0.0) return false;
  int exp = 0;
  return std::frexp(v, &exp) == 0.5;
}

}  // namespace

std::string short_number(double v) {
  for (int digits = 4; digits < 17; ++digits) {
    const std::string s = fmt::format("{:.{}g}", v, digits);
    const double shown = std::strtod(s.c_str(), nullptr);
    // 7.99976 must not read "8": the edge of a format is just below a power of two.
    if (!(is_power_of_two(std::fabs(shown)) && shown != v)) return tidy_exponent(s);
  }
  return tidy_exponent(fmt::format("{}", v));
}

std::string q_name(FixedFormat f) { return fmt::format("Q{}.{}", f.width - f.frac, f.frac); }

SaturationTally::SaturationTally(std::string tensor, std::string format_name, FixedFormat format,
                                 std::string noun) {
  t_.tensor = std::move(tensor);
  t_.format_name = std::move(format_name);
  t_.format = format;
  t_.noun = std::move(noun);
}

void SaturationTally::record(double v, std::string pointer) {
  if (t_.count == 0) {
    t_.first_pointer = pointer;
    t_.first_value = v;
  }
  if (t_.count == 0 || std::fabs(v) > std::fabs(t_.largest_value)) {
    t_.largest_pointer = std::move(pointer);
    t_.largest_value = v;
  }
  ++t_.count;
}

void SaturationTally::finish(LoadSaturation* out) const {
  if (out && t_.count > 0) out->push_back(t_);
}

namespace {

// [seq][row][j] values under `key`.
void tally_nested(SaturationTally& tally, const std::string& key,
                  const std::vector<std::vector<Vector>>& v) {
  for (std::size_t s = 0; s < v.size(); ++s)
    for (std::size_t r = 0; r < v[s].size(); ++r)
      for (std::size_t j = 0; j < v[s][r].size(); ++j)
        tally.quantize(v[s][r][j], [&] { return fmt::format("/{}/{}/{}/{}", key, s, r, j); });
}

}  // namespace

LoadSaturation input_saturation(const SequenceSet& x, const std::vector<FloatState>& initial,
                                const HwConfig& c) {
  LoadSaturation out;
  SaturationTally inputs("sequences", "data", c.data, "inputs");
  tally_nested(inputs, "sequences", x);
  inputs.finish(&out);
  std::vector<std::vector<Vector>> h0, c0;
  for (const FloatState& s : initial) {
    h0.push_back(s.h);
    c0.push_back(s.c);
  }
  SaturationTally h("h0", "data", c.data, "values of h0");
  tally_nested(h, "h0", h0);
  h.finish(&out);
  SaturationTally cell("c0", "cell", c.cell, "values of c0");
  tally_nested(cell, "c0", c0);
  cell.finish(&out);
  return out;
}

std::string describe(const TensorSaturation& t) {
  const FixedFormat f = t.format;
  const double lo = to_double(-(std::int64_t{1} << (f.width - 1)), f);
  const double hi = to_double((std::int64_t{1} << (f.width - 1)) - 1, f);
  const double edge = t.first_value < 0 ? lo : hi;
  std::string s = fmt::format("{}: {} saturated to {} ({} format {}: [{}, {}]); {} of {} {}",
                              t.first_pointer, short_number(t.first_value), short_number(edge),
                              t.format_name, q_name(f), short_number(lo), short_number(hi),
                              t.count, t.total, t.noun);
  if (t.count > 1 && t.largest_pointer == t.first_pointer) s += ", the first is the largest";
  else if (t.count > 1)
    s += fmt::format(", the largest {} at {}", short_number(t.largest_value), t.largest_pointer);
  return s;
}

}  // namespace lstm
