// dut.hpp: a Verilated model seen through a small virtual interface.
//
// The harness (tb/harness.hpp), the accelerator driver and rtlsim talk to the
// design only through a Dut, so they are compiled once with the project and
// never include a model's header. Only the model and a small adapter that
// implements the interface are compiled per design: tb/verilated_dut.hpp holds
// the generic part of every adapter, tb/accel_dut.hpp the lstm_axi_top ports, and
// tb/lstm_axi_top_dut.cpp the adapter the rtl engine builds into each config's
// model plugin (tb/rtl_build.hpp, tb/model_library.hpp).
#pragma once

class VerilatedFstC;

namespace lstm::tb {

// The clock and reset every design here has (clk_i, rst_ni: asynchronous,
// active low), evaluation, and tracing.
class Dut {
 public:
  Dut() = default;
  Dut(const Dut&) = delete;
  Dut& operator=(const Dut&) = delete;
  virtual ~Dut() = default;

  virtual void set_clock(bool high) = 0;
  virtual void set_reset_n(bool high) = 0;
  // Evaluate the model with its current inputs (Verilator's eval()).
  virtual void eval() = 0;
  // Run final blocks (Verilator's final()); called once before destruction.
  virtual void final() = 0;
  // Attach an FST writer (levels = hierarchy depth). Throws std::logic_error if
  // the model was verilated without tracing.
  virtual void trace(VerilatedFstC& fst, int levels) = 0;
};

}  // namespace lstm::tb
