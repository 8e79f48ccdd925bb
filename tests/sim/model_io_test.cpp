// Model, input and output files: round trips, and one test per class of
// error, each checking that the message names the file, the JSON path and
// what was wrong.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/model_io.hpp"
#include "sim/workload.hpp"

using namespace lstm;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A fresh, empty scratch directory per test.
fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(LSTM_BINARY_DIR) / "tests" / "model_io" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_text(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

WorkloadShape small_shape() { return workload_shape(3, 2, 2, 4, 2); }

json valid_model() { return model_to_json(random_model(small_shape(), 1)); }

// The message of the FileError that reading j as a model throws.
std::string model_error(const json& j) {
  try {
    model_from_json(j, "model.json");
  } catch (const FileError& e) {
    return e.what();
  }
  return "(no error)";
}

// A model whose input file needs input_size numbers per step (2 layers, H = 2).
FloatModel model_with_input(int input_size) {
  return random_model(workload_shape(input_size, 2, 2, 1), 3);
}

std::string input_error(const json& j, int input_size = 3) {
  try {
    inputs_from_json(j, "in.json", model_with_input(input_size), "m.json");
  } catch (const FileError& e) {
    return e.what();
  }
  return "(no error)";
}

bool same_layers(const std::vector<FloatLayer>& a, const std::vector<FloatLayer>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    const FloatLayer& x = a[k];
    const FloatLayer& y = b[k];
    if (x.input_size != y.input_size || x.hidden_size != y.hidden_size || x.w_ih != y.w_ih ||
        x.w_hh != y.w_hh || x.b_ih != y.b_ih || x.b_hh != y.b_hh)
      return false;
  }
  return true;
}

bool same_model(const FloatModel& a, const FloatModel& b) {
  return a.cell == b.cell && a.input_size == b.input_size && a.hidden_size == b.hidden_size &&
         same_layers(a.layers, b.layers) && same_layers(a.reverse, b.reverse);
}

// A bidirectional GRU: X = 3, H = 2, 2 layers.
WorkloadShape gru_shape() {
  WorkloadShape s = small_shape();
  s.cell = CellType::Gru;
  s.bidirectional = true;
  return s;
}

}  // namespace

TEST_SUITE("model_io") {

TEST_CASE("a model and its inputs survive a round trip through files bit for bit") {
  const fs::path dir = scratch("round_trip");
  const FloatModel m = random_model(small_shape(), 9);
  const SequenceSet x = random_inputs(small_shape(), 9);
  write_json_file_atomic((dir / "m.json").string(), model_to_json(m));
  write_json_file_atomic((dir / "i.json").string(), inputs_to_json(x));
  CHECK(same_model(read_model_file((dir / "m.json").string()), m));
  CHECK(read_input_file((dir / "i.json").string(), m).sequences == x);
}

TEST_CASE("GRU and bidirectional models, and initial states, survive a round trip bit for bit") {
  const fs::path dir = scratch("round_trip_gru");
  for (const bool gru : {false, true}) {
    WorkloadShape s = gru_shape();
    if (!gru) s.cell = CellType::Lstm;
    const FloatModel m = random_model(s, 4);
    InputSet in;
    in.sequences = random_inputs(s, 4);
    for (std::size_t k = 0; k < in.sequences.size(); ++k) {
      const double v = 0.125 * static_cast<double>(k + 1);
      // 2 layers x 2 directions; a GRU has no c.
      in.initial.push_back({std::vector<Vector>(4, Vector{v, -v}),
                            gru ? std::vector<Vector>{} : std::vector<Vector>(4, Vector{-v, v})});
    }
    write_json_file_atomic((dir / "m.json").string(), model_to_json(m));
    write_json_file_atomic((dir / "i.json").string(), inputs_to_json(in));
    const FloatModel back = read_model_file((dir / "m.json").string());
    CHECK(same_model(back, m));
    const InputSet read = read_input_file((dir / "i.json").string(), back);
    CHECK(read.sequences == in.sequences);
    REQUIRE(read.initial.size() == in.initial.size());
    for (std::size_t k = 0; k < in.initial.size(); ++k) {
      CHECK(read.initial[k].h == in.initial[k].h);
      CHECK(read.initial[k].c == in.initial[k].c);
    }
  }
}

TEST_CASE("GRU model files have 3 x hidden_size gate rows, a cell key and _reverse keys") {
  const json j = model_to_json(random_model(gru_shape(), 1));
  CHECK(j.at("cell") == "gru");
  CHECK(j.at("bidirectional") == true);
  CHECK(j.at("weight_ih_l0").size() == 6);            // 3H rows
  CHECK(j.at("weight_ih_l1_reverse").at(0).size() == 4);  // layer 1 reads 2 directions x H
  CHECK(j.at("bias_hh_l1_reverse").size() == 6);
  CHECK(valid_model().at("cell") == "lstm");
  CHECK(valid_model().at("bidirectional") == false);
}

TEST_CASE("model files use PyTorch state_dict names and shapes") {
  const json j = valid_model();
  CHECK(j.at("num_layers") == 2);
  CHECK(j.at("weight_ih_l0").size() == 8);          // 4H rows
  CHECK(j.at("weight_ih_l0").at(0).size() == 3);    // X columns
  CHECK(j.at("weight_ih_l1").at(0).size() == 2);    // layer 1 reads H
  CHECK(j.at("weight_hh_l1").at(0).size() == 2);
  CHECK(j.at("bias_hh_l1").size() == 8);
}

TEST_CASE("a model that is not an object is refused") {
  CHECK(model_error(json::array()) ==
        "model.json: /: expected an object with PyTorch state_dict keys, found an empty array");
}

TEST_CASE("missing, non-integer and non-positive sizes are refused with their key") {
  json j = valid_model();
  j.erase("hidden_size");
  CHECK(model_error(j) == "model.json: /hidden_size: missing; expected a positive integer");
  j = valid_model();
  j["num_layers"] = 1.5;
  CHECK(model_error(j) == "model.json: /num_layers: expected a positive integer, found 1.5");
  j = valid_model();
  j["input_size"] = 0;
  CHECK(model_error(j) ==
        "model.json: /input_size: expected an integer between 1 and 1000000, found 0");
  j["input_size"] = -3;
  CHECK(model_error(j).find("found -3") != std::string::npos);
}

TEST_CASE("a size that is a float reads as a float, and a huge size is shown as written") {
  json j = valid_model();
  j["hidden_size"] = 1.0;
  CHECK(model_error(j) == "model.json: /hidden_size: expected a positive integer, found 1.0");
  j["hidden_size"] = 1e300;
  CHECK(model_error(j) == "model.json: /hidden_size: expected a positive integer, found 1e+300");
  j = valid_model();
  j["num_layers"] = std::numeric_limits<std::uint64_t>::max();  // must not wrap to -1
  CHECK(model_error(j) == "model.json: /num_layers: expected an integer between 1 and 1000000, "
                          "found 18446744073709551615");
}

TEST_CASE("a huge num_layers is refused at the first missing layer, without work per layer") {
  json j = valid_model();
  j["num_layers"] = 1'000'000;
  CHECK(model_error(j).starts_with(
      "model.json: /weight_ih_l2: missing; expected the input weights"));
}

TEST_CASE("layer keys must be written as model_to_json writes them") {
  for (const char* key :
       {"weight_ih_l01", "weight_ih_l+1", "weight_ih_l-1", "weight_ih_l", "bias_hh_l1x"}) {
    json j = valid_model();
    j[key] = json::array();
    CAPTURE(key);
    CHECK(model_error(j).starts_with(fmt::format("model.json: /{}: unknown key", key)));
  }
}

TEST_CASE("two biases whose sum overflows a double are refused at the first one") {
  json j = valid_model();
  j["bias_ih_l1"][3] = 1.7e308;
  j["bias_hh_l1"][3] = 1.7e308;
  CHECK(model_error(j) == "model.json: /bias_ih_l1/3: expected a finite sum with /bias_hh_l1/3 "
                          "(the two biases are added), found 1.7e+308 + 1.7e+308 = inf");
  // Large but finite sums saturate in the bias format like any weight.
  j["bias_hh_l1"][3] = -1.7e308;
  CHECK(model_error(j) == "(no error)");
}

TEST_CASE("unknown keys are refused, with a reason for bidirectional and projection models") {
  json j = valid_model();
  j["dropout"] = 0.1;
  CHECK(model_error(j).starts_with("model.json: /dropout: unknown key"));
  j = valid_model();
  j["weight_ih_l2"] = json::array();  // num_layers is 2
  CHECK(model_error(j).starts_with("model.json: /weight_ih_l2: unknown key"));
  j = valid_model();
  j["weight_ih_l0_reverse"] = j["weight_ih_l0"];
  CHECK(model_error(j) ==
        "model.json: /weight_ih_l0_reverse: unknown key: a reverse-direction weight, but "
        "/bidirectional is not true (a bidirectional model says \"bidirectional\": true)");
  j = valid_model();
  j["weight_hr_l0"] = json::array();
  CHECK(model_error(j).find("proj_size") != std::string::npos);
  j = valid_model();
  j["a/b"] = 1;  // JSON pointer escaping
  CHECK(model_error(j).starts_with("model.json: /a~1b: unknown key"));
}

TEST_CASE("a missing weight or bias is refused, and bias-free models are named") {
  json j = valid_model();
  j.erase("weight_hh_l1");
  CHECK(model_error(j).starts_with("model.json: /weight_hh_l1: missing; expected the recurrent weights"));
  j = valid_model();
  j.erase("bias_ih_l0");
  const std::string e = model_error(j);
  CHECK(e.starts_with("model.json: /bias_ih_l0: missing; expected a bias"));
  CHECK(e.find("bias=False") != std::string::npos);
  CHECK(e.find("not supported yet") != std::string::npos);
}

TEST_CASE("wrong shapes name the key, the expected shape and what was found") {
  json j = valid_model();
  j["weight_hh_l0"][3].erase(1);
  CHECK(model_error(j) == "model.json: /weight_hh_l0: expected 4 x /hidden_size (2) = 8 rows of "
                          "/hidden_size (2) numbers, row 3 has 1");
  j = valid_model();
  j["weight_ih_l0"].erase(0);
  CHECK(model_error(j) == "model.json: /weight_ih_l0: expected 4 x /hidden_size (2) = 8 rows of "
                          "/input_size (3) numbers, found 7 rows");
  j = valid_model();
  j["weight_ih_l1"] = "zeros";
  CHECK(model_error(j) == "model.json: /weight_ih_l1: expected 4 x /hidden_size (2) = 8 rows of "
                          "/hidden_size (2) numbers, found the string \"zeros\"");
  j = valid_model();
  j["weight_ih_l0"][5] = 1.0;
  CHECK(model_error(j) == "model.json: /weight_ih_l0: expected 4 x /hidden_size (2) = 8 rows of "
                          "/input_size (3) numbers, row 5 is 1.0");
  j = valid_model();
  j["bias_hh_l1"].push_back(0.0);
  CHECK(model_error(j) ==
        "model.json: /bias_hh_l1: expected 4 x /hidden_size (2) = 8 numbers, found an array of 9");
}

TEST_CASE("shape errors say which size field the expected shape comes from") {
  // The issue's example: a hidden_size edited by hand.
  json j = valid_model();
  j["hidden_size"] = 3;
  CHECK(model_error(j) == "model.json: /weight_ih_l0: expected 4 x /hidden_size (3) = 12 rows of "
                          "/input_size (3) numbers, found 8 rows");
  j = model_to_json(random_model(gru_shape(), 1));
  j["weight_ih_l1_reverse"][0].erase(0);
  CHECK(model_error(j) == "model.json: /weight_ih_l1_reverse: expected 3 x /hidden_size (2) = 6 "
                          "rows of 2 x /hidden_size (2) = 4 numbers, row 0 has 3");
  j = model_to_json(random_model(gru_shape(), 1));
  j["bias_ih_l0"].erase(0);
  CHECK(model_error(j) ==
        "model.json: /bias_ih_l0: expected 3 x /hidden_size (2) = 6 numbers, found an array of 5");
}

TEST_CASE("a GRU's weights in a model without a cell key are named as a GRU's, and vice versa") {
  json j = model_to_json(random_model(gru_shape(), 1));
  j.erase("cell");
  CHECK(model_error(j) == "model.json: /weight_ih_l0: expected 4 x /hidden_size (2) = 8 rows of "
                          "/input_size (3) numbers, found 6 rows (3 x /hidden_size, as a GRU's: "
                          "set \"cell\": \"gru\")");
  j = valid_model();
  j["cell"] = "gru";
  CHECK(model_error(j) == "model.json: /weight_ih_l0: expected 3 x /hidden_size (2) = 6 rows of "
                          "/input_size (3) numbers, found 8 rows (4 x /hidden_size, as an LSTM's: "
                          "set \"cell\": \"lstm\")");
}

TEST_CASE("cell and bidirectional take only their documented values") {
  json j = valid_model();
  j["cell"] = "GRU";
  CHECK(model_error(j) ==
        "model.json: /cell: expected \"lstm\" or \"gru\", found the string \"GRU\"");
  j["cell"] = "rnn";
  CHECK(model_error(j).starts_with("model.json: /cell: expected \"lstm\" or \"gru\""));
  j = valid_model();
  j["bidirectional"] = 1;
  CHECK(model_error(j) == "model.json: /bidirectional: expected true or false, found 1");
}

TEST_CASE("a bidirectional model needs every reverse key") {
  json j = model_to_json(random_model(gru_shape(), 1));
  j.erase("bias_hh_l1_reverse");
  CHECK(model_error(j).starts_with("model.json: /bias_hh_l1_reverse: missing; expected a bias of "
                                   "3 x /hidden_size (2) = 6 numbers"));
  j = model_to_json(random_model(gru_shape(), 1));
  j.erase("weight_ih_l0_reverse");
  CHECK(model_error(j).starts_with(
      "model.json: /weight_ih_l0_reverse: missing; expected the input weights, 3 x /hidden_size "
      "(2) = 6 rows of /input_size (3) numbers"));
  j = model_to_json(random_model(gru_shape(), 1));
  j["weight_ih_l2_reverse"] = json::array();  // num_layers is 2
  CHECK(model_error(j).starts_with("model.json: /weight_ih_l2_reverse: unknown key;"));
}

TEST_CASE("a GRU's n-row biases are not added, so only its r and z rows must sum finitely") {
  json j = model_to_json(random_model(gru_shape(), 1));
  j["bias_ih_l0"][4] = 1.7e308;  // row n of unit 0 (rows r, z, n of H = 2)
  j["bias_hh_l0"][4] = 1.7e308;
  CHECK(model_error(j) == "(no error)");
  j["bias_ih_l0"][1] = 1.7e308;  // row r of unit 1
  j["bias_hh_l0"][1] = 1.7e308;
  CHECK(model_error(j).starts_with("model.json: /bias_ih_l0/1: expected a finite sum"));
}

TEST_CASE("initial states need one [layers x directions][hidden] array per sequence") {
  const json seqs = {{{1, 2, 3}}, {{4, 5, 6}}};
  const json row = {0.5, 0.5};
  CHECK(input_error({{"sequences", seqs}, {"h0", {{row, row}, {row, row}}}}) == "(no error)");
  CHECK(input_error({{"sequences", seqs}, {"h0", {{row, row}}}}) ==
        "in.json: /h0: expected one initial state per sequence (2 arrays, as /sequences has), "
        "found an array of 1");
  CHECK(input_error({{"sequences", seqs}, {"c0", {{row, row}, {row}}}}) ==
        "in.json: /c0/1: expected m.json's /num_layers (2) rows of m.json's /hidden_size (2) "
        "numbers, found 1 rows");
  CHECK(input_error({{"sequences", seqs}, {"h0", {{row, row}, {row, {0.5, 1, 2}}}}}) ==
        "in.json: /h0/1: expected m.json's /num_layers (2) rows of m.json's /hidden_size (2) "
        "numbers, row 1 has 3");
  CHECK(input_error({{"sequences", seqs}, {"h0", {{row, row}, {row, {0.5, nullptr}}}}}) ==
        "in.json: /h0/1/1/1: expected a number, found null");
}

TEST_CASE("a bidirectional model's initial state has a row per layer and direction") {
  const FloatModel m = random_model(gru_shape(), 2);
  const json seqs = {{{1, 2, 3}}};
  const json row = {0.5, 0.5};
  const auto error = [&](const json& j) {
    try {
      inputs_from_json(j, "in.json", m, "m.json");
    } catch (const FileError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(error({{"sequences", seqs}, {"h0", {{row, row, row, row}}}}) == "(no error)");
  CHECK(error({{"sequences", seqs}, {"h0", {{row, row}}}}) ==
        "in.json: /h0/0: expected 2 x m.json's /num_layers (2) = 4 (row layer * 2 + direction, "
        "as in PyTorch) rows of m.json's /hidden_size (2) numbers, found 2 rows");
  // A GRU has no cell state.
  CHECK(error({{"sequences", seqs}, {"c0", {{row, row, row, row}}}}) ==
        "in.json: /c0: unknown key: a GRU (m.json's /cell \"gru\") has no cell state; expected "
        "\"sequences\" and optionally \"h0\"");
}

TEST_CASE("an initial h without c, or c without h, starts the other from zero") {
  const json seqs = {{{1, 2, 3}}};
  const FloatModel m = model_with_input(3);
  const InputSet in = inputs_from_json(
      {{"sequences", seqs}, {"c0", {{{0.5, 0.25}, {1.0, 2.0}}}}}, "in.json", m);
  REQUIRE(in.initial.size() == 1);
  CHECK(in.initial[0].h == std::vector<Vector>{{0.0, 0.0}, {0.0, 0.0}});
  CHECK(in.initial[0].c == std::vector<Vector>{{0.5, 0.25}, {1.0, 2.0}});
  CHECK(inputs_from_json({{"sequences", seqs}}, "in.json", m).initial.empty());
}

TEST_CASE("nulls, strings and booleans where numbers belong are refused with their path") {
  json j = valid_model();
  j["weight_hh_l0"][2][1] = nullptr;
  CHECK(model_error(j) == "model.json: /weight_hh_l0/2/1: expected a number, found null");
  j = valid_model();
  j["bias_ih_l1"][4] = "0.5";
  CHECK(model_error(j) == "model.json: /bias_ih_l1/4: expected a number, found the string \"0.5\"");
  j = valid_model();
  j["weight_ih_l0"][0][0] = true;
  CHECK(model_error(j) == "model.json: /weight_ih_l0/0/0: expected a number, found true");
}

TEST_CASE("non-finite numbers are refused with their path") {
  json j = valid_model();
  j["bias_hh_l0"][0] = -std::numeric_limits<double>::infinity();
  CHECK(model_error(j) == "model.json: /bias_hh_l0/0: expected a finite number, found -inf");
  j = valid_model();
  j["weight_hh_l1"][7][1] = std::numeric_limits<double>::quiet_NaN();
  CHECK(model_error(j) == "model.json: /weight_hh_l1/7/1: expected a finite number, found nan");
  CHECK(input_error({{"sequences", {{{1.0, std::numeric_limits<double>::infinity(), 3.0}}}}}) ==
        "in.json: /sequences/0/0/1: expected a finite number, found inf");
}

TEST_CASE("a number too large for a double in a file is refused with its line and column") {
  const fs::path dir = scratch("overflow");
  const std::string path = (dir / "i.json").string();
  write_text(path, "{\"sequences\": [\n  [[1, 1e999, 3]]]}");
  CHECK_THROWS_WITH_AS(
      read_input_file(path, model_with_input(3)),
      (path + ": not valid JSON: number overflow parsing '1e999' at line 2, column 8").c_str(),
      FileError);
}

TEST_CASE("a key given twice is refused in models and inputs, with its JSON pointer") {
  const fs::path dir = scratch("duplicates");
  const std::string model = (dir / "m.json").string();
  std::string text = valid_model().dump();
  text.insert(1, "\"hidden_size\": 2, ");
  write_text(model, text);
  const std::string once = ": a key may appear only once in an object";
  CHECK_THROWS_WITH_AS(read_model_file(model),
                       (model + ": /hidden_size: duplicate key \"hidden_size\"" + once).c_str(),
                       FileError);
  const std::string input = (dir / "i.json").string();
  write_text(input, R"({"sequences": [[[1, 2, 3]], {"a": 1, "a": 2}]})");
  CHECK_THROWS_WITH_AS(read_input_file(input, model_with_input(3)),
                       (input + ": /sequences/1/a: duplicate key \"a\"" + once).c_str(), FileError);
}

TEST_CASE("a file nested too deeply is refused with the position of the first level too many") {
  const fs::path dir = scratch("deep");
  const std::string path = (dir / "i.json").string();
  const std::size_t levels = 100'000;
  write_text(path, "{\"sequences\": " + std::string(levels, '[') + std::string(levels, ']') + "}");
  CHECK_THROWS_WITH_AS(read_input_file(path, model_with_input(3)),
                       (path + ": nested too deeply: level 65 of arrays and objects opens at "
                               "line 1, column 78; at most 64 levels are allowed").c_str(),
                       FileError);
}

TEST_CASE("a directory is refused as one") {
  const fs::path dir = scratch("directory");
  CHECK_THROWS_WITH_AS(read_model_file(dir.string()),
                       (dir.string() + ": is a directory, expected a JSON file").c_str(),
                       FileError);
}

TEST_CASE("a missing file and a file that is not JSON are refused with the file name") {
  const fs::path dir = scratch("bad_files");
  const std::string missing = (dir / "nope.json").string();
  CHECK_THROWS_WITH_AS(read_model_file(missing), (missing + ": cannot open: No such file or directory").c_str(), FileError);
  write_text(dir / "broken.json", "{\"input_size\": 3,");
  try {
    read_model_file((dir / "broken.json").string());
    FAIL("no error");
  } catch (const FileError& e) {
    CHECK(std::string(e.what()).starts_with((dir / "broken.json").string() + ": not valid JSON: "));
  }
}

TEST_CASE("input files need at least one sequence of at least one step of input_size finite numbers") {
  CHECK(input_error(json::array()) ==
        "in.json: /: expected an object {\"sequences\": [...]}, found an empty array");
  CHECK(input_error(json::object()) ==
        "in.json: /sequences: missing; expected an array of sequences [sequence][step][input]");
  CHECK(input_error({{"sequences", json::array()}}) ==
        "in.json: /sequences: expected an array of at least one sequence, found an empty array");
  CHECK(input_error({{"sequences", {json::array()}}}) ==
        "in.json: /sequences/0: expected an array of at least one step, found an empty array");
  CHECK(input_error({{"sequences", {{{1, 2, 3}, {1, 2}}}}}) ==
        "in.json: /sequences/0/1: expected m.json's /input_size (3) numbers, found an array of 2");
  CHECK(input_error({{"sequences", {{{1, 2, 3}}, {{1, nullptr, 3}}}}}) ==
        "in.json: /sequences/1/0/1: expected a number, found null");
  CHECK(input_error({{"sequences", {{{1, 2, 3}}}}, {"lengths", 1}}) ==
        "in.json: /lengths: unknown key; expected \"sequences\" and optionally \"h0\" and "
        "\"c0\"");
  CHECK(input_error({{"sequences", {{{1, 2, 3}}, {{4, 5, 6}, {7, 8, 9}}}}}) == "(no error)");
}

TEST_CASE("an atomic write replaces the file and leaves no temporary behind") {
  const fs::path dir = scratch("atomic");
  const std::string path = (dir / "out.json").string();
  write_json_file_atomic(path, {{"a", 1}});
  write_json_file_atomic(path, {{"a", 2}});
  CHECK(json::parse(std::ifstream(path)).at("a") == 2);
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
}

TEST_CASE("an atomic write that fails names the path and leaves nothing behind") {
  const fs::path dir = scratch("atomic_fail");
  const std::string missing_dir = (dir / "no" / "out.json").string();
  CHECK_THROWS_WITH_AS(write_json_file_atomic(missing_dir, {{"a", 1}}),
                       (missing_dir + ": cannot write: No such file or directory").c_str(),
                       FileError);
  // A value nlohmann cannot serialize (invalid UTF-8) fails after the
  // temporary exists: it must be removed.
  const std::string path = (dir / "out.json").string();
  CHECK_THROWS_AS(write_json_file_atomic(path, {{"a", std::string("\xff")}}), FileError);
  CHECK(fs::is_empty(dir));
}

}  // TEST_SUITE
