#include "host/cost_model.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <limits>
#include <queue>
#include <tuple>

#include "spec/lstm_shape.hpp"

namespace lstm {

namespace {

using hostmap::Mode;
using Time = std::int64_t;
constexpr Time kNever = std::numeric_limits<Time>::min() / 4;

// Latencies fitted to the RTL: with them the model gave the measured cycles of
// 100 random runs each of single and hc exactly and of mt within 1%, on
// configs/small.json and tests/rtl/configs/quad_lut.json (docs/performance.md,
// "Cost model", has the figures and how to refit them). Refitted when the
// driver moved to lstm_axi_top (issue 11 item 5): an AXI4-Lite write takes a
// cycle as the native port's did, a read 4 cycles instead of 2, and a START
// reaches the cores a cycle later (the slave's holding register).
constexpr Time kHLatency = 9;      // the merge's last write of a layer-step -> its h usable
// A GRU unit leaves the post unit at Q6, two stages after an LSTM unit's Q4
// (docs/architecture.md, 2.6): its layer-step's h is usable that much later.
// With it the model gives single, mp and hc GRU runs exactly (configs/small.json,
// X = H = 16, 2 layers, 10 steps; mt within 0.1%).
constexpr Time kGruStages = 2;
// (with pwl activations the post unit's stages add post_pwl_stages(c) cycles to it: JobSim::h_latency)
constexpr Time kPostGap = 3;       // the post unit takes the next shadow n + 3 cycles after one
constexpr Time kChainLatency = 3;  // mt: a streamer's start -> its first element usable downstream
constexpr Time kJobTail = 10;      // last output element -> every core seen idle by the host
// mp's host serves each finished group in turn (six AXI4-Lite reads: its
// busy check, status and counters); the next job's program starts
// kDispatchLead cycles before that ends, and the run ends kMpEnd after the
// last group was served.
constexpr Time kServeDone = 24, kDispatchLead = 4, kMpEnd = -4;
// Pipelined mt: a stage seen idle -> its next program's first write (the
// host reads its status and four counters first); the run ends kPipeEnd
// after the last stage was seen idle (those reads of the last job's stages).
constexpr Time kStageServe = 18, kPipeEnd = 25;
// A read of the final state (JobPlan::reads) over AXI4-Lite: AR taken, the
// native read, R registered, R taken.
constexpr Time kStateRead = 4;

// Cycles the host spends reading group g's share of job j's final state.
Time state_reads(const JobPlan& j, std::size_t g) {
  return g < j.reads.size() ? kStateRead * static_cast<Time>(j.reads[g].size()) : 0;
}

// One core's progress through its program of one job.
struct CoreSim {
  std::vector<LayerDesc> layers;
  Time cur = 0;                    // the next free issue cycle
  Time post_free = kNever;         // when the post unit takes the next shadow
  std::vector<Time> stream_start;  // per step: when the streamer starts h_t
  Time accepted_from = kNever;     // when the core its h stream feeds takes x
};

struct LayerStepEnd {
  Time last_issue = 0;
  int last_lanes = 0;
  std::uint32_t last_unit_lo = 0;  // the last group's first unit
};

// Issues the groups of local layer l: each group's first part once
// first_ready, its second part once second_ready, its last element once the
// post unit took the previous group. x_first (l = 0 only) is when x's first
// element arrives, kNever when x waits in the buffer.
LayerStepEnd issue_layer_step(CoreSim& k, int lanes, int l, Time first_ready, Time second_ready,
                              Time x_first) {
  const LayerDesc& d = k.layers[static_cast<std::size_t>(l)];
  const Time x = d.in_size, h = d.hidden;
  const Time first_len = l == 0 ? x : h, second_len = l == 0 ? h : x;
  const int groups = groups_of(static_cast<int>(d.unit_cnt), lanes);
  const int last_lanes = static_cast<int>(d.unit_cnt) - (groups - 1) * lanes;
  for (int g = 0; g < groups; ++g) {
    k.cur = std::max({k.cur, first_ready, x_first}) + first_len;
    k.cur = std::max({k.cur + second_len, second_ready + second_len, k.post_free + 1});
    k.post_free = std::max(k.post_free, k.cur) + (g + 1 < groups ? lanes : last_lanes) + kPostGap;
  }
  return {k.cur, last_lanes, d.unit_lo + static_cast<std::uint32_t>((groups - 1) * lanes)};
}

// When the h merge has written every packet of a layer-step: each source's
// last group emits its n packets one per cycle after its last issue, and the
// merge writes per cycle one packet into each of the h buffer's two banks
// (address parity: the unit's parity, up to a flip that a whole layer-step
// shares, so it does not change the time).
Time merged(const std::vector<LayerStepEnd>& ends) {
  std::array<std::vector<Time>, 2> arrivals;
  for (const auto& e : ends)
    for (int j = 1; j <= e.last_lanes; ++j)
      arrivals[(e.last_unit_lo + static_cast<std::uint32_t>(j) - 1) % 2].push_back(e.last_issue + j);
  Time w = kNever;
  for (auto& bank : arrivals) {
    std::sort(bank.begin(), bank.end());
    Time wb = kNever;
    for (Time a : bank) wb = std::max(wb + 1, a);
    w = std::max(w, wb);
  }
  return w;
}

const Placement& placement_of(const RunPlan& p, unsigned core, int model) {
  for (const auto& pl : p.placements)
    if (pl.core == core && pl.model == model) return pl;
  throw MappingError(fmt::format("cost model: model {} is not placed in core {}", model, core));
}

// One job on one core group: each core's progress, and per stage (a core
// in single, mp and mt; every core in hc; a hybrid stage's cores) when
// layer-step k completed (hdone >= k + 1).
struct JobSim {
  std::vector<CoreSim> cores;
  std::vector<std::vector<Time>> done;
  bool shared = false;                          // hc
  Time h_latency = kHLatency;                   // and the post unit's pwl and GRU stages
  std::vector<std::size_t> stage_of;            // per core, its stage
  std::vector<std::vector<std::size_t>> stages;  // per stage, its cores (first: the streamer)

  Time ready(std::size_t core, long k) const {  // hdone >= k
    const auto& d = done[stage_of[core]];
    return k <= 0 ? kNever : d[static_cast<std::size_t>(k - 1)];
  }
};

// A job on `cores`, core i's program written by programmed[i].
JobSim start_job(const HwConfig& c, const RunPlan& p, const std::vector<unsigned>& cores,
                 const JobPlan& j, const std::vector<Time>& programmed) {
  JobSim s;
  s.h_latency = kHLatency + post_pwl_stages(c) + (j.cell == CellType::Gru ? kGruStages : 0);
  s.shared = p.mode == Mode::Hc;
  for (std::size_t i = 0; i < cores.size(); ++i) {
    CoreSim k;
    k.layers = placement_of(p, cores[i], j.model).layers;
    k.cur = programmed[i] + static_cast<Time>(k.layers.size());  // the start check: a cycle per layer
    s.cores.push_back(std::move(k));
    if (!s.shared && p.mode != Mode::Hybrid) s.stages.push_back({i});
  }
  if (s.shared) {
    s.stages.emplace_back();
    for (std::size_t i = 0; i < cores.size(); ++i) s.stages[0].push_back(i);
  }
  if (p.mode == Mode::Hybrid) {
    std::size_t i = 0;
    for (const HybridStage& st : p.hybrid) {
      s.stages.emplace_back();
      for (int k = 0; k < st.cores; ++k) s.stages.back().push_back(i++);
    }
  }
  s.stage_of.resize(cores.size());
  for (std::size_t k = 0; k < s.stages.size(); ++k)
    for (std::size_t i : s.stages[k]) s.stage_of[i] = k;
  s.done.resize(s.stages.size());
  return s;
}

// Layer l's issue on core m at step t of an L-layer program: its recurrent
// operand waits for the same layer's previous step, a deeper layer's input for
// the layer below in this step.
LayerStepEnd issue_at(JobSim& s, int lanes, std::size_t m, long t, int l, int L, Time x_first) {
  const Time recurrent = t > 0 ? s.ready(m, (t - 1) * L + l + 1) : kNever;
  if (l == 0) return issue_layer_step(s.cores[m], lanes, 0, kNever, recurrent, x_first);
  return issue_layer_step(s.cores[m], lanes, l, recurrent, s.ready(m, t * L + l), kNever);
}

// hc: every core of the group issues its share of each layer-step, and the
// layer-step completes when the merge has written all of them.
void shared_step(JobSim& s, int lanes, long t) {
  const int L = static_cast<int>(s.cores.front().layers.size());
  for (int l = 0; l < L; ++l) {
    std::vector<LayerStepEnd> ends;
    for (std::size_t m = 0; m < s.cores.size(); ++m)
      ends.push_back(issue_at(s, lanes, m, t, l, L, kNever));
    s.done[0].push_back(merged(ends) + s.h_latency);
  }
}

// single, mp, mt: core m + 1 of the chain takes its x from core m's h stream.
void chained_step(JobSim& s, int lanes, long t) {
  for (std::size_t m = 0; m < s.cores.size(); ++m) {
    CoreSim& k = s.cores[m];
    const int L = static_cast<int>(k.layers.size());
    const Time x_first =
        m == 0 ? kNever : s.cores[m - 1].stream_start[static_cast<std::size_t>(t)] + kChainLatency;
    for (int l = 0; l < L; ++l)
      s.done[m].push_back(merged({issue_at(s, lanes, m, t, l, L, x_first)}) + s.h_latency);
    Time start = std::max(s.done[m].back(), k.accepted_from);
    if (!k.stream_start.empty()) start = std::max(start, k.stream_start.back() + k.layers.back().hidden);
    k.stream_start.push_back(start);
  }
}

// hybrid: each stage's cores issue their shares of its layer-steps as in hc;
// stage k + 1's x is stage k's first core's h stream, as in mt.
void hybrid_step(JobSim& s, int lanes, long t) {
  for (std::size_t k = 0; k < s.stages.size(); ++k) {
    const std::vector<std::size_t>& members = s.stages[k];
    CoreSim& lead = s.cores[members.front()];
    const Time x_first =
        k == 0 ? kNever
               : s.cores[s.stages[k - 1].front()].stream_start[static_cast<std::size_t>(t)] +
                     kChainLatency;
    const int L = static_cast<int>(lead.layers.size());
    for (int l = 0; l < L; ++l) {
      std::vector<LayerStepEnd> ends;
      for (std::size_t m : members) ends.push_back(issue_at(s, lanes, m, t, l, L, x_first));
      s.done[k].push_back(merged(ends) + s.h_latency);
    }
    Time start = s.done[k].back();
    if (k + 1 < s.stages.size()) {
      for (std::size_t m : s.stages[k + 1]) start = std::max(start, s.cores[m].accepted_from);
    }
    if (!lead.stream_start.empty())
      start = std::max(start, lead.stream_start.back() + lead.layers.back().hidden);
    lead.stream_start.push_back(start);
  }
}

void run_steps(JobSim& s, int lanes, std::uint32_t steps, bool hybrid) {
  for (long t = 0; t < static_cast<long>(steps); ++t) {
    if (hybrid)
      hybrid_step(s, lanes, t);
    else if (s.shared)
      shared_step(s, lanes, t);
    else
      chained_step(s, lanes, t);
  }
}

// When the host sees core m idle after the job: its streamer's last h is out
// (in hc the output core's streamer starts once the shared last layer-step is
// complete).
Time idle_seen(const JobSim& s, std::size_t m) {
  const CoreSim& k = s.cores[m];
  const Time last_start = s.shared ? s.done[0].back() : k.stream_start.back();
  return last_start + k.layers.back().hidden + kJobTail;
}

// Cycles from a job's first program write (`writes` of them before the
// start) until the host sees its last output and every core idle. The output
// core is the last of the chain, core 0 in hc.
Time job_cycles(const HwConfig& c, const RunPlan& p, const CoreGroup& g, const JobPlan& j,
                Time writes) {
  JobSim s = start_job(c, p, g.cores, j, std::vector<Time>(g.cores.size(), writes));
  run_steps(s, c.lanes, j.steps, p.mode == Mode::Hybrid);
  return idle_seen(s, s.stages.back().front());
}

// Dispatch::Pipelined: every stage programmed for the first job, then START;
// a stage seen idle reports its status and counters, is programmed for the
// next job and started (its CTRL), while the stages after it still drain.
Time pipelined_cycles(const HwConfig& c, const RunPlan& p) {
  const auto& order = p.queues.at(0);
  std::vector<unsigned> cores;
  Time host = 0;
  for (std::size_t k = 0; k < p.groups.size(); ++k) {
    cores.push_back(p.groups[k].cores.front());
    host += static_cast<Time>(p.jobs[order.front()].programs[k].size());
  }
  std::vector<Time> programmed(cores.size(), host);
  Time end = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const JobPlan& j = p.jobs[order[i]];
    JobSim s = start_job(c, p, cores, j, programmed);
    for (std::size_t m = 0; m + 1 < cores.size(); ++m) s.cores[m].accepted_from = programmed[m + 1];
    run_steps(s, c.lanes, j.steps, false);
    for (std::size_t m = 0; m < cores.size(); ++m) {
      const Time idle = idle_seen(s, m) + state_reads(j, m);
      if (i + 1 < order.size())
        programmed[m] = idle + kStageServe +
                        static_cast<Time>(p.jobs[order[i + 1]].programs[m].size()) + 1;
      end = std::max(end, idle);
    }
  }
  return end + kPipeEnd;
}

Time serial_cycles(const HwConfig& c, const RunPlan& p) {
  Time total = 0;
  for (std::size_t j : p.queues.at(0))
    total += job_cycles(c, p, p.groups.at(0), p.jobs[j],
                        static_cast<Time>(p.jobs[j].programs.at(0).size()));
  return total;
}

// mp: the host writes every group's first program and starts them together.
// It then serves the groups as they finish, one at a time: it reads the
// group's status and counters, and gives it its next job (program and CTRL
// start), if any.
Time queued_cycles(const HwConfig& c, const RunPlan& p) {
  const bool shared = p.dispatch == Dispatch::SharedQueue;
  std::vector<std::size_t> next(p.queues.size(), 0);
  auto take = [&](std::size_t g) -> const JobPlan* {
    const std::size_t q = shared ? 0 : g;
    if (next[q] >= p.queues[q].size()) return nullptr;
    return &p.jobs[p.queues[q][next[q]++]];
  };
  std::vector<const JobPlan*> first;
  Time host = 0;
  for (std::size_t g = 0; g < p.groups.size(); ++g) {
    first.push_back(take(g));
    if (first.back()) host += static_cast<Time>(first.back()->programs[g].size());
  }
  using Finish = std::tuple<Time, std::size_t, const JobPlan*>;  // (time, group, job)
  std::priority_queue<Finish, std::vector<Finish>, std::greater<>> running;
  for (std::size_t g = 0; g < p.groups.size(); ++g)
    if (first[g]) running.push({job_cycles(c, p, p.groups[g], *first[g], host), g, first[g]});
  Time end = 0;
  while (!running.empty()) {
    const auto [t, g, done] = running.top();
    running.pop();
    host = std::max(host, t) + kServeDone + state_reads(*done, g);
    end = std::max(end, host + kMpEnd);
    if (const JobPlan* j = take(g)) {
      const Time begin = host - kDispatchLead;
      const auto w = static_cast<Time>(j->programs[g].size()) + 1;  // and its CTRL start
      host = begin + w;
      running.push({begin + job_cycles(c, p, p.groups[g], *j, w), g, j});
    }
  }
  return end;
}

// Dispatch::Batched (docs/architecture.md, "Batching"): one batch after the
// other on core 0, each laid out element by element where x paces it. The x
// writer takes one element per cycle from the start of Run, at most one step
// ahead of the step being issued; an element is issued the cycle after it was
// written. A group's last element waits until the fold buffer took the group
// before; the post unit takes a group n lanes after the last (no gap: the
// fold buffer frees the shadow early), and its h is usable kBatchHLatency
// after the post unit took its last lane (and post_pwl_stages(c) more with
// pwl activations, as JobSim::h_latency). The streamer sends each member's
// h_t once complete, one vector after the other.
constexpr Time kBatchMove = 3;       // last issue -> the earliest move into the fold buffer (shadow_load)
constexpr Time kBatchHLatency = 6;   // the post unit's last lane of a layer-step -> its h usable
constexpr Time kBatchGruExtra = 3;   // a GRU layer-step's h: later by this (fitted; 2 before Q6)
constexpr Time kBatchRunStart = 2;   // START's write -> the first x element written (plus the check)

Time batch_cycles(const HwConfig& c, const RunPlan& p, const BatchRun& b) {
  const JobPlan& jp = p.jobs.at(b.jobs.front());
  const std::vector<LayerDesc>& model = placement_of(p, 0, jp.model).layers;
  const auto n = static_cast<Time>(b.jobs.size());
  const auto L = static_cast<Time>(model.size());
  const Time NL = n * L, X = model.front().in_size, xlen = n * X;
  const Time half = c.lanes / 2;
  const Time start = static_cast<Time>(b.program.size());
  const bool gru = jp.cell == CellType::Gru;
  // x element e of step t (e < xlen): written at xw[t * xlen + e].
  std::vector<Time> xw(static_cast<std::size_t>(jp.steps * xlen), kNever);
  std::vector<Time> step_issued(jp.steps, kNever);  // last issue of step t's last layer
  Time xnext = start + kBatchRunStart + NL;         // the writer's next free cycle
  std::size_t xfilled = 0;
  auto fill_x = [&](std::uint32_t upto_step) {      // write x up to step `upto_step`
    while (xfilled < xw.size() && xfilled / static_cast<std::size_t>(xlen) <= upto_step) {
      const auto t = static_cast<long>(xfilled / static_cast<std::size_t>(xlen));
      if (t >= 2 && step_issued[static_cast<std::size_t>(t - 2)] == kNever) return;
      if (t >= 2) xnext = std::max(xnext, step_issued[static_cast<std::size_t>(t - 2)] + 2);
      xw[xfilled++] = xnext++;
    }
  };
  std::vector<Time> done;                           // layer-step k usable (hdone >= k + 1)
  std::vector<Time> stream_start;                   // per vector (t * n + m)
  Time cur = start + NL, move = kNever, post_busy = kNever;
  auto ready = [&](long k) { return k <= 0 ? kNever : done[static_cast<std::size_t>(k - 1)]; };
  auto out_done = [&](long t) {                     // step t fully read by the streamer
    const auto v = static_cast<std::size_t>((t + 1) * n - 1);
    return v < stream_start.size() ? stream_start[v] + model.back().hidden : kNever;
  };
  for (long t = 0; t < static_cast<long>(jp.steps); ++t) {
    fill_x(static_cast<std::uint32_t>(t));
    for (Time v = 0; v < NL; ++v) {
      const Time l = v % L, m = v / L;
      const LayerDesc& d = model[static_cast<std::size_t>(l)];
      const bool fold = (d.lflags & hostmap::kLFlagFold) != 0;
      const Time x = d.in_size, h = d.hidden;
      const Time lanes = fold ? half : c.lanes;
      const Time groups = (d.unit_cnt + lanes - 1) / lanes;
      const long k = t * NL + v;
      const Time rec = t > 0 ? ready(k - NL + 1) : kNever;
      const Time below = l > 0 ? ready(k) : kNever;
      const Time hazard = (l + 1 == L && t >= 2) ? out_done(t - 2) : kNever;
      auto xelem = [&](Time j) {  // written x element j of this layer at step t
        return xw[static_cast<std::size_t>(t * xlen + m * X + std::min(j, x - 1))] + 1;
      };
      for (Time g = 0; g < groups; ++g) {
        const Time units = std::min(lanes, static_cast<Time>(d.unit_cnt) - g * lanes);
        if (l == 0 && fold) {
          const Time row = std::max(x, h);
          cur = std::max({cur, rec, g == 0 ? hazard : kNever});
          for (Time j = 0; j + 1 < row; ++j) cur = std::max(cur, xelem(j)) + 1;
          cur = std::max({cur, xelem(row - 1), move});
        } else if (l == 0) {
          cur = std::max(cur, g == 0 ? hazard : kNever);
          for (Time j = 0; j < x; ++j) cur = std::max(cur, xelem(j)) + 1;
          cur = std::max(cur, rec) + h - 1;
          cur = std::max(cur, move);
        } else {
          cur = std::max({cur, rec, g == 0 ? hazard : kNever}) + h;
          cur = std::max(cur, below) + x - 1;
          cur = std::max(cur, move);
        }
        const Time last = cur++;
        move = std::max(last + kBatchMove, post_busy);
        post_busy = move + units;
        // A GRU unit leaves the post unit two stages later (Q6, docs/architecture.md 2.6);
        // kBatchGruExtra fitted to the RTL (two GRU runs of tests/host/cost_model_test.cpp).
        if (g + 1 == groups)
          done.push_back(post_busy + kBatchHLatency + post_pwl_stages(c) + (gru ? kBatchGruExtra : 0));
      }
      if (v + 1 == NL) step_issued[static_cast<std::size_t>(t)] = cur - 1;
      if (l + 1 == L) {
        Time s0 = done.back();
        if (!stream_start.empty()) s0 = std::max(s0, stream_start.back() + model.back().hidden);
        stream_start.push_back(s0);
      }
      fill_x(static_cast<std::uint32_t>(t + 1));
    }
  }
  return stream_start.back() + model.back().hidden + kJobTail;
}

Time batched_cycles(const HwConfig& c, const RunPlan& p) {
  Time total = 0;
  for (const BatchRun& b : p.batches) total += batch_cycles(c, p, b);
  return total;
}

}  // namespace

std::uint64_t predict_cycles(const HwConfig& c, const RunPlan& p) {
  Time t = 0;
  switch (p.dispatch) {
    case Dispatch::Serial: t = serial_cycles(c, p); break;
    case Dispatch::SharedQueue:
    case Dispatch::OwnQueues: t = queued_cycles(c, p); break;
    case Dispatch::Pipelined: t = pipelined_cycles(c, p); break;
    case Dispatch::Batched: t = batched_cycles(c, p); break;
  }
  return static_cast<std::uint64_t>(std::max<Time>(t, 0));
}

std::uint64_t predict_cycles(const HwConfig& c, const std::vector<BidirectionalLayerPlan>& layers) {
  std::uint64_t sum = 0;
  for (const BidirectionalLayerPlan& l : layers)
    for (const DirectionPlan& part : l.parts) sum += predict_cycles(c, part.plan);
  return sum;
}

namespace {

// The predicted cycles of the jobs in mode m; throws MappingError as plan_run.
std::uint64_t predict_mode(const HwConfig& c, Mode m, const std::vector<QuantModel>& models,
                           const std::vector<JobSpec>& jobs) {
  const bool bidirectional =
      std::any_of(models.begin(), models.end(), [](const QuantModel& q) { return q.bidirectional(); });
  if (!bidirectional) return predict_cycles(c, plan_run(c, m, models, jobs));
  if (models.size() != 1) throw MappingError("a bidirectional model runs alone");
  return predict_cycles(c, plan_bidirectional(c, m, models.front(), jobs));
}

}  // namespace

AutoChoice choose_mode(const HwConfig& c, const std::vector<QuantModel>& models,
                       const std::vector<JobSpec>& jobs, bool batching) {
  AutoChoice out;
  std::string reasons;
  const ModePrediction* best = nullptr;
  for (const auto& e : hostmap::kModeTable) {
    ModePrediction m;
    m.mode = static_cast<Mode>(e.value);
    try {
      m.cycles = predict_mode(c, m.mode, models, jobs);
      m.possible = true;
    } catch (const MappingError& err) {
      m.why_not = err.what();
      reasons += fmt::format("\n  {}: {}", e.name, m.why_not);
    }
    out.candidates.push_back(m);
  }
  const bool bidirectional =
      std::any_of(models.begin(), models.end(), [](const QuantModel& q) { return q.bidirectional(); });
  if (batching && c.features.batch && !bidirectional) {
    std::vector<JobSpec> stateless = jobs;
    for (JobSpec& j : stateless) j.read_state = false;
    for (int b = std::min<int>(static_cast<int>(jobs.size()), c.limits.max_layers); b >= 2; --b) {
      try {
        ModePrediction m{Mode::Single, true,
                         predict_cycles(c, plan_run(c, Mode::Single, models, stateless, {}, b)),
                         {}, b};
        out.candidates.push_back(m);
        break;
      } catch (const MappingError&) {
        // a smaller batch may fit
      }
    }
  }
  for (const auto& m : out.candidates)
    if (m.possible && (!best || m.cycles < best->cycles)) best = &m;
  if (!best) throw MappingError("no mode can run these jobs:" + reasons);
  out.mode = best->mode;
  out.batch = best->batch;
  return out;
}

std::optional<ModeRequest> parse_mode_request(std::string_view name) {
  if (name == kAutoMode) return ModeRequest{true, Mode::Single};
  if (const auto m = hostmap::parse_mode(name)) return ModeRequest{false, *m};
  return std::nullopt;
}

std::vector<std::string> mode_request_names() {
  std::vector<std::string> out = hostmap::mode_names();
  out.emplace_back(kAutoMode);
  return out;
}

}  // namespace lstm
