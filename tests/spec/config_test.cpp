// Tests for the hardware config reader and validator (spec/config.cpp): the
// reference configs are valid, every rule rejects a bad value with its JSON
// path, and the canonical form round-trips.
#include "spec/config.hpp"
#include "spec/json_text.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <fmt/core.h>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace {

using lstm::ConfigError;
using lstm::ConfigResult;
using lstm::HwConfig;
using nlohmann::json;
using Errors = std::vector<ConfigError>;

std::string config_path(const std::string& file) {
  return std::string(LSTM_SOURCE_DIR) + "/configs/" + file;
}

std::string describe(const Errors& errors) {
  std::string out;
  for (const auto& e : errors) out += "  " + e.path + ": " + e.message + "\n";
  return out.empty() ? "  (no errors)\n" : out;
}

bool has_error(const Errors& errors, std::string_view path, std::string_view part) {
  return std::any_of(errors.begin(), errors.end(), [&](const ConfigError& e) {
    return e.path == path && e.message.find(part) != std::string::npos;
  });
}

// Checks that `errors` holds an error at `path` whose message contains `part`.
#define CHECK_ERROR(errors, path, part)                                         \
  do {                                                                          \
    INFO("errors:\n" << describe(errors));                                      \
    CHECK_MESSAGE(has_error(errors, path, part), "wanted ", path, ": ...", part); \
  } while (0)

// Checks that `errors` holds exactly that one error: the rule does not spill
// over into others.
#define CHECK_ONLY_ERROR(errors, path, part) \
  do {                                       \
    CHECK_ERROR(errors, path, part);         \
    CHECK(errors.size() == 1);               \
  } while (0)

// The default config as JSON, for tests that edit one field of a valid file.
json default_json() { return json::parse(lstm::canonical_config_json(HwConfig{})); }

Errors parse_edited(const std::function<void(json&)>& edit) {
  json j = default_json();
  edit(j);
  return lstm::parse_config(j).errors;
}

Errors validate_edited(const std::function<void(HwConfig&)>& edit) {
  HwConfig c;
  edit(c);
  return lstm::validate_config(c);
}

// A file under the build tree holding `text`, for the file-reading tests.
std::string write_temp(const std::string& file, const std::string& text) {
  std::string path = std::string(LSTM_BINARY_DIR) + "/tests/" + file;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace

TEST_SUITE("config") {

// ---------------------------------------------------------------------------
// Reference configs

TEST_CASE("every reference config file parses without errors") {
  for (const char* file : {"default.json", "quad.json", "small.json"}) {
    CAPTURE(file);
    ConfigResult r = lstm::load_config_file(config_path(file));
    INFO("errors:\n" << describe(r.errors));
    CHECK(r.ok());
  }
}

TEST_CASE("every reference config file names every field") {
  // A file equal to its own canonical form leaves nothing to the defaults.
  for (const char* file : {"default.json", "quad.json", "small.json"}) {
    CAPTURE(file);
    std::ifstream in(config_path(file));
    json text = json::parse(in);
    ConfigResult r = lstm::parse_config(text);
    CHECK(json::parse(lstm::canonical_config_json(r.config)) == text);
  }
}

TEST_CASE("default.json holds exactly the struct defaults") {
  ConfigResult r = lstm::load_config_file(config_path("default.json"));
  CHECK(r.config == HwConfig{});
}

TEST_CASE("quad.json differs from default.json only in name and cores") {
  HwConfig quad = lstm::load_config_file(config_path("quad.json")).config;
  CHECK(quad.name == "quad");
  CHECK(quad.cores == 4);
  quad.name = "default";
  quad.cores = 2;
  CHECK(quad == HwConfig{});
}

TEST_CASE("small.json holds the small test configuration") {
  HwConfig c = lstm::load_config_file(config_path("small.json")).config;
  CHECK(c.name == "small");
  CHECK(c.lanes == 4);
  CHECK(c.data == lstm::FixedFormat{8, 5});
  CHECK(c.accum == lstm::FixedFormat{24, 11});
  CHECK(c.activation.kind == lstm::ActivationKind::Lut);
  CHECK(c.activation.index_bits == 5);
  CHECK(c.limits.weight_depth == 256);
}

TEST_CASE("an empty object takes every default and is valid") {
  ConfigResult r = lstm::parse_config(json::object());
  CHECK(r.ok());
  CHECK(r.config == HwConfig{});
}

// ---------------------------------------------------------------------------
// Shape: unknown keys and wrong types

TEST_CASE("an unknown top-level key is rejected, not ignored") {
  Errors e = parse_edited([](json& j) { j["lane"] = 8; });
  CHECK_ONLY_ERROR(e, "/lane", "unknown key \"lane\"");
}

TEST_CASE("unknown keys inside nested objects are rejected with their full path") {
  Errors e = parse_edited([](json& j) {
    j["formats"]["data"]["fraction"] = 10;
    j["formats"]["dta"] = json{{"width", 16}, {"frac", 10}};
    j["activation"]["kind "] = "pwl";
    j["limits"]["max_hiden"] = 256;
  });
  CHECK_ERROR(e, "/formats/data/fraction", "unknown key \"fraction\"");
  CHECK_ERROR(e, "/formats/dta", "unknown key");
  CHECK_ERROR(e, "/activation/kind ", "unknown key");
  CHECK_ERROR(e, "/limits/max_hiden", "allowed: max_input, max_hidden");
  CHECK(e.size() == 4);
}

TEST_CASE("an unknown key containing a slash is escaped in the path") {
  Errors e = parse_edited([](json& j) { j["a/b~c"] = 1; });
  CHECK_ONLY_ERROR(e, "/a~1b~0c", "unknown key");
}

TEST_CASE("a string where an integer is expected is a type error naming the value") {
  Errors e = parse_edited([](json& j) { j["lanes"] = "16"; });
  CHECK_ONLY_ERROR(e, "/lanes", "expected an integer, got string \"16\"");
}

TEST_CASE("floats, booleans, nulls and objects are not integers") {
  Errors e = parse_edited([](json& j) {
    j["cores"] = 2.0;
    j["formats"]["data"]["width"] = 16.5;
    j["activation"]["range"] = true;
    j["limits"]["max_layers"] = nullptr;
    j["limits"]["max_input"] = json::array({256});
  });
  CHECK_ERROR(e, "/cores", "expected an integer, got number 2.0");
  CHECK_ERROR(e, "/formats/data/width", "expected an integer, got number 16.5");
  CHECK_ERROR(e, "/activation/range", "expected an integer, got boolean true");
  CHECK_ERROR(e, "/limits/max_layers", "expected an integer, got null");
  CHECK_ERROR(e, "/limits/max_input", "expected an integer, got array");
  CHECK(e.size() == 5);
}

TEST_CASE("an integer too large for the struct is rejected before validation") {
  CHECK_ONLY_ERROR(parse_edited([](json& j) { j["lanes"] = 5000000000LL; }), "/lanes",
                   "out of range, got 5000000000");
  CHECK_ONLY_ERROR(parse_edited([](json& j) { j["lanes"] = -5000000000LL; }), "/lanes",
                   "out of range, got -5000000000");
  CHECK_ONLY_ERROR(parse_edited([](json& j) { j["lanes"] = 18446744073709551615ULL; }), "/lanes",
                   "out of range, got 18446744073709551615");
}

TEST_CASE("strings and objects of the wrong type are reported") {
  Errors e = parse_edited([](json& j) {
    j["name"] = 7;
    j["rounding"] = false;
    j["activation"]["kind"] = 1;
    j["formats"]["cell"] = 24;
    j["limits"] = "big";
  });
  CHECK_ERROR(e, "/name", "expected a string, got number 7");
  CHECK_ERROR(e, "/rounding", "expected a string, got boolean false");
  CHECK_ERROR(e, "/activation/kind", "expected a string, got number 1");
  CHECK_ERROR(e, "/formats/cell", "expected an object, got number 24");
  CHECK_ERROR(e, "/limits", "expected an object, got string \"big\"");
  CHECK(e.size() == 5);
}

TEST_CASE("a top level that is not an object is one error at the root") {
  ConfigResult r = lstm::parse_config(json::array({1, 2}));
  CHECK_ONLY_ERROR(r.errors, "", "expected an object, got array");
}

TEST_CASE("activation kind must be lut or pwl") {
  Errors e = parse_edited([](json& j) { j["activation"]["kind"] = "LUT"; });
  CHECK_ONLY_ERROR(e, "/activation/kind", "must be \"lut\" or \"pwl\", got \"LUT\"");
}

TEST_CASE("rounding must be nearest or floor") {
  Errors e = parse_edited([](json& j) { j["rounding"] = "truncate"; });
  CHECK_ONLY_ERROR(e, "/rounding", "must be \"nearest\" or \"floor\", got \"truncate\"");
}

TEST_CASE("several problems in one config are all reported") {
  Errors e = parse_edited([](json& j) {
    j["cores"] = 0;
    j["lanes"] = "wide";
    j["colour"] = "red";
    j["limits"]["max_hidden"] = 0;
    j["activation"]["range"] = 3;
  });
  CHECK_ERROR(e, "/cores", "must be between 1 and 16, got 0");
  CHECK_ERROR(e, "/lanes", "expected an integer");
  CHECK_ERROR(e, "/colour", "unknown key");
  CHECK_ERROR(e, "/limits/max_hidden", "must be between 1 and 4096, got 0");
  CHECK_ERROR(e, "/activation/range", "power of two");
  CHECK(e.size() == 5);
}

// ---------------------------------------------------------------------------
// Value rules, one failing example each

TEST_CASE("name must be non-empty, at most 64 characters, of letters, digits, _ and -") {
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.name = ""; }), "/name", "must not be empty");
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.name = std::string(65, 'a'); }), "/name",
                   "at most 64 characters, got 65");
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.name = "my config"; }), "/name",
                   "may only contain letters, digits, '_' and '-', got \"my config\"");
  CHECK(validate_edited([](HwConfig& c) { c.name = std::string(64, 'Z') + ""; }).empty());
  CHECK(validate_edited([](HwConfig& c) { c.name = "a-B_9"; }).empty());
}

TEST_CASE("cores must be between 1 and 16 (hostmap::kMaxCores)") {
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.cores = 0; }), "/cores",
                   "must be between 1 and 16, got 0");
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.cores = 17; }), "/cores", "got 17");
  CHECK(validate_edited([](HwConfig& c) { c.cores = 16; }).empty());
}

TEST_CASE("lanes must be between 1 and 256") {
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.lanes = 0; }), "/lanes",
                   "must be between 1 and 256, got 0");
  CHECK_ERROR(validate_edited([](HwConfig& c) { c.lanes = 257; }), "/lanes", "got 257");
}

TEST_CASE("every width is at least 2") {
  Errors e = validate_edited([](HwConfig& c) { c.data = {1, 0}; });
  CHECK_ONLY_ERROR(e, "/formats/data/width", "must be between 2 and 32, got 1");
}

TEST_CASE("data, weight, bias and gate widths are at most 32") {
  CHECK_ERROR(validate_edited([](HwConfig& c) { c.data.width = 33; }), "/formats/data/width",
              "must be between 2 and 32, got 33");
  CHECK_ERROR(validate_edited([](HwConfig& c) { c.weight.width = 33; }), "/formats/weight/width",
              "must be between 2 and 32, got 33");
  CHECK_ERROR(validate_edited([](HwConfig& c) { c.bias.width = 33; }), "/formats/bias/width",
              "must be between 2 and 32, got 33");
  CHECK_ERROR(validate_edited([](HwConfig& c) { c.gate.width = 33; }), "/formats/gate/width",
              "must be between 2 and 32, got 33");
}

TEST_CASE("cell width is at most 40") {
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.cell.width = 41; }), "/formats/cell/width",
                   "must be between 2 and 40, got 41");
}

TEST_CASE("accum width is at most 62") {
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.accum.width = 63; }),
                   "/formats/accum/width", "must be between 2 and 62, got 63");
}

TEST_CASE("frac must be between 0 and width - 1") {
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.cell.frac = -1; }), "/formats/cell/frac",
                   "must be between 0 and width - 1 = 23, got -1");
  CHECK_ERROR(validate_edited([](HwConfig& c) { c.bias = {12, 12}; }), "/formats/bias/frac",
              "must be between 0 and width - 1 = 11, got 12");
}

TEST_CASE("accum frac must equal data frac plus weight frac") {
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.accum.frac = 23; }), "/formats/accum/frac",
                   "must equal data.frac + weight.frac = 24, got 23");
}

TEST_CASE("bias frac must not exceed accum frac") {
  Errors e = validate_edited([](HwConfig& c) { c.bias = {32, 25}; });
  CHECK_ONLY_ERROR(e, "/formats/bias/frac", "must be at most accum.frac = 24, got 25");
}

TEST_CASE("gate frac leaves room for 1.0") {
  Errors e = validate_edited([](HwConfig& c) { c.gate.frac = 15; });
  CHECK_ONLY_ERROR(e, "/formats/gate/frac", "must be at most gate.width - 2 = 14");
}

TEST_CASE("the accumulator must hold the largest possible sum and says how wide it must be") {
  // Default: 512 * 2^15 * 2^15 + 2^15 * 2^10 = 2^39 + 2^25 needs 41 signed bits.
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.accum.width = 40; }),
                   "/formats/accum/width", "needs 41 bits, got 40");
  CHECK(validate_edited([](HwConfig& c) { c.accum.width = 41; }).empty());
  // Larger limits need more bits: 8192 * 2^30 = 2^43 needs 45 bits.
  Errors e = validate_edited([](HwConfig& c) {
    c.accum.width = 44;
    c.limits.max_input = 4096;
    c.limits.max_hidden = 4096;
    c.limits.weight_depth = 1 << 20;
    c.lanes = 16;
  });
  CHECK_ERROR(e, "/formats/accum/width", "needs 45 bits, got 44");
}

TEST_CASE("the bias term alone can overflow the accumulator") {
  // 2^31 * 2^(24 - 0) + 2^39 = 2^55 + 2^39 needs 57 signed bits.
  Errors e = validate_edited([](HwConfig& c) { c.bias = {32, 0}; });
  CHECK_ONLY_ERROR(e, "/formats/accum/width", "needs 57 bits, got 48");
}

TEST_CASE("activation index_bits must be between 2 and 12") {
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.activation.index_bits = 1; }),
                   "/activation/index_bits", "must be between 2 and 12, got 1");
  CHECK_ERROR(validate_edited([](HwConfig& c) { c.activation.index_bits = 13; }),
              "/activation/index_bits", "got 13");
}

TEST_CASE("activation range must be a power of two between 1 and 64") {
  for (int bad : {0, 3, 12, 128, -8}) {
    CAPTURE(bad);
    CHECK_ONLY_ERROR(validate_edited([&](HwConfig& c) { c.activation.range = bad; }),
                     "/activation/range", "must be a power of two between 1 and 64");
  }
  for (int good : {1, 2, 64}) {
    CAPTURE(good);
    CHECK(validate_edited([&](HwConfig& c) { c.activation.range = good; }).empty());
  }
}

TEST_CASE("index_bits too large for the accumulator's fraction bits is rejected") {
  // shift = accum.frac + log2(range) + 1 - index_bits = 4 + 0 + 1 - 12 = -7.
  Errors e = validate_edited([](HwConfig& c) {
    c.data.frac = 2;
    c.weight.frac = 2;
    c.bias.frac = 4;
    c.accum.frac = 4;
    c.activation.range = 1;
    c.activation.index_bits = 12;
  });
  CHECK_ONLY_ERROR(e, "/activation/index_bits", "too large for accum.frac = 4");
}

TEST_CASE("index_bits too large for the cell's fraction bits is rejected") {
  // shift = cell.frac + 3 + 1 - 7 = -1.
  Errors e = validate_edited([](HwConfig& c) { c.cell.frac = 2; });
  CHECK_ONLY_ERROR(e, "/activation/index_bits", "too large for cell.frac = 2");
}

TEST_CASE("the f times c_prev product of the cell update must fit the golden model's int64") {
  // 16 + 40 + (28 - 14 - 2) + 1 = 69 bits.
  Errors e = validate_edited([](HwConfig& c) {
    c.cell = {40, 2};
    c.activation.index_bits = 6;
  });
  CHECK_ONLY_ERROR(e, "/formats/cell/width", "needs 69 bits");
}

TEST_CASE("the i times g product of the cell update must fit the golden model's int64") {
  // Fs = 2 + 38 = 40; 2 * 16 + (40 - 4) + 1 = 69 bits.
  Errors e = validate_edited([](HwConfig& c) {
    c.gate = {16, 2};
    c.cell = {40, 38};
  });
  CHECK_ONLY_ERROR(e, "/formats/gate/width", "needs 69 bits");
}

TEST_CASE("the activation interpolation must fit the golden model's int64") {
  // shift = 40 + 6 + 1 - 2 = 45; 16 + 45 + 2 = 63 bits.
  Errors e = validate_edited([](HwConfig& c) {
    c.data = {24, 20};
    c.weight = {24, 20};
    c.accum = {62, 40};
    c.activation.range = 64;
    c.activation.index_bits = 2;
  });
  CHECK_ONLY_ERROR(e, "/activation/index_bits", "needs 63 bits");
}

TEST_CASE("limits must lie in their ranges") {
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.limits.max_input = 0; }),
                   "/limits/max_input", "must be between 1 and 4096, got 0");
  CHECK_ERROR(validate_edited([](HwConfig& c) { c.limits.max_input = 4097; }),
              "/limits/max_input", "got 4097");
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.limits.max_hidden = 0; }),
                   "/limits/max_hidden", "must be between 1 and 4096, got 0");
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.limits.max_layers = 0; }),
                   "/limits/max_layers", "must be between 1 and 16, got 0");
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.limits.max_layers = 17; }),
                   "/limits/max_layers", "got 17");
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.limits.weight_depth = 0; }),
                   "/limits/weight_depth", "must be between 1 and 1048576, got 0");
  CHECK_ERROR(validate_edited([](HwConfig& c) { c.limits.weight_depth = (1 << 20) + 1; }),
              "/limits/weight_depth", "got 1048577");
}

TEST_CASE("limits.max_steps is absent (no limit) or 1 .. 2^31 - 1, written to the canonical JSON only when set") {
  CHECK(HwConfig{}.limits.max_steps == 0);
  CHECK(lstm::canonical_config_json(HwConfig{}).find("max_steps") == std::string::npos);
  const auto with = [](json v) {
    json j = default_json();
    j["limits"]["max_steps"] = std::move(v);
    return lstm::parse_config(j);
  };
  for (const int good : {1, 1024, 2147483647}) {
    const ConfigResult r = with(good);
    REQUIRE(r.ok());
    CHECK(r.config.limits.max_steps == good);
    const std::string text = lstm::canonical_config_json(r.config);
    CHECK(text.find(fmt::format("\"max_steps\": {}", good)) != std::string::npos);
    CHECK(lstm::parse_config(json::parse(text)).config == r.config);
    CHECK(lstm::config_hash(r.config) != lstm::config_hash(HwConfig{}));
  }
  CHECK_ONLY_ERROR(with(0).errors, "/limits/max_steps", "must be between 1 and 2147483647, got 0");
  CHECK_ONLY_ERROR(with(-5).errors, "/limits/max_steps", "must be between 1 and 2147483647, got -5");
  CHECK_ONLY_ERROR(with(4294967296LL).errors, "/limits/max_steps", "integer out of range, got 4294967296");
  CHECK_ONLY_ERROR(with("1024").errors, "/limits/max_steps", "expected an integer, got string \"1024\"");
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.limits.max_steps = -1; }),
                   "/limits/max_steps", "must be between 0 and 2147483647, got -1");
}

TEST_CASE("features.lut_multipliers is a boolean, false by default and written only when true") {
  CHECK_FALSE(HwConfig{}.features.lut_multipliers);
  json j = default_json();
  j["features"] = {{"lut_multipliers", true}};
  const ConfigResult r = lstm::parse_config(j);
  REQUIRE(r.ok());
  CHECK(r.config.features.lut_multipliers);
  CHECK(r.config.features.row_loader);
  const std::string text = lstm::canonical_config_json(r.config);
  CHECK(text.find("\"lut_multipliers\": true") != std::string::npos);
  CHECK(lstm::parse_config(json::parse(text)).config == r.config);
  lstm::HwConfig lean;
  lean.features.counters = false;
  CHECK(lstm::canonical_config_json(lean).find("lut_multipliers") == std::string::npos);
  j["features"] = {{"lut_multipliers", 1}};
  CHECK_ONLY_ERROR(lstm::parse_config(j).errors, "/features/lut_multipliers", "expected true or false, got number 1");
}

TEST_CASE("the weight memory must hold one largest layer and says how deep it must be") {
  // ceil(256 / 16) * (256 + 256) = 8192.
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.limits.weight_depth = 8191; }),
                   "/limits/weight_depth", "must be at least ceil(max_hidden / lanes) * "
                                           "(max_input + max_hidden) = 8192");
  CHECK(validate_edited([](HwConfig& c) { c.limits.weight_depth = 8192; }).empty());
  // ceil(256 / 12) = 22 rows.
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) {
                     c.lanes = 12;
                     c.limits.weight_depth = 11263;
                   }),
                   "/limits/weight_depth", "= 11264");
}

TEST_CASE("all weight memories together must fit the 2^23-word region of the host address space") {
  // 8193 << ceil(log2(4 * 256)) = 8193 * 1024 > 2^23.
  Errors e = validate_edited([](HwConfig& c) {
    c.lanes = 256;
    c.limits.weight_depth = 8193;
  });
  CHECK_ONLY_ERROR(e, "/limits/weight_depth", "8389632 words exceeds the host address space");
  CHECK(validate_edited([](HwConfig& c) {
          c.lanes = 256;
          c.limits.weight_depth = 8192;
        }).empty());
}

TEST_CASE("the weight region counts the slot field's full width when 4 * lanes is not a power of two") {
  // 3 lanes: 12 slots take 4 index bits; 524289 * 12 fits 2^23 but 524289 << 4 does not.
  Errors e = validate_edited([](HwConfig& c) {
    c.lanes = 3;
    c.limits.weight_depth = 524289;
  });
  CHECK_ONLY_ERROR(e, "/limits/weight_depth", "8388624 words exceeds the host address space");
}

TEST_CASE("value rules are also reported when the config comes from JSON") {
  Errors e = parse_edited([](json& j) { j["limits"]["max_hidden"] = 0; });
  CHECK_ONLY_ERROR(e, "/limits/max_hidden", "must be between 1 and 4096, got 0");
}

// ---------------------------------------------------------------------------
// Canonical form and hash

TEST_CASE("the canonical JSON round-trips through the parser") {
  for (const char* file : {"default.json", "quad.json", "small.json"}) {
    CAPTURE(file);
    HwConfig c = lstm::load_config_file(config_path(file)).config;
    ConfigResult back = lstm::parse_config(json::parse(lstm::canonical_config_json(c)));
    CHECK(back.ok());
    CHECK(back.config == c);
  }
  HwConfig odd;
  odd.rounding = lstm::Rounding::Floor;
  odd.activation.kind = lstm::ActivationKind::Lut;
  CHECK(lstm::parse_config(json::parse(lstm::canonical_config_json(odd))).config == odd);
}

TEST_CASE("the canonical JSON lists every field in file order and ends with a newline") {
  std::string text = lstm::canonical_config_json(HwConfig{});
  CHECK(text.back() == '\n');
  const char* keys[] = {"\"name\"",  "\"cores\"",      "\"lanes\"",  "\"formats\"", "\"data\"",
                        "\"weight\"", "\"bias\"",      "\"accum\"",  "\"gate\"",    "\"cell\"",
                        "\"activation\"", "\"kind\"",  "\"index_bits\"", "\"range\"",
                        "\"rounding\"", "\"limits\"",  "\"max_input\"", "\"max_hidden\"",
                        "\"max_layers\"", "\"weight_depth\""};
  std::size_t pos = 0;
  for (const char* key : keys) {
    CAPTURE(key);
    std::size_t at = text.find(key, pos);
    REQUIRE(at != std::string::npos);
    pos = at;
  }
}

TEST_CASE("cells lists lstm, gru or both; absent means both, and the canonical form writes it only when it is not both") {
  CHECK(HwConfig{}.cells.lstm);
  CHECK(HwConfig{}.cells.gru);
  const auto with = [](json cells) {
    json j = default_json();
    j["cells"] = std::move(cells);
    return lstm::parse_config(j);
  };
  const ConfigResult both = with(json::array({"gru", "lstm"}));
  CHECK(both.ok());
  CHECK(both.config == HwConfig{});
  const ConfigResult lstm_only = with(json::array({"lstm"}));
  REQUIRE(lstm_only.ok());
  CHECK(lstm_only.config.cells == lstm::CellSet{true, false});
  const ConfigResult gru_only = with(json::array({"gru"}));
  REQUIRE(gru_only.ok());
  CHECK(gru_only.config.cells == lstm::CellSet{false, true});
  CHECK(lstm::canonical_config_json(HwConfig{}).find("cells") == std::string::npos);
  const std::string text = lstm::canonical_config_json(lstm_only.config);
  CHECK(text.find("\"cells\": [\n    \"lstm\"\n  ]") != std::string::npos);
  CHECK(lstm::parse_config(json::parse(text)).config == lstm_only.config);
  CHECK(lstm::config_hash(lstm_only.config) != lstm::config_hash(HwConfig{}));
}

TEST_CASE("cells must be a non-empty array of distinct known cell names") {
  CHECK_ONLY_ERROR(parse_edited([](json& j) { j["cells"] = "gru"; }), "/cells",
                   "expected an array of \"lstm\" and \"gru\", got string \"gru\"");
  CHECK_ONLY_ERROR(parse_edited([](json& j) { j["cells"] = json::array(); }), "/cells",
                   "must name at least one cell");
  CHECK_ONLY_ERROR(parse_edited([](json& j) { j["cells"] = json::array({"lstm", "rnn"}); }),
                   "/cells/1", "must be \"lstm\" or \"gru\", got \"rnn\"");
  CHECK_ONLY_ERROR(parse_edited([](json& j) { j["cells"] = json::array({"gru", 3}); }),
                   "/cells/1", "got 3");
  CHECK_ONLY_ERROR(parse_edited([](json& j) { j["cells"] = json::array({"gru", "gru"}); }),
                   "/cells/1", "\"gru\" is listed twice");
}

TEST_CASE("features: absent means every part, and the canonical form writes them only when one is left out") {
  CHECK(HwConfig{}.features == lstm::Features{true, true, true});
  json j = default_json();
  j["features"] = json::object();
  ConfigResult none = lstm::parse_config(j);
  REQUIRE(none.ok());
  CHECK(none.config == HwConfig{});
  j["features"] = {{"counters", false}, {"row_loader", false}};
  ConfigResult some = lstm::parse_config(j);
  REQUIRE(some.ok());
  CHECK(some.config.features == lstm::Features{false, false, true});
  CHECK(lstm::canonical_config_json(HwConfig{}).find("features") == std::string::npos);
  const std::string text = lstm::canonical_config_json(some.config);
  CHECK(text.find("\"features\": {\n    \"row_loader\": false,\n    \"counters\": false,\n"
                  "    \"weight_readback\": true\n  }") != std::string::npos);
  CHECK(lstm::parse_config(json::parse(text)).config == some.config);
  CHECK(lstm::config_hash(some.config) != lstm::config_hash(HwConfig{}));
}

TEST_CASE("features is an object of known booleans") {
  CHECK_ONLY_ERROR(parse_edited([](json& j) { j["features"] = true; }), "/features",
                   "expected an object, got boolean");
  CHECK_ONLY_ERROR(parse_edited([](json& j) { j["features"] = {{"counters", 0}}; }),
                   "/features/counters", "expected true or false, got number 0");
  CHECK_ONLY_ERROR(parse_edited([](json& j) { j["features"] = {{"weight_readback", "no"}}; }),
                   "/features/weight_readback", "expected true or false, got string \"no\"");
  CHECK_ONLY_ERROR(parse_edited([](json& j) { j["features"] = {{"dsp", false}}; }),
                   "/features/dsp", "unknown key \"dsp\" (allowed: row_loader, counters, weight_readback, batch, lut_multipliers)");
}

TEST_CASE("with gru the cell format is at least as wide as the data format, which holds h") {
  CHECK_ONLY_ERROR(validate_edited([](HwConfig& c) { c.cell = {12, 8}; }), "/formats/cell/width",
                   "must be at least data.width = 16 when /cells lists \"gru\"");
  CHECK(validate_edited([](HwConfig& c) {
          c.cell = {12, 8};
          c.cells.gru = false;
        }).empty());
}

TEST_CASE("the hash is 16 lowercase hex digits, stable, and differs between configs") {
  HwConfig def = lstm::load_config_file(config_path("default.json")).config;
  HwConfig quad = lstm::load_config_file(config_path("quad.json")).config;
  HwConfig small = lstm::load_config_file(config_path("small.json")).config;
  std::string h = lstm::config_hash(def);
  CHECK(h.size() == 16);
  CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(lstm::config_hash(HwConfig{}) == h);
  // Pinned: generated RTL banners carry this hash, so a change to the canonical
  // form must be deliberate.
  CHECK(h == "7c6bef26f3943058");
  CHECK(lstm::config_hash(quad) != h);
  CHECK(lstm::config_hash(small) != h);
  CHECK(lstm::config_hash(small) != lstm::config_hash(quad));
  HwConfig floor = def;
  floor.rounding = lstm::Rounding::Floor;
  CHECK(lstm::config_hash(floor) != h);
}

// ---------------------------------------------------------------------------
// Files

TEST_CASE("a missing file is one error that names the file") {
  std::string path = std::string(LSTM_BINARY_DIR) + "/tests/no_such_config.json";
  ConfigResult r = lstm::load_config_file(path);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].path == "");
  CHECK(r.errors[0].message.find("cannot read config file '" + path + "'") != std::string::npos);
}

TEST_CASE("malformed JSON is one error that names the file and the position") {
  std::string path = write_temp("config_test_malformed.json", "{\n  \"cores\": 2,\n  \"lanes\": }\n");
  ConfigResult r = lstm::load_config_file(path);
  INFO("errors:\n" << describe(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].path == "");
  CHECK(r.errors[0].message.find("'" + path + "' is not valid JSON") != std::string::npos);
  CHECK(r.errors[0].message.find("line 3") != std::string::npos);
  CHECK(r.errors[0].message.find("byte") != std::string::npos);
}

TEST_CASE("a key given twice in one object is reported, not silently overwritten") {
  std::string path = write_temp("config_test_duplicate.json",
                                R"({"lanes": 8, "limits": {"max_layers": 2, "max_layers": 3}})");
  ConfigResult r = lstm::load_config_file(path);
  CHECK_ONLY_ERROR(r.errors, "/limits/max_layers", "duplicate key \"max_layers\"");
}

TEST_CASE("a directory is one error that says so") {
  std::string path = std::string(LSTM_BINARY_DIR) + "/tests";
  ConfigResult r = lstm::load_config_file(path);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].path == "");
  CHECK(r.errors[0].message == "'" + path + "' is a directory, expected a JSON file");
}

TEST_CASE("a number too large for a double is one error with its line, column and token") {
  std::string path = write_temp("config_test_overflow.json", "{\n  \"cores\": 1e400\n}\n");
  ConfigResult r = lstm::load_config_file(path);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].path == "");
  CHECK(r.errors[0].message ==
        "'" + path +
            "' is not valid JSON: number overflow parsing '1e400' at line 2, column 12 (byte 13)");
}

TEST_CASE("every duplicate key is reported with its full pointer, also inside arrays") {
  std::string path = write_temp("config_test_duplicates.json",
                                R"({"cores": 2, "x": [0, {"a/b": 1, "a/b": 2}], "cores": 3})");
  ConfigResult r = lstm::load_config_file(path);
  INFO("errors:\n" << describe(r.errors));
  REQUIRE(r.errors.size() >= 2);
  CHECK(r.errors[0].path == "/x/1/a~1b");
  CHECK(r.errors[0].message ==
        "duplicate key \"a/b\": a key may appear only once in an object");
  CHECK(r.errors[1].path == "/cores");
  CHECK(r.config.cores == 3);  // the last copy, as nlohmann keeps it
}

TEST_CASE("duplicates beyond the first 32 are counted, not listed") {
  std::string text = "{\"cores\": 1";
  for (int k = 0; k < 40; ++k) text += ", \"cores\": 1";
  ConfigResult r =
      lstm::load_config_file(write_temp("config_test_many_duplicates.json", text + "}"));
  REQUIRE(r.errors.size() == 33);
  CHECK(r.errors[31].path == "/cores");
  CHECK(r.errors[32].path == "");
  CHECK(r.errors[32].message == "duplicate keys: 8 more not listed");
}

// ---------------------------------------------------------------------------
// Nesting depth (spec/json_text.hpp, shared with the model and input readers)

std::string nested(int levels) {
  return "{\"cores\": " + std::string(static_cast<std::size_t>(levels - 1), '[') +
         std::string(static_cast<std::size_t>(levels - 1), ']') + "}";
}

TEST_CASE("64 levels of nesting are read, 65 are one error naming the position and the limit") {
  ConfigResult r = lstm::load_config_file(write_temp("config_test_depth64.json", nested(64)));
  CHECK_ONLY_ERROR(r.errors, "/cores", "expected an integer, got array of 1 items, nested");
  std::string path = write_temp("config_test_depth65.json", nested(65));
  r = lstm::load_config_file(path);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].path == "");
  CHECK(r.errors[0].message == "'" + path + "' is nested too deeply: level 65 of arrays and "
                               "objects opens at line 1, column 74; at most 64 levels are allowed "
                               "(byte 73)");
}

TEST_CASE("100000 levels of nesting are refused at once") {
  // Took 23 s and 10 GB before the limit (the duplicate check kept the full
  // path of every open level).
  std::string path = write_temp("config_test_depth100k.json", nested(100'000));
  ConfigResult r = lstm::load_config_file(path);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("nested too deeply: level 65") != std::string::npos);
}

TEST_CASE("brackets inside strings do not count as nesting, and the position skips them") {
  const std::string head = R"({"name": "[[{\"[", "x": )";
  const lstm::ParsedJson p =
      lstm::parse_json_strict(head + std::string(70, '[') + std::string(70, ']') + "}");
  // Level 2 is the first '[' after head, level 65 the 64th.
  CHECK(p.error.find("opens at line 1, column " + std::to_string(head.size() + 64) + ";") !=
        std::string::npos);
}

TEST_CASE("errors in a file carry the JSON path like errors in a value") {
  std::string path = write_temp("config_test_bad_values.json",
                                R"({"cores": 0, "formats": {"gate": {"width": 16, "frac": 15}}})");
  ConfigResult r = lstm::load_config_file(path);
  CHECK_ERROR(r.errors, "/cores", "got 0");
  CHECK_ERROR(r.errors, "/formats/gate/frac", "1.0 is representable");
  CHECK(r.errors.size() == 2);
}

}  // TEST_SUITE

TEST_CASE("features.batch is off by default, written only when on, and needs an even number of lanes") {
  json j = default_json();
  j["features"] = {{"batch", true}};
  const ConfigResult on = lstm::parse_config(j);
  REQUIRE(on.ok());
  CHECK(on.config.features.batch);
  CHECK_FALSE(HwConfig{}.features.batch);
  const std::string text = lstm::canonical_config_json(on.config);
  CHECK(text.find("\"batch\": true") != std::string::npos);
  CHECK(lstm::parse_config(json::parse(text)).config == on.config);
  CHECK(lstm::config_hash(on.config) != lstm::config_hash(HwConfig{}));
  // A config that leaves a part out but has no batching: the text of before.
  HwConfig off;
  off.features.counters = false;
  CHECK(lstm::canonical_config_json(off).find("batch") == std::string::npos);
  // (lanes 3 also breaks another rule of the default config: CHECK_ERROR.)
  CHECK_ERROR(validate_edited([](HwConfig& c) {
                c.lanes = 3;
                c.features.batch = true;
              }),
              "/features/batch",
              "needs an even number of lanes (it folds them in two halves), got lanes 3");
}
