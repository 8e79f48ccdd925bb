// rtlsim's scoreboard: every h element of every job against the golden
// model's, bit for bit; the saturation events the cores counted for each job
// against the golden model's counts (docs/numerics.md, "For the RTL
// counters"), per layer and event, exactly; and the useful MACs of the jobs checked (for MAC
// utilization). Plain C++ (no Verilator): it sees only the jobs' inputs and
// outputs, never the design.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/golden_lstm.hpp"
#include "sim/lstm_model.hpp"
#include "sim/saturation.hpp"
#include "spec/config.hpp"
#include "spec/lstm_shape.hpp"

namespace lstm::tb {

class Scoreboard {
 public:
  static constexpr std::size_t kMaxMessages = 10;

  // check_saturation false: the counters were not read (rtlsim
  // --no-saturation-read), so check() compares no counts.
  Scoreboard(const HwConfig& c, const std::vector<QuantModel>& models, bool check_saturation = true)
      : cfg_(c), models_(models), check_saturation_(check_saturation) {}

  // Compares the outputs h of sequence `sequence` of model `model`, run on
  // inputs x from `initial` (empty: zero state), with the golden model's;
  // missing elements are mismatches. With a final state (h_n, c_n; empty: not
  // read), compares it too. Then the saturation counts `sat` (one row per
  // layer and direction, as the golden model's; missing rows count 0) with
  // the golden model's; each differing count is a saturation mismatch.
  void check(int model, int sequence, const IntSequence& x, const IntSequence& h,
             const LayerSatCounts& sat, const IntState& initial = {},
             const IntState& final_state = {}) {
    const QuantModel& q = models_.at(static_cast<std::size_t>(model));
    const IntRun golden = GoldenLstm(cfg_, q).run(x, initial);
    const IntSequence& expect = golden.outputs;
    auto& model_sat = golden_sat_[model];
    model_sat.resize(golden.saturation.size());
    for (std::size_t l = 0; l < golden.saturation.size(); ++l) {
      model_sat[l] += golden.saturation[l];
      const SatCounts got = l < sat.size() ? sat[l] : SatCounts{};
      for (std::size_t e = 0; e < kSatEvents; ++e) {
        if (!check_saturation_ || got.n[e] == golden.saturation[l].n[e]) continue;
        if (++sat_mismatches_ <= kMaxMessages)
          messages_.push_back(fmt::format(
              "model {} sequence {} layer {}: the golden model counts {} {} events, the RTL's "
              "counters {}",
              model, sequence, l, golden.saturation[l].n[e], kSatEventNames[e], got.n[e]));
      }
    }
    if (!final_state.h.empty()) {
      for (const auto* rows : {&golden.final_state.h, &golden.final_state.c}) {
        const auto& got = rows == &golden.final_state.h ? final_state.h : final_state.c;
        const char* name = rows == &golden.final_state.h ? "h_n" : "c_n";
        for (std::size_t l = 0; l < rows->size(); ++l)
          for (std::size_t u = 0; u < (*rows)[l].size(); ++u) {
            const bool have = l < got.size() && u < got[l].size();
            if (have && got[l][u] == (*rows)[l][u]) continue;
            if (++mismatches_ <= kMaxMessages)
              messages_.push_back(fmt::format(
                  "model {} sequence {} {} layer {} unit {}: expected {}, got {}", model, sequence,
                  name, l, u, (*rows)[l][u], have ? fmt::to_string(got[l][u]) : "nothing"));
          }
      }
    }
    for (const auto* dir : {&q.layers, &q.reverse})
      for (const auto& l : *dir)
        macs_ += std::uint64_t{kGates} * static_cast<std::uint64_t>(l.hidden_size) *
               static_cast<std::uint64_t>(l.input_size + l.hidden_size) * x.size();
    for (std::size_t t = 0; t < expect.size(); ++t)
      for (std::size_t u = 0; u < expect[t].size(); ++u) {
        const bool have = t < h.size() && u < h[t].size();
        if (have && h[t][u] == expect[t][u]) continue;
        if (++mismatches_ <= kMaxMessages)
          messages_.push_back(fmt::format("model {} sequence {} step {} unit {}: expected {}, got {}",
                                          model, sequence, t, u, expect[t][u],
                                          have ? fmt::to_string(h[t][u]) : "nothing"));
      }
  }

  std::size_t mismatches() const { return mismatches_; }
  // Saturation counts that differ from the golden model's.
  std::size_t sat_mismatches() const { return sat_mismatches_; }
  // The golden model's saturation counts of a model's checked jobs, summed.
  LayerSatCounts golden_saturation(int model) const {
    const auto it = golden_sat_.find(model);
    return it == golden_sat_.end() ? LayerSatCounts{} : it->second;
  }
  // The first kMaxMessages mismatches, one line each.
  const std::vector<std::string>& messages() const { return messages_; }
  // Multiply-accumulates the checked jobs need: kGates * H * (X + H) per layer-step.
  std::uint64_t macs() const { return macs_; }
  // macs() over what cores_used cores of the config could do in `cycles`.
  double mac_utilization(int cores_used, std::uint64_t cycles) const {
    return cycles == 0 ? 0.0
                       : static_cast<double>(macs_) /
                             (double{kGates} * cfg_.lanes * cores_used * static_cast<double>(cycles));
  }

 private:
  const HwConfig& cfg_;
  const std::vector<QuantModel>& models_;
  bool check_saturation_ = true;
  std::size_t mismatches_ = 0;
  std::size_t sat_mismatches_ = 0;
  std::map<int, LayerSatCounts> golden_sat_;
  std::vector<std::string> messages_;
  std::uint64_t macs_ = 0;
};

}  // namespace lstm::tb
