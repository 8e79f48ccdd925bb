#include "host/host_program.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <limits>

#include "spec/lstm_shape.hpp"

namespace lstm {

namespace {

std::uint32_t to_bits(std::int64_t v, int width) {
  return static_cast<std::uint32_t>(static_cast<std::uint64_t>(v) &
                                    ((std::uint64_t{1} << width) - 1));
}

// What MAC slot `gate` of a lane sums for hidden unit `unit`: the weight row,
// over the x columns, the h columns or both, and its bias. An LSTM gate is
// its own row over [x; h]. A GRU (docs/numerics.md, "One GRU layer-step")
// fills the four slots with a_r and a_z (rows r and z over [x; h]), a_nx
// (row n's W_in on the x columns, zeros on h, bias b_in) and a_nh (zeros on
// x, row n's W_hn on h, bias b_hn), so the MAC array runs it unchanged.
struct SlotSource {
  std::size_t row;
  bool x = true, h = true, bias_hn = false;
};
SlotSource slot_source(CellType cell, int gate, int h, int unit) {
  const auto row = [&](int g) { return static_cast<std::size_t>(g * h + unit); };
  if (cell == CellType::Lstm || gate < 2) return {row(gate)};
  if (gate == 2) return {row(2), true, false, false};
  return {row(2), false, true, true};
}

}  // namespace

bool fold_pays(int lanes, int x, int h) {
  if (lanes < 2) return false;
  return static_cast<std::int64_t>(groups_of(h, lanes / 2)) * std::max(x, h) <
         static_cast<std::int64_t>(groups_of(h, lanes)) * (x + h);
}

namespace {

// The weight and bias words of a folded layer (place_layers' fold_first).
void place_folded(const HwConfig& c, const QuantModel& m, const QuantLayer& layer, unsigned core,
                  UnitSlice s, std::uint32_t w, std::uint32_t b, CoreImage& img) {
  using hostmap::Region;
  const int half = c.lanes / 2;
  const int x = layer.input_size, h = layer.hidden_size, row = std::max(x, h);
  const int groups = groups_of(s.cnt, half);
  for (int g = 0; g < groups; ++g) {
    const int active = std::min(half, s.cnt - g * half);
    for (int lane = 0; lane < active; ++lane) {
      const int unit = s.lo + g * half + lane;
      for (int gate = 0; gate < kGates; ++gate) {
        const SlotSource src = slot_source(m.cell, gate, h, unit);
        const auto lo = static_cast<unsigned>(lane * kGates + gate);
        const auto hi = static_cast<unsigned>((lane + half) * kGates + gate);
        for (int col = 0; col < row; ++col) {
          const auto word = w + static_cast<std::uint32_t>(g * row + col);
          const std::int64_t vx =
              col < x && src.x ? layer.w_ih[src.row * static_cast<std::size_t>(x) +
                                            static_cast<std::size_t>(col)]
                               : 0;
          const std::int64_t vh =
              col < h && src.h ? layer.w_hh[src.row * static_cast<std::size_t>(h) +
                                            static_cast<std::size_t>(col)]
                               : 0;
          img.writes.push_back({hostmap::mem_addr(c, core, Region::Weights, word, lo),
                                to_bits(vx, c.weight.width)});
          img.writes.push_back({hostmap::mem_addr(c, core, Region::Weights, word, hi),
                                to_bits(vh, c.weight.width)});
        }
        const std::int64_t bias = src.bias_hn ? layer.bias_hn[static_cast<std::size_t>(unit)]
                                              : layer.bias[src.row];
        const auto bw = b + static_cast<std::uint32_t>(g);
        img.writes.push_back({hostmap::mem_addr(c, core, Region::Biases, bw, lo),
                              to_bits(bias, c.bias.width)});
        img.writes.push_back({hostmap::mem_addr(c, core, Region::Biases, bw, hi), 0});
      }
    }
  }
}

}  // namespace

CoreImage place_layers(const HwConfig& c, const QuantModel& m, unsigned core, int first,
                       int last, const std::vector<UnitSlice>& slices, std::uint32_t wbase,
                       std::uint32_t bbase, bool fold_first) {
  using hostmap::Region;
  CoreImage img;
  std::uint32_t w = wbase, b = bbase;
  const int lanes = c.lanes;
  for (int l = first; l < last; ++l) {
    const QuantLayer& layer = m.layers[static_cast<std::size_t>(l)];
    const UnitSlice s = slices[static_cast<std::size_t>(l - first)];
    const int x = layer.input_size, h = layer.hidden_size;
    const bool fold = fold_first && l == first;
    const int groups = fold ? groups_of(s.cnt, lanes / 2) : groups_of(s.cnt, lanes);
    const std::uint32_t words =
        static_cast<std::uint32_t>(groups) * static_cast<std::uint32_t>(fold ? std::max(x, h) : x + h);
    if (std::uint64_t{w} + words > static_cast<std::uint64_t>(c.limits.weight_depth))
      throw MappingError(fmt::format(
          "layer {} needs weight words {}..{} on core {}, but /limits/weight_depth is {}", l, w,
          w + words, core, c.limits.weight_depth));
    if (b + static_cast<std::uint32_t>(groups) > static_cast<std::uint32_t>(hostmap::bias_depth(c)))
      throw MappingError(fmt::format(
          "layer {} needs bias words {}..{} on core {}, but the bias memory holds {} "
          "(limits.max_layers * ceil(limits.max_hidden / lanes))",
          l, b, b + static_cast<std::uint32_t>(groups), core, hostmap::bias_depth(c)));
    img.layers.push_back(LayerDesc{static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(h),
                                   static_cast<std::uint32_t>(s.lo),
                                   static_cast<std::uint32_t>(s.cnt), w, b, 0,
                                   fold ? hostmap::kLFlagFold : 0});
    if (fold) place_folded(c, m, layer, core, s, w, b, img);
    for (int g = 0; g < (fold ? 0 : groups); ++g) {
      const int active = std::min(lanes, s.cnt - g * lanes);
      for (int lane = 0; lane < active; ++lane) {
        const int unit = s.lo + g * lanes + lane;
        for (int gate = 0; gate < kGates; ++gate) {
          const SlotSource src = slot_source(m.cell, gate, h, unit);
          const auto slot = static_cast<unsigned>(lane * kGates + gate);
          for (int col = 0; col < x + h; ++col) {
            const std::int64_t v =
                col < x ? (src.x ? layer.w_ih[src.row * static_cast<std::size_t>(x) +
                                              static_cast<std::size_t>(col)]
                                 : 0)
                        : (src.h ? layer.w_hh[src.row * static_cast<std::size_t>(h) +
                                              static_cast<std::size_t>(col - x)]
                                 : 0);
            img.writes.push_back(
                {hostmap::mem_addr(c, core, Region::Weights,
                                   w + static_cast<std::uint32_t>(g * (x + h) + col), slot),
                 to_bits(v, c.weight.width)});
          }
          const std::int64_t bias = src.bias_hn ? layer.bias_hn[static_cast<std::size_t>(unit)]
                                                : layer.bias[src.row];
          img.writes.push_back({hostmap::mem_addr(c, core, Region::Biases,
                                                  b + static_cast<std::uint32_t>(g), slot),
                                to_bits(bias, c.bias.width)});
        }
      }
    }
    w += words;
    b += static_cast<std::uint32_t>(groups);
  }
  img.weight_end = w;
  img.bias_end = b;
  return img;
}

std::vector<UnitSlice> full_slices(const QuantModel& m, int first, int last) {
  std::vector<UnitSlice> s;
  for (int l = first; l < last; ++l)
    s.push_back({0, m.layers[static_cast<std::size_t>(l)].hidden_size});
  return s;
}

std::vector<std::pair<int, int>> partition_stages(const HwConfig& c, const QuantModel& m,
                                                  int cores) {
  const int n_layers = static_cast<int>(m.layers.size());
  const int stages = std::min(cores, n_layers);
  std::vector<std::int64_t> cost;
  for (const auto& l : m.layers)
    cost.push_back(layer_step_work(c.lanes, l.input_size, l.hidden_size, l.hidden_size));
  // best[s][i]: slowest stage when the first i layers form s stages.
  constexpr auto kInf = std::numeric_limits<std::int64_t>::max();
  std::vector<std::vector<std::int64_t>> best(
      static_cast<std::size_t>(stages + 1),
      std::vector<std::int64_t>(static_cast<std::size_t>(n_layers + 1), kInf));
  std::vector<std::vector<int>> cut(best.size(),
                                    std::vector<int>(static_cast<std::size_t>(n_layers + 1), 0));
  best[0][0] = 0;
  for (int s = 1; s <= stages; ++s) {
    for (int i = s; i <= n_layers; ++i) {
      std::int64_t sum = 0;
      for (int j = i - 1; j >= s - 1; --j) {  // last stage is layers [j, i)
        sum += cost[static_cast<std::size_t>(j)];
        const auto prev = best[static_cast<std::size_t>(s - 1)][static_cast<std::size_t>(j)];
        if (prev == kInf) continue;
        const auto v = std::max(prev, sum);
        if (v < best[static_cast<std::size_t>(s)][static_cast<std::size_t>(i)]) {
          best[static_cast<std::size_t>(s)][static_cast<std::size_t>(i)] = v;
          cut[static_cast<std::size_t>(s)][static_cast<std::size_t>(i)] = j;
        }
      }
    }
  }
  std::vector<std::pair<int, int>> out(static_cast<std::size_t>(stages));
  int i = n_layers;
  for (int s = stages; s >= 1; --s) {
    const int j = cut[static_cast<std::size_t>(s)][static_cast<std::size_t>(i)];
    out[static_cast<std::size_t>(s - 1)] = {j, i};
    i = j;
  }
  return out;
}

namespace {

// The rough cycles of one step of a hybrid stage (partition_hybrid): per
// layer, the MAC-array cycles of a core's largest slice, the post unit's
// drain of its last group, and with several cores the merge of their last
// groups' h at two packets per cycle.
std::int64_t stage_estimate(const HwConfig& c, const QuantModel& m, int first, int last,
                            int cores) {
  constexpr std::int64_t kDrain = 12;  // post unit and h latency of a layer-step's end
  std::int64_t t = 0;
  for (int l = first; l < last; ++l) {
    const QuantLayer& L = m.layers[static_cast<std::size_t>(l)];
    const int groups = groups_of(L.hidden_size, c.lanes);
    const int mine = (groups + cores - 1) / cores;
    t += static_cast<std::int64_t>(mine) * (L.input_size + L.hidden_size) + c.lanes + kDrain;
    if (cores > 1) t += (cores * c.lanes + 1) / 2;
  }
  return t;
}

struct HybridCandidate {
  std::int64_t cost = 0;
  int used = 0;
  std::vector<HybridStage> stages;
  bool operator<(const HybridCandidate& o) const {
    if (cost != o.cost) return cost < o.cost;
    if (used != o.used) return used < o.used;
    return stages.size() < o.stages.size();
  }
};

struct HybridSearch {
  const HwConfig& c;
  const QuantModel& m;
  int cores;
  std::uint64_t steps;
  std::size_t count;
  std::vector<HybridStage> cur{};
  std::vector<HybridCandidate> best{};  // sorted, at most count

  // Stages for layers [i, L) on at most cores - used more cores.
  void walk(int i, int used, std::int64_t slowest, std::int64_t sum) {
    const int n_layers = static_cast<int>(m.layers.size());
    if (i == n_layers) return consider(used, slowest, sum);
    int narrowest = std::numeric_limits<int>::max();
    for (int last = i + 1; last <= n_layers; ++last) {
      narrowest = std::min(narrowest,
                           groups_of(m.layers[static_cast<std::size_t>(last - 1)].hidden_size,
                                     c.lanes));
      for (int k = 1; k <= std::min(narrowest, cores - used); ++k) {
        const std::int64_t t = stage_estimate(c, m, i, last, k);
        cur.push_back({i, last, k});
        walk(last, used + k, std::max(slowest, t), sum + t);
        cur.pop_back();
      }
    }
  }
  void consider(int used, std::int64_t slowest, std::int64_t sum) {
    HybridCandidate h{static_cast<std::int64_t>(steps) * slowest + sum, used, cur};
    if (best.size() == count && !(h < best.back())) return;
    best.insert(std::upper_bound(best.begin(), best.end(), h), std::move(h));
    if (best.size() > count) best.pop_back();
  }
};

}  // namespace

std::vector<std::vector<HybridStage>> hybrid_candidates(const HwConfig& c, const QuantModel& m,
                                                        int cores, std::uint64_t steps,
                                                        std::size_t count) {
  HybridSearch s{c, m, cores, std::max<std::uint64_t>(steps, 1), std::max<std::size_t>(count, 1)};
  s.walk(0, 0, 0, 0);
  std::vector<std::vector<HybridStage>> out;
  for (auto& h : s.best) out.push_back(std::move(h.stages));
  return out;
}

std::vector<UnitSlice> split_units(int hidden, int lanes, int n) {
  const int groups = groups_of(hidden, lanes);
  const int used = std::min(n, groups);
  std::vector<UnitSlice> out;
  int lo = 0;
  for (int k = 0; k < used; ++k) {
    const int my_groups = groups / used + (k < groups % used ? 1 : 0);
    const int cnt = std::min(hidden - lo, my_groups * lanes);
    out.push_back({lo, cnt});
    lo += cnt;
  }
  return out;
}

std::vector<HostWrite> program_writes(unsigned core, const std::vector<LayerDesc>& layers,
                                      std::uint32_t steps, std::uint32_t flags, bool batch_regs,
                                      std::uint32_t x_len) {
  using namespace hostmap;
  std::vector<HostWrite> w;
  w.push_back({core_reg(core, kNumLayers), static_cast<std::uint32_t>(layers.size())});
  w.push_back({core_reg(core, kNumSteps), steps});
  w.push_back({core_reg(core, kFlags), flags});
  if (batch_regs) w.push_back({core_reg(core, kXLen), x_len});
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const auto li = static_cast<unsigned>(l);
    const LayerDesc& d = layers[l];
    w.push_back({layer_reg(core, li, kInSize), d.in_size});
    w.push_back({layer_reg(core, li, kHidden), d.hidden});
    w.push_back({layer_reg(core, li, kUnitLo), d.unit_lo});
    w.push_back({layer_reg(core, li, kUnitCnt), d.unit_cnt});
    w.push_back({layer_reg(core, li, kWBase), d.wbase});
    w.push_back({layer_reg(core, li, kBBase), d.bbase});
    if (batch_regs) {
      w.push_back({layer_reg(core, li, kXOff), d.xoff});
      w.push_back({layer_reg(core, li, kLFlags), d.lflags});
    }
  }
  return w;
}

}  // namespace lstm
