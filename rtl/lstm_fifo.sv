// lstm_fifo: synchronous stream FIFO with registered storage.
//
// Hand-written primitive (not generated); shared by every generated design.
//
// - Depth is any value >= 1 (not only powers of two): the pointers wrap at
//   Depth - 1 explicitly.
// - First-word fall-through: out_data_o is the oldest word, read from the
//   storage registers through a mux; out_valid_o and in_ready_o come straight
//   from the occupancy register, so no combinational path crosses the FIFO.
// - Entries are selected by comparing the pointer with each constant index,
//   never by `ptr * Width +:`: for a Width that is not a power of two Yosys
//   turns the multiplied offset into a barrel shifter over all Depth * Width
//   bits (1,446 LUT4s instead of 228 for 8 x 28 bits on an iCE40; issue 10).
//   The read side ORs the selected entry out of all of them (AND-OR), which
//   synthesis balances into a shallow tree; an if-chain over the indices
//   would stay a priority chain Depth muxes deep.
// - Full throughput (one transfer per cycle on each side) for Depth >= 2.
//   Depth = 1 accepts a word only when empty, so it passes at most one word
//   every two cycles; a skid buffer (two entries, registered ready) is the
//   primitive for one stage at full rate.
// - count_o is the number of words held (0 .. Depth).
// - The storage has no reset (datapath); only valid state (pointers, count) does.
// - Parameters are `int`, not `int unsigned`: Icarus 11 rejects `int unsigned`
//   anywhere (see docs/testbench.md); both must be >= 1.
`include "lstm_assert.svh"

module lstm_fifo #(
  parameter int Width = 8,
  parameter int Depth = 4
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,

  input  logic                       in_valid_i,
  output logic                       in_ready_o,
  input  logic [Width-1:0]           in_data_i,

  output logic                       out_valid_o,
  input  logic                       out_ready_i,
  output logic [Width-1:0]           out_data_o,

  output logic [$clog2(Depth+1)-1:0] count_o
);

  localparam int PtrWidth   = (Depth > 1) ? $clog2(Depth) : 1;
  localparam int CountWidth = $clog2(Depth + 1);
  localparam logic [PtrWidth-1:0]   LastPtr   = PtrWidth'(Depth - 1);
  localparam logic [CountWidth-1:0] FullCount = CountWidth'(Depth);

  logic [Depth*Width-1:0] mem_d, mem_q;
  logic [PtrWidth-1:0]    wr_ptr_d, wr_ptr_q;
  logic [PtrWidth-1:0]    rd_ptr_d, rd_ptr_q;
  logic [CountWidth-1:0]  count_d, count_q;
  logic                   push, pop;

  assign in_ready_o  = (count_q != FullCount);
  assign out_valid_o = (count_q != '0);
  // Entry ptr of mem, ORed out of all entries (a function: Icarus 11 would
  // re-trigger an always_comb that reads back the variable it builds).
  function automatic logic [Width-1:0] entry(input logic [Depth*Width-1:0] mem,
                                             input logic [PtrWidth-1:0] ptr);
    entry = '0;
    for (int k = 0; k < Depth; k++) entry = entry | (mem[k * Width +: Width] & {Width{ptr == PtrWidth'(k)}});
  endfunction
  assign out_data_o = entry(mem_q, rd_ptr_q);
  assign count_o     = count_q;

  assign push = in_valid_i  & in_ready_o;
  assign pop  = out_valid_o & out_ready_i;

  always_comb begin
    mem_d    = mem_q;
    wr_ptr_d = wr_ptr_q;
    rd_ptr_d = rd_ptr_q;
    count_d  = count_q;

    if (push) begin
      for (int k = 0; k < Depth; k++) begin
        if (wr_ptr_q == PtrWidth'(k)) mem_d[k * Width +: Width] = in_data_i;
      end
      wr_ptr_d = (wr_ptr_q == LastPtr) ? '0 : wr_ptr_q + 1'b1;
    end
    if (pop) begin
      rd_ptr_d = (rd_ptr_q == LastPtr) ? '0 : rd_ptr_q + 1'b1;
    end
    unique case ({push, pop})
      2'b10:   count_d = count_q + 1'b1;
      2'b01:   count_d = count_q - 1'b1;
      default: count_d = count_q;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_ptr_q <= '0;
      rd_ptr_q <= '0;
      count_q  <= '0;
    end else begin
      wr_ptr_q <= wr_ptr_d;
      rd_ptr_q <= rd_ptr_d;
      count_q  <= count_d;
    end
  end

  // Storage: datapath registers without reset.
  always_ff @(posedge clk_i) begin
    mem_q <= mem_d;
  end

`ifndef SYNTHESIS
  `LSTM_ASSERT_INIT(FifoWidthPositive, Width >= 1, "lstm_fifo: Width is at least 1")
  `LSTM_ASSERT_INIT(FifoDepthPositive, Depth >= 1, "lstm_fifo: Depth is at least 1")
  `LSTM_ASSERT(FifoNoOverflow, !(in_valid_i && in_ready_o && count_q == FullCount),
               "no word is accepted while the FIFO is full")
  `LSTM_ASSERT(FifoNoUnderflow, !(out_valid_o && out_ready_i && count_q == '0),
               "no word is taken while the FIFO is empty")

  // Invariants of the pointers and the count: they hold in every reachable
  // state, and stating them lets the formal checks prove the rules above by
  // induction (for every cycle, not only 20 from reset).
  logic [PtrWidth:0] wr_expect;
  assign wr_expect = (PtrWidth+1)'(rd_ptr_q) + (PtrWidth+1)'(count_q);
  // (Always true when Depth + 1 is a power of two: the count cannot exceed it.)
  /* verilator lint_off CMPCONST */
  `LSTM_ASSERT(FifoCountInRange, count_q <= FullCount, "the FIFO holds at most Depth words")
  /* verilator lint_on CMPCONST */
  `LSTM_ASSERT(FifoPtrsInRange, 32'(wr_ptr_q) < Depth && 32'(rd_ptr_q) < Depth,
               "both pointers address an entry the FIFO has")
  `LSTM_ASSERT(FifoPtrsAgree, 32'(wr_ptr_q) == 32'(wr_expect) % Depth,
               "the write pointer is count words past the read pointer (modulo Depth)")

  // Stream rule on both sides: once valid is high without ready, valid stays
  // high and the data stays the same until the transfer. The writer's rule
  // on in_* is an `LSTM_ASSUME (checked in simulation, assumed by the formal
  // checks of tools/formal.sh); out_* is this FIFO's own promise to its reader.
  logic             in_held_q, out_held_q;
  logic [Width-1:0] in_data_q, out_data_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      in_held_q  <= 1'b0;
      out_held_q <= 1'b0;
    end else begin
      in_held_q  <= in_valid_i && !in_ready_o;
      out_held_q <= out_valid_o && !out_ready_i;
      in_data_q  <= in_data_i;
      out_data_q <= out_data_o;
    end
  end
  `LSTM_ASSUME(FifoInHeld, !in_held_q || (in_valid_i && in_data_i == in_data_q),
               "a word offered to the FIFO without ready stays valid and unchanged until taken")
  `LSTM_ASSERT(FifoOutHeld, !out_held_q || (out_valid_o && out_data_o == out_data_q),
               "the FIFO's output word stays valid and unchanged until taken")
`endif

endmodule
