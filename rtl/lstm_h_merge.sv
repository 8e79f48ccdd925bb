// One destination of the h network: a small FIFO per source core, a
// round-robin pick per h buffer bank of one packet per cycle into the
// destination's h buffer, and per source a count of finished layer-steps
// (packets flagged last).
//
// The h buffer has two banks, by address parity (lstm_hbuf), so up to two
// packets are written per cycle: one whose address is even and one whose
// address is odd, from two different sources (a source's FIFO pops at most
// one packet per cycle, so its packets stay in order). In hc the members'
// slices of h all arrive at the end of a layer-step; two writes per cycle
// halve that all-gather (docs/architecture.md, 3.1).
//
// A layer-step is complete in this buffer when every source in mask_i has
// delivered its last packet of it: done_o is the minimum of those counts.
// Because each source's packets arrive in order through its own FIFO, the
// count never runs ahead of the writes it stands for.
//
// With two or more sources the minimum is kept, not searched for (issue 10: a chain of Sources - 1
// full-width compares fed the sequencers' issue, 31 LUT4 levels on 8 cores).
// Every count moves up by at most one per cycle and a clear sets them all to
// 0, so this cycle's minimum is last cycle's (done_q) or one more: one more
// exactly when no masked count still equals done_q. done_o is therefore
// done_q or done_q + 1 (registered as done_p1_q), picked by an AND over the
// sources of an equality test each: the same value in every cycle, no cycle
// added. The mask changes only between runs (MODE, ACTIVE and STAGES are
// held while one runs) and every core's start clears its merge; assertion
// MergeDoneIsMin checks the value against the search from then on.
`include "lstm_assert.svh"

module lstm_h_merge #(
  parameter int Sources = 2,
  parameter int Width = 16,        // packet width, last flag in the MSB
  parameter int FifoDepth = 2,
  // A packet's bank (the parity of its h buffer address) is its bit BankBit
  // (the unit's LSB), flipped by bit FlipBit (the step parity) when Flip is 1
  // (MaxHidden odd: the second half starts at an odd address).
  // Banks 1 (one core, lstm_pkg::HBanks): one h buffer bank, every packet
  // goes to bank 0 and the second pick is constant idle.
  parameter int Banks = 2,
  parameter int BankBit = 0,
  parameter int FlipBit = 0,
  parameter int Flip = 0,
  // Bits of a source's count of layer-steps (lstm_pkg::LStepW: sized from
  // limits.max_steps, issue 10); done_o is that count zero-extended, and all
  // ones in DoneW bits when the mask is empty.
  parameter int DoneW = 32,
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
  output logic [1:0]               wr_valid_o,  // per bank: a packet to write
  output logic [2*(Width-1)-1:0]   wr_data_o,   // per bank, without the last flag
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

  // Per source: the bank of the packet at its FIFO's head.
  logic [Sources-1:0] head_bank;
  for (genvar s = 0; s < Sources; s++) begin : gen_bank
    assign head_bank[s] = (Banks == 2)
        && (f_data[s*Width + BankBit] ^ ((Flip != 0) && f_data[s*Width + FlipBit]));
  end

  // Round robin per bank: the first source at or after the bank's pointer
  // whose head packet goes to that bank. {found, source}.
  function automatic logic [SrcW:0] rr_pick(input logic [Sources-1:0] cand,
                                            input logic [SrcW-1:0] ptr);
    logic [SrcW:0] idx;
    rr_pick = {1'b0, ptr};
    for (int n = Sources - 1; n >= 0; n--) begin
      // Walk backwards so the nearest source after ptr wins.
      idx = (SrcW + 1)'(ptr) + (SrcW + 1)'(n);
      if (idx >= (SrcW + 1)'(Sources)) idx = idx - (SrcW + 1)'(Sources);
      if (cand[idx[SrcW-1:0]]) rr_pick = {1'b1, idx[SrcW-1:0]};
    end
  endfunction

  // Source src's word, AND-ORed by constant indices: no barrel shifter, no
  // priority chain (a function, like lstm_fifo's entry, for Icarus).
  function automatic logic [Width-1:0] word_of(input logic [Sources*Width-1:0] data,
                                               input logic [SrcW-1:0] src);
    word_of = '0;
    for (int s = 0; s < Sources; s++) word_of = word_of | (data[s * Width +: Width] & {Width{32'(src) == s}});
  endfunction

  logic [2*SrcW-1:0] ptr_q, ptr_d, pick;
  logic [1:0] any;
  logic [2*Width-1:0] picked;
  logic [Sources*DoneW-1:0] cnt_q, cnt_d;
  always_comb begin
    f_pop = '0;
    ptr_d = ptr_q;
    cnt_d = clear_i ? '0 : cnt_q;
    for (int b = 0; b < 2; b++) begin
      {any[b], pick[b*SrcW +: SrcW]} = rr_pick(f_valid & (b == 0 ? ~head_bank : head_bank),
                                               ptr_q[b*SrcW +: SrcW]);
      picked[b*Width +: Width] = word_of(f_data, pick[b*SrcW +: SrcW]);
      if (any[b]) begin
        f_pop[pick[b*SrcW +: SrcW]] = 1'b1;
        ptr_d[b*SrcW +: SrcW] = (32'(pick[b*SrcW +: SrcW]) == Sources - 1) ? '0
                                : pick[b*SrcW +: SrcW] + SrcW'(1);
        // The two picks are different sources, so each count moves by one.
        if (!clear_i && picked[b*Width + Width-1])
          cnt_d[32'(pick[b*SrcW +: SrcW])*DoneW +: DoneW]
              = cnt_q[32'(pick[b*SrcW +: SrcW])*DoneW +: DoneW] + DoneW'(1);
      end
    end
  end
  assign wr_valid_o = any;
  assign wr_data_o = {picked[Width +: Width-1], picked[0 +: Width-1]};

  // The minimum of the masked counts (all ones when the mask is empty).
  logic [DoneW-1:0] done;
  if (Sources == 1) begin : gen_one_src
    // One source (one core): its count, no compare at all.
    assign done = mask_i[0] ? cnt_q : '1;
  end else begin : gen_kept_min
    // From last cycle's minimum (see the top).
    logic [DoneW-1:0] done_q, done_p1_q;
    logic [Sources-1:0] at_min;  // a masked source whose count is still done_q
    for (genvar s = 0; s < Sources; s++) begin : gen_at_min
      assign at_min[s] = mask_i[s] && (cnt_q[s*DoneW +: DoneW] == done_q);
    end
    assign done = (mask_i == '0) ? '1 : (at_min == '0) ? done_p1_q : done_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        done_q <= '0;
        done_p1_q <= DoneW'(1);
      end else begin
        done_q <= clear_i ? '0 : done;
        done_p1_q <= clear_i ? DoneW'(1) : done + DoneW'(1);
      end
    end
  end
  assign done_o = 32'(done);

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
  `LSTM_ASSERT(MergePicksDistinct, !(any[0] && any[1]) || pick[0 +: SrcW] != pick[SrcW +: SrcW],
               "the two banks never pop the same source FIFO in one cycle (its packets stay in order)")
  `LSTM_ASSERT(MergeBankMatches, (!any[0] || !head_bank[pick[0 +: SrcW]]) && (!any[1] || head_bank[pick[SrcW +: SrcW]]),
               "each bank writes only packets whose h buffer address has its parity")
  `LSTM_ASSERT(MergePopValid, (f_pop & ~f_valid) == '0, "only a source FIFO holding a packet is popped")
  // The minimum found by search, and whether done_q has tracked it since the
  // last clear (a mask change outside a run ends that until the next clear).
  logic [DoneW-1:0] min_search;
  logic found;
  always_comb begin
    min_search = '1;
    found = 1'b0;
    for (int s = 0; s < Sources; s++) begin
      if (mask_i[s] && (!found || cnt_q[s*DoneW +: DoneW] < min_search))
        min_search = cnt_q[s*DoneW +: DoneW];
      found = found || mask_i[s];
    end
  end
  logic tracked_q;
  logic [Sources-1:0] mask_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      tracked_q <= 1'b1;
      mask_q <= '0;
    end else begin
      tracked_q <= clear_i || (tracked_q && mask_i == mask_q);
      mask_q <= mask_i;
    end
  end
  `LSTM_ASSERT(MergeDoneIsMin, !(tracked_q && mask_i == mask_q) || done == min_search,
               "done_o is the minimum of the masked sources' counts from a clear on (the mask held)")
  `LSTM_ASSERT(MergePtrBound, 32'(ptr_q[0 +: SrcW]) < Sources && 32'(ptr_q[SrcW +: SrcW]) < Sources,
               "the round-robin pointers name a source")
`endif
endmodule
