// libFuzzer target: input file text -> lstm::parse_json_text -> lstm::inputs_from_json,
// what read_input_file does after reading the file.
//
// The input size is taken from the text itself (the length of the first step,
// if there is one) so that seed files of any model size are useful.
// Properties (any violation aborts, which libFuzzer records as a crash):
//   - the reader throws lstm::FileError or returns; anything else is a bug;
//   - returned sequences are non-empty, every step has input_size finite numbers;
//   - initial states (h0, c0), when given, are one per sequence and finite;
//   - they run through the golden engine with a small fixed model (2 layers).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "spec/config.hpp"
#include "sim/engines.hpp"
#include "fuzz_common.hpp"
#include "sim/model_io.hpp"

namespace {

using lstm::fuzz::fuzz_fail;
using nlohmann::json;

int guess_input_size(const json& j) {
  if (!j.is_object() || !j.contains("sequences")) return 1;
  const json& s = j["sequences"];
  if (!s.is_array() || s.empty() || !s[0].is_array() || s[0].empty() || !s[0][0].is_array())
    return 1;
  return std::clamp(static_cast<int>(s[0][0].size()), 1, 64);
}

lstm::FloatModel small_model(int input_size) {
  lstm::FloatModel m;
  m.input_size = input_size;
  m.hidden_size = 2;
  lstm::FloatLayer l;
  l.input_size = input_size;
  l.hidden_size = 2;
  l.w_ih.assign(static_cast<std::size_t>(8 * input_size), 0.25);
  l.w_hh.assign(16, -0.5);
  l.b_ih.assign(8, 0.125);
  l.b_hh.assign(8, -0.125);
  m.layers.push_back(l);
  // Layer 1 reads layer 0's h: 2 inputs.
  l.input_size = 2;
  l.w_ih.assign(16, 0.25);
  m.layers.push_back(l);
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = lstm::fuzz::as_text(data, size);
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  const int x = j.is_discarded() ? 1 : guess_input_size(j);

  const lstm::FloatModel model = small_model(x);
  lstm::InputSet in;
  try {
    in = lstm::inputs_from_json(lstm::parse_json_text(text, "fuzz.json"), "fuzz.json", model);
  } catch (const lstm::FileError&) {
    return 0;
  } catch (const std::exception& e) {
    fuzz_fail(fmt::format("the input reader threw something other than FileError: {}", e.what()));
  }
  const lstm::SequenceSet& s = in.sequences;
  if (s.empty()) fuzz_fail("no sequences returned");
  if (!in.initial.empty() && in.initial.size() != s.size())
    fuzz_fail("initial states not one per sequence");
  for (const lstm::FloatState& st : in.initial) {
    if (st.h.size() != 2 || st.c.size() != 2) fuzz_fail("an initial state of the wrong shape");
    for (const auto* rows : {&st.h, &st.c})
      for (const lstm::Vector& row : *rows)
        for (double d : row)
          if (row.size() != 2 || !std::isfinite(d)) fuzz_fail("a bad initial state returned");
  }
  for (const lstm::Sequence& seq : s) {
    if (seq.empty()) fuzz_fail("an empty sequence returned");
    for (const lstm::Vector& step : seq) {
      if (step.size() != static_cast<std::size_t>(x)) fuzz_fail("a step of the wrong length");
      for (double d : step)
        if (!std::isfinite(d)) fuzz_fail("a non-finite input returned");
    }
  }
  try {
    const lstm::SequenceSet out =
        lstm::run_golden(lstm::HwConfig{}, model, s, in.initial).outputs;
    if (out.size() != s.size()) fuzz_fail("golden output has the wrong number of sequences");
  } catch (const std::exception& e) {
    fuzz_fail(fmt::format("inputs that inputs_from_json accepted break the golden engine: {}",
                          e.what()));
  }
  return 0;
}
