// One destination of the h network: a small FIFO per source core, a
// round-robin pick of one packet per cycle into the destination's h buffer,
// and per source a count of finished layer-steps (packets flagged last).
//
// A layer-step is complete in this buffer when every source in mask_i has
// delivered its last packet of it: done_o is the minimum of those counts.
// Because each source's packets arrive in order through its own FIFO, the
// count never runs ahead of the writes it stands for.
`include "lstm_assert.svh"

module lstm_h_merge #(
  parameter int Sources = 2,
  parameter int Width = 16,        // packet width, last flag in the MSB
  parameter int FifoDepth = 2,
  localparam int SrcW = (Sources > 1) ? $clog2(Sources) : 1,
  localparam int CountW = $clog2(FifoDepth + 1)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  input  logic                     clear_i,     // a run starts: counts to zero
  input  logic [Sources-1:0]       mask_i,      // sources whose steps count
  input  logic [Sources-1:0]       push_i,
  input  logic [Sources*Width-1:0] data_i,
  output logic [Sources-1:0]       space_o,
  output logic                     wr_valid_o,
  output logic [Width-2:0]         wr_data_o,
  output logic [31:0]              done_o
);
  logic [Sources-1:0] f_valid, f_pop;
  logic [Sources*Width-1:0] f_data;

  for (genvar s = 0; s < Sources; s++) begin : gen_src
    logic [CountW-1:0] count;
    logic in_ready;
    lstm_fifo #(.Width(Width), .Depth(FifoDepth)) u_fifo (
      .clk_i, .rst_ni,
      .in_valid_i(push_i[s]), .in_ready_o(in_ready), .in_data_i(data_i[s*Width +: Width]),
      .out_valid_o(f_valid[s]), .out_ready_i(f_pop[s]), .out_data_o(f_data[s*Width +: Width]),
      .count_o(count)
    );
    assign space_o[s] = (count < CountW'(FifoDepth));
`ifndef SYNTHESIS
    `LSTM_ASSERT(MergePushWithSpace, !push_i[s] || in_ready,
                 "the fabric pushes a packet only into a source FIFO with space")
`endif
  end

  // Round robin: the first valid source at or after ptr_q.
  logic [SrcW-1:0] ptr_q, ptr_d, pick;
  logic any;
  logic [SrcW:0] idx;
  always_comb begin
    pick = ptr_q;
    any = 1'b0;
    idx = '0;
    for (int n = Sources - 1; n >= 0; n--) begin
      // Walk backwards so the nearest source after ptr_q wins.
      idx = (SrcW + 1)'(ptr_q) + (SrcW + 1)'(n);
      if (idx >= (SrcW + 1)'(Sources)) idx = idx - (SrcW + 1)'(Sources);
      if (f_valid[idx[SrcW-1:0]]) begin
        pick = idx[SrcW-1:0];
        any = 1'b1;
      end
    end
  end
  always_comb begin
    f_pop = '0;
    ptr_d = ptr_q;
    if (any) begin
      f_pop[pick] = 1'b1;
      ptr_d = (32'(pick) == Sources - 1) ? '0 : pick + SrcW'(1);
    end
  end

  logic [Width-1:0] picked;
  // Source src's word, AND-ORed by constant indices: no barrel shifter, no
  // priority chain (a function, like lstm_fifo's entry, for Icarus).
  function automatic logic [Width-1:0] word_of(input logic [Sources*Width-1:0] data,
                                               input logic [SrcW-1:0] src);
    word_of = '0;
    for (int s = 0; s < Sources; s++) word_of = word_of | (data[s * Width +: Width] & {Width{32'(src) == s}});
  endfunction
  assign picked = word_of(f_data, pick);
  assign wr_valid_o = any;
  assign wr_data_o = picked[Width-2:0];

  // Finished layer-steps per source, and their minimum over the mask.
  logic [Sources*32-1:0] cnt_q, cnt_d;
  always_comb begin
    cnt_d = cnt_q;
    if (clear_i) cnt_d = '0;
    else if (any && picked[Width-1]) cnt_d[32'(pick)*32 +: 32] = cnt_q[32'(pick)*32 +: 32] + 32'd1;
  end
  // The first source in the mask is taken without a compare (all ones when the
  // mask is empty), so one source costs a mux, not a 32-bit compare (issue 10).
  logic found;
  always_comb begin
    done_o = 32'hffff_ffff;
    found = 1'b0;
    for (int s = 0; s < Sources; s++) begin
      if (mask_i[s] && (!found || cnt_q[s*32 +: 32] < done_o)) done_o = cnt_q[s*32 +: 32];
      found = found || mask_i[s];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ptr_q <= '0;
      cnt_q <= '0;
    end else begin
      ptr_q <= ptr_d;
      cnt_q <= cnt_d;
    end
  end

`ifndef SYNTHESIS
  `LSTM_ASSERT(MergePopOneHot, (f_pop & (f_pop - Sources'(1))) == '0,
               "at most one source FIFO is popped per cycle")
  `LSTM_ASSERT(MergePopValid, (f_pop & ~f_valid) == '0, "only a source FIFO holding a packet is popped")
  `LSTM_ASSERT(MergePtrBound, 32'(ptr_q) < Sources, "the round-robin pointer names a source")
`endif
endmodule
