// fifo_chain_dut.hpp: the ports of the lstm_tb_fifo_chain fixture (skid buffer
// -> FIFO, 40-bit words, Depth 5) as a Dut, for rtl_build_test: the builder
// compiles fifo_chain_plugin.cpp with the verilated fixture into a plugin, and
// the test drives it through this interface.
#pragma once

#include <cstdint>

#include "tb/dut.hpp"

class VerilatedContext;

namespace lstm::tb::test {

inline constexpr unsigned kChainWidth = 40;
inline constexpr unsigned kChainDepth = 5;

class FifoChainDut : public Dut {
 public:
  virtual void set_in_valid(bool v) = 0;
  virtual bool in_ready() const = 0;
  virtual void set_in_data(std::uint64_t d) = 0;
  virtual bool out_valid() const = 0;
  virtual void set_out_ready(bool r) = 0;
  virtual std::uint64_t out_data() const = 0;
  virtual unsigned count() const = 0;  // words in the FIFO
};

using MakeFifoChainFn = FifoChainDut* (*)(VerilatedContext*);
inline constexpr const char* kMakeFifoChainSymbol = "lstm_tb_make_fifo_chain";

}  // namespace lstm::tb::test
