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

// Model file: PyTorch state_dict names (weight_ih_l0, weight_hh_l0, bias_ih_l0,
// bias_hh_l0, ...) plus input_size, hidden_size, num_layers.
FloatModel read_model_file(const std::string& path);
FloatModel model_from_json(const nlohmann::json& j, const std::string& source);
nlohmann::json model_to_json(const FloatModel& m);

// Input file: {"sequences": [seq][t][x]}.
SequenceSet read_input_file(const std::string& path, int input_size);
SequenceSet inputs_from_json(const nlohmann::json& j, const std::string& source,
                             int input_size);
nlohmann::json inputs_to_json(const SequenceSet& s);

// Output file: {"outputs": [seq][t][h], ...run facts}. Written atomically
// (temporary file, then rename) so a failed run leaves nothing behind.
void write_json_file_atomic(const std::string& path, const nlohmann::json& j);

}  // namespace lstm
