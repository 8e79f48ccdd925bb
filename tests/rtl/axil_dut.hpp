// axil_dut.hpp: the AXI4-Lite port of a generated lstm_axi_top as a Dut, for
// rtl_axil_test: the rtl builder compiles axil_plugin.cpp with the verilated
// top into a plugin and the test drives the five channels through this
// interface (byte addresses of AddrW + ByteShift bits), the AXI4-Stream x
// and h ports of each core port (`port`; TDATA of AxisDataW <= 32 bits), irq_o,
// and the weight/bias row stream (s_axis_w_*, TDATA set slot by slot).
#pragma once

#include <cstdint>

#include "tb/dut.hpp"

class VerilatedContext;

namespace lstm::tb::test {

class AxilDut : public Dut {
 public:
  virtual void set_awvalid(bool v) = 0;
  virtual bool awready() const = 0;
  virtual void set_awaddr(std::uint32_t a) = 0;
  virtual void set_wvalid(bool v) = 0;
  virtual bool wready() const = 0;
  virtual void set_wdata(std::uint32_t d) = 0;
  virtual void set_wstrb(unsigned s) = 0;
  virtual bool bvalid() const = 0;
  virtual void set_bready(bool r) = 0;
  virtual unsigned bresp() const = 0;
  virtual void set_arvalid(bool v) = 0;
  virtual bool arready() const = 0;
  virtual void set_araddr(std::uint32_t a) = 0;
  virtual bool rvalid() const = 0;
  virtual void set_rready(bool r) = 0;
  virtual std::uint32_t rdata() const = 0;
  virtual unsigned rresp() const = 0;

  virtual void set_x_tvalid(unsigned port, bool v) = 0;
  virtual bool x_tready(unsigned port) const = 0;
  virtual void set_x_tdata(unsigned port, std::uint32_t d) = 0;
  virtual bool h_tvalid(unsigned port) const = 0;
  virtual void set_h_tready(unsigned port, bool r) = 0;
  virtual std::uint32_t h_tdata(unsigned port) const = 0;
  virtual bool h_tlast(unsigned port) const = 0;
  virtual bool h_tuser(unsigned port) const = 0;
  virtual bool irq() const = 0;

  virtual void set_w_tvalid(bool v) = 0;
  virtual bool w_tready() const = 0;
  // Slot s of TDATA: bits [s * row_slot_w +: row_slot_w].
  virtual void set_w_slot(unsigned slot, std::uint32_t d) = 0;
};

// axis_data_w: lstm_pkg::AxisDataW, the width of one x or h port's TDATA;
// row_slot_w: lstm_pkg::WRowSlotW, of one slot of a weight row beat.
using MakeAxilDutFn = AxilDut* (*)(VerilatedContext*, unsigned axis_data_w, unsigned row_slot_w);
inline constexpr const char* kMakeAxilDutSymbol = "lstm_tb_make_axil";

}  // namespace lstm::tb::test
