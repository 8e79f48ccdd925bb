// lstm_assert.svh: named assertions with messages, in a form that Verilator
// 5.006, Icarus 11 and Yosys 0.23 all accept (probed; docs/architecture.md,
// "Assertions").
//
//   `LSTM_ASSERT(Name, Cond, Msg)       Cond holds at every rising edge of
//                                       clk_i while rst_ni is high
//   `LSTM_ASSERT_INIT(Name, Cond, Msg)  Cond holds at time zero (parameters)
//   `LSTM_ASSUME(Name, Cond, Msg)       like LSTM_ASSERT, for a rule the module's
//                                       environment must keep (an AXI master's):
//                                       checked in simulation, assumed in formal
//
// Name is an UpperCamelCase identifier, unique in its scope: it names the
// block that holds the check, so a failure reads
//   %Error: lstm_core_seq.sv:312: Assertion failed in
//   TOP.lstm_top.u_core0.u_seq.SeqStateLegal: the sequencer's state is one of its six
// Msg is a string literal saying what must hold. Cond must not contain a
// top-level comma (wrap concatenations in parentheses).
//
// Three expansions, chosen by the tool's own defines:
// - SYNTHESIS (Yosys read_verilog without -formal, vendor synthesis): nothing.
// - FORMAL (Yosys read_verilog -formal, for yosys-smtbmc): an immediate
//   `assert (Cond);` in a clocked always block, which becomes a $assert cell.
//   ($error is unknown to Yosys.)
// - simulation (Verilator, Icarus): `$error("%s", Msg)` when Cond fails.
//   In Verilator a failing $error is a failed assertion (it stops; the harness
//   turns that into a SimulationError); Icarus prints the message and scope.
//   Not `assert (Cond) else $error(...)`: Icarus 11 rejects the else branch
//   and labels on assertions, and a bare assert prints no message in Icarus.
// The always block is sensitive to negedge rst_ni too, like the registers it
// checks: Verilator -Wall flags a reset used both asynchronously and
// synchronously (SYNCASYNCNET) otherwise.
//
// Helper state an assertion needs (a register remembering last cycle's
// value) goes in an `ifndef SYNTHESIS block next to it, so that formal sees it.
`ifndef LSTM_ASSERT_SVH
`define LSTM_ASSERT_SVH

`ifdef SYNTHESIS

`define LSTM_ASSERT(Name, Cond, Msg)
`define LSTM_ASSERT_INIT(Name, Cond, Msg)
`define LSTM_ASSUME(Name, Cond, Msg)

`elsif FORMAL

`define LSTM_ASSERT(Name, Cond, Msg) \
  always @(posedge clk_i) begin : Name \
    if (rst_ni) assert (Cond); \
  end
`define LSTM_ASSERT_INIT(Name, Cond, Msg) \
  initial begin : Name \
    assert (Cond); \
  end
`define LSTM_ASSUME(Name, Cond, Msg) \
  always @(posedge clk_i) begin : Name \
    if (rst_ni) assume (Cond); \
  end

`else

`define LSTM_ASSERT(Name, Cond, Msg) \
  always @(posedge clk_i or negedge rst_ni) begin : Name \
    if (rst_ni && !(Cond)) $error("%s", Msg); \
  end
`define LSTM_ASSERT_INIT(Name, Cond, Msg) \
  initial begin : Name \
    if (!(Cond)) $error("%s", Msg); \
  end
`define LSTM_ASSUME(Name, Cond, Msg) `LSTM_ASSERT(Name, Cond, Msg)

`endif

`endif  // LSTM_ASSERT_SVH
