// axil_plugin.cpp: the adapter rtl_axil_test builds with a verilated
// lstm_axi_top into a model plugin (see axil_dut.hpp).
#include "Vlstm_axi_top.h"
#include "tb/port_pack.hpp"
#include "tb/verilated_dut.hpp"
#include "tests/rtl/axil_dut.hpp"

namespace lstm::tb::test {
namespace {

class Axil final : public VerilatedDut<Vlstm_axi_top, AxilDut> {
 public:
  Axil(VerilatedContext& ctx, unsigned axis_data_w, unsigned row_slot_w)
      : VerilatedDut(ctx), aw_(axis_data_w), rw_(row_slot_w) {}
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

  void set_x_tvalid(unsigned p, bool v) override { set_slice(model().s_axis_x_tvalid_i, p, 1, v); }
  bool x_tready(unsigned p) const override { return get_slice(model().s_axis_x_tready_o, p, 1) != 0; }
  void set_x_tdata(unsigned p, std::uint32_t d) override {
    set_slice(model().s_axis_x_tdata_i, p, aw_, d);
  }
  bool h_tvalid(unsigned p) const override { return get_slice(model().m_axis_h_tvalid_o, p, 1) != 0; }
  void set_h_tready(unsigned p, bool r) override { set_slice(model().m_axis_h_tready_i, p, 1, r); }
  std::uint32_t h_tdata(unsigned p) const override {
    return static_cast<std::uint32_t>(get_slice(model().m_axis_h_tdata_o, p, aw_));
  }
  bool h_tlast(unsigned p) const override { return get_slice(model().m_axis_h_tlast_o, p, 1) != 0; }
  bool h_tuser(unsigned p) const override { return get_slice(model().m_axis_h_tuser_o, p, 1) != 0; }
  bool irq() const override { return model().irq_o != 0; }

  void set_w_tvalid(bool v) override { model().s_axis_w_tvalid_i = v; }
  bool w_tready() const override { return model().s_axis_w_tready_o != 0; }
  void set_w_slot(unsigned s, std::uint32_t d) override {
    set_slice(model().s_axis_w_tdata_i, s, rw_, d);
  }

 private:
  unsigned aw_, rw_;
};

}  // namespace
}  // namespace lstm::tb::test

extern "C" lstm::tb::test::AxilDut* lstm_tb_make_axil(VerilatedContext* ctx,
                                                     unsigned axis_data_w, unsigned row_slot_w) {
  return new lstm::tb::test::Axil(*ctx, axis_data_w, row_slot_w);
}
