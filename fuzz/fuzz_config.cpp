// libFuzzer target: hardware config text -> lstm::parse_config.
//
// Properties (any violation aborts, which libFuzzer records as a crash):
//   - parse_config and load_config_file never throw and never hit a sanitizer;
//   - load_config_file (which also rejects duplicate keys) agrees with
//     parse_config on the same text: same config, and the same errors after
//     its duplicate-key errors; text it refuses as nested too deeply is no
//     valid config for parse_config either;
//   - the canonical form round-trips for every parsed struct, valid or not:
//     parse_config(parse(canonical_config_json(c))).config == c, with exactly
//     validate_config(c) as its errors, and the same config_hash;
//   - a valid config really is usable: its activation tables build and the
//     golden model runs a small model with saturating inputs without UB.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/activation.hpp"
#include "spec/config.hpp"
#include "sim/engines.hpp"
#include "spec/lstm_shape.hpp"
#include "fuzz_common.hpp"

namespace {

using lstm::ConfigError;
using lstm::ConfigResult;
using lstm::HwConfig;
using lstm::fuzz::fuzz_fail;
using nlohmann::json;

std::string describe(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& e : errors) out += fmt::format("\n  {}: {}", e.path, e.message);
  return out.empty() ? " (none)" : out;
}

bool same_errors(const std::vector<ConfigError>& a, const std::vector<ConfigError>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k)
    if (a[k].path != b[k].path || a[k].message != b[k].message) return false;
  return true;
}

// load_config_file reads a path; an anonymous in-memory file gives it one
// without touching the disk.
ConfigResult load_from_memory(const std::string& text) {
  static const int fd = ::memfd_create("fuzz_config", 0);
  if (fd < 0) fuzz_fail("memfd_create failed");
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.data(), text.size(), 0) !=
                                     static_cast<ssize_t>(text.size()))
    fuzz_fail("cannot write the memfd");
  return lstm::load_config_file(fmt::format("/proc/self/fd/{}", fd));
}

// A 2-layer model within the config's limits (X and H up to 16, so that layer 1
// can have more inputs than max_input), built to drive the accumulator
// to its worst case: inputs of -1.0, i/f/o rows with the most negative weight
// and the largest bias (so those gates saturate to 1 and h heads for -1.0), g
// rows with the largest weight (so g and c head for -1). Every narrowing
// saturates somewhere; the golden model throws if a partial sum leaves the
// accumulator, which is what validate_config promises cannot happen.
void run_small_golden(const HwConfig& c) {
  lstm::FloatModel m;
  m.input_size = std::min(16, c.limits.max_input);
  m.hidden_size = std::min(16, c.limits.max_hidden);
  const int h = m.hidden_size;
  for (int k = 0; k < 2; ++k) {
    lstm::FloatLayer l;
    l.input_size = k == 0 ? m.input_size : h;
    l.hidden_size = h;
    for (int r = 0; r < lstm::kGates * h; ++r) {
      const bool g_row = r / h == 2;
      for (int x = 0; x < l.input_size; ++x) l.w_ih.push_back(g_row ? 1e6 : -1e6);
      for (int x = 0; x < h; ++x) l.w_hh.push_back(g_row ? 1e6 : -1e6);
      l.b_ih.push_back(g_row ? -1e6 : 1e6);
      l.b_hh.push_back(g_row ? -1e6 : 1e6);
    }
    m.layers.push_back(l);
  }
  lstm::Sequence seq;
  for (int t = 0; t < 4; ++t) seq.push_back(lstm::Vector(static_cast<std::size_t>(m.input_size), -1e9));
  const lstm::SequenceSet out = lstm::run_golden_set(c, m, {seq});
  if (out.size() != 1 || out[0].size() != 4 || out[0][0].size() != static_cast<std::size_t>(h))
    fuzz_fail("golden output has the wrong shape");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = lstm::fuzz::as_text(data, size);
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);

  ConfigResult from_file;
  try {
    from_file = load_from_memory(text);
  } catch (const std::exception& e) {
    fuzz_fail(fmt::format("load_config_file threw: {}", e.what()));
  }
  if (j.is_discarded()) {
    if (from_file.ok()) fuzz_fail("load_config_file accepted text that is not JSON");
    return 0;
  }
  const bool too_deep = from_file.errors.size() == 1 && from_file.errors[0].path.empty() &&
                        from_file.errors[0].message.find("nested too deeply") != std::string::npos;

  ConfigResult r;
  try {
    r = lstm::parse_config(j);
  } catch (const std::exception& e) {
    fuzz_fail(fmt::format("parse_config threw: {}", e.what()));
  }

  if (too_deep) {
    if (r.ok()) fuzz_fail("load_config_file refused a valid config as nested too deeply");
    return 0;
  }

  // The file reader reports duplicate keys first, then exactly what
  // parse_config reports (nlohmann keeps the last of duplicate keys, as the
  // DOM parse above does).
  if (!(from_file.config == r.config)) fuzz_fail("load_config_file and parse_config disagree");
  if (from_file.errors.size() < r.errors.size())
    fuzz_fail("load_config_file reports fewer errors than parse_config");
  const std::vector<ConfigError> tail(from_file.errors.end() - static_cast<std::ptrdiff_t>(r.errors.size()),
                                      from_file.errors.end());
  if (!same_errors(tail, r.errors))
    fuzz_fail("load_config_file errors:" + describe(from_file.errors) +
              "\nparse_config errors:" + describe(r.errors));
  for (std::size_t k = 0; k + r.errors.size() < from_file.errors.size(); ++k)
    if (from_file.errors[k].message.rfind("duplicate key", 0) != 0)
      fuzz_fail("unexpected extra error from load_config_file: " + from_file.errors[k].message);

  // Every error has a JSON pointer (or none) and a message.
  for (const ConfigError& e : r.errors) {
    if (e.message.empty()) fuzz_fail("an error without a message at " + e.path);
    if (!e.path.empty() && e.path[0] != '/') fuzz_fail("an error path is not a JSON pointer: " + e.path);
  }

  // Round trip through the canonical form, valid or not.
  std::string canonical;
  try {
    canonical = lstm::canonical_config_json(r.config);
  } catch (const std::exception& e) {
    fuzz_fail(fmt::format("canonical_config_json threw: {}", e.what()));
  }
  const json again = json::parse(canonical, nullptr, false);
  if (again.is_discarded()) fuzz_fail("canonical_config_json wrote invalid JSON:\n" + canonical);
  const ConfigResult r2 = lstm::parse_config(again);
  if (!(r2.config == r.config))
    fuzz_fail("parse(canonical(c)) != c; canonical:\n" + canonical);
  const std::vector<ConfigError> rules = lstm::validate_config(r.config);
  if (!same_errors(r2.errors, rules))
    fuzz_fail("canonical form errors:" + describe(r2.errors) + "\nvalidate_config:" +
              describe(rules));
  if (lstm::canonical_config_json(r2.config) != canonical) fuzz_fail("canonical form is not stable");
  if (lstm::config_hash(r2.config) != lstm::config_hash(r.config)) fuzz_fail("hash changed");

  if (!r.ok()) return 0;
  if (!rules.empty()) fuzz_fail("parse_config accepted a config that validate_config rejects:" +
                                describe(rules));
  try {
    (void)lstm::activation_table(r.config, lstm::ActFunction::Sigmoid);
    (void)lstm::activation_table(r.config, lstm::ActFunction::Tanh);
    run_small_golden(r.config);
  } catch (const std::exception& e) {
    fuzz_fail(fmt::format("a valid config cannot run the golden model: {}\n{}", e.what(),
                          canonical));
  }
  return 0;
}
