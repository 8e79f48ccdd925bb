// What the host does to run models on the accelerator: where each layer's
// weights go in a core's memories, which units a core computes, how layers are
// grouped into pipeline stages, and the register writes of a core's program.
// Pure C++ (no Verilator), so it is tested on its own and shared by the
// Verilator engine and the SystemVerilog testbench writer.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "spec/config.hpp"
#include "spec/host_map.hpp"
#include "sim/lstm_model.hpp"
#include "sim/run_common.hpp"  // model_limit_problems, layer_step_work: shared with the golden engine

namespace lstm {

class MappingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LayerDesc {
  std::uint32_t in_size = 0, hidden = 0, unit_lo = 0, unit_cnt = 0, wbase = 0, bbase = 0;
  // Batch designs only (features.batch): XOFF and LFLAGS (hostmap::kLFlag*).
  std::uint32_t xoff = 0, lflags = 0;
};

struct HostWrite {
  std::uint32_t addr = 0;
  std::uint32_t data = 0;
};

// Layers of a model placed in one core's weight and bias memories.
struct CoreImage {
  std::vector<LayerDesc> layers;
  std::vector<HostWrite> writes;   // weight and bias memory writes
  std::uint32_t weight_end = 0;    // first free weight word
  std::uint32_t bias_end = 0;      // first free bias word
};

struct UnitSlice {
  int lo = 0;
  int cnt = 0;
};

// Places layers [first, last) of m, layer l computing units slices[l - first],
// at the given memory bases. Throws MappingError naming the limit that is
// exceeded. fold_first: layer `first` is laid out folded (a batch design's
// LFLAGS.FOLD; docs/architecture.md, "Batching"): groups of lanes / 2 units,
// max(X, H) words each, word j holding column j of W_ih in the lower lanes
// and column j of W_hh in the upper lanes (zeros past X or H), the bias in
// the lower lanes only; its descriptor gets LFLAGS.FOLD.
CoreImage place_layers(const HwConfig& c, const QuantModel& m, unsigned core, int first,
                       int last, const std::vector<UnitSlice>& slices,
                       std::uint32_t wbase = 0, std::uint32_t bbase = 0, bool fold_first = false);

// Whether folding the layer (x in, h in) saves MAC-array cycles on lanes:
// ceil(H / (lanes / 2)) * max(X, H) < ceil(H / lanes) * (X + H).
bool fold_pays(int lanes, int x, int h);

// All units of every layer: the slices for single and mp.
std::vector<UnitSlice> full_slices(const QuantModel& m, int first, int last);


// mt: split the layers into at most `cores` contiguous stages so the slowest
// stage is as short as possible. Returns [first, last) per stage.
std::vector<std::pair<int, int>> partition_stages(const HwConfig& c, const QuantModel& m,
                                                  int cores);

// hybrid: one pipeline stage, layers [first, last) of the model on `cores`
// contiguous cores that split each layer's units as in hc.
struct HybridStage {
  int first = 0, last = 0;
  int cores = 1;
};

// hybrid: candidate stage lists (layer ranges and core counts, at most
// `cores` cores in all), the `count` best first by a rough estimate of a
// stage's layer-step (its MAC-array cycles, the post unit's drain, the
// all-gather of a stage's h): steps times the slowest stage plus every stage
// once (fill and drain). Ties go to fewer cores, then fewer stages. A stage
// never has more cores than its narrowest layer has lane groups. The host
// picks among them with the cost model (run_plan.cpp, plan_hybrid).
std::vector<std::vector<HybridStage>> hybrid_candidates(const HwConfig& c, const QuantModel& m,
                                                        int cores, std::uint64_t steps,
                                                        std::size_t count);

// hc: split `hidden` units over at most n cores by whole lane groups, as evenly
// as possible. Fewer slices come back when there are fewer groups than cores.
std::vector<UnitSlice> split_units(int hidden, int lanes, int n);

// Register writes that load a core's program (descriptors, steps, flags).
// batch_regs (a design with features.batch): also X_LEN = x_len and each
// layer's XOFF and LFLAGS, so that no batched program's values stay behind.
std::vector<HostWrite> program_writes(unsigned core, const std::vector<LayerDesc>& layers,
                                      std::uint32_t steps, std::uint32_t flags,
                                      bool batch_regs = false, std::uint32_t x_len = 0);

}  // namespace lstm
