#include "gen/memory_table.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "spec/host_map.hpp"
#include "spec/lstm_shape.hpp"

namespace lstm {

std::vector<CoreMemory> core_memories(const HwConfig& c) {
  const int macs = kGates * c.lanes;
  const int max_vec = std::max(c.limits.max_input, c.limits.max_hidden);
  const int layer_units = c.limits.max_layers * c.limits.max_hidden;
  // lstm_hbuf: two banks by address parity with several cores, else one.
  const int h_banks = c.cores > 1 ? 2 : 1;
  const int h_bank_depth = (2 * layer_units + h_banks - 1) / h_banks;
  const std::string h_bank = h_banks == 2 ? "gen_two.gen_bank[{slot}].u_ram" : "gen_one.u_ram";
  return {
      {"gen_wmem[{slot}].u_wram", "WeightW", "WeightDepth", macs, c.weight.width,
       c.limits.weight_depth,
       "W_ih and W_hh of MAC slot lane * 4 + gate, every layer (host region weights)"},
      {"gen_wmem[{slot}].u_bram", "BiasW", "BiasDepth", macs, c.bias.width,
       hostmap::bias_depth(c), "b_ih + b_hh of MAC slot lane * 4 + gate (host region biases)"},
      {"u_xbuf", "DataW", "XDepth", 1, c.data.width, 2 * max_vec,
       "x_t of the first layer, two halves (step parity)"},
      {"u_hbuf_mac." + h_bank, "DataW", "HBankDepth", h_banks, c.data.width, h_bank_depth,
       "h of every layer, two halves (step parity): the MAC operand copy (with two banks, "
       "bank slot = address parity)"},
      {"u_hbuf_out." + h_bank, "DataW", "HBankDepth", h_banks, c.data.width, h_bank_depth,
       "h of every layer, two halves: the output streamer's copy"},
      {"u_cbuf", "CellW", "CDepth", 1, c.cell.width, layer_units, "c of every layer and unit (a GRU run: h)"},
  };
}

std::string core_instance(int k) { return fmt::format("u_core{}", k); }

nlohmann::ordered_json memories_json(const HwConfig& c) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  std::int64_t total = 0;
  for (const CoreMemory& m : core_memories(c)) {
    const std::int64_t instances = std::int64_t{m.per_core} * c.cores;
    const std::int64_t bits = instances * m.width * m.depth;
    total += bits;
    rows.push_back({{"instance", "u_core{core}." + m.instance},
                    {"instances", instances},
                    {"width", m.width},
                    {"depth", m.depth},
                    {"ports", "1 write, 1 read (registered, with read enable)"},
                    {"bits", bits},
                    {"holds", m.holds}});
  }
  return {{"module", kRamModule}, {"rams", rows}, {"total_bits", total}};
}

}  // namespace lstm
