// Model, input and output files (docs/models.md). Readers throw FileError with
// the file, the JSON path and what was expected; they never crash on bad data.
#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "sim/lstm_model.hpp"

namespace lstm {

class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The text of a model or input file as JSON, read strictly (spec/json_text.hpp:
// no duplicate keys, bounded nesting, every syntax error with its line and
// column). Throws FileError naming `source`.
nlohmann::json parse_json_text(const std::string& text, const std::string& source);

// Model file: PyTorch state_dict names of an nn.LSTM or nn.GRU (weight_ih_l0,
// weight_hh_l0, bias_ih_l0, bias_hh_l0, ..., and the *_reverse copies of a
// bidirectional one) plus input_size, hidden_size, num_layers, and optionally
// cell ("lstm", the default, or "gru") and bidirectional (default false).
FloatModel read_model_file(const std::string& path);
FloatModel model_from_json(const nlohmann::json& j, const std::string& source);
nlohmann::json model_to_json(const FloatModel& m);

// Input file: {"sequences": [seq][t][x]}, optionally with the initial state
// of every sequence, "h0" (and for an LSTM "c0"): [seq][layer * directions +
// direction][hidden], PyTorch's h0 and c0 of one batch entry.
struct InputSet {
  SequenceSet sequences;
  // Empty: every sequence starts from zero state. Otherwise one per sequence
  // (h0 or c0 left out of the file is zeros; c is empty for a GRU).
  std::vector<FloatState> initial;
};
// Shapes are checked against model m; messages name its fields as
// "MODEL_SOURCE's /input_size (3)" ("the model's" without a source).
InputSet read_input_file(const std::string& path, const FloatModel& m,
                         const std::string& model_source = "");
InputSet inputs_from_json(const nlohmann::json& j, const std::string& source,
                          const FloatModel& m, const std::string& model_source = "");
nlohmann::json inputs_to_json(const SequenceSet& s);
nlohmann::json inputs_to_json(const InputSet& s);

// Output file: {"outputs": [seq][t][h], ...run facts}. Written atomically
// (temporary file, then rename) so a failed run leaves nothing behind.
void write_json_file_atomic(const std::string& path, const nlohmann::json& j);
// The same for text that is already formatted (a config file).
void write_text_file_atomic(const std::string& path, const std::string& text);

}  // namespace lstm
