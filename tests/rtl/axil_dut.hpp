// axil_dut.hpp: the AXI4-Lite port of a generated lstm_axi_top as a Dut, for
// rtl_axil_test: the rtl builder compiles axil_plugin.cpp with the verilated
// top into a plugin and the test drives the five channels through this
// interface (byte addresses of AddrW + ByteShift bits; the stream ports stay 0).
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
};

using MakeAxilDutFn = AxilDut* (*)(VerilatedContext*);
inline constexpr const char* kMakeAxilDutSymbol = "lstm_tb_make_axil";

}  // namespace lstm::tb::test
