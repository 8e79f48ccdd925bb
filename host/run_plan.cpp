#include "host/run_plan.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <string>
#include <utility>

#include "host/cost_model.hpp"
#include "sim/run_common.hpp"
#include "spec/lstm_shape.hpp"

namespace lstm {

namespace {

using hostmap::Mode;

constexpr std::uint32_t kOutBoth = hostmap::kFlagOutEn | hostmap::kFlagOutWait;

int num_layers(const QuantModel& m) { return static_cast<int>(m.layers.size()); }

// MAC-array cycles of one step through layers [first, last) on one core.
std::uint64_t step_work(const HwConfig& c, const QuantModel& m, int first, int last) {
  std::uint64_t w = 0;
  for (int l = first; l < last; ++l) {
    const auto& L = m.layers[static_cast<std::size_t>(l)];
    w += static_cast<std::uint64_t>(
        layer_step_work(c.lanes, L.input_size, L.hidden_size, L.hidden_size));
  }
  return w;
}

// Places layers of several models one after another in each core's memories
// and records every placement and write in the plan.
class Loader {
 public:
  Loader(const HwConfig& c, const std::vector<QuantModel>& models, RunPlan& p)
      : c_(c), models_(models), p_(p) {}

  void place(unsigned core, int model, int first, int last, std::vector<UnitSlice> slices,
             bool fold_first = false) {
    auto& [w, b] = next_free_[core];
    CoreImage img = place_layers(c_, models_[static_cast<std::size_t>(model)], core, first, last,
                                 slices, w, b, fold_first);
    p_.load.insert(p_.load.end(), img.writes.begin(), img.writes.end());
    w = img.weight_end;
    b = img.bias_end;
    p_.placements.push_back({core, model, first, last, std::move(slices), std::move(img.layers)});
  }
  void place_whole(unsigned core, int model, bool fold_first = false) {
    const int nl = num_layers(models_[static_cast<std::size_t>(model)]);
    place(core, model, 0, nl, full_slices(models_[static_cast<std::size_t>(model)], 0, nl),
          fold_first);
  }

 private:
  const HwConfig& c_;
  const std::vector<QuantModel>& models_;
  RunPlan& p_;
  std::map<unsigned, std::pair<std::uint32_t, std::uint32_t>> next_free_;
};

const Placement& placed(const RunPlan& p, unsigned core, int model) {
  for (const auto& pl : p.placements)
    if (pl.core == core && pl.model == model) return pl;
  throw MappingError(fmt::format("model {} is not placed in core {}", model, core));
}

// The value of state word (layer, unit) of `rows`, zero when rows is empty.
std::uint32_t state_word(const std::vector<IntVector>& rows, int layer, int unit) {
  if (rows.empty()) return 0;
  return static_cast<std::uint32_t>(
      rows.at(static_cast<std::size_t>(layer)).at(static_cast<std::size_t>(unit)));
}

// The writes that make group g run job j: every core's program in group order,
// each after the core's initial state (StartState::Load). Every core of the
// group gets h0 of all units of its layers (in hc the members read each
// other's h from their own buffers) and c0 of the units it computes. Also
// fills j.reads[gi]: every core's h_n and c_n of the units it computes.
std::vector<HostWrite> group_program(const HwConfig& c, const RunPlan& p, const CoreGroup& g,
                                     JobPlan& j, const JobSpec& spec, std::size_t gi) {
  using namespace hostmap;
  // NUM_STEPS is sized from limits.max_steps: the core would refuse the run.
  if (c.limits.max_steps != 0 && j.steps > static_cast<std::uint32_t>(c.limits.max_steps))
    throw MappingError(fmt::format(
        "a run of {} steps exceeds /limits/max_steps {} (split the sequence into runs of at "
        "most {} steps that carry the state, or generate the hardware with a larger limit)",
        j.steps, c.limits.max_steps, c.limits.max_steps));
  std::uint32_t state_flags = spec.h_half ? kFlagHHalf : 0;
  if (spec.start != StartState::Zero) state_flags |= kFlagStateIn;
  // A GRU core keeps each unit's h_prev in its c buffer: h0 goes there too,
  // and there is no c_n to read.
  const bool gru = j.cell == CellType::Gru;
  if (gru) state_flags |= kFlagGru;
  std::vector<HostWrite> out;
  std::vector<StateRead> reads;
  const unsigned in_half = state_half(spec.h_half);
  const unsigned out_half = state_half(continue_h_half(spec.h_half, spec.steps));
  for (std::size_t i = 0; i < g.cores.size(); ++i) {
    const unsigned core = g.cores[i];
    const Placement& pl = placed(p, core, j.model);
    for (std::size_t ll = 0; ll < pl.layers.size(); ++ll) {
      const int layer = pl.first + static_cast<int>(ll);
      const auto local = static_cast<unsigned>(ll);
      const UnitSlice& sl = pl.slices[ll];
      if (spec.start == StartState::Load) {
        for (int u = 0; u < static_cast<int>(pl.layers[ll].hidden); ++u)
          out.push_back({state_h_addr(c, core, local, in_half, static_cast<unsigned>(u)),
                         state_word(spec.initial.h, layer, u)});
        for (int u = sl.lo; u < sl.lo + sl.cnt; ++u)
          out.push_back({state_c_addr(c, core, local, static_cast<unsigned>(u)),
                         state_word(gru ? spec.initial.h : spec.initial.c, layer, u)});
      }
      if (spec.read_state)
        for (int u = sl.lo; u < sl.lo + sl.cnt; ++u) {
          reads.push_back({state_h_addr(c, core, local, out_half, static_cast<unsigned>(u)),
                           layer, u, false});
          if (!gru)
            reads.push_back(
                {state_c_addr(c, core, local, static_cast<unsigned>(u)), layer, u, true});
        }
    }
    const auto w = program_writes(core, pl.layers, j.steps, g.flags[i] | state_flags,
                                  c.features.batch);
    out.insert(out.end(), w.begin(), w.end());
  }
  if (j.reads.size() <= gi) j.reads.resize(gi + 1);
  j.reads[gi] = std::move(reads);
  return out;
}

// Cores 0 .. n-1 as one group, x into port 0, h out of out_port.
CoreGroup chain_group(int n, unsigned out_port, std::uint32_t first_flags,
                      std::uint32_t other_flags) {
  CoreGroup g;
  for (int k = 0; k < n; ++k) {
    g.cores.push_back(static_cast<unsigned>(k));
    g.flags.push_back(k == 0 ? first_flags : other_flags);
  }
  g.out_port = out_port;
  return g;
}

void require_one_model(Mode mode, const std::vector<QuantModel>& models) {
  if (models.size() != 1)
    throw MappingError(fmt::format("mode {} runs one model, got {}; several models need mode mp "
                                   "or single",
                                   hostmap::mode_name(mode), models.size()));
}

// What the planners share: the hardware and the jobs as given.
struct PlanContext {
  const HwConfig& c;
  const std::vector<JobSpec>& specs;
  std::vector<HostWrite> program(RunPlan& p, std::size_t gi, std::size_t j) const {
    return group_program(c, p, p.groups[gi], p.jobs[j], specs[j], gi);
  }
};

// Every job on group 0, in order.
void serial_jobs(RunPlan& p, const PlanContext& ctx) {
  p.dispatch = Dispatch::Serial;
  p.queues.assign(1, {});
  for (std::size_t j = 0; j < p.jobs.size(); ++j) {
    p.queues[0].push_back(j);
    p.jobs[j].programs = {ctx.program(p, 0, j)};
  }
}

// single: core 0 holds every model and runs the jobs one after another.
void plan_single(RunPlan& p, Loader& load, const std::vector<QuantModel>& models,
                 const PlanContext& ctx) {
  p.active = 1;
  for (std::size_t m = 0; m < models.size(); ++m) load.place_whole(0, static_cast<int>(m));
  p.groups = {chain_group(1, 0, kOutBoth, kOutBoth)};
  serial_jobs(p, ctx);
}

// Whether the weights and biases of every model fit in one core together.
bool all_models_fit(const HwConfig& c, const std::vector<QuantModel>& models) {
  std::int64_t w = 0, b = 0;
  for (const auto& m : models)
    for (const auto& l : m.layers) {
      w += layer_step_work(c.lanes, l.input_size, l.hidden_size, l.hidden_size);
      b += groups_of(l.hidden_size, c.lanes);
    }
  return w <= c.limits.weight_depth && b <= hostmap::bias_depth(c);
}

// mp: n = min(cores, jobs) groups of one core each. When every core can hold
// every model, idle cores take the next job from one queue. Otherwise each job
// goes up front to the core with the least work so far, and each core holds
// only the models of its jobs.
void plan_mp(RunPlan& p, Loader& load, const HwConfig& c, const std::vector<QuantModel>& models,
             const PlanContext& ctx) {
  const int n = std::min<int>(c.cores, static_cast<int>(p.jobs.size()));
  p.active = n;
  const bool shared = all_models_fit(c, models);
  p.dispatch = shared ? Dispatch::SharedQueue : Dispatch::OwnQueues;
  p.queues.assign(static_cast<std::size_t>(shared ? 1 : n), {});
  std::vector<std::uint64_t> assigned(static_cast<std::size_t>(n), 0);
  std::vector<std::vector<bool>> needed(static_cast<std::size_t>(n),
                                        std::vector<bool>(models.size(), shared));
  for (std::size_t j = 0; j < p.jobs.size(); ++j) {
    if (shared) {
      p.queues[0].push_back(j);
      continue;
    }
    const auto k = static_cast<std::size_t>(
        std::min_element(assigned.begin(), assigned.end()) - assigned.begin());
    assigned[k] += p.jobs[j].work;
    p.queues[k].push_back(j);
    needed[k][static_cast<std::size_t>(p.jobs[j].model)] = true;
  }
  for (int k = 0; k < n; ++k) {
    for (std::size_t m = 0; m < models.size(); ++m)
      if (needed[static_cast<std::size_t>(k)][m])
        load.place_whole(static_cast<unsigned>(k), static_cast<int>(m));
    const auto core = static_cast<unsigned>(k);
    p.groups.push_back({{core}, {kOutBoth}, core, core});
  }
  for (std::size_t j = 0; j < p.jobs.size(); ++j) {
    auto& job = p.jobs[j];
    job.programs.assign(static_cast<std::size_t>(n), {});
    job.reads.assign(static_cast<std::size_t>(n), {});
    for (int k = 0; k < n; ++k)
      if (needed[static_cast<std::size_t>(k)][static_cast<std::size_t>(job.model)])
        job.programs[static_cast<std::size_t>(k)] = ctx.program(p, static_cast<std::size_t>(k), j);
  }
}

// mt with several jobs: each stage (core) a group of its own, programmed
// and started on its own as soon as it is done with the job before. Every
// group keeps the pipeline's ports: x enters stage 0, h leaves the last.
void pipelined_jobs(RunPlan& p, const PlanContext& ctx) {
  const CoreGroup chain = p.groups.at(0);
  p.groups.clear();
  for (std::size_t k = 0; k < chain.cores.size(); ++k)
    p.groups.push_back({{chain.cores[k]}, {chain.flags[k]}, chain.in_port, chain.out_port});
  p.dispatch = Dispatch::Pipelined;
  p.queues.assign(1, {});
  for (std::size_t j = 0; j < p.jobs.size(); ++j) {
    p.queues[0].push_back(j);
    for (std::size_t g = 0; g < p.groups.size(); ++g) p.jobs[j].programs.push_back(ctx.program(p, g, j));
  }
}

// mt: the layers cut into stages, one per core; core k's h stream feeds core
// k+1, the last stage's port streams h out. One job runs as one chain; several
// are pipelined, the next entering as the last leaves each stage.
void plan_mt(RunPlan& p, Loader& load, const HwConfig& c, const QuantModel& model,
             const PlanContext& ctx) {
  const auto stages = partition_stages(c, model, c.cores);
  const int n = static_cast<int>(stages.size());
  p.active = n;
  for (int k = 0; k < n; ++k) {
    const auto [first, last] = stages[static_cast<std::size_t>(k)];
    load.place(static_cast<unsigned>(k), 0, first, last, full_slices(model, first, last));
  }
  p.groups = {chain_group(n, static_cast<unsigned>(n - 1), kOutBoth, kOutBoth)};
  if (p.jobs.size() > 1 && n > 1)
    pipelined_jobs(p, ctx);
  else
    serial_jobs(p, ctx);
}

// hc: every layer's units split over n cores, n = as many as every layer has
// lane groups for (at most the cores). x is broadcast from port 0; core 0
// streams h out, the helpers only wait for it.
void plan_hc(RunPlan& p, Loader& load, const HwConfig& c, const QuantModel& model,
             const PlanContext& ctx) {
  int n = c.cores;
  for (const auto& l : model.layers)
    n = std::min(n, static_cast<int>(split_units(l.hidden_size, c.lanes, c.cores).size()));
  p.active = n;
  for (int k = 0; k < n; ++k) {
    std::vector<UnitSlice> slices;
    for (const auto& l : model.layers)
      slices.push_back(split_units(l.hidden_size, c.lanes, n)[static_cast<std::size_t>(k)]);
    load.place(static_cast<unsigned>(k), 0, 0, num_layers(model), slices);
  }
  p.groups = {chain_group(n, 0, kOutBoth, hostmap::kFlagOutWait)};
  serial_jobs(p, ctx);
}

// A hybrid shape's problem, or empty: stages cover the layers in order, each
// on cores that have a lane group of every one of its layers, all on the cores.
std::string shape_problem(const HwConfig& c, const QuantModel& model,
                          const std::vector<HybridStage>& shape) {
  int next = 0, used = 0;
  for (const HybridStage& s : shape) {
    if (s.first != next || s.last <= s.first || s.cores < 1)
      return fmt::format("stage of layers [{}, {}) on {} cores does not follow layer {}", s.first,
                         s.last, s.cores, next);
    for (int l = s.first; l < s.last; ++l)
      if (groups_of(model.layers[static_cast<std::size_t>(l)].hidden_size, c.lanes) < s.cores)
        return fmt::format("layer {} has fewer lane groups than its stage's {} cores", l, s.cores);
    next = s.last;
    used += s.cores;
  }
  if (next != num_layers(model)) return fmt::format("the stages end at layer {}, not at {}", next,
                                                   num_layers(model));
  if (used > c.cores) return fmt::format("the stages need {} cores, the config has {}", used, c.cores);
  return {};
}

// hybrid without a given shape: of the partitioner's candidates
// (hybrid_candidates), the one the cost model predicts fastest for these
// jobs; the partitioner's order breaks ties.
std::vector<HybridStage> best_hybrid_shape(const HwConfig& c, const QuantModel& model,
                                           const std::vector<JobSpec>& jobs) {
  constexpr std::size_t kCandidates = 8;
  std::uint64_t steps = 0;
  for (const auto& j : jobs) steps += j.steps;
  std::vector<HybridStage> best;
  std::uint64_t best_cycles = 0;
  for (auto& shape : hybrid_candidates(c, model, c.cores, steps, kCandidates)) {
    const std::uint64_t t = predict_cycles(c, plan_run(c, Mode::Hybrid, {model}, jobs, shape));
    if (best.empty() || t < best_cycles) {
      best_cycles = t;
      best = std::move(shape);
    }
  }
  return best;
}

// hybrid: stage k's layers on its cores, their units split as in hc; x enters
// port 0 (shared by the first stage), each stage's first core streams its h
// into the next stage, and the last stage's first core out of its port. The
// other cores of a stage only wait for their stage's streamer.
void plan_hybrid(RunPlan& p, Loader& load, const HwConfig& c, const QuantModel& model,
                 const PlanContext& ctx, std::vector<HybridStage> shape) {
  if (shape.empty()) shape = best_hybrid_shape(c, model, ctx.specs);
  if (const std::string why = shape_problem(c, model, shape); !why.empty())
    throw MappingError("hybrid: " + why);
  CoreGroup g;
  unsigned core = 0;
  for (const HybridStage& s : shape) {
    if (core > 0) p.stages |= 1u << core;
    for (int k = 0; k < s.cores; ++k, ++core) {
      std::vector<UnitSlice> slices;
      for (int l = s.first; l < s.last; ++l)
        slices.push_back(split_units(model.layers[static_cast<std::size_t>(l)].hidden_size,
                                     c.lanes, s.cores)[static_cast<std::size_t>(k)]);
      load.place(core, 0, s.first, s.last, slices);
      g.cores.push_back(core);
      g.flags.push_back(k == 0 ? kOutBoth : hostmap::kFlagOutWait);
    }
    g.out_port = core - static_cast<unsigned>(s.cores);
  }
  p.active = static_cast<int>(core);
  p.hybrid = std::move(shape);
  p.groups = {g};
  serial_jobs(p, ctx);
}

// single with --batch B (a batch design): core 0 runs up to B sequences of
// one model (same steps) at once, sequence m as local layers m*L .. m*L+L-1
// (docs/architecture.md, "Batching"). The x stream carries every sequence's
// x_t in turn (X_LEN = n*X), the h stream every sequence's h_t in turn.
void plan_batched(RunPlan& p, Loader& load, const HwConfig& c,
                  const std::vector<QuantModel>& models, const PlanContext& ctx, int batch) {
  p.active = 1;
  p.batch = batch;
  p.groups = {chain_group(1, 0, kOutBoth, kOutBoth)};
  p.dispatch = Dispatch::Batched;
  const int max_vec = std::max(c.limits.max_input, c.limits.max_hidden);
  std::vector<bool> fold(models.size(), false);
  for (std::size_t m = 0; m < models.size(); ++m) {
    const QuantModel& q = models[m];
    const int L = num_layers(q), x = q.layers.front().input_size;
    if (batch * L > c.limits.max_layers)
      throw MappingError(fmt::format(
          "--batch {}: {} sequences of model {} ({} layers) take {} local layers, but "
          "/limits/max_layers is {}",
          batch, batch, m, L, batch * L, c.limits.max_layers));
    if (batch * x > max_vec)
      throw MappingError(fmt::format(
          "--batch {}: a step's x of {} sequences of model {} is {} elements, but the x buffer "
          "holds max(/limits/max_input, /limits/max_hidden) = {}",
          batch, batch, m, batch * x, max_vec));
    fold[m] = fold_pays(c.lanes, x, q.layers.front().hidden_size);
    load.place_whole(0, static_cast<int>(m), fold[m]);
  }
  for (std::size_t j = 0; j < ctx.specs.size(); ++j)
    if (ctx.specs[j].start != StartState::Zero || ctx.specs[j].read_state)
      throw MappingError(fmt::format("--batch: job {} gives an initial state or reads its final "
                                     "state; a batched run starts from zero and keeps no state",
                                     j));
  // Batches: jobs of one model and one length, in job order, at most `batch` each.
  std::vector<bool> taken(p.jobs.size(), false);
  for (std::size_t j = 0; j < p.jobs.size(); ++j) {
    if (taken[j]) continue;
    BatchRun b;
    for (std::size_t k = j; k < p.jobs.size() && static_cast<int>(b.jobs.size()) < batch; ++k)
      if (!taken[k] && p.jobs[k].model == p.jobs[j].model && p.jobs[k].steps == p.jobs[j].steps) {
        taken[k] = true;
        b.jobs.push_back(k);
        b.work += p.jobs[k].work;
      }
    const auto model = static_cast<std::size_t>(p.jobs[j].model);
    const Placement& pl = placed(p, 0, p.jobs[j].model);
    const auto L = pl.layers.size();
    const std::uint32_t x = pl.layers.front().in_size;
    std::vector<LayerDesc> descs;
    for (std::size_t m = 0; m < b.jobs.size(); ++m)
      for (std::size_t l = 0; l < L; ++l) {
        LayerDesc d = pl.layers[l];
        if (l == 0) {
          d.xoff = static_cast<std::uint32_t>(m) * x;
          d.lflags |= hostmap::kLFlagXin;
        }
        if (l + 1 == L) d.lflags |= hostmap::kLFlagOut;
        descs.push_back(d);
      }
    const std::uint32_t flags = kOutBoth | (models[model].cell == CellType::Gru ? hostmap::kFlagGru : 0);
    b.layers = static_cast<int>(L);
    b.program = program_writes(0, descs, p.jobs[j].steps, flags, true,
                               static_cast<std::uint32_t>(b.jobs.size()) * x);
    p.batches.push_back(std::move(b));
  }
}

}  // namespace

std::vector<JobSpec> sequence_jobs(int model, const RunSetup& setup, bool read_state) {
  std::vector<JobSpec> jobs;
  for (std::size_t s = 0; s < setup.inputs.size(); ++s) {
    JobSpec j{model, static_cast<std::uint32_t>(setup.inputs[s].size())};
    if (!setup.initial.empty()) {
      j.start = StartState::Load;
      j.initial = quantize_state(setup.initial[s], setup.config);
    }
    j.read_state = read_state;
    jobs.push_back(std::move(j));
  }
  return jobs;
}

RunPlan plan_run(const HwConfig& c, Mode mode, const std::vector<QuantModel>& models,
                 const std::vector<JobSpec>& jobs, const std::vector<HybridStage>& shape,
                 int batch) {
  RunPlan p;
  p.mode = mode;
  if (batch < 1)
    throw MappingError(fmt::format("--batch {}: a batch holds at least one sequence", batch));
  if (batch > 1 && mode != Mode::Single)
    throw MappingError(fmt::format("--batch {} runs in mode single (one core runs the sequences "
                                   "together), not in mode {}",
                                   batch, hostmap::mode_name(mode)));
  if (batch > 1 && !c.features.batch)
    throw MappingError(fmt::format("--batch {}: config \"{}\" was generated without batching "
                                   "(its /features/batch is false)",
                                   batch, c.name));
  for (const auto& j : jobs) {
    if (j.model < 0 || static_cast<std::size_t>(j.model) >= models.size())
      throw MappingError(fmt::format("a job names model {}, but there are {} models", j.model,
                                     models.size()));
    const QuantModel& m = models[static_cast<std::size_t>(j.model)];
    if (m.cell == CellType::Gru ? !c.cells.gru : !c.cells.lstm)
      throw MappingError(fmt::format(
          "model {} has {} layers, but config \"{}\" was generated without them: its /cells "
          "does not list \"{}\"",
          j.model, m.cell == CellType::Gru ? "GRU" : "LSTM", c.name,
          m.cell == CellType::Gru ? "gru" : "lstm"));
    p.jobs.push_back({j.model, j.steps, m.hidden_size(), step_work(c, m, 0, num_layers(m)) * j.steps,
                      {}, {}, num_layers(m), m.cell});
    if ((j.start == StartState::Load || j.read_state) && c.cell.width > 32)
      throw MappingError(fmt::format(
          "the state region carries 32-bit words, but /formats/cell/width is {}: the initial "
          "and final c do not fit",
          c.cell.width));
    if (j.start == StartState::Load)
      for (const auto* rows : {&j.initial.h, &j.initial.c})
        if (!rows->empty() && (static_cast<int>(rows->size()) != num_layers(m) ||
                               std::any_of(rows->begin(), rows->end(), [&](const IntVector& r) {
                                 return static_cast<int>(r.size()) < m.hidden_size();
                               })))
          throw MappingError(fmt::format("a job's initial {} needs {} rows of the layers' "
                                         "hidden units",
                                         rows == &j.initial.h ? "h" : "c", num_layers(m)));
  }
  // A continued job must run on the cores of the run before it: mp with
  // several jobs decides the cores as they free up, so it cannot promise that.
  if (mode == Mode::Mp && jobs.size() > 1 &&
      std::any_of(jobs.begin(), jobs.end(),
                  [](const JobSpec& j) { return j.start == StartState::Keep; }))
    throw MappingError("a job that continues the previous run's state (StartState::Keep) "
                       "cannot share an mp run with other jobs: run it on its own");
  Loader load(c, models, p);
  const PlanContext ctx{c, jobs};
  switch (mode) {
    case Mode::Single:
      if (batch > 1)
        plan_batched(p, load, c, models, ctx, batch);
      else
        plan_single(p, load, models, ctx);
      break;
    case Mode::Mp: plan_mp(p, load, c, models, ctx); break;
    case Mode::Mt: require_one_model(mode, models); plan_mt(p, load, c, models[0], ctx); break;
    case Mode::Hc: require_one_model(mode, models); plan_hc(p, load, c, models[0], ctx); break;
    case Mode::Hybrid:
      require_one_model(mode, models);
      plan_hybrid(p, load, c, models[0], ctx, shape);
      break;
  }
  return p;
}

std::vector<HostWrite> mode_writes(const RunPlan& p) {
  std::vector<HostWrite> w = {
      {hostmap::global_reg(hostmap::kMode), static_cast<std::uint32_t>(p.mode)},
      {hostmap::global_reg(hostmap::kActive), static_cast<std::uint32_t>(p.active)}};
  if (p.mode == Mode::Hybrid) w.push_back({hostmap::global_reg(hostmap::kStages), p.stages});
  return w;
}

std::string stages_text(const RunPlan& p) {
  std::string out;
  for (const HybridStage& s : p.hybrid) {
    if (!out.empty()) out += ", ";
    out += s.last - s.first == 1 ? fmt::format("layer {}", s.first)
                                 : fmt::format("layers {}-{}", s.first, s.last - 1);
    out += fmt::format(" x{}", s.cores);
  }
  return out;
}

HostWrite start_all_write() { return {hostmap::global_reg(hostmap::kStart), 1}; }

HostWrite start_core_write(unsigned core) {
  return {hostmap::core_reg(core, hostmap::kCtrl), 1u << hostmap::kCtrlStartBit};
}

}  // namespace lstm
