// libFuzzer target: model file text -> lstm::parse_json_text -> lstm::model_from_json,
// what read_model_file does after reading the file.
//
// Properties (any violation aborts, which libFuzzer records as a crash):
//   - the reader throws lstm::FileError or returns; any other exception,
//     crash or sanitizer report is a bug;
//   - a returned model has the shape it claims: num_layers layers, matrices of
//     [4H][X_k] and [4H][H], biases of 4H, finite numbers;
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

namespace {

using lstm::fuzz::fuzz_fail;

void check_shape(const lstm::FloatModel& m) {
  const auto h = static_cast<std::size_t>(m.hidden_size);
  if (m.input_size <= 0 || m.hidden_size <= 0 || m.layers.empty())
    fuzz_fail("model_from_json returned a model without sizes or layers");
  for (std::size_t k = 0; k < m.layers.size(); ++k) {
    const lstm::FloatLayer& l = m.layers[k];
    const auto x = static_cast<std::size_t>(k == 0 ? m.input_size : m.hidden_size);
    if (static_cast<std::size_t>(l.input_size) != x || l.hidden_size != m.hidden_size ||
        l.w_ih.size() != 4 * h * x || l.w_hh.size() != 4 * h * h || l.b_ih.size() != 4 * h ||
        l.b_hh.size() != 4 * h)
      fuzz_fail(fmt::format("layer {} has the wrong shape", k));
    for (const auto* v : {&l.w_ih, &l.w_hh, &l.b_ih, &l.b_hh})
      for (double d : *v)
        if (!std::isfinite(d)) fuzz_fail(fmt::format("layer {} holds a non-finite number", k));
  }
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

  // lstmsim's golden engine runs what check_model_runs_on_hardware lets through;
  // of the limits only max_input and max_hidden matter to the arithmetic.
  const lstm::HwConfig c;
  if (m.input_size > c.limits.max_input || m.hidden_size > c.limits.max_hidden) return 0;
  const lstm::SequenceSet inputs{
      {lstm::Vector(static_cast<std::size_t>(m.input_size), 0.5),
       lstm::Vector(static_cast<std::size_t>(m.input_size), -1e9)}};
  try {
    const lstm::SequenceSet f = lstm::run_float_set(m, inputs);
    const lstm::SequenceSet g = lstm::run_golden_set(c, m, inputs);
    if (f.size() != 1 || g.size() != 1 || g[0].size() != 2 ||
        g[0][0].size() != static_cast<std::size_t>(m.hidden_size))
      fuzz_fail("engine output has the wrong shape");
  } catch (const std::exception& e) {
    fuzz_fail(fmt::format("a model that model_from_json accepted breaks an engine: {}", e.what()));
  }
  return 0;
}
