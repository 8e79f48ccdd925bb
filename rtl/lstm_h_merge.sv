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
// With two or more sources the minimum is kept, not searched for, and it is
// registered: done_o comes straight from a flip-flop (issue 10: a chain of
// Sources - 1 full-width compares fed the sequencers' issue, 31 LUT4 levels on
// 8 cores; then the compares against the kept minimum, 16). Every count moves
// up by at most one per cycle and a clear sets them all to 0, so next cycle's
// minimum is this cycle's (done_q) or one more (done_p1_q): one more exactly
// when every masked source at the minimum counts this cycle. Which sources
// are at the minimum is kept too (at_q), updated from the counting bits and
// one equality test per source against done_p1_q, both known before the
// clock edge: done_o has the search's value in the same cycle, no cycle
// added. The mask changes only between runs (MODE, ACTIVE and STAGES are held
// while one runs) and every core's start clears its merge; assertion
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
  // ones in DoneW bits when the mask is empty (with two or more sources from
  // the cycle after it became empty; the fabric's masks always hold the
  // destination itself).
  parameter int DoneW = 32,
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
  // whose head packet goes to that bank. The pointer is kept as a
  // thermometer (ge_q[s]: s >= pointer) and the pick as a one-hot grant, so
  // the grant is two lowest-bit searches and a select, with no index
  // arithmetic (issue 10: the binary pick and its decode were 14 LUT4 levels
  // into the counts on 8 sources).
  // Bit s set when a bit of x below s is set (an exclusive prefix OR).
  function automatic logic [Sources-1:0] set_below(input logic [Sources-1:0] x);
    set_below = '0;
    for (int s = 1; s < Sources; s++) set_below[s] = set_below[s-1] | x[s-1];
  endfunction
  function automatic logic [Sources-1:0] lowest(input logic [Sources-1:0] x);
    lowest = x & ~set_below(x);
  endfunction
  // The pointer after a grant: the source after it (after the last, 0).
  function automatic logic [Sources-1:0] ge_after(input logic [Sources-1:0] grant);
    ge_after = grant[Sources-1] ? '1 : set_below(grant);
  endfunction
  // The word of the granted source without its last flag, AND-ORed (a
  // function, like lstm_fifo's entry, for Icarus).
  function automatic logic [Width-2:0] word_of(input logic [Sources*Width-1:0] data,
                                               input logic [Sources-1:0] grant);
    word_of = '0;
    for (int s = 0; s < Sources; s++) word_of = word_of | (data[s * Width +: Width-1] & {(Width-1){grant[s]}});
  endfunction

  logic [2*Sources-1:0] ge_q, ge_d, grant;
  logic [1:0] any;
  logic [2*(Width-1)-1:0] picked;
  logic [Sources-1:0] inc;  // a source's count moves: its popped head ends a layer-step
  logic [Sources*DoneW-1:0] cnt_q, cnt_d;
  always_comb begin : arbitrate
    logic [Sources-1:0] cand, high;  // per bank: heads that go to it; those at or after the pointer
    ge_d = ge_q;
    for (int b = 0; b < 2; b++) begin
      cand = f_valid & (b == 0 ? ~head_bank : head_bank);
      high = cand & ge_q[b*Sources +: Sources];
      grant[b*Sources +: Sources] = (high != '0) ? lowest(high) : lowest(cand);
      any[b] = (cand != '0);
      picked[b*(Width-1) +: Width-1] = word_of(f_data, grant[b*Sources +: Sources]);
      if (any[b]) ge_d[b*Sources +: Sources] = ge_after(grant[b*Sources +: Sources]);
    end
    // The two grants are different sources (their banks differ).
    f_pop = grant[0 +: Sources] | grant[Sources +: Sources];
    cnt_d = cnt_q;
    for (int s = 0; s < Sources; s++) begin
      inc[s] = f_pop[s] && f_data[s*Width + Width-1];
      if (inc[s]) cnt_d[s*DoneW +: DoneW] = cnt_q[s*DoneW +: DoneW] + DoneW'(1);
    end
    if (clear_i) cnt_d = '0;
  end
  assign wr_valid_o = any;
  assign wr_data_o = picked;

  // The minimum of the masked counts (all ones when the mask is empty; see DoneW).
  logic [DoneW-1:0] done;
  if (Sources == 1) begin : gen_one_src
    // One source (one core): its count, no compare at all.
    assign done = mask_i[0] ? cnt_q : '1;
  end else begin : gen_kept_min
    // Next cycle's minimum, registered (see the top).
    logic [DoneW-1:0] done_q, done_d, done_p1_q, done_p1_d;
    logic [Sources-1:0] at_q, at_d;  // count == done_q (meaningful for the masked sources)
    logic [Sources-1:0] at_p1;       // count == done_q + 1
    logic up;                        // the minimum moves up: every masked source at it counts
    always_comb begin
      up = 1'b1;
      for (int s = 0; s < Sources; s++) begin
        at_p1[s] = (cnt_q[s*DoneW +: DoneW] == done_p1_q);
        if (mask_i[s] && at_q[s] && !inc[s]) up = 1'b0;
      end
      // A source is at the new minimum: at the old one and not counting, or
      // (when the minimum moves up) at the old one and counting, or one
      // above it and not counting.
      at_d = up ? ((at_q & inc) | (at_p1 & ~inc)) : (at_q & ~inc);
      done_d = up ? done_p1_q : done_q;
      done_p1_d = up ? done_p1_q + DoneW'(1) : done_p1_q;
      if (clear_i) begin
        at_d = '1;
        done_d = '0;
        done_p1_d = DoneW'(1);
      end
      if (mask_i == '0) done_d = '1;
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        at_q <= '1;
        done_q <= '0;
        done_p1_q <= DoneW'(1);
      end else begin
        at_q <= at_d;
        done_q <= done_d;
        done_p1_q <= done_p1_d;
      end
    end
    assign done = done_q;
  end
  assign done_o = 32'(done);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ge_q <= '1;
      cnt_q <= '0;
    end else begin
      ge_q <= ge_d;
      cnt_q <= cnt_d;
    end
  end

`ifndef SYNTHESIS
  `LSTM_ASSERT(MergePicksDistinct, (grant[0 +: Sources] & grant[Sources +: Sources]) == '0,
               "the two banks never pop the same source FIFO in one cycle (its packets stay in order)")
  `LSTM_ASSERT(MergeBankMatches, (grant[0 +: Sources] & head_bank) == '0 && (grant[Sources +: Sources] & ~head_bank) == '0,
               "each bank writes only packets whose h buffer address has its parity")
  `LSTM_ASSERT(MergePopValid, (f_pop & ~f_valid) == '0, "only a source FIFO holding a packet is popped")
  // The minimum found by search, and whether done_q has tracked it since the
  // last clear (a mask change outside a run ends that until the next clear;
  // before the first clear nothing ran and done_q is not yet the mask's).
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
      tracked_q <= 1'b0;
      mask_q <= '0;
    end else begin
      tracked_q <= clear_i || (tracked_q && mask_i == mask_q);
      mask_q <= mask_i;
    end
  end
  `LSTM_ASSERT(MergeDoneIsMin, !(tracked_q && mask_i == mask_q) || done == min_search,
               "done_o is the minimum of the masked sources' counts from a clear on (the mask held)")
  // A pointer is a thermometer (ones from the pointer up), a grant one source or none.
  function automatic logic thermo(input logic [Sources-1:0] ge);
    thermo = ge[Sources-1];
    for (int s = 0; s + 1 < Sources; s++) if (ge[s] && !ge[s+1]) thermo = 1'b0;
  endfunction
  for (genvar b = 0; b < 2; b++) begin : gen_rr_check
    `LSTM_ASSERT(MergePtrThermo, thermo(ge_q[b*Sources +: Sources]),
                 "a round-robin pointer is a thermometer naming one source")
    `LSTM_ASSERT(MergeGrantOne, (grant[b*Sources +: Sources] & (grant[b*Sources +: Sources] - 1'b1)) == '0
                 && (grant[b*Sources +: Sources] != '0) == any[b],
                 "a bank grants one source exactly when a head packet goes to it")
  end
`endif
endmodule
