// Model, input and output files (docs/models.md). Every reader error names the
// file, the JSON pointer of the offending value, what was expected and what
// was found.
#include "sim/model_io.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string_view>

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "spec/json_text.hpp"

namespace lstm {

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& source, const std::string& path,
                       const std::string& what) {
  throw FileError(fmt::format("{}: {}: {}", source, path.empty() ? "/" : path, what));
}

// A short description of a value that was not what we wanted.
std::string describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::string: return fmt::format("the string {}", v.dump());
    case json::value_t::object: return "an object";
    case json::value_t::array:
      return v.empty() ? "an empty array" : fmt::format("an array of {}", v.size());
    case json::value_t::number_float: {
      // dump() keeps a float looking like one ("1.0", not "1"), but writes
      // the non-finite values a json built in memory can hold as null.
      const double d = v.get<double>();
      return std::isfinite(d) ? v.dump() : fmt::format("{}", d);
    }
    default: return v.dump();  // integers
  }
}

double read_number(const json& v, const std::string& source, const std::string& path) {
  if (!v.is_number()) fail(source, path, fmt::format("expected a number, found {}", describe(v)));
  // The file parser refuses literals such as 1e999; a json built in memory can
  // still hold infinity or NaN.
  const double d = v.get<double>();
  if (!std::isfinite(d)) fail(source, path, fmt::format("expected a finite number, found {}", d));
  return d;
}

// An expected length and where it comes from, as the messages say it:
// "4 x /hidden_size (65) = 260" or "/input_size (16)".
struct Dim {
  std::size_t n = 0;
  std::string text;
};

// `key` (16), as a file's field of that value, e.g. "/input_size (16)".
Dim field(std::string_view key, int value) {
  return {static_cast<std::size_t>(value), fmt::format("{} ({})", key, value)};
}

// factor x field = product, e.g. "4 x /hidden_size (65) = 260".
Dim times(int factor, const Dim& d) {
  if (factor == 1) return d;
  return {static_cast<std::size_t>(factor) * d.n,
          fmt::format("{} x {} = {}", factor, d.text, static_cast<std::size_t>(factor) * d.n)};
}

// `hint` follows a wrong count ("found 15 rows{hint}").
std::vector<double> read_vector(const json& v, const Dim& n, const std::string& source,
                                const std::string& path, const std::string& hint = "") {
  if (!v.is_array() || v.size() != n.n)
    fail(source, path,
         fmt::format("expected {} numbers, found {}{}", n.text, describe(v), v.is_array() ? hint : ""));
  std::vector<double> out;
  out.reserve(n.n);
  for (std::size_t k = 0; k < n.n; ++k)
    out.push_back(read_number(v[k], source, fmt::format("{}/{}", path, k)));
  return out;
}

// A [rows][cols] nested array, flattened row-major.
std::vector<double> read_matrix(const json& v, const Dim& rows, const Dim& cols,
                                const std::string& source, const std::string& path,
                                const std::string& hint = "") {
  const std::string expected = fmt::format("expected {} rows of {} numbers", rows.text, cols.text);
  if (!v.is_array())
    fail(source, path, fmt::format("{}, found {}", expected, describe(v)));
  if (v.size() != rows.n)
    fail(source, path, fmt::format("{}, found {} rows{}", expected, v.size(), hint));
  std::vector<double> out;
  out.reserve(rows.n * cols.n);
  for (std::size_t r = 0; r < rows.n; ++r) {
    const json& row = v[r];
    if (!row.is_array())
      fail(source, path, fmt::format("{}, row {} is {}", expected, r, describe(row)));
    if (row.size() != cols.n)
      fail(source, path, fmt::format("{}, row {} has {}", expected, r, row.size()));
    for (std::size_t c = 0; c < cols.n; ++c)
      out.push_back(read_number(row[c], source, fmt::format("{}/{}/{}", path, r, c)));
  }
  return out;
}

int read_size(const json& obj, const char* key, const std::string& source) {
  const std::string path = fmt::format("/{}", key);
  if (!obj.contains(key)) fail(source, path, "missing; expected a positive integer");
  const json& v = obj.at(key);
  if (!v.is_number_integer())
    fail(source, path, fmt::format("expected a positive integer, found {}", describe(v)));
  // Bounded so that the sizes below cannot overflow; real models are far smaller.
  // An unsigned value beyond int64 would wrap to a negative one as int64.
  constexpr std::int64_t kMax = 1'000'000;
  const bool too_large = v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t{kMax};
  if (too_large || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > kMax)
    fail(source, path,
         fmt::format("expected an integer between 1 and {}, found {}", kMax, v.dump()));
  return v.get<int>();
}

// "cell": "lstm" (the default when absent) or "gru".
CellType read_cell(const json& obj, const std::string& source) {
  if (!obj.contains("cell")) return CellType::Lstm;
  const json& v = obj.at("cell");
  for (CellType c : {CellType::Lstm, CellType::Gru})
    if (v.is_string() && v.get<std::string>() == cell_name(c)) return c;
  fail(source, "/cell", fmt::format("expected \"lstm\" or \"gru\", found {}", describe(v)));
}

// "bidirectional": false (the default when absent) or true.
bool read_bidirectional(const json& obj, const std::string& source) {
  if (!obj.contains("bidirectional")) return false;
  const json& v = obj.at("bidirectional");
  if (!v.is_boolean())
    fail(source, "/bidirectional", fmt::format("expected true or false, found {}", describe(v)));
  return v.get<bool>();
}

constexpr std::string_view kReverse = "_reverse";

// What a key of the model file is.
enum class KeyKind { Size, Layer, ReverseNotBidirectional, Unknown };

// input_size, hidden_size, num_layers, cell, bidirectional, or weight_ih_l<k>,
// weight_hh_l<k>, bias_ih_l<k> or bias_hh_l<k> (with _reverse when the model
// is bidirectional) for a layer k < num_layers, written as model_to_json
// writes it. Checked per key, so that a huge num_layers costs nothing before
// the first missing key.
KeyKind key_kind(std::string_view key, int num_layers, bool bidirectional) {
  for (std::string_view k : {"input_size", "hidden_size", "num_layers", "cell", "bidirectional"})
    if (key == k) return KeyKind::Size;
  const bool reverse = key.ends_with(kReverse);
  if (reverse) key.remove_suffix(kReverse.size());
  for (std::string_view prefix : {"weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l"}) {
    if (!key.starts_with(prefix)) continue;
    const std::string_view digits = key.substr(prefix.size());
    int k = -1;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), k);
    // "01" or "+1" would name no key model_to_json writes.
    const bool layer = ec == std::errc{} && end == digits.data() + digits.size() && k >= 0 &&
                       k < num_layers && std::to_string(k) == digits;
    if (!layer) return KeyKind::Unknown;
    if (reverse && !bidirectional) return KeyKind::ReverseNotBidirectional;
    return KeyKind::Layer;
  }
  return KeyKind::Unknown;
}

// Says why a state_dict key we do not accept might be there.
std::string unknown_key_message(const std::string& key, KeyKind kind) {
  if (kind == KeyKind::ReverseNotBidirectional)
    return "unknown key: a reverse-direction weight, but /bidirectional is not true (a "
           "bidirectional model says \"bidirectional\": true)";
  if (key.rfind("weight_hr_l", 0) == 0)
    return "unknown key; LSTMs with projections (proj_size > 0) are not supported";
  return "unknown key; expected input_size, hidden_size, num_layers, optionally cell and "
         "bidirectional, and weight_ih_l<k>, weight_hh_l<k>, bias_ih_l<k>, bias_hh_l<k> for "
         "each layer k (also with _reverse when bidirectional)";
}

// When layer 0's weights and biases all have the rows of the other cell type
// (a GRU's 3 x hidden_size in a model read as an LSTM, or the reverse), what
// a wrong row count adds to say so; else "".
std::string other_cell_hint(const json& j, int hidden, CellType cell) {
  const CellType other = cell == CellType::Lstm ? CellType::Gru : CellType::Lstm;
  const auto rows = static_cast<std::size_t>(gate_rows(other) * hidden);
  for (const char* key : {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"})
    if (!j.contains(key) || !j.at(key).is_array() || j.at(key).size() != rows) return "";
  return other == CellType::Gru
             ? " (3 x /hidden_size, as a GRU's: set \"cell\": \"gru\")"
             : " (4 x /hidden_size, as an LSTM's: set \"cell\": \"lstm\")";
}

// One direction of layer k, keys suffixed by `suffix` ("" or "_reverse").
FloatLayer read_layer(const json& j, const FloatModel& m, int k, const std::string& suffix,
                      const std::string& source) {
  const std::string other_cell = other_cell_hint(j, m.hidden_size, m.cell);
  FloatLayer l;
  const Dim hidden = field("/hidden_size", m.hidden_size);
  const Dim rows = times(gate_rows(m.cell), hidden);
  // Layer k > 0 reads layer k - 1's h of every direction.
  const Dim in = k == 0 ? field("/input_size", m.input_size) : times(m.directions(), hidden);
  l.input_size = static_cast<int>(in.n);
  l.hidden_size = m.hidden_size;
  const auto name = [&](const char* base) { return fmt::format("{}_l{}{}", base, k, suffix); };
  const auto get = [&](const std::string& key, const std::string& what) -> const json& {
    if (!j.contains(key)) fail(source, "/" + key, fmt::format("missing; expected {}", what));
    return j.at(key);
  };
  const auto hint = [&](const json&) { return other_cell; };
  const std::string w_ih = name("weight_ih"), w_hh = name("weight_hh");
  const std::string b_ih = name("bias_ih"), b_hh = name("bias_hh");
  const json& wi = get(w_ih, fmt::format("the input weights, {} rows of {} numbers", rows.text, in.text));
  l.w_ih = read_matrix(wi, rows, in, source, "/" + w_ih, hint(wi));
  const json& wh =
      get(w_hh, fmt::format("the recurrent weights, {} rows of {} numbers", rows.text, hidden.text));
  l.w_hh = read_matrix(wh, rows, hidden, source, "/" + w_hh, hint(wh));
  const std::string bias_what = fmt::format(
      "a bias of {} numbers (models without biases, PyTorch bias=False, are not supported yet)",
      rows.text);
  const json& bi = get(b_ih, bias_what);
  l.b_ih = read_vector(bi, rows, source, "/" + b_ih, hint(bi));
  const json& bh = get(b_hh, bias_what);
  l.b_hh = read_vector(bh, rows, source, "/" + b_hh, hint(bh));
  // The hardware holds one bias per summed row, b_ih + b_hh (sim/lstm_model.cpp;
  // a GRU's n rows are not summed): two finite biases can still add up to
  // infinity. A finite sum beyond the bias format saturates like any other
  // weight (docs/numerics.md).
  const std::size_t summed = m.cell == CellType::Gru ? 2 * hidden.n : rows.n;
  for (std::size_t r = 0; r < summed; ++r) {
    const double sum = l.b_ih[r] + l.b_hh[r];
    if (!std::isfinite(sum))
      fail(source, fmt::format("/{}/{}", b_ih, r),
           fmt::format("expected a finite sum with /{}/{} (the two biases are added), "
                       "found {} + {} = {}", b_hh, r, l.b_ih[r], l.b_hh[r], sum));
  }
  return l;
}

json parse_file(const std::string& path) {
  const TextFile file = read_text_file(path);
  if (file.status == TextFile::Status::Directory)
    throw FileError(fmt::format("{}: is a directory, expected a JSON file", path));
  if (file.status == TextFile::Status::Unreadable)
    throw FileError(fmt::format("{}: cannot open: {}", path, file.reason));
  return parse_json_text(file.text, path);
}

json matrix_to_json(const std::vector<double>& v, int rows, int cols) {
  json m = json::array();
  for (int r = 0; r < rows; ++r) {
    const auto begin = v.begin() + static_cast<std::ptrdiff_t>(r) * cols;
    m.push_back(std::vector<double>(begin, begin + cols));
  }
  return m;
}

}  // namespace

json parse_json_text(const std::string& text, const std::string& source) {
  ParsedJson parsed = parse_json_strict(text);
  if (!parsed.ok()) throw FileError(fmt::format("{}: {}", source, parsed.error));
  if (!parsed.duplicates.empty())
    fail(source, parsed.duplicates.front().pointer, parsed.duplicates.front().message);
  return std::move(parsed.value);
}

FloatModel model_from_json(const json& j, const std::string& source) {
  if (!j.is_object())
    fail(source, "", fmt::format("expected an object with PyTorch state_dict keys, found {}",
                                 describe(j)));
  FloatModel m;
  m.input_size = read_size(j, "input_size", source);
  m.hidden_size = read_size(j, "hidden_size", source);
  const int num_layers = read_size(j, "num_layers", source);
  m.cell = read_cell(j, source);
  const bool bidirectional = read_bidirectional(j, source);

  for (const auto& [key, value] : j.items()) {
    const KeyKind kind = key_kind(key, num_layers, bidirectional);
    if (kind != KeyKind::Size && kind != KeyKind::Layer)
      fail(source, "/" + json_pointer_token(key), unknown_key_message(key, kind));
  }
  for (int k = 0; k < num_layers; ++k) {
    m.layers.push_back(read_layer(j, m, k, "", source));
    if (bidirectional) m.reverse.push_back(read_layer(j, m, k, std::string(kReverse), source));
  }
  return m;
}

FloatModel read_model_file(const std::string& path) { return model_from_json(parse_file(path), path); }

json model_to_json(const FloatModel& m) {
  json j;
  j["input_size"] = m.input_size;
  j["hidden_size"] = m.hidden_size;
  j["num_layers"] = m.layers.size();
  j["cell"] = cell_name(m.cell);
  j["bidirectional"] = m.bidirectional();
  const int g = gate_rows(m.cell);
  for (int d = 0; d < m.directions(); ++d) {
    const std::string suffix = d == 0 ? "" : std::string(kReverse);
    const std::vector<FloatLayer>& layers = d == 0 ? m.layers : m.reverse;
    for (std::size_t k = 0; k < layers.size(); ++k) {
      const FloatLayer& l = layers[k];
      j[fmt::format("weight_ih_l{}{}", k, suffix)] =
          matrix_to_json(l.w_ih, g * l.hidden_size, l.input_size);
      j[fmt::format("weight_hh_l{}{}", k, suffix)] =
          matrix_to_json(l.w_hh, g * l.hidden_size, l.hidden_size);
      j[fmt::format("bias_ih_l{}{}", k, suffix)] = l.b_ih;
      j[fmt::format("bias_hh_l{}{}", k, suffix)] = l.b_hh;
    }
  }
  return j;
}

namespace {

// "m.json's /input_size (3)", or "the model's ..." without a file name.
Dim model_field(const std::string& model_source, std::string_view key, int value) {
  const std::string owner = model_source.empty() ? "the model's" : model_source + "'s";
  return {static_cast<std::size_t>(value), fmt::format("{} {} ({})", owner, key, value)};
}

// h0 or c0: one [layers * directions][hidden] array per sequence.
std::vector<std::vector<Vector>> read_states(const json& v, const std::string& key,
                                             std::size_t sequences, const FloatModel& m,
                                             const std::string& source,
                                             const std::string& model_source) {
  const std::string path = "/" + key;
  if (!v.is_array() || v.size() != sequences)
    fail(source, path,
         fmt::format("expected one initial state per sequence ({} arrays, as /sequences has), "
                     "found {}", sequences, describe(v)));
  const Dim layers = model_field(model_source, "/num_layers", static_cast<int>(m.layers.size()));
  Dim rows = times(m.directions(), layers);
  if (m.bidirectional()) rows.text += " (row layer * 2 + direction, as in PyTorch)";
  const Dim cols = model_field(model_source, "/hidden_size", m.hidden_size);
  std::vector<std::vector<Vector>> out;
  for (std::size_t s = 0; s < sequences; ++s) {
    const std::vector<double> flat =
        read_matrix(v[s], rows, cols, source, fmt::format("{}/{}", path, s));
    std::vector<Vector> state;
    for (std::size_t r = 0; r < rows.n; ++r)
      state.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(r * cols.n),
                         flat.begin() + static_cast<std::ptrdiff_t>((r + 1) * cols.n));
    out.push_back(std::move(state));
  }
  return out;
}

}  // namespace

InputSet inputs_from_json(const json& j, const std::string& source, const FloatModel& m,
                          const std::string& model_source) {
  if (!j.is_object())
    fail(source, "", fmt::format("expected an object {{\"sequences\": [...]}}, found {}",
                                 describe(j)));
  const bool gru = m.cell == CellType::Gru;
  for (const auto& [key, value] : j.items()) {
    if (key == "sequences" || key == "h0" || (key == "c0" && !gru)) continue;
    if (key == "c0")
      fail(source, "/c0", fmt::format("unknown key: a GRU ({} /cell \"gru\") has no cell state; "
                                      "expected \"sequences\" and optionally \"h0\"",
                                      model_source.empty() ? "the model's" : model_source + "'s"));
    fail(source, "/" + json_pointer_token(key),
         gru ? "unknown key; expected \"sequences\" and optionally \"h0\""
             : "unknown key; expected \"sequences\" and optionally \"h0\" and \"c0\"");
  }
  if (!j.contains("sequences"))
    fail(source, "/sequences", "missing; expected an array of sequences [sequence][step][input]");
  const json& seqs = j.at("sequences");
  if (!seqs.is_array() || seqs.empty())
    fail(source, "/sequences",
         fmt::format("expected an array of at least one sequence, found {}", describe(seqs)));
  const Dim x = model_field(model_source, "/input_size", m.input_size);
  InputSet set;
  for (std::size_t s = 0; s < seqs.size(); ++s) {
    const std::string path = fmt::format("/sequences/{}", s);
    const json& seq = seqs[s];
    if (!seq.is_array() || seq.empty())
      fail(source, path, fmt::format("expected an array of at least one step, found {}",
                                     describe(seq)));
    Sequence out;
    for (std::size_t t = 0; t < seq.size(); ++t)
      out.push_back(read_vector(seq[t], x, source, fmt::format("{}/{}", path, t)));
    set.sequences.push_back(std::move(out));
  }
  const std::size_t n = set.sequences.size();
  std::vector<std::vector<Vector>> h0, c0;
  if (j.contains("h0")) h0 = read_states(j.at("h0"), "h0", n, m, source, model_source);
  if (j.contains("c0")) c0 = read_states(j.at("c0"), "c0", n, m, source, model_source);
  if (!h0.empty() || !c0.empty()) {
    // Only one of them given: the other starts at zero, for every sequence.
    const auto zeros = [&] {
      return std::vector<Vector>(m.layers.size() * static_cast<std::size_t>(m.directions()),
                                 Vector(static_cast<std::size_t>(m.hidden_size), 0.0));
    };
    for (std::size_t s = 0; s < n; ++s)
      set.initial.push_back({h0.empty() ? zeros() : std::move(h0[s]),
                             gru ? std::vector<Vector>{} : c0.empty() ? zeros() : std::move(c0[s])});
  }
  return set;
}

InputSet read_input_file(const std::string& path, const FloatModel& m,
                         const std::string& model_source) {
  return inputs_from_json(parse_file(path), path, m, model_source);
}

json inputs_to_json(const SequenceSet& s) { return json{{"sequences", s}}; }

json inputs_to_json(const InputSet& s) {
  json j = inputs_to_json(s.sequences);
  if (s.initial.empty()) return j;
  json h0 = json::array(), c0 = json::array();
  for (const FloatState& st : s.initial) {
    h0.push_back(st.h);
    c0.push_back(st.c);
  }
  j["h0"] = std::move(h0);
  if (!s.initial.front().c.empty()) j["c0"] = std::move(c0);
  return j;
}

void write_text_file_atomic(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  // The temporary lives next to the target so that rename() is atomic.
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw FileError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  // mkstemp creates the file 0600; give it the mode a plain open would.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  std::string error;
  if (::fchmod(fd, 0666 & ~mask) != 0) error = std::strerror(errno);
  std::size_t done = 0;
  while (error.empty() && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && error.empty()) error = std::strerror(errno);
  if (error.empty() && std::rename(tmp.c_str(), path.c_str()) != 0) error = std::strerror(errno);
  if (!error.empty()) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw FileError(fmt::format("{}: cannot write: {}", path, error));
  }
}

void write_json_file_atomic(const std::string& path, const json& j) {
  std::string text;
  try {
    text = j.dump(2) + "\n";
  } catch (const json::exception& e) {  // e.g. a string that is not UTF-8
    throw FileError(fmt::format("{}: cannot write: {}", path, e.what()));
  }
  write_text_file_atomic(path, text);
}

}  // namespace lstm
