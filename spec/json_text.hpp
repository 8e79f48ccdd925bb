// Strict reading of JSON files, shared by the config reader (spec/config.cpp)
// and the model and input readers (sim/model_io.cpp) so that every file the
// tools read is held to the same rules:
//   - a key given twice in one object is reported (nlohmann keeps the last one
//     silently, which would hide a copy-paste mistake);
//   - arrays and objects nest at most kMaxJsonDepth levels: no file we read
//     needs more than four, and deeper text only costs time and stack;
//   - every error names its line and column, also a number too large for a
//     double (nlohmann reports that one without a position).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace lstm {

inline constexpr int kMaxJsonDepth = 64;
// Duplicates listed one by one; the rest are only counted. A pointer can be as
// long as the text (long keys), so an unbounded list would grow quadratically.
inline constexpr std::size_t kMaxListedDuplicates = 32;

struct JsonDuplicate {
  std::string pointer;  // of the repeated key, e.g. "/limits/max_layers"
  std::string message;  // duplicate key "max_layers": a key may appear only once ...
};

struct ParsedJson {
  nlohmann::json value;  // the document (of duplicate keys, the last); null after an error
  // Empty when the text parsed. Otherwise a phrase that follows the file name:
  // "not valid JSON: parse error at line 3, column 12: ...", "not valid JSON:
  // number overflow parsing '1e999' at line 2, column 5", "nested too deeply: ...".
  std::string error;
  std::size_t error_byte = 0;  // offset of the error in the text
  std::vector<JsonDuplicate> duplicates;  // in file order, at most kMaxListedDuplicates
  std::size_t unlisted_duplicates = 0;    // found beyond those
  bool ok() const { return error.empty(); }
};

// Parses `text`; never throws on bad text. Time and memory are linear in its size.
ParsedJson parse_json_strict(std::string_view text);

// A whole file, or why it could not be read.
struct TextFile {
  enum class Status { Ok, Directory, Unreadable };
  Status status = Status::Ok;
  std::string text;
  std::string reason;  // Unreadable: strerror(errno)
};
TextFile read_text_file(const std::string& path);

// A value as an error message shows it: "string \"16\"", "number 16.5",
// "boolean true", "null"; long text is cut short, and arrays and objects that
// nest are summarized ("array of 3 items, nested"), never dumped: dump()
// recurses once per nesting level, and a deeply nested value would overflow
// the stack.
std::string describe_json_value(const nlohmann::json& v);

// One reference token of a JSON pointer (RFC 6901: '~' -> "~0", '/' -> "~1").
std::string json_pointer_token(std::string_view key);

}  // namespace lstm
