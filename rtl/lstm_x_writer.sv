// x writer: takes the core's x input stream and writes it into the double
// buffered x memory, step t into half t mod 2 (lstm_pkg::x_addr).
//
// Credits: the writer runs at most two steps ahead of the sequencer's x
// reads (x_consumed_i counts the steps whose x reads are all issued), so it
// never overwrites a half the sequencer still reads. It accepts nothing
// outside a run and nothing past the run's last step.
`include "lstm_assert.svh"

module lstm_x_writer #(
  localparam int DataW = lstm_pkg::DataW,
  localparam int VecW = lstm_pkg::VecW,
  localparam int XAddrW = lstm_pkg::XAddrW,
  localparam int StepW = lstm_pkg::StepW
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic              start_i,       // a run starts: back to step 0
  input  logic              running_i,     // the sequencer runs or drains
  input  logic [StepW-1:0]  steps_i,       // steps of the run
  input  logic [VecW-1:0]   x_len_i,       // elements per step (layer 0's input size)
  input  logic [StepW-1:0]  x_consumed_i,  // steps whose x reads are all issued
  // x input stream
  input  logic              in_valid_i,
  output logic              in_ready_o,
  input  logic [DataW-1:0]  in_data_i,
  // x memory write port (the data is in_data_i)
  output logic              we_o,
  output logic [XAddrW-1:0] waddr_o,
  // Progress, for the sequencer's readiness check
  output logic [StepW-1:0]  step_o,        // the step being written
  output logic [VecW-1:0]   cnt_o          // elements of that step written
);
  logic [StepW-1:0] step_q, step_d;
  logic [VecW-1:0] cnt_q, cnt_d;
  logic in_fire;

  // The step stays within [x_consumed, x_consumed + 2] and at most steps_i
  // (XWriterCredit, XWriterStepBound): a 3-bit difference and an equality
  // decide, not 32-bit comparators (issue 10).
  logic [2:0] ahead;  // step - x_consumed: 0 .. 2
  assign ahead = 3'(step_q) - 3'(x_consumed_i);
  assign in_ready_o = running_i && (step_q != steps_i) && (ahead < 3'd2);
  assign in_fire = in_valid_i && in_ready_o;
  assign we_o = in_fire;
  assign waddr_o = lstm_pkg::x_addr(step_q[0], cnt_q);

  always_comb begin
    step_d = step_q;
    cnt_d = cnt_q;
    if (start_i) begin
      step_d = '0;
      cnt_d = '0;
    end else if (in_fire) begin
      cnt_d = cnt_q + VecW'(1);
      if (cnt_q == x_len_i - VecW'(1)) begin
        cnt_d = '0;
        step_d = step_q + StepW'(1);
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      step_q <= '0;
      cnt_q <= '0;
    end else begin
      step_q <= step_d;
      cnt_q <= cnt_d;
    end
  end

  assign step_o = step_q;
  assign cnt_o = cnt_q;

`ifndef SYNTHESIS
  // The writer of the stream (the host side, or the previous core in mt)
  // keeps the stream rule: a word offered without ready stays, unchanged,
  // until it is taken.
  logic             held_q;
  logic [DataW-1:0] held_data_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      held_q <= 1'b0;
    end else begin
      held_q <= in_valid_i && !in_ready_o;
      held_data_q <= in_data_i;
    end
  end
  `LSTM_ASSERT(XStreamHeld, !held_q || (in_valid_i && in_data_i == held_data_q),
               "an x word offered without ready stays valid and unchanged until taken")
  `LSTM_ASSERT(XWriterCredit, !running_i || (step_q >= x_consumed_i
               && 33'(step_q) <= 33'(x_consumed_i) + 33'd2),
               "the x writer runs at most two steps ahead of the sequencer's x reads, never behind")
  `LSTM_ASSERT(XWriterStepBound, !running_i || step_q <= steps_i,
               "the x writer stops at the run's last step")
  `LSTM_ASSERT(XWriterCount, !running_i || cnt_q < x_len_i,
               "the element count stays below the step's length")
`endif
endmodule
