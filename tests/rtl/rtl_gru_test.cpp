// GRU layers on the RTL (issue 13, item 2): random GRU models of one and two
// layers (X != H) in every mode on a 3-core config generated with both cells,
// bit-exact against the golden model, with the saturation counters equal to
// the golden model's counts (a GRU counts narrow_candidate and
// narrow_gru_hidden in the LSTM's counters: spec/host_map.hpp, kSatFieldsGru).
#include <doctest/doctest.h>

#include "tests/rtl/rtl_test_support.hpp"
#include "tests/rtl/saturating_model.hpp"

using lstm::CellType;
using lstm::SatEvent;
using lstm::WorkloadShape;
using lstm::test::RtlCase;
using lstm::test::run_rtl_case;

namespace {

// sat_tri: data Q1.4, activation range 4; "cells": ["lstm", "gru"].
constexpr const char* kSat = "tests/rtl/configs/sat_tri.json";

WorkloadShape gru(WorkloadShape s) {
  s.cell = CellType::Gru;
  return s;
}
WorkloadShape gru_shape(int input, int hidden, int layers, int steps, int sequences = 1) {
  return gru(lstm::test::saturating_shape(input, hidden, layers, steps, sequences));
}

// Bit-exact, counts equal to the golden engine's (checked here and by
// rtlsim's scoreboard); with a saturating model every GRU event that a valid
// config allows happened (narrow_candidate needs a sum beyond the accumulator).
void expect_gru(RtlCase c, int cores_used) {
  const auto r = run_rtl_case(c);
  CHECK(r.exit_code == 0);
  CHECK(r.bit_exact);
  CHECK(r.cores_used == cores_used);
  CHECK(r.saturation_mismatches == 0);
  CHECK(r.saturation_exact);
  if (!c.saturating) return;
  lstm::SatCounts all;
  for (const auto& model : r.saturation)
    for (const auto& layer : model) all += layer;
  for (auto e : {SatEvent::ActSigmoidAcc, SatEvent::ActTanhAcc, SatEvent::NarrowGruHidden}) {
    INFO("event ", lstm::kSatEventNames[static_cast<std::size_t>(e)]);
    CHECK(all[e] > 0);
  }
  for (auto e : {SatEvent::NarrowCell, SatEvent::ActTanhCell, SatEvent::NarrowHidden}) {
    INFO("LSTM event ", lstm::kSatEventNames[static_cast<std::size_t>(e)]);
    CHECK(all[e] == 0);
  }
}

RtlCase saturating(RtlCase c) {
  c.saturating = true;  // tests/rtl/saturating_model.hpp
  return c;
}

}  // namespace

TEST_SUITE("rtl GRU, 3 cores (sat_tri config, LSTM and GRU)") {
  TEST_CASE("single mode runs a one-layer GRU bit-exact") {
    expect_gru({"gru_single_1l", kSat, "single", {gru_shape(5, 7, 1, 30)}, 61}, 1);
  }
  TEST_CASE("single mode runs a two-layer GRU bit-exact and counts its saturation events") {
    expect_gru(saturating({"gru_single_2l", kSat, "single", {gru_shape(5, 7, 2, 20, 2)}, 62}), 1);
  }
  TEST_CASE("mp runs GRU jobs of two models on idle cores, counts per job") {
    expect_gru(saturating({"gru_mp", kSat, "mp",
                           {gru_shape(4, 6, 1, 14, 3), gru_shape(7, 3, 2, 10, 2)}, 63}),
               3);
  }
  TEST_CASE("mt pipelines a three-layer GRU over three cores") {
    expect_gru(saturating({"gru_mt", kSat, "mt", {gru_shape(6, 8, 3, 16, 2)}, 64}), 3);
  }
  TEST_CASE("hc splits a two-layer GRU's units over three cores") {
    expect_gru(saturating({"gru_hc", kSat, "hc", {gru_shape(5, 8, 2, 18)}, 65}), 3);
  }
}
