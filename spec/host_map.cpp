#include "spec/host_map.hpp"

#include <algorithm>
#include <stdexcept>

#include "spec/lstm_shape.hpp"

namespace lstm::hostmap {

const Entry& last_entry(std::span<const Entry> t) {
  if (t.empty()) throw std::logic_error("hostmap: empty table");
  return *std::max_element(t.begin(), t.end(),
                           [](const Entry& a, const Entry& b) { return a.value < b.value; });
}

const Entry* find_entry(std::span<const Entry> t, unsigned value) {
  for (const Entry& e : t)
    if (e.value == value) return &e;
  return nullptr;
}

std::string_view error_name(unsigned code) {
  for (const Entry& e : kErrorTable)
    if (e.value == code) return e.doc;
  return "unknown error code";
}

std::string_view mode_name(Mode m) {
  for (const Entry& e : kModeTable)
    if (e.value == static_cast<unsigned>(m)) return e.name;
  return "?";
}

std::optional<Mode> parse_mode(std::string_view name) {
  for (const Entry& e : kModeTable)
    if (e.name == name) return static_cast<Mode>(e.value);
  return std::nullopt;
}

std::vector<std::string> mode_names() {
  std::vector<std::string> out;
  for (const Entry& e : kModeTable) out.emplace_back(e.name);
  return out;
}

int slot_bits(const HwConfig& c) {
  return c.lanes * kGates > 1 ? ceil_log2(c.lanes * kGates) : 1;
}

int row_slot_width(const HwConfig& c) {
  return 8 * ((std::max(c.weight.width, c.bias.width) + 7) / 8);
}

int bias_depth(const HwConfig& c) {
  return c.limits.max_layers * groups_of(c.limits.max_hidden, c.lanes);
}

}  // namespace lstm::hostmap
