// Strict JSON reading: nlohmann's SAX parser with our own document builder,
// which sees every key (duplicates) and every opening bracket (depth) as it
// happens, so neither needs a second pass or per-level copies of the path.
#include "spec/json_text.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include <fmt/format.h>

namespace lstm {

namespace {

using nlohmann::json;

// "line L, column C" (both from 1, columns in bytes as nlohmann counts them).
std::string line_column(std::string_view text, std::size_t byte) {
  const std::string_view before = text.substr(0, std::min(byte, text.size()));
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const std::size_t newline = before.rfind('\n');
  const std::size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
  return fmt::format("line {}, column {}", line, before.size() - line_start + 1);
}

// Offset of the bracket that opens nesting level `level` (the root is level 1).
// The SAX events carry no positions, so the text is scanned for it; called
// only once the parser has accepted the text up to that bracket, so skipping
// strings is all the JSON this needs to know.
std::size_t opening_bracket(std::string_view text, int level) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\') ++i;  // the escaped character cannot end the string
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth == level) return i;
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return text.size();
}

// nlohmann's what() starts with "[json.exception.parse_error.101] "; the rest
// is what a user needs.
std::string strip_exception_tag(const char* what) {
  const std::string_view text = what;
  const std::size_t pos = text.find("] ");
  return std::string(pos == std::string_view::npos ? text : text.substr(pos + 2));
}

// Builds the document like nlohmann's own DOM parser (the last of duplicate
// keys wins) while recording duplicates and refusing deep nesting.
class StrictBuilder {
 public:
  StrictBuilder(std::string_view text, ParsedJson& out) : text_(text), out_(out) {}

  bool null() { return add(nullptr) != nullptr; }
  bool boolean(bool v) { return add(v) != nullptr; }
  bool number_integer(json::number_integer_t v) { return add(v) != nullptr; }
  bool number_unsigned(json::number_unsigned_t v) { return add(v) != nullptr; }
  bool number_float(json::number_float_t v, const json::string_t&) { return add(v) != nullptr; }
  bool string(json::string_t& v) { return add(std::move(v)) != nullptr; }
  bool binary(json::binary_t&) { return false; }  // JSON text has no binary values
  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t& k) {
    Level& top = levels_.back();
    if (top.value->contains(k)) {
      if (out_.duplicates.size() < kMaxListedDuplicates)
        out_.duplicates.push_back(
            {pointer_to(k),
             fmt::format("duplicate key \"{}\": a key may appear only once in an object", k)});
      else
        ++out_.unlisted_duplicates;
    }
    top.key = std::move(k);
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token, const json::exception& ex) {
    if (const auto* syntax = dynamic_cast<const json::parse_error*>(&ex)) {
      out_.error = "not valid JSON: " + strip_exception_tag(syntax->what());  // has line, column
      out_.error_byte = syntax->byte;
    } else {
      // A number too large for a double (out_of_range.406) comes without a
      // position; the token ends where the parser stands.
      out_.error_byte = position - std::min(position, last_token.size());
      out_.error = fmt::format("not valid JSON: {} at {}", strip_exception_tag(ex.what()),
                               line_column(text_, out_.error_byte));
    }
    return false;
  }

 private:
  struct Level {
    json* value;      // the open array or object
    std::string key;  // object: the key of the member being read
  };

  // Places v in the innermost open container (or as the root).
  json* add(json v) {
    if (levels_.empty()) {
      out_.value = std::move(v);
      return &out_.value;
    }
    Level& top = levels_.back();
    if (top.value->is_array()) {
      top.value->push_back(std::move(v));
      return &top.value->back();
    }
    json& slot = (*top.value)[top.key];
    slot = std::move(v);
    return &slot;
  }

  bool open(json container) {
    if (levels_.size() >= static_cast<std::size_t>(kMaxJsonDepth)) {
      out_.error_byte = opening_bracket(text_, kMaxJsonDepth + 1);
      out_.error = fmt::format(
          "nested too deeply: level {} of arrays and objects opens at {}; at most {} levels are "
          "allowed", kMaxJsonDepth + 1, line_column(text_, out_.error_byte), kMaxJsonDepth);
      return false;
    }
    json* placed = add(std::move(container));
    levels_.push_back({placed, {}});
    return true;
  }

  bool close() {
    levels_.pop_back();
    return true;
  }

  // The pointer of key k in the innermost object: built only for a duplicate.
  std::string pointer_to(std::string_view k) const {
    std::string out;
    for (std::size_t i = 0; i + 1 < levels_.size(); ++i) {
      const Level& l = levels_[i];
      // The next level is the last element of an array, or the member l.key.
      out += '/' + (l.value->is_array() ? std::to_string(l.value->size() - 1)
                                        : json_pointer_token(l.key));
    }
    return out + '/' + json_pointer_token(k);
  }

  std::string_view text_;
  ParsedJson& out_;
  std::vector<Level> levels_;
};

}  // namespace

ParsedJson parse_json_strict(std::string_view text) {
  ParsedJson out;
  StrictBuilder builder(text, out);
  if (!json::sax_parse(text, &builder) || !out.error.empty()) {
    out.value = nullptr;  // a half-built document must not be used
    out.duplicates.clear();
    out.unlisted_duplicates = 0;
  }
  return out;
}

TextFile read_text_file(const std::string& path) {
  TextFile file;
  std::error_code ec;
  // A directory opens as a stream on Linux and then reads as empty.
  if (std::filesystem::is_directory(path, ec)) {
    file.status = TextFile::Status::Directory;
    return file;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    file.status = TextFile::Status::Unreadable;
    file.reason = std::strerror(errno);
    return file;
  }
  std::ostringstream text;
  text << in.rdbuf();
  file.text = std::move(text).str();
  return file;
}

std::string json_pointer_token(std::string_view key) {
  std::string out;
  for (char ch : key) {
    if (ch == '~') out += "~0";
    else if (ch == '/') out += "~1";
    else out += ch;
  }
  return out;
}

std::string describe_json_value(const nlohmann::json& v) {
  if (v.is_structured()) {
    bool flat = true;  // only scalars inside: dump() recurses just one level
    for (const auto& item : v) flat = flat && !item.is_structured();
    if (!flat) return fmt::format("{} of {} items, nested", v.type_name(), v.size());
  }
  if (v.is_null()) return "null";
  std::string text = v.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return fmt::format("{} {}", v.type_name(), text);
}

}  // namespace lstm
