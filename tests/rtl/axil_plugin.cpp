// axil_plugin.cpp: the adapter rtl_axil_test builds with a verilated
// lstm_axi_top into a model plugin (see axil_dut.hpp).
#include "Vlstm_axi_top.h"
#include "tb/verilated_dut.hpp"
#include "tests/rtl/axil_dut.hpp"

namespace lstm::tb::test {
namespace {

class Axil final : public VerilatedDut<Vlstm_axi_top, AxilDut> {
 public:
  using VerilatedDut::VerilatedDut;
  void set_awvalid(bool v) override { model().s_axil_awvalid_i = v; }
  bool awready() const override { return model().s_axil_awready_o != 0; }
  void set_awaddr(std::uint32_t a) override { model().s_axil_awaddr_i = a; }
  void set_wvalid(bool v) override { model().s_axil_wvalid_i = v; }
  bool wready() const override { return model().s_axil_wready_o != 0; }
  void set_wdata(std::uint32_t d) override { model().s_axil_wdata_i = d; }
  void set_wstrb(unsigned s) override { model().s_axil_wstrb_i = s & 0xF; }
  bool bvalid() const override { return model().s_axil_bvalid_o != 0; }
  void set_bready(bool r) override { model().s_axil_bready_i = r; }
  unsigned bresp() const override { return model().s_axil_bresp_o; }
  void set_arvalid(bool v) override { model().s_axil_arvalid_i = v; }
  bool arready() const override { return model().s_axil_arready_o != 0; }
  void set_araddr(std::uint32_t a) override { model().s_axil_araddr_i = a; }
  bool rvalid() const override { return model().s_axil_rvalid_o != 0; }
  void set_rready(bool r) override { model().s_axil_rready_i = r; }
  std::uint32_t rdata() const override { return model().s_axil_rdata_o; }
  unsigned rresp() const override { return model().s_axil_rresp_o; }
};

}  // namespace
}  // namespace lstm::tb::test

extern "C" lstm::tb::test::AxilDut* lstm_tb_make_axil(VerilatedContext* ctx) {
  return new lstm::tb::test::Axil(*ctx);
}
