// libFuzzer target: model file text -> lstm::parse_json_text -> lstm::model_from_json,
// what read_model_file does after reading the file.
//
// Properties (any violation aborts, which libFuzzer records as a crash):
//   - the reader throws lstm::FileError or returns; any other exception,
//     crash or sanitizer report is a bug;
//   - a returned model has the shape it claims: num_layers layers (in each
//     direction), matrices of [G*H][X_k] and [G*H][H], biases of G*H (G = 4
//     for an LSTM, 3 for a GRU; X_k = D*H for k > 0), finite numbers;
//   - a model within the default config's limits runs through the float and
//     golden engines without throwing (what `lstmsim run` does next).
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
#include "sim/run_common.hpp"

namespace {

using lstm::fuzz::fuzz_fail;

void check_layers(const lstm::FloatModel& m, const std::vector<lstm::FloatLayer>& layers,
                  const char* direction) {
  const auto h = static_cast<std::size_t>(m.hidden_size);
  const auto g = static_cast<std::size_t>(lstm::gate_rows(m.cell));
  const auto dirs = static_cast<std::size_t>(m.directions());
  for (std::size_t k = 0; k < layers.size(); ++k) {
    const lstm::FloatLayer& l = layers[k];
    // Layer k > 0 reads layer k - 1's h of every direction.
    const auto x = k == 0 ? static_cast<std::size_t>(m.input_size) : dirs * h;
    if (static_cast<std::size_t>(l.input_size) != x || l.hidden_size != m.hidden_size ||
        l.w_ih.size() != g * h * x || l.w_hh.size() != g * h * h || l.b_ih.size() != g * h ||
        l.b_hh.size() != g * h)
      fuzz_fail(fmt::format("layer {} ({}) has the wrong shape", k, direction));
    for (const auto* v : {&l.w_ih, &l.w_hh, &l.b_ih, &l.b_hh})
      for (double d : *v)
        if (!std::isfinite(d)) fuzz_fail(fmt::format("layer {} holds a non-finite number", k));
  }
}

void check_shape(const lstm::FloatModel& m) {
  if (m.input_size <= 0 || m.hidden_size <= 0 || m.layers.empty())
    fuzz_fail("model_from_json returned a model without sizes or layers");
  if (m.bidirectional() && m.reverse.size() != m.layers.size())
    fuzz_fail("a bidirectional model without a reverse direction for every layer");
  check_layers(m, m.layers, "forward");
  check_layers(m, m.reverse, "reverse");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  lstm::FloatModel m;
  try {
    m = lstm::model_from_json(lstm::parse_json_text(lstm::fuzz::as_text(data, size), "fuzz.json"),
                              "fuzz.json");
  } catch (const lstm::FileError&) {
    return 0;
  } catch (const std::exception& e) {
    fuzz_fail(fmt::format("the model reader threw something other than FileError: {}", e.what()));
  }
  check_shape(m);

  // lstmsim's golden engine runs what check_model_within_limits lets through.
  const lstm::HwConfig c;
  if (!lstm::model_limit_problems(c, m).empty()) return 0;
  const lstm::SequenceSet inputs{
      {lstm::Vector(static_cast<std::size_t>(m.input_size), 0.5),
       lstm::Vector(static_cast<std::size_t>(m.input_size), -1e9)}};
  try {
    const lstm::SequenceSet f = lstm::run_float_set(m, inputs);
    const lstm::SequenceSet g = lstm::run_golden_set(c, m, inputs);
    if (f.size() != 1 || g.size() != 1 || g[0].size() != 2 ||
        g[0][0].size() != static_cast<std::size_t>(m.directions() * m.hidden_size))
      fuzz_fail("engine output has the wrong shape");
  } catch (const std::exception& e) {
    fuzz_fail(fmt::format("a model that model_from_json accepted breaks an engine: {}", e.what()));
  }
  return 0;
}
