// Hardware config: JSON reader, validator, canonical form and hash.
//
// The work is split in two so that every rule lives in exactly one place:
//   - the reader (parse_config) checks shape only: objects where objects are
//     expected, no unknown keys, integers that are integers, known enum names;
//   - the validator (validate_config) checks every value rule on the struct,
//     so the generator can also validate configs it builds in code.
// Both collect every problem instead of stopping at the first one.
#include "spec/config.hpp"

#include "spec/host_map.hpp"
#include "spec/json_text.hpp"
#include "spec/lstm_shape.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

namespace lstm {
namespace {

using nlohmann::json;
using Errors = std::vector<ConfigError>;

// The accumulator bound needs more than 64 bits before it is compared.
__extension__ using Int128 = __int128;

// ---------------------------------------------------------------------------
// Names shared by the reader and the canonical writer, so they cannot drift.

constexpr std::array<std::pair<std::string_view, ActivationKind>, 2> kKindNames{{
    {"lut", ActivationKind::Lut}, {"pwl", ActivationKind::Pwl}}};
constexpr std::array<std::pair<std::string_view, Rounding>, 2> kRoundingNames{{
    {"nearest", Rounding::Nearest}, {"floor", Rounding::Floor}}};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<std::string_view, E>, N>& names, E v) {
  for (const auto& [name, value] : names)
    if (value == v) return name;
  return "?";
}

constexpr std::array<std::pair<std::string_view, bool CellSet::*>, 2> kCellNames{{
    {"lstm", &CellSet::lstm}, {"gru", &CellSet::gru}}};

// The largest limits.max_steps: what an int holds (NUM_STEPS is 32 bits).
constexpr int kMaxSteps = std::numeric_limits<int>::max();

// The keys of "features", in file order.
constexpr std::array<std::pair<std::string_view, bool Features::*>, 5> kFeatureNames{{
    {"row_loader", &Features::row_loader},
    {"counters", &Features::counters},
    {"weight_readback", &Features::weight_readback},
    {"batch", &Features::batch},
    {"lut_multipliers", &Features::lut_multipliers}}};

// The formats in file order, with the widest width each may have.
struct FormatSlot {
  std::string_view key;
  FixedFormat HwConfig::*member;
  int max_width;
};
constexpr std::array<FormatSlot, 6> kFormats{{
    {"data", &HwConfig::data, 32},   {"weight", &HwConfig::weight, 32},
    {"bias", &HwConfig::bias, 32},   {"accum", &HwConfig::accum, 62},
    {"gate", &HwConfig::gate, 32},   {"cell", &HwConfig::cell, 40}}};

// ---------------------------------------------------------------------------
// Reader: shape and types.

std::string join(std::initializer_list<std::string_view> keys) {
  std::string out;
  for (auto k : keys) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

class Reader {
 public:
  explicit Reader(Errors& errors) : errors_(errors) {}

  void error(std::string path, std::string message) {
    errors_.push_back({std::move(path), std::move(message)});
  }

  // True if `j` is an object; reports every key not in `allowed`.
  bool object(const json& j, const std::string& path,
              std::initializer_list<std::string_view> allowed) {
    if (!j.is_object()) {
      error(path, "expected an object, got " + describe_json_value(j));
      return false;
    }
    for (const auto& [key, value] : j.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        error(path + "/" + json_pointer_token(key),
              fmt::format("unknown key \"{}\" (allowed: {})", key, join(allowed)));
    }
    return true;
  }

  // Reads obj[key] into `out` if present. Only the type is checked here; the
  // range is a value rule and belongs to validate_config. A value too large
  // for the struct cannot reach the validator, so it is reported here.
  void integer(const json& obj, std::string_view key, const std::string& path, int& out) {
    const json* v = find(obj, key);
    if (!v) return;
    if (!v->is_number_integer()) {
      error(path, "expected an integer, got " + describe_json_value(*v));
      return;
    }
    constexpr auto kMin = std::numeric_limits<int>::min();
    constexpr auto kMax = std::numeric_limits<int>::max();
    bool fits = v->is_number_unsigned()
                    ? v->get<std::uint64_t>() <= std::uint64_t{kMax}
                    : v->get<std::int64_t>() >= kMin && v->get<std::int64_t>() <= kMax;
    if (!fits) {
      error(path, "integer out of range, got " + v->dump());
      return;
    }
    out = v->get<int>();
  }

  void boolean(const json& obj, std::string_view key, const std::string& path, bool& out) {
    const json* v = find(obj, key);
    if (!v) return;
    if (!v->is_boolean()) {
      error(path, "expected true or false, got " + describe_json_value(*v));
      return;
    }
    out = v->get<bool>();
  }

  void string(const json& obj, std::string_view key, const std::string& path, std::string& out) {
    const json* v = find(obj, key);
    if (!v) return;
    if (!v->is_string()) {
      error(path, "expected a string, got " + describe_json_value(*v));
      return;
    }
    out = v->get<std::string>();
  }

  // A string that must be one of `names`.
  template <class E, std::size_t N>
  void choice(const json& obj, std::string_view key, const std::string& path,
              const std::array<std::pair<std::string_view, E>, N>& names, E& out) {
    const json* v = find(obj, key);
    if (!v) return;
    if (!v->is_string()) {
      error(path, "expected a string, got " + describe_json_value(*v));
      return;
    }
    const auto& text = v->get_ref<const std::string&>();
    for (const auto& [name, value] : names) {
      if (name == text) {
        out = value;
        return;
      }
    }
    std::string allowed;
    for (const auto& [name, value] : names)
      allowed += fmt::format("{}\"{}\"", allowed.empty() ? "" : " or ", name);
    error(path, fmt::format("must be {}, got \"{}\"", allowed, text));
  }

  // obj[key] if it is present and obj is an object (callers check the latter).
  static const json* find(const json& obj, std::string_view key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  }

 private:
  Errors& errors_;
};

void read_format(Reader& r, const json& j, const std::string& path, FixedFormat& f) {
  if (!r.object(j, path, {"width", "frac"})) return;
  r.integer(j, "width", path + "/width", f.width);
  r.integer(j, "frac", path + "/frac", f.frac);
}

void read_formats(Reader& r, const json& j, HwConfig& c) {
  if (!r.object(j, "/formats", {"data", "weight", "bias", "accum", "gate", "cell"})) return;
  for (const auto& slot : kFormats) {
    if (const json* f = Reader::find(j, slot.key))
      read_format(r, *f, fmt::format("/formats/{}", slot.key), c.*slot.member);
  }
}

// "cells": a non-empty array of distinct names from kCellNames.
void read_cells(Reader& r, const json& j, CellSet& out) {
  if (!j.is_array()) {
    r.error("/cells", "expected an array of \"lstm\" and \"gru\", got " + describe_json_value(j));
    return;
  }
  CellSet s{false, false};
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string path = fmt::format("/cells/{}", i);
    const auto at = std::find_if(kCellNames.begin(), kCellNames.end(), [&](const auto& n) {
      return j[i].is_string() && n.first == j[i].get_ref<const std::string&>();
    });
    if (at == kCellNames.end()) {
      r.error(path, "must be \"lstm\" or \"gru\", got " + j[i].dump());
      continue;
    }
    if (s.*(at->second))
      r.error(path, fmt::format("\"{}\" is listed twice", at->first));
    s.*(at->second) = true;
  }
  if (!s.lstm && !s.gru) {
    if (j.empty()) r.error("/cells", "must name at least one cell: \"lstm\", \"gru\" or both");
    return;
  }
  out = s;
}

void read_activation(Reader& r, const json& j, ActivationConfig& a) {
  if (!r.object(j, "/activation", {"kind", "index_bits", "range"})) return;
  r.choice(j, "kind", "/activation/kind", kKindNames, a.kind);
  r.integer(j, "index_bits", "/activation/index_bits", a.index_bits);
  r.integer(j, "range", "/activation/range", a.range);
}

void read_limits(Reader& r, const json& j, Limits& l) {
  if (!r.object(j, "/limits", {"max_input", "max_hidden", "max_layers", "weight_depth", "max_steps"}))
    return;
  r.integer(j, "max_input", "/limits/max_input", l.max_input);
  r.integer(j, "max_hidden", "/limits/max_hidden", l.max_hidden);
  r.integer(j, "max_layers", "/limits/max_layers", l.max_layers);
  r.integer(j, "weight_depth", "/limits/weight_depth", l.weight_depth);
  // max_steps: absent means no limit (0 in the struct); written, at least 1.
  // (A written 0 or less is refused here: in the struct 0 means absent.)
  if (Reader::find(j, "max_steps")) {
    int v = 1;
    r.integer(j, "max_steps", "/limits/max_steps", v);
    if (v < 1)
      r.error("/limits/max_steps", fmt::format("must be between 1 and {}, got {}", kMaxSteps, v));
    else
      l.max_steps = v;
  }
}

void read_features(Reader& r, const json& j, Features& f) {
  if (!r.object(j, "/features",
                {"row_loader", "counters", "weight_readback", "batch", "lut_multipliers"}))
    return;
  for (const auto& [name, member] : kFeatureNames)
    r.boolean(j, name, fmt::format("/features/{}", name), f.*member);
}

// ---------------------------------------------------------------------------
// Validator: value rules on the struct.

bool between(std::int64_t v, std::int64_t lo, std::int64_t hi) { return lo <= v && v <= hi; }

// Reports "must be between lo and hi, got v"; returns whether v was in range so
// that rules built on this value can be skipped when it is not (they would
// only repeat the problem, or compute with nonsense).
bool check_range(Errors& e, const char* path, std::int64_t v, std::int64_t lo, std::int64_t hi) {
  if (between(v, lo, hi)) return true;
  e.push_back({path, fmt::format("must be between {} and {}, got {}", lo, hi, v)});
  return false;
}

bool is_name_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         ch == '_' || ch == '-';
}

// The name ends up in module banners and file names.
void check_name(Errors& e, const std::string& name) {
  if (name.empty()) {
    e.push_back({"/name", "must not be empty"});
    return;
  }
  if (name.size() > 64)
    e.push_back({"/name", fmt::format("must be at most 64 characters, got {}", name.size())});
  if (!std::all_of(name.begin(), name.end(), is_name_char))
    e.push_back({"/name", fmt::format("may only contain letters, digits, '_' and '-', got \"{}\"",
                                      name)});
}

// Per-format rules; returns whether the format is usable by the cross-format rules.
bool check_format(Errors& e, const HwConfig& c, const FormatSlot& slot) {
  const FixedFormat& f = c.*slot.member;
  std::string path = fmt::format("/formats/{}", slot.key);
  bool ok = check_range(e, (path + "/width").c_str(), f.width, 2, slot.max_width);
  if (f.frac < 0 || f.frac >= f.width) {
    // 64-bit: width may be INT_MIN here, and width - 1 must not overflow.
    e.push_back({path + "/frac", fmt::format("must be between 0 and width - 1 = {}, got {}",
                                             std::int64_t{f.width} - 1, f.frac)});
    ok = false;
  }
  return ok;
}

// Smallest signed width that holds `v` (v >= 0): 2^(w-1) - 1 >= v.
int signed_width_for(Int128 v) {
  int w = 1;
  while ((Int128{1} << (w - 1)) - 1 < v) ++w;
  return w;
}

// The accumulator must hold the largest possible sum exactly, so the order of
// summation (which differs between modes and core counts) cannot change bits.
// A core's first layer may take up to max(max_input, max_hidden) inputs: in mt
// a later stage's input is the previous stage's h.
void check_accum_capacity(Errors& e, const HwConfig& c) {
  const int widest_input = std::max(c.limits.max_input, c.limits.max_hidden);
  Int128 terms = widest_input + c.limits.max_hidden;
  Int128 products = terms << (c.data.width - 1 + c.weight.width - 1);
  Int128 bias = Int128{1} << (c.bias.width - 1 + c.accum.frac - c.bias.frac);
  int needed = signed_width_for(products + bias);
  if (needed > c.accum.width)
    e.push_back({"/formats/accum/width",
                 fmt::format("too narrow for the largest sum of (max(max_input, max_hidden) + "
                             "max_hidden) = {} products plus the bias: needs {} bits, got {}",
                             widest_input + c.limits.max_hidden, needed, c.accum.width)});
}

void check_format_relations(Errors& e, const HwConfig& c, bool limits_ok) {
  int want_accum_frac = c.data.frac + c.weight.frac;
  if (c.accum.frac != want_accum_frac)
    e.push_back({"/formats/accum/frac",
                 fmt::format("must equal data.frac + weight.frac = {}, got {}", want_accum_frac,
                             c.accum.frac)});
  bool bias_ok = c.bias.frac <= c.accum.frac;
  if (!bias_ok)
    e.push_back({"/formats/bias/frac", fmt::format("must be at most accum.frac = {}, got {}",
                                                   c.accum.frac, c.bias.frac)});
  // Sigmoid reaches 1.0; a Q1.x gate would saturate it to 1 - 2^-frac.
  if (c.gate.frac > c.gate.width - 2)
    e.push_back({"/formats/gate/frac",
                 fmt::format("must be at most gate.width - 2 = {} so that 1.0 is representable, "
                             "got {}", c.gate.width - 2, c.gate.frac)});
  if (bias_ok && limits_ok) check_accum_capacity(e, c);
}

bool check_activation(Errors& e, const HwConfig& c) {
  const ActivationConfig& a = c.activation;
  bool ok = check_range(e, "/activation/index_bits", a.index_bits, 2, 12);
  if (!between(a.range, 1, 64) || (a.range & (a.range - 1)) != 0) {
    e.push_back({"/activation/range",
                 fmt::format("must be a power of two between 1 and 64, got {}", a.range)});
    ok = false;
  }
  return ok;
}

// The activation index is z >> shift; a negative shift would need more
// segments than the input's fraction bits can address.
void check_activation_shift(Errors& e, const HwConfig& c, const char* input, int frac) {
  int s = activation_shift(c, frac);
  if (s < 0)
    e.push_back({"/activation/index_bits",
                 fmt::format("index_bits = {} is too large for {}.frac = {} with range {}: "
                             "the index shift would be {} (must be >= 0)",
                             c.activation.index_bits, input, frac, c.activation.range, s)});
}

// The golden model computes the cell update and the PWL interpolation in
// int64; these bounds (docs/numerics.md) keep every intermediate inside 62 bits.
void check_int64_intermediates(Errors& e, const HwConfig& c, bool activation_ok) {
  const FixedFormat& g = c.gate;
  const FixedFormat& cell = c.cell;
  int fs = g.frac + std::max(cell.frac, g.frac);
  int fc_bits = g.width + cell.width + (fs - g.frac - cell.frac) + 1;
  if (fc_bits > 62)
    e.push_back({"/formats/cell/width",
                 fmt::format("f * c_prev needs {} bits in the cell update (gate.width + cell.width "
                             "+ alignment + 1), more than the 62 the golden model allows", fc_bits)});
  int ig_bits = 2 * g.width + (fs - 2 * g.frac) + 1;
  if (ig_bits > 62)
    e.push_back({"/formats/gate/width",
                 fmt::format("i * g needs {} bits in the cell update (2 * gate.width + alignment "
                             "+ 1), more than the 62 the golden model allows", ig_bits)});
  if (!activation_ok) return;
  int pwl_bits = g.width + activation_shift(c, c.accum.frac) + 2;
  if (pwl_bits > 62)
    e.push_back({"/activation/index_bits",
                 fmt::format("the activation interpolation needs {} bits (gate.width + index "
                             "shift for accum.frac + 2), more than the 62 the golden model "
                             "allows; raise index_bits or lower range", pwl_bits)});
}

// A GRU core keeps h_prev in the c buffer (docs/architecture.md), and the
// golden model computes narrow_gru_hidden's sum in int64.
void check_gru(Errors& e, const HwConfig& c) {
  if (!c.cells.gru) return;
  if (c.cell.width < c.data.width)
    e.push_back({"/formats/cell/width",
                 fmt::format("must be at least data.width = {} when /cells lists \"gru\" (a GRU "
                             "core keeps h in the c buffer; or leave \"gru\" out of /cells), got {}",
                             c.data.width, c.cell.width)});
  const FixedFormat& g = c.gate;
  const int fs = g.frac + std::max(c.data.frac, g.frac);
  const int bits = std::max(2 * g.width + 1 + (fs - 2 * g.frac),
                            g.width + c.data.width + (fs - g.frac - c.data.frac)) + 1;
  if (bits > 62)
    e.push_back({"/formats/gate/width",
                 fmt::format("the GRU update (1 - z) * n + z * h needs {} bits, more than the 62 "
                             "the golden model allows (or leave \"gru\" out of /cells)",
                             bits)});
}

bool check_limits(Errors& e, const Limits& l) {
  bool ok = check_range(e, "/limits/max_input", l.max_input, 1, 4096);
  ok &= check_range(e, "/limits/max_hidden", l.max_hidden, 1, 4096);
  check_range(e, "/limits/max_layers", l.max_layers, 1, 16);
  ok &= check_range(e, "/limits/weight_depth", l.weight_depth, 1, 1 << 20);
  // 0: no limit (the key absent; the reader refuses a written 0).
  ok &= check_range(e, "/limits/max_steps", l.max_steps, 0, kMaxSteps);
  return ok;
}

// Memory sizing: one layer of the largest size must fit in a lane's weight
// memory, and all weight memories together must fit the host address space.
void check_weight_memory(Errors& e, const HwConfig& c) {
  const Limits& l = c.limits;
  std::int64_t rows = groups_of(l.max_hidden, c.lanes);
  std::int64_t needed = rows * (l.max_input + l.max_hidden);
  if (l.weight_depth < needed)
    e.push_back({"/limits/weight_depth",
                 fmt::format("must be at least ceil(max_hidden / lanes) * (max_input + "
                             "max_hidden) = {} so that one largest layer fits, got {}",
                             needed, l.weight_depth)});
  // The index of a weight is word << slot_bits | slot (docs/host-interface.md).
  const int slot_bits = hostmap::slot_bits(c);
  const std::int64_t words = std::int64_t{l.weight_depth} << slot_bits;
  if (words > static_cast<std::int64_t>(hostmap::kRegionWords))
    e.push_back({"/limits/weight_depth",
                 fmt::format("weight_depth * 2^ceil(log2({} * lanes)) = {} words exceeds the "
                             "host address space of 2^{} = {} words per region",
                             kGates, words, hostmap::kRegionShift, hostmap::kRegionWords)});
}

// ---------------------------------------------------------------------------
// Canonical form.

nlohmann::ordered_json format_json(const FixedFormat& f) {
  return nlohmann::ordered_json{{"width", f.width}, {"frac", f.frac}};
}

}  // namespace

int max_format_width(std::string_view key) {
  for (const auto& slot : kFormats)
    if (slot.key == key) return slot.max_width;
  return 0;
}

ConfigResult parse_config(const nlohmann::json& j) {
  ConfigResult result;
  HwConfig& c = result.config;
  Reader r(result.errors);
  if (r.object(j, "", {"name", "cores", "lanes", "cells", "formats", "activation", "rounding",
                       "limits", "features"})) {
    r.string(j, "name", "/name", c.name);
    if (const json* cl = Reader::find(j, "cells")) read_cells(r, *cl, c.cells);
    r.integer(j, "cores", "/cores", c.cores);
    r.integer(j, "lanes", "/lanes", c.lanes);
    if (const json* f = Reader::find(j, "formats")) read_formats(r, *f, c);
    if (const json* a = Reader::find(j, "activation")) read_activation(r, *a, c.activation);
    r.choice(j, "rounding", "/rounding", kRoundingNames, c.rounding);
    if (const json* l = Reader::find(j, "limits")) read_limits(r, *l, c.limits);
    if (const json* f = Reader::find(j, "features")) read_features(r, *f, c.features);
  }
  // Value rules run even after shape errors so that one run reports everything.
  Errors value_errors = validate_config(c);
  result.errors.insert(result.errors.end(), value_errors.begin(), value_errors.end());
  return result;
}

ConfigResult load_config_file(const std::string& path) {
  ConfigResult result;
  const TextFile file = read_text_file(path);
  if (file.status == TextFile::Status::Directory) {
    result.errors.push_back({"", fmt::format("'{}' is a directory, expected a JSON file", path)});
    return result;
  }
  if (file.status == TextFile::Status::Unreadable) {
    result.errors.push_back(
        {"", fmt::format("cannot read config file '{}': {}", path, file.reason)});
    return result;
  }
  const ParsedJson parsed = parse_json_strict(file.text);
  if (!parsed.ok()) {
    result.errors.push_back({"", fmt::format("'{}' is {} (byte {})", path, parsed.error,
                                             parsed.error_byte)});
    return result;
  }
  result = parse_config(parsed.value);
  // Duplicate keys first, then what parse_config finds in the document (which
  // holds the last copy of each).
  std::vector<ConfigError> duplicates;
  for (const JsonDuplicate& d : parsed.duplicates) duplicates.push_back({d.pointer, d.message});
  if (parsed.unlisted_duplicates > 0)
    duplicates.push_back({"", fmt::format("duplicate keys: {} more not listed",
                                          parsed.unlisted_duplicates)});
  result.errors.insert(result.errors.begin(), duplicates.begin(), duplicates.end());
  return result;
}

std::vector<ConfigError> validate_config(const HwConfig& c) {
  Errors e;
  check_name(e, c.name);
  check_range(e, "/cores", c.cores, 1, static_cast<int>(hostmap::kMaxCores));
  bool lanes_ok = check_range(e, "/lanes", c.lanes, 1, 256);

  bool formats_ok = true;
  for (const auto& slot : kFormats) formats_ok &= check_format(e, c, slot);
  bool activation_ok = check_activation(e, c);
  bool limits_ok = check_limits(e, c.limits);

  // Cross-field rules only run on fields that passed their own checks.
  if (formats_ok) check_format_relations(e, c, limits_ok);
  if (formats_ok && activation_ok) {
    check_activation_shift(e, c, "accum", c.accum.frac);
    check_activation_shift(e, c, "cell", c.cell.frac);
  }
  if (formats_ok) check_int64_intermediates(e, c, activation_ok);
  if (formats_ok) check_gru(e, c);
  if (lanes_ok && limits_ok) check_weight_memory(e, c);
  // Batching folds a core's lanes into two halves (docs/architecture.md, "Batching").
  if (lanes_ok && c.features.batch && c.lanes % 2 != 0)
    e.push_back({"/features/batch",
                 fmt::format("needs an even number of lanes (it folds them in two halves), got "
                             "lanes {}", c.lanes)});
  return e;
}

std::string canonical_config_json(const HwConfig& c) {
  nlohmann::ordered_json formats;
  for (const auto& slot : kFormats) formats[std::string(slot.key)] = format_json(c.*slot.member);
  nlohmann::ordered_json j{
      {"name", c.name},
      {"cores", c.cores},
      {"lanes", c.lanes},
  };
  // Written only when not the default (both), so that the configs written
  // before the key existed keep their hashes.
  if (c.cells != CellSet{}) {
    nlohmann::ordered_json cells = nlohmann::ordered_json::array();
    for (const auto& [name, member] : kCellNames)
      if (c.cells.*member) cells.push_back(std::string(name));
    j["cells"] = cells;
  }
  const nlohmann::ordered_json rest{
      {"formats", formats},
      {"activation",
       {{"kind", std::string(name_of(kKindNames, c.activation.kind))},
        {"index_bits", c.activation.index_bits},
        {"range", c.activation.range}}},
      {"rounding", std::string(name_of(kRoundingNames, c.rounding))},
      {"limits",
       {{"max_input", c.limits.max_input},
        {"max_hidden", c.limits.max_hidden},
        {"max_layers", c.limits.max_layers},
        {"weight_depth", c.limits.weight_depth}}},
  };
  for (const auto& [key, value] : rest.items()) j[key] = value;
  // max_steps only when set, so that the configs of before the key keep their
  // canonical text and hash.
  if (c.limits.max_steps != 0) j["limits"]["max_steps"] = c.limits.max_steps;
  // Written only when not the default (every part present), as "cells".
  if (c.features != Features{}) {
    nlohmann::ordered_json features;
    for (const auto& [name, member] : kFeatureNames) {
      // batch and lut_multipliers (added later, default off) are written only
      // when on, so the canonical text and hash of every config without them
      // stay as they were.
      const bool later = member == &Features::batch || member == &Features::lut_multipliers;
      if (later && !(c.features.*member)) continue;
      features[std::string(name)] = c.features.*member;
    }
    j["features"] = features;
  }
  return j.dump(2) + "\n";
}

std::string text_hash(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", h);
}

std::string config_hash(const HwConfig& c) { return text_hash(canonical_config_json(c)); }

}  // namespace lstm
