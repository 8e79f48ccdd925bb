// Formal harness of lstm_fifo (tools/formal.sh): Depth 3 (the pointers wrap
// at a depth that is not a power of two), Width 3. Every input is free; the
// writer's rule (FifoInHeld) is an assume inside lstm_fifo, so the proof is
// about the FIFO's own rules: no overflow or underflow, the output word held.
module formal_fifo (
  input logic       clk_i,
  input logic       rst_ni,
  input logic       in_valid_i,
  input logic [2:0] in_data_i,
  input logic       out_ready_i
);
  logic in_ready, out_valid;
  logic [2:0] out_data;
  logic [1:0] count;
  initial assume (!rst_ni);  // the trace starts in reset
  lstm_fifo #(.Width(3), .Depth(3)) u_dut (
    .clk_i, .rst_ni, .in_valid_i, .in_ready_o(in_ready), .in_data_i,
    .out_valid_o(out_valid), .out_ready_i, .out_data_o(out_data), .count_o(count)
  );
endmodule
