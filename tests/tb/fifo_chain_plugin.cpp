// fifo_chain_plugin.cpp: the adapter rtl_build_test builds with the verilated
// lstm_tb_fifo_chain fixture into a model plugin (see fifo_chain_dut.hpp).
#include "Vlstm_tb_fifo_chain.h"
#include "tb/port_pack.hpp"
#include "tb/verilated_dut.hpp"
#include "tests/tb/fifo_chain_dut.hpp"

namespace lstm::tb::test {
namespace {

class FifoChain final : public VerilatedDut<Vlstm_tb_fifo_chain, FifoChainDut> {
 public:
  using VerilatedDut::VerilatedDut;
  void set_in_valid(bool v) override { model().in_valid_i = v; }
  bool in_ready() const override { return model().in_ready_o != 0; }
  void set_in_data(std::uint64_t d) override { set_port(model().in_data_i, kChainWidth, d); }
  bool out_valid() const override { return model().out_valid_o != 0; }
  void set_out_ready(bool r) override { model().out_ready_i = r; }
  std::uint64_t out_data() const override { return get_port(model().out_data_o, kChainWidth); }
  unsigned count() const override { return model().count_o; }
};

}  // namespace
}  // namespace lstm::tb::test

extern "C" lstm::tb::test::FifoChainDut* lstm_tb_make_fifo_chain(VerilatedContext* ctx) {
  return new lstm::tb::test::FifoChain(*ctx);
}
