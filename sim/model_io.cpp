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

std::vector<double> read_vector(const json& v, std::size_t n, const std::string& source,
                                const std::string& path) {
  if (!v.is_array() || v.size() != n)
    fail(source, path, fmt::format("expected {} numbers, found {}", n, describe(v)));
  std::vector<double> out;
  out.reserve(n);
  for (std::size_t k = 0; k < n; ++k)
    out.push_back(read_number(v[k], source, fmt::format("{}/{}", path, k)));
  return out;
}

// A [rows][cols] nested array, flattened row-major.
std::vector<double> read_matrix(const json& v, std::size_t rows, std::size_t cols,
                                const std::string& source, const std::string& path) {
  const std::string expected = fmt::format("expected {} rows of {} numbers", rows, cols);
  if (!v.is_array())
    fail(source, path, fmt::format("{}, found {}", expected, describe(v)));
  if (v.size() != rows)
    fail(source, path, fmt::format("{}, found {} rows", expected, v.size()));
  std::vector<double> out;
  out.reserve(rows * cols);
  for (std::size_t r = 0; r < rows; ++r) {
    const json& row = v[r];
    if (!row.is_array())
      fail(source, path, fmt::format("{}, row {} is {}", expected, r, describe(row)));
    if (row.size() != cols)
      fail(source, path, fmt::format("{}, row {} has {}", expected, r, row.size()));
    for (std::size_t c = 0; c < cols; ++c)
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

// Whether key is weight_ih_l<k>, weight_hh_l<k>, bias_ih_l<k> or bias_hh_l<k>
// for a layer k < num_layers, written as model_to_json writes it. Checked per
// key, so that a huge num_layers costs nothing before the first missing key.
bool is_layer_key(std::string_view key, int num_layers) {
  for (std::string_view prefix : {"weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l"}) {
    if (!key.starts_with(prefix)) continue;
    const std::string_view digits = key.substr(prefix.size());
    int k = -1;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), k);
    // "01" or "+1" would name no key model_to_json writes.
    return ec == std::errc{} && end == digits.data() + digits.size() && k >= 0 &&
           k < num_layers && std::to_string(k) == digits;
  }
  return false;
}

// Says why a state_dict key we do not accept might be there.
std::string unknown_key_message(const std::string& key) {
  if (key.find("_reverse") != std::string::npos)
    return "unknown key; bidirectional LSTMs are not supported";
  if (key.rfind("weight_hr_l", 0) == 0)
    return "unknown key; LSTMs with projections (proj_size > 0) are not supported";
  return "unknown key; expected input_size, hidden_size, num_layers and "
         "weight_ih_l<k>, weight_hh_l<k>, bias_ih_l<k>, bias_hh_l<k> for each layer k";
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

  for (const auto& [key, value] : j.items())
    if (key != "input_size" && key != "hidden_size" && key != "num_layers" &&
        !is_layer_key(key, num_layers))
      fail(source, "/" + json_pointer_token(key), unknown_key_message(key));

  const auto h = static_cast<std::size_t>(m.hidden_size);
  auto get = [&](const std::string& key, const char* what) -> const json& {
    if (!j.contains(key)) fail(source, "/" + key, fmt::format("missing; expected {}", what));
    return j.at(key);
  };
  for (int k = 0; k < num_layers; ++k) {
    FloatLayer l;
    l.input_size = k == 0 ? m.input_size : m.hidden_size;  // layer k>0 reads layer k-1's h
    l.hidden_size = m.hidden_size;
    const auto x = static_cast<std::size_t>(l.input_size);
    const std::string w_ih = fmt::format("weight_ih_l{}", k);
    const std::string w_hh = fmt::format("weight_hh_l{}", k);
    const std::string b_ih = fmt::format("bias_ih_l{}", k);
    const std::string b_hh = fmt::format("bias_hh_l{}", k);
    l.w_ih = read_matrix(get(w_ih, "the input weights [4*hidden_size][input size]"), 4 * h, x,
                         source, "/" + w_ih);
    l.w_hh = read_matrix(get(w_hh, "the recurrent weights [4*hidden_size][hidden_size]"),
                         4 * h, h, source, "/" + w_hh);
    const char* bias_what =
        "a bias [4*hidden_size] (models without biases, PyTorch bias=False, are not supported yet)";
    l.b_ih = read_vector(get(b_ih, bias_what), 4 * h, source, "/" + b_ih);
    l.b_hh = read_vector(get(b_hh, bias_what), 4 * h, source, "/" + b_hh);
    // The hardware holds one bias per row, b_ih + b_hh (sim/lstm_model.cpp):
    // two finite biases can still add up to infinity. A finite sum beyond the
    // bias format saturates like any other weight (docs/numerics.md).
    for (std::size_t r = 0; r < 4 * h; ++r) {
      const double sum = l.b_ih[r] + l.b_hh[r];
      if (!std::isfinite(sum))
        fail(source, fmt::format("/{}/{}", b_ih, r),
             fmt::format("expected a finite sum with /{}/{} (the two biases are added), "
                         "found {} + {} = {}", b_hh, r, l.b_ih[r], l.b_hh[r], sum));
    }
    m.layers.push_back(std::move(l));
  }
  return m;
}

FloatModel read_model_file(const std::string& path) { return model_from_json(parse_file(path), path); }

json model_to_json(const FloatModel& m) {
  json j;
  j["input_size"] = m.input_size;
  j["hidden_size"] = m.hidden_size;
  j["num_layers"] = m.layers.size();
  for (std::size_t k = 0; k < m.layers.size(); ++k) {
    const FloatLayer& l = m.layers[k];
    j[fmt::format("weight_ih_l{}", k)] = matrix_to_json(l.w_ih, 4 * l.hidden_size, l.input_size);
    j[fmt::format("weight_hh_l{}", k)] = matrix_to_json(l.w_hh, 4 * l.hidden_size, l.hidden_size);
    j[fmt::format("bias_ih_l{}", k)] = l.b_ih;
    j[fmt::format("bias_hh_l{}", k)] = l.b_hh;
  }
  return j;
}

SequenceSet inputs_from_json(const json& j, const std::string& source, int input_size) {
  if (!j.is_object())
    fail(source, "", fmt::format("expected an object {{\"sequences\": [...]}}, found {}",
                                 describe(j)));
  for (const auto& [key, value] : j.items())
    if (key != "sequences")
      fail(source, "/" + json_pointer_token(key), "unknown key; expected only \"sequences\"");
  if (!j.contains("sequences"))
    fail(source, "/sequences", "missing; expected an array of sequences [sequence][step][input]");
  const json& seqs = j.at("sequences");
  if (!seqs.is_array() || seqs.empty())
    fail(source, "/sequences",
         fmt::format("expected an array of at least one sequence, found {}", describe(seqs)));
  const auto x = static_cast<std::size_t>(input_size);
  SequenceSet set;
  for (std::size_t s = 0; s < seqs.size(); ++s) {
    const std::string path = fmt::format("/sequences/{}", s);
    const json& seq = seqs[s];
    if (!seq.is_array() || seq.empty())
      fail(source, path, fmt::format("expected an array of at least one step, found {}",
                                     describe(seq)));
    Sequence out;
    for (std::size_t t = 0; t < seq.size(); ++t)
      out.push_back(read_vector(seq[t], x, source, fmt::format("{}/{}", path, t)));
    set.push_back(std::move(out));
  }
  return set;
}

SequenceSet read_input_file(const std::string& path, int input_size) {
  return inputs_from_json(parse_file(path), path, input_size);
}

json inputs_to_json(const SequenceSet& s) { return json{{"sequences", s}}; }

void write_json_file_atomic(const std::string& path, const json& j) {
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
  try {
    const std::string text = j.dump(2) + "\n";
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
  } catch (const json::exception& e) {  // e.g. a string that is not UTF-8
    error = e.what();
  }
  if (::close(fd) != 0 && error.empty()) error = std::strerror(errno);
  if (error.empty() && std::rename(tmp.c_str(), path.c_str()) != 0) error = std::strerror(errno);
  if (!error.empty()) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw FileError(fmt::format("{}: cannot write: {}", path, error));
  }
}

}  // namespace lstm
