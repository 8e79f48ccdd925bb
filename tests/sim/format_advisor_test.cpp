// The format advisor (sim/format_advisor.hpp, `lstmsim formats`): on models
// built to need wider or narrower formats than the config's, its proposal is a
// valid config that saturates nothing, keeps the fraction widths, and says so
// with the golden model's own counts.
#include <doctest/doctest.h>

#include <string>

#include "sim/format_advisor.hpp"
#include "sim/model_io.hpp"
#include "sim/workload.hpp"

using namespace lstm;

namespace {

const WorkloadShape kShape = workload_shape(3, 4, 2, 8, 2);

// configs/small.json's formats: data Q3.5, weight and bias Q2.6, range 4.
HwConfig small_config() {
  HwConfig c;
  c.name = "small";
  c.data = {8, 5};
  c.weight = c.bias = {8, 6};
  c.accum = {24, 11};
  c.gate = {10, 8};
  c.cell = {12, 8};
  c.activation = {ActivationKind::Lut, 5, 4};
  c.limits = {.max_input = 16, .max_hidden = 16, .max_layers = 3, .weight_depth = 256};
  c.lanes = 4;
  c.cores = 2;
  REQUIRE(validate_config(c).empty());
  return c;
}

bool same_fractions(const HwConfig& a, const HwConfig& b) {
  return a.data.frac == b.data.frac && a.weight.frac == b.weight.frac &&
         a.bias.frac == b.bias.frac && a.gate.frac == b.gate.frac && a.cell.frac == b.cell.frac;
}

}  // namespace

TEST_SUITE("format_advisor") {

TEST_CASE("a weight beyond the weight format gets a wider format that holds it") {
  FloatModel m = random_model(kShape, 4);
  m.layers[0].w_ih[0] = 5.0;  // Q2.6 holds [-2, 1.984]
  const HwConfig base = small_config();
  const FormatAdvice a = advise_formats(base, m, random_inputs(kShape, 4), {});
  CHECK(a.base_check.saturated_values >= 1);
  CHECK(a.proposal_check.saturated_values == 0);
  CHECK(a.proposal_check.events == 0);
  CHECK(a.proposal.weight.frac == 6);
  CHECK(a.proposal.weight.width == 10);  // Q4.6: [-8, 7.98]
  CHECK(validate_config(a.proposal).empty());
  CHECK(same_fractions(a.proposal, base));
  CHECK(a.proposal.name == "small-advised");
}

TEST_CASE("a model that fits is given narrower formats with the same precision") {
  // Default formats are Q4.12 for data, weights and biases; the random model's
  // values stay within [-1, 1].
  const HwConfig base;
  const FormatAdvice a =
      advise_formats(base, random_model(kShape, 5), random_inputs(kShape, 5), {});
  CHECK(a.base_check.saturated_values == 0);
  CHECK(a.proposal_check.saturated_values == 0);
  CHECK(a.proposal_check.events == 0);
  CHECK(a.proposal.weight.width < base.weight.width);
  CHECK(a.proposal.data.width < base.data.width);
  CHECK(a.proposal.cell.width < base.cell.width);
  CHECK(same_fractions(a.proposal, base));
  CHECK(validate_config(a.proposal).empty());
  // The same fraction bits, so the same arithmetic: the error cannot grow.
  CHECK(a.proposal_check.max_error == doctest::Approx(a.base_check.max_error));
}

TEST_CASE("pre-activations beyond the activation range double it until they fit") {
  // Gate biases of 20 put every pre-activation near 20, beyond [-8, 8): the
  // range doubles twice, to 32, with two more index bits.
  FloatModel m = random_model(kShape, 6);
  for (FloatLayer& l : m.layers)
    for (double& b : l.b_ih) b = 10.0;
  for (FloatLayer& l : m.layers)
    for (double& b : l.b_hh) b = 10.0;
  const HwConfig base;
  const FormatAdvice a = advise_formats(base, m, random_inputs(kShape, 6), {});
  CHECK(a.base_check.events > 0);
  CHECK(a.proposal.activation.range == 32);
  CHECK(a.proposal.activation.index_bits == base.activation.index_bits + 2);
  CHECK(a.proposal_check.events == 0);
  CHECK(a.proposal_check.saturated_values == 0);
}

TEST_CASE("a value beyond the widest format of its kind is an error naming the kind") {
  FloatModel m = random_model(kShape, 7);
  m.layers[1].w_hh[3] = 1e30;
  std::string message;
  try {
    advise_formats(HwConfig{}, m, random_inputs(kShape, 7), {});
  } catch (const FileError& e) {
    message = e.what();
  }
  CHECK(message == "weight values reach 1e30, beyond any weight format (at most 32 bits, "
                   "docs/configuration.md)");
}

TEST_CASE("a GRU has no cell state, so the cell format is left as it was") {
  FloatModel m = random_model(kShape, 8);
  m.cell = CellType::Gru;
  for (FloatLayer& l : m.layers) {  // 3 gate rows instead of 4
    const auto h = static_cast<std::size_t>(l.hidden_size);
    l.w_ih.resize(3 * h * static_cast<std::size_t>(l.input_size));
    l.w_hh.resize(3 * h * h);
    l.b_ih.resize(3 * h);
    l.b_hh.resize(3 * h);
  }
  const HwConfig base;
  const FormatAdvice a = advise_formats(base, m, random_inputs(kShape, 8), {});
  CHECK(a.ranges.cell.empty);
  CHECK(a.proposal.cell == base.cell);
  CHECK(a.proposal_check.events == 0);
  CHECK(a.proposal_check.saturated_values == 0);
}

TEST_CASE("the report shows every format kind, the tables and both checks") {
  const FormatAdvice a =
      advise_formats(small_config(), random_model(kShape, 9), random_inputs(kShape, 9), {});
  const std::string r = advice_report(a, "configs/small.json");
  for (const char* row : {"| data |", "| weight |", "| bias |", "| accum |", "| gate |",
                          "| cell |", "activation tables:", "| configs/small.json |",
                          "| proposal |"})
    CHECK_MESSAGE(r.find(row) != std::string::npos, row);
}

}  // TEST_SUITE
