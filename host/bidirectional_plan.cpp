// Layer-by-layer plans of a bidirectional model: see host/bidirectional_plan.hpp.
#include "host/bidirectional_plan.hpp"

namespace lstm {

namespace {

// Row r of a state, or zeros (empty) when the state has none.
IntVector row_of(const std::vector<IntVector>& rows, std::size_t r) {
  return rows.empty() ? IntVector{} : rows.at(r);
}

// Job 2 s + d of layer l: direction d of sequence s, with its rows of the
// initial state.
JobSpec layer_job(const JobSpec& seq, std::size_t l, int d) {
  JobSpec j{d, seq.steps};
  j.read_state = seq.read_state;
  if (seq.start == StartState::Load) {
    j.start = StartState::Load;
    const std::size_t r = 2 * l + static_cast<std::size_t>(d);
    if (!seq.initial.h.empty()) j.initial.h = {row_of(seq.initial.h, r)};
    if (!seq.initial.c.empty()) j.initial.c = {row_of(seq.initial.c, r)};
  }
  return j;
}

}  // namespace

std::vector<BidirectionalLayerPlan> plan_bidirectional(const HwConfig& c, hostmap::Mode m,
                                                       const QuantModel& q,
                                                       const std::vector<JobSpec>& sequences) {
  const bool together = m == hostmap::Mode::Single || m == hostmap::Mode::Mp;
  std::vector<BidirectionalLayerPlan> out;
  for (std::size_t l = 0; l < q.layers.size(); ++l) {
    const QuantModel dir[2] = {{q.cell, {q.layers[l]}, {}}, {q.cell, {q.reverse[l]}, {}}};
    std::vector<JobSpec> jobs;
    for (const JobSpec& s : sequences)
      for (int d = 0; d < 2; ++d) jobs.push_back(layer_job(s, l, d));
    BidirectionalLayerPlan layer;
    // Both directions in one plan (models 0 and 1), or one plan per direction
    // (its one model 0).
    for (int part = 0; part < (together ? 1 : 2); ++part) {
      DirectionPlan p;
      std::vector<JobSpec> specs;
      for (std::size_t k = 0; k < jobs.size(); ++k) {
        if (!together && static_cast<int>(k % 2) != part) continue;
        p.jobs.push_back(k);
        specs.push_back(jobs[k]);
        if (!together) specs.back().model = 0;
      }
      const std::vector<QuantModel> models =
          together ? std::vector<QuantModel>{dir[0], dir[1]} : std::vector<QuantModel>{dir[part]};
      p.plan = plan_run(c, m, models, specs);
      layer.parts.push_back(std::move(p));
    }
    out.push_back(std::move(layer));
  }
  return out;
}

}  // namespace lstm
