// The host program, decided once. For a mode, the models and the jobs,
// plan_run() makes every decision a host makes to run them: which cores take
// part, where each model's layers go in each core's memories (and so every
// weight and bias write), the stage partition (mt) and the unit slices (hc),
// each job's register program and flags on every core, which stream port its
// x enters and its h leaves, and how jobs are started and queued (mp).
//
// A RunPlan is a plain value. The Verilator driver (tb/accel_driver.hpp)
// executes it, `lstmsim emit-tb` (tb/emit_tb.cpp) writes it out as host
// writes for a SystemVerilog testbench, and a cost model can inspect it
// without running anything. docs/architecture.md, section 5, describes the
// decisions per mode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "host/host_program.hpp"
#include "sim/lstm_model.hpp"
#include "spec/config.hpp"
#include "spec/host_map.hpp"

namespace lstm {

// How a job's state starts (docs/host-interface.md, "State in and out").
enum class StartState {
  Zero,  // h = c = 0: FLAGS without STATE_IN (no state writes)
  Load,  // the host writes JobSpec::initial into the state region, then starts with STATE_IN
  Keep,  // "continue": STATE_IN on the state the cores' previous run left in their buffers
         // (the same cores, the same model); JobSpec::h_half must be continue_h_half of it
};

// One sequence of one model to run.
struct JobSpec {
  int model = 0;            // index into the models given to plan_run
  std::uint32_t steps = 0;  // timesteps of the sequence (NUM_STEPS)
  StartState start = StartState::Zero;
  // Load: h0 and c0 per model layer, [layer][unit] (h in the data format, c in
  // the cell format); an empty h or c is zeros.
  IntState initial{};
  unsigned h_half = 0;      // FLAGS.H_HALF (hostmap::continue_h_half after a run)
  bool read_state = false;  // read the final state (h_n, c_n) after the job
};

// One word of a job's final state, read from the state region after the job.
struct StateRead {
  std::uint32_t addr = 0;
  int layer = 0;            // model layer
  int unit = 0;
  bool c = false;           // c_n (else h_n)
};

// Layers [first, last) of one model placed in one core's memories.
struct Placement {
  unsigned core = 0;
  int model = 0;
  int first = 0, last = 0;
  std::vector<UnitSlice> slices;  // units the core computes, per layer
  std::vector<LayerDesc> layers;  // the descriptors: sizes, units, weight and bias bases
};

// Cores that run one job together, fed by one x stream and read through one
// h stream.
struct CoreGroup {
  std::vector<unsigned> cores;       // in program order
  std::vector<std::uint32_t> flags;  // FLAGS of each core (same order)
  unsigned in_port = 0;              // x enters here
  unsigned out_port = 0;             // h leaves here
};

// One job as the host runs it.
struct JobPlan {
  int model = 0;
  std::uint32_t steps = 0;
  int hidden = 0;          // h elements per step (the model's last layer)
  std::uint64_t work = 0;  // MAC-array cycles of the job on one core: sizes timeouts,
                           // never reported as a measurement
  // programs[g]: the register writes (every core of group g, in order) that
  // make group g run this job; empty for a group that never runs it.
  std::vector<std::vector<HostWrite>> programs;
  // reads[g]: the state words group g reads after the job (JobSpec::read_state).
  std::vector<std::vector<StateRead>> reads{};
  int layers = 0;           // the model's layers (rows of the final state)
  CellType cell = CellType::Lstm;  // FLAGS.GRU; which saturation fields count what
};

// How the jobs are started and queued.
enum class Dispatch {
  // One job at a time on group 0, in queue order: its program, then START
  // (start_all_write); the next job once the outputs are complete and no
  // core is busy.
  Serial,
  // mp. Group g takes its jobs from queues[0] (SharedQueue: whichever group is
  // idle takes the next job) or from queues[g] (OwnQueues: assigned up front).
  // The first job of every group is programmed before one START; each later
  // one is programmed and started with its core's CTRL (start_core_write) as
  // soon as the group's outputs are complete and its core is no longer busy.
  SharedQueue,
  OwnQueues,
  // mt with several jobs: group k is stage k of one pipeline (one core; its h
  // stream feeds group k + 1's x). Every job passes through the groups in
  // queues[0]'s order. The first job is programmed on every group before one
  // START; each group takes the next job (its program, then its core's CTRL
  // start) as soon as its core is idle, so a job fills the pipeline while the
  // one before it drains. Every job's x is queued at group 0's in_port up
  // front; h leaves the last group's out_port in job order.
  Pipelined,
  // single with a batch (RunPlan::batches): one batch at a time on group 0:
  // its program, every member's x interleaved step by step (x_t of member 0,
  // of member 1, ...), START; its h comes back interleaved the same way.
  Batched,
};

// Sequences of one model and one length that core 0 runs together
// (Dispatch::Batched; docs/architecture.md, "Batching").
struct BatchRun {
  std::vector<std::size_t> jobs;      // members, in stream order (indices into RunPlan::jobs)
  std::vector<HostWrite> program;     // member m's layer l is local layer m * layers + l
  int layers = 0;                     // the model's layers
  std::uint64_t work = 0;             // the members' work, summed
};

struct RunPlan {
  hostmap::Mode mode = hostmap::Mode::Single;
  int active = 1;                     // ACTIVE: cores 0 .. active-1 take part
  std::uint32_t stages = 0;           // STAGES (hybrid): bit c, core c begins a stage
  std::vector<HybridStage> hybrid;    // hybrid: the stages, in pipeline order
  std::vector<Placement> placements;  // in load order
  std::vector<HostWrite> load;        // every weight and bias write, in placement order
  std::vector<CoreGroup> groups;
  Dispatch dispatch = Dispatch::Serial;
  std::vector<std::vector<std::size_t>> queues;  // indices into jobs, in run order
  std::vector<JobPlan> jobs;          // one per JobSpec, same order
  int batch = 1;                      // sequences per batch (Dispatch::Batched)
  std::vector<BatchRun> batches;      // Dispatch::Batched: in run order
};

struct RunSetup;  // sim/run_common.hpp
// One JobSpec per sequence of a run's files, for model index `model`: its
// steps, its initial state (the file's h0/c0 quantized; none: zero state)
// and whether its final state is read.
std::vector<JobSpec> sequence_jobs(int model, const RunSetup& setup, bool read_state);

// Plans `jobs` of `models` in `mode` on the hardware c. Throws MappingError
// when the mode cannot run them (mt, hc and hybrid run one model) or a model
// does not fit a core's memories. hybrid takes its stages from `shape` when
// given (it must cover the model's layers in order), else from
// partition_hybrid.
// batch > 1 (mode single, a design with features.batch): up to `batch`
// sequences of one model and one length run together (Dispatch::Batched);
// MappingError names the limit a batch exceeds.
RunPlan plan_run(const HwConfig& c, hostmap::Mode mode, const std::vector<QuantModel>& models,
                 const std::vector<JobSpec>& jobs, const std::vector<HybridStage>& shape = {},
                 int batch = 1);

// The writes between the load and the first job: MODE, then ACTIVE (and
// STAGES in hybrid).
std::vector<HostWrite> mode_writes(const RunPlan& p);
// hybrid: the stages as "layers 0-1 x2, layers 2-3 x2" (layer range, cores);
// empty in the other modes.
std::string stages_text(const RunPlan& p);
// START: starts every active core at once.
HostWrite start_all_write();
// CTRL.START of one core: starts that core alone.
HostWrite start_core_write(unsigned core);

}  // namespace lstm
