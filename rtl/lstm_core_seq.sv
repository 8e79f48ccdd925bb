// Core sequencer: checks the program, then walks the loop nest
//   for t in steps, for l in layers, for g in groups of lanes,
//   for each part (input part and recurrent part), for j in part
// issuing one [x ; h] element per cycle to the MAC array. It stalls when an
// operand is not ready yet, when the output streamer still needs an h buffer
// that a group would overwrite, and when the post unit still holds the last
// group's sums.
//
// Part order: the first local layer streams its input (x) first, because its
// recurrent part depends on the step just finished; later layers stream the
// recurrent part first, because their input is the layer just finished. Either
// way the dependency's drain is hidden behind the other part.
//
// Timing (issue 10): nothing deep sits in front of the issue decision.
// - The check reads registers: a layer's descriptor is captured (with its
//   over-limit flags, the bias range test, and the weight span groups * row
//   with the room WeightDepth - base) the cycle before it is checked, at the
//   start for layer 0 and during the check of layer l for layer l + 1; so the
//   check still takes one cycle per layer. The layer the capture selects is
//   itself a register (sel_q), and the weight range test's compare (span >
//   room) is left to the check, so the capture holds one multiply behind a
//   mux and the check one compare.
// - The walk reads the current layer's descriptor from registers loaded when
//   it enters the layer, and walks groups by counting units down instead of
//   dividing by Lanes.
// - Progress comparisons are narrow: each pair of counters compared stays in a
//   window of a few steps or layer-steps of each other (asserted below), so
//   the low bits of their difference decide (WinW bits for layer-steps,
//   StepWinW bits for steps) instead of 32-bit comparators.
//
// Batching (Batch = 1, config features.batch; docs/architecture.md,
// "Batching"): X_LEN != 0 makes a batched program. A layer with LFLAGS.XIN
// (the first local layer always) reads its input part from the x buffer at
// XOFF of the step's x, and streams it first, as layer 0 does; the x writer
// takes X_LEN elements per step, and a step's x counts as consumed when the
// step's last layer is issued. The output streamer sends every layer with
// LFLAGS.OUT (and the last), so OUT_WAIT holds the groups of each of them. A
// layer with LFLAGS.FOLD (and XIN) runs groups of Lanes/2 units in a single
// part of max(X, H) elements: element j gives x_j to the lower half of the
// lanes and h_{t-1, j} to the upper half (zero past X or H), so both
// readiness conditions hold together; the post unit adds the two halves.
// With Batch = 0 none of it exists and the walk is as above.
`include "lstm_assert.svh"

module lstm_core_seq #(
  parameter bit Batch = 1'b0,
  // The host map's batch entries (spec/host_map.hpp kErrBatch, kLFlag*), from
  // lstm_pkg through lstm_top and lstm_core on a batch design
  parameter int ErrBatchCode = 11,
  parameter int LFlagXinBit = 0,
  parameter int LFlagOutBit = 1,
  parameter int LFlagFoldBit = 2,
  localparam int Lanes = lstm_pkg::Lanes,
  localparam int MaxLayers = lstm_pkg::MaxLayers,
  localparam int MaxVec = lstm_pkg::MaxVec,
  localparam int MaxHidden = lstm_pkg::MaxHidden,
  localparam int WeightDepth = lstm_pkg::WeightDepth,
  localparam int BiasDepth = lstm_pkg::BiasDepth,
  localparam int LayerW = lstm_pkg::LayerW,
  localparam int VecW = lstm_pkg::VecW,
  localparam int UnitW = lstm_pkg::UnitW,
  localparam int GroupW = lstm_pkg::GroupW,
  localparam int LaneCntW = lstm_pkg::LaneCntW,
  localparam int WAddrW = lstm_pkg::WAddrW,
  localparam int BAddrW = lstm_pkg::BAddrW,
  localparam int XAddrW = lstm_pkg::XAddrW,
  localparam int HAddrW = lstm_pkg::HAddrW,
  // Group metadata that travels with the sums: layer, parity, first unit,
  // active lanes, last group of the layer-step, first step.
  localparam int MetaW = lstm_pkg::MetaW,
  localparam int CodeW = lstm_pkg::StatusCodeW,
  localparam int ErrLayerW = lstm_pkg::StatusLayerW,
  // Program register widths: a value above its limit arrives as all ones
  // (lstm_core_regs saturates it), still above the limit.
  localparam int NumLayersRegW = lstm_pkg::NumLayersRegW,
  localparam int InSizeRegW = lstm_pkg::InSizeRegW,
  localparam int HiddenRegW = lstm_pkg::HiddenRegW,
  localparam int WBaseRegW = lstm_pkg::WBaseRegW,
  localparam int BBaseRegW = lstm_pkg::BBaseRegW,
  localparam int NumStepsRegW = lstm_pkg::NumStepsRegW,
  // Step counts: 0 .. MaxSteps (limits.max_steps; 32 bits without it)
  localparam int StepW = lstm_pkg::StepW
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic                    start_i,
  // Program (from lstm_core_regs)
  input  logic [NumLayersRegW-1:0] num_layers_i,
  input  logic [NumStepsRegW-1:0] num_steps_i,
  input  logic                    out_wait_i,
  input  logic                    out_en_i,
  input  logic                    out_done_own_i, // out_done_i counts this core's own streamer
  input  logic                    state_in_i,     // FLAGS.STATE_IN: step 0 reads the buffers' state
  input  logic                    h_half_i,       // FLAGS.H_HALF: step t's h is in half t[0] ^ h_half
  input  logic                    gru_i,          // FLAGS.GRU: GRU layers (ErrCell without HasGru)
  input  logic [MaxLayers*InSizeRegW-1:0] in_size_i,
  input  logic [MaxLayers*HiddenRegW-1:0] hidden_i,
  input  logic [MaxLayers*HiddenRegW-1:0] unit_lo_i,
  input  logic [MaxLayers*HiddenRegW-1:0] unit_cnt_i,
  input  logic [MaxLayers*WBaseRegW-1:0] wbase_i,
  input  logic [MaxLayers*BBaseRegW-1:0] bbase_i,
  // Batching (Batch): X_LEN, and per layer XOFF and LFLAGS (0 without Batch)
  input  logic [InSizeRegW-1:0]   x_len_i,
  input  logic [MaxLayers*InSizeRegW-1:0] xoff_i,
  input  logic [MaxLayers*32-1:0] lflags_i,
  // Readiness of operands and resources
  input  logic [31:0]             hdone_i,      // layer-steps complete in the h buffer
  input  logic [StepW-1:0]        x_wr_step_i,  // step the x writer is filling
  input  logic [VecW-1:0]         x_wr_cnt_i,   // elements of that step written
  input  logic [31:0]             out_done_i,   // steps fully read by the output streamer
  input  logic                    shadow_free_i,
  input  logic                    tail_idle_i,  // MAC pipe, post unit, FIFOs, streamer idle
  // Issue to the memories and the MAC array
  output logic                    iss_valid_o,
  output logic                    iss_first_o,
  output logic                    iss_last_o,
  output logic                    iss_zero_o,
  output logic                    iss_src_h_o,
  output logic                    iss_fold_o,    // a folded group's element (Batch)
  output logic                    iss_zero_x_o,  // folded: the x operand is 0 (past X)
  output logic [XAddrW-1:0]       x_raddr_o,
  output logic [HAddrW-1:0]       h_raddr_o,
  output logic [WAddrW-1:0]       w_raddr_o,
  output logic [BAddrW-1:0]       b_raddr_o,
  output logic [MetaW-1:0]        iss_meta_o,
  // Progress and status
  output logic                    running_o,    // accepting inputs / producing
  output logic [StepW-1:0]        x_consumed_o, // steps whose x reads are all issued
  output logic [LayerW-1:0]       last_layer_o,
  output logic [StepW-1:0]        steps_o,
  output logic                    busy_o,
  output logic                    done_o,
  output logic                    error_o,
  output logic [CodeW-1:0]        err_code_o,
  output logic [ErrLayerW-1:0]    err_layer_o,
  output logic                    stall_dep_o,
  output logic                    stall_other_o
);
  typedef enum logic [2:0] {
    StIdle,   // after reset: nothing ran yet; waits for a start
    StCheck,  // checks layer l_q's descriptor, one layer per cycle
    StRun,    // walks the loop nest, issuing one element per cycle (or stalling)
    StDrain,  // everything issued: waits until the last sums left the core as h
    StDone,   // the run finished; STATUS.DONE; waits for the next start
    StError   // a check failed (err_code_q, err_layer_q); waits for the next start
  } state_e;

  // Widths of the narrow comparisons (see "Timing" above).
  // hdone_i lies in [k - NUM_LAYERS, k] (SeqHdoneWindow): with 2^(WinW-1) >
  // MaxLayers, the low WinW bits of hdone and k decide hdone >= k and
  // hdone >= k - NUM_LAYERS + 1.
  localparam int WinW = LayerW + 2;
  // The x writer's step lies in [t, t + 3] (SeqXWindow) and, with OUT_WAIT,
  // the output streamer's count in [t - 2, t] (SeqOutWindow).
  localparam int StepWinW = 3;
  // The check's sums: a base inside its memory plus the layer's extent.
  localparam int WBaseW = $clog2(WeightDepth + 1);
  localparam int BBaseW = $clog2(BiasDepth + 1);
  localparam int SpanW = GroupW + VecW + 1;  // groups * row_len, exact
  localparam int WEndW = (WBaseW > SpanW ? WBaseW : SpanW) + 1;
  localparam int BEndW = (BBaseW > GroupW ? BBaseW : GroupW) + 1;
  localparam int GSumW = $clog2((1 << UnitW) + Lanes);  // units + Lanes - 1
  localparam int Half = Lanes / 2;  // units of a folded group

  // Error codes: lstm_pkg::Err* (spec/host_map.hpp, docs/host-interface.md).
  state_e state_q, state_d;
  logic [StepW-1:0] t_q, t_d;
  logic t_zero_q, t_zero_d;              // t == 0
  logic t_ge2_q, t_ge2_d;                // t >= 2
  logic [StepW-1:0] steps_m1_q, steps_m1_d;  // NUM_STEPS - 1
  logic [LayerW-1:0] l_q, l_d;
  logic part_q, part_d;
  logic [VecW-1:0] j_q, j_d;
  logic [WinW-1:0] k_q, k_d;             // layer-step index t*L + l (low bits)
  logic [WinW-1:0] krec_q, krec_d;       // k - L + 1: what the recurrent part needs
  logic [StepW-1:0] xcons_q, xcons_d;
  logic [WAddrW-1:0] wrow_q, wrow_d;     // weight address of column 0 of the group
  logic [CodeW-1:0] err_code_q, err_code_d;
  logic [ErrLayerW-1:0] err_layer_q, err_layer_d;
  // The current layer's descriptor and the group walk (loaded on entering a layer).
  logic [VecW-1:0] cur_x_q, cur_x_d;          // X
  logic [VecW-1:0] cur_xm1_q, cur_xm1_d;      // X - 1
  logic [VecW-1:0] cur_hm1_q, cur_hm1_d;      // H - 1
  logic [VecW:0] cur_row_q, cur_row_d;        // X + H: weight words per group
  logic [UnitW-1:0] cur_left_q, cur_left_d;   // units of this and the later groups
  logic [UnitW-1:0] cur_ubase_q, cur_ubase_d; // first unit of the group
  logic [BAddrW-1:0] cur_brow_q, cur_brow_d;  // bias word of the group
  // Batching: the layer reads x (at cur_xoff), sends its h out, is folded;
  // cur_mm1 = max(X, H) - 1, a folded group's elements.
  logic cur_xin_q, cur_xin_d, cur_out_q, cur_out_d, cur_fold_q, cur_fold_d;
  logic [VecW-1:0] cur_xoff_q, cur_xoff_d, cur_mm1_q, cur_mm1_d;

  // ---------------------------------------------------------------- program
  // The program's numbers zero-extended to 32 bits: the tests below read as
  // on the host's values (Yosys drops the constant upper bits).
  logic [31:0] num_layers;
  assign num_layers = 32'(num_layers_i);
  logic [LayerW-1:0] num_layers_m1;
  assign num_layers_m1 = LayerW'(num_layers - 32'd1);

  logic [LayerW-1:0] l_prev, l_next;
  logic last_layer;
  assign last_layer = (l_q == num_layers_m1);
  assign l_prev = l_q - LayerW'(1);
  assign l_next = last_layer ? '0 : l_q + LayerW'(1);

  // Descriptor of layer `sel`, the layer the check or the walk takes next:
  // layer 0 before a run, l_next during it (the check wraps to layer 0 on its
  // last layer, which is the layer the walk enters first).
  // sel is a register (sel_q), kept equal to that by the state logic below
  // (SeqSelReg): the capture's select then starts at a flip-flop instead of
  // behind the state decode and the layer compare (issue 10).
  logic [LayerW-1:0] sel, sel_q, sel_d;
  logic [LayerW-1:0] sel_first, sel_after;
  assign sel = sel_q;
  // l_next of layer 0 (the check's and the walk's first layer), of sel.
  assign sel_first = (num_layers_m1 == '0) ? '0 : LayerW'(1);
  assign sel_after = (sel_q == num_layers_m1) ? '0 : sel_q + LayerW'(1);
  logic [31:0] in_full, hid_full, ulo_full, ucnt_full, wbase_full, bbase_full;
  // Batching: a batched program (X_LEN != 0), the step's x length, the
  // layer's x offset and flags (all 0 without Batch).
  logic batched;
  logic [31:0] xlen_full, xoff_full;
  logic d_xin, d_out, d_fold;
  if (Batch) begin : gen_batch_desc
    logic lf_xin, lf_out, lf_fold;
    logic lflags_unused;  // LFLAGS' other bits
    assign lflags_unused = ^lflags_i;
    assign lf_xin = lflags_i[32*sel + LFlagXinBit];
    assign lf_out = lflags_i[32*sel + LFlagOutBit];
    assign lf_fold = lflags_i[32*sel + LFlagFoldBit];
    assign batched = x_len_i != '0;
    assign xlen_full = batched ? 32'(x_len_i) : 32'(in_size_i[InSizeRegW-1:0]);
    assign xoff_full = 32'(xoff_i[InSizeRegW*sel +: InSizeRegW]);
    // XIN and OUT count in a batched program only; FOLD also in one sequence.
    assign d_xin = (batched && lf_xin) || sel == '0;
    assign d_out = (batched && lf_out) || sel == num_layers_m1;
    assign d_fold = lf_fold;
  end else begin : gen_no_batch_desc
    logic batch_unused;
    assign batch_unused = ^{x_len_i, xoff_i, lflags_i};
    assign batched = 1'b0;
    assign xlen_full = '0;
    assign xoff_full = '0;
    assign d_xin = sel == '0;
    assign d_out = sel == num_layers_m1;
    assign d_fold = 1'b0;
  end
  assign in_full = 32'(in_size_i[InSizeRegW*sel +: InSizeRegW]);
  assign hid_full = 32'(hidden_i[HiddenRegW*sel +: HiddenRegW]);
  assign ulo_full = 32'(unit_lo_i[HiddenRegW*sel +: HiddenRegW]);
  assign ucnt_full = 32'(unit_cnt_i[HiddenRegW*sel +: HiddenRegW]);
  assign wbase_full = 32'(wbase_i[WBaseRegW*sel +: WBaseRegW]);
  assign bbase_full = 32'(bbase_i[BBaseRegW*sel +: BBaseRegW]);
  // Its fields, narrowed to the limits (meaningful when inside them).
  logic [VecW-1:0] d_in, d_hid;
  logic [UnitW-1:0] d_ulo, d_ucnt;
  logic [GroupW-1:0] d_groups;
  logic [VecW:0] d_row;
  assign d_in = VecW'(in_full);
  assign d_hid = VecW'(hid_full);
  assign d_ulo = UnitW'(ulo_full);
  assign d_ucnt = UnitW'(ucnt_full);
  logic [VecW-1:0] d_max;  // max(X, H)
  assign d_max = (d_in > d_hid) ? d_in : d_hid;
  if (Batch) begin : gen_fold_shape
    // A folded layer: groups of Half units, max(X, H) weight words each.
    assign d_groups = d_fold ? GroupW'((GSumW'(d_ucnt) + GSumW'(Half - 1)) / GSumW'(Half))
                             : GroupW'((GSumW'(d_ucnt) + GSumW'(Lanes - 1)) / GSumW'(Lanes));
    assign d_row = d_fold ? (VecW + 1)'(d_max)
                          : (VecW + 1)'(d_in) + (VecW + 1)'(d_hid);
  end else begin : gen_shape
    assign d_groups = GroupW'((GSumW'(d_ucnt) + GSumW'(Lanes - 1)) / GSumW'(Lanes));
    assign d_row = (VecW + 1)'(d_in) + (VecW + 1)'(d_hid);
  end

  // ---------------------------------------------------------------- check
  // Capture: the descriptor the check reads next cycle, with the limit tests
  // done on all 32 bits. A field past its limit fails its own test before any
  // later test reads its narrowed value.
  logic [VecW-1:0] cap_in_q, cap_hid_q, prev_hid_q;
  logic [UnitW-1:0] cap_ulo_q, cap_ucnt_q;
  logic cap_in_bad_q, cap_hid_bad_q, cap_ulo_big_q, cap_ucnt_big_q;
  logic cap_wbase_big_q, cap_b_bad_q;
  logic d_in_bad, d_hid_bad, d_ulo_big, d_ucnt_big, d_wbase_big, d_bbase_big;
  assign d_in_bad = (in_full == 32'd0) || (in_full > 32'(MaxVec));
  assign d_hid_bad = (hid_full == 32'd0) || (hid_full > 32'(MaxHidden));
  assign d_ulo_big = (ulo_full > 32'(MaxHidden));
  assign d_ucnt_big = (ucnt_full > 32'(MaxHidden));
  assign d_wbase_big = (wbase_full > 32'(WeightDepth));
  assign d_bbase_big = (bbase_full > 32'(BiasDepth));
  // The weight range is split across the capture and the check (issue 10):
  // the capture ends at the span groups * row (a multiply after the layer
  // select) and the room WeightDepth - base left above the base; the check
  // compares the two (one carry chain), so neither stage holds the select,
  // the multiply and the compare together. The bias range (an add) stays in
  // the capture.
  logic [SpanW-1:0] d_span;
  logic [WBaseW-1:0] d_wroom;
  logic [BEndW-1:0] d_bend;
  logic d_b_bad;
  assign d_span = SpanW'(d_groups) * SpanW'(d_row);
  assign d_wroom = WBaseW'(WeightDepth) - WBaseW'(wbase_full);  // meaningful when !d_wbase_big
  assign d_bend = BEndW'(BBaseW'(bbase_full)) + BEndW'(d_groups);
  assign d_b_bad = d_bbase_big || d_bend > BEndW'(BiasDepth);
  logic [SpanW-1:0] cap_span_q;
  logic [WBaseW-1:0] cap_wroom_q;
  // Batching: X_LEN above the limit, XOFF + IN_SIZE past the step's x, or a
  // folded layer that does not read x (ErrBatch); the first-layer chain test
  // does not apply to a layer that reads x.
  logic d_batch_bad, cap_batch_bad_q, cap_xin_q;
  assign d_batch_bad = (batched && xlen_full > 32'(MaxVec))
                    || (d_xin && xoff_full + in_full > xlen_full) || (d_fold && !d_xin);
  // Captured every cycle (the check reads them only the cycle after): no reset.
  always_ff @(posedge clk_i) begin
    cap_in_q <= d_in;
    cap_hid_q <= d_hid;
    cap_ulo_q <= d_ulo;
    cap_ucnt_q <= d_ucnt;
    cap_in_bad_q <= d_in_bad;
    cap_hid_bad_q <= d_hid_bad;
    cap_ulo_big_q <= d_ulo_big;
    cap_ucnt_big_q <= d_ucnt_big;
    cap_wbase_big_q <= d_wbase_big;
    cap_span_q <= d_span;
    cap_wroom_q <= d_wroom;
    cap_b_bad_q <= d_b_bad;
    cap_batch_bad_q <= Batch && d_batch_bad;
    cap_xin_q <= d_xin;
  end
  // base + groups * row > WeightDepth, as span > WeightDepth - base.
  logic cap_w_bad;
  assign cap_w_bad = cap_wbase_big_q || (WEndW'(cap_span_q) > WEndW'(cap_wroom_q));
  // The HIDDEN of the layer checked now, for the chain test of the next.
  logic [VecW-1:0] prev_hid_d;
  assign prev_hid_d = (state_q == StCheck) ? cap_hid_q : prev_hid_q;
  always_ff @(posedge clk_i) prev_hid_q <= prev_hid_d;

  // Check of the layer l_q (one layer per cycle in StCheck).
  logic [CodeW-1:0] chk_code;
  logic units_bad;
  assign units_bad = cap_ucnt_q == '0 || cap_ulo_big_q || cap_ucnt_big_q
                  || VecW'(cap_ulo_q) >= cap_hid_q
                  || VecW'(cap_ucnt_q) > cap_hid_q - VecW'(cap_ulo_q);
  always_comb begin
    chk_code = CodeW'(lstm_pkg::ErrNone);
    if (cap_in_bad_q) chk_code = CodeW'(lstm_pkg::ErrInSize);
    else if (l_q != '0 && !(Batch && cap_xin_q) && cap_in_q != prev_hid_q)
      chk_code = CodeW'(lstm_pkg::ErrInChain);
    else if (cap_hid_bad_q) chk_code = CodeW'(lstm_pkg::ErrHidden);
    else if (units_bad) chk_code = CodeW'(lstm_pkg::ErrUnits);
    else if (cap_w_bad) chk_code = CodeW'(lstm_pkg::ErrWeights);
    else if (cap_b_bad_q) chk_code = CodeW'(lstm_pkg::ErrBiases);
    else if (Batch && cap_batch_bad_q) chk_code = CodeW'(ErrBatchCode);
  end

  // ---------------------------------------------------------------- walk
  logic is_rec;
  logic [VecW-1:0] part_len_m1;
  logic last_j, last_part, last_group, last_step;
  // The first local layer (and, batched, every layer that reads x) streams
  // x first, later layers h first. A folded layer has one part.
  logic xin, fold;
  assign xin = (l_q == '0) || (Batch && cur_xin_q);
  assign fold = Batch && cur_fold_q;
  assign is_rec = !xin ? !part_q : part_q;
  assign part_len_m1 = fold ? cur_mm1_q : is_rec ? cur_hm1_q : cur_xm1_q;
  assign last_j = (j_q == part_len_m1);
  assign last_part = part_q || fold;
  assign last_group = fold ? (32'(cur_left_q) <= Half) : (32'(cur_left_q) <= Lanes);
  assign last_step = (t_q == steps_m1_q);
  // The layer's h goes out (the streamer sends it): OUT_WAIT holds its groups.
  logic out_layer;
  assign out_layer = Batch ? cur_out_q : last_layer;
  // The x element read: XOFF + j; folded, j stays at X - 1 past X (its
  // operand is forced to 0), and the h element at H - 1 past H.
  logic zero_x, zero_h_past;
  logic [VecW-1:0] xj, hj;
  logic [VecW:0] xelem;
  assign zero_x = fold && (j_q > cur_xm1_q);
  assign zero_h_past = fold && (j_q > cur_hm1_q);
  assign xj = zero_x ? cur_xm1_q : j_q;
  assign hj = zero_h_past ? cur_hm1_q : j_q;
  assign xelem = (Batch ? (VecW + 1)'(cur_xoff_q) : '0) + (VecW + 1)'(xj);

  logic first_elem, last_elem;
  assign first_elem = !part_q && (j_q == '0);
  assign last_elem = last_part && last_j;

  // Operand source and readiness, from narrow differences.
  logic [WinW-1:0] rec_slack;      // hdone - (k - L + 1): >= 0 when the recurrent part may go
  logic [StepWinW-1:0] x_ahead;    // x writer's step - t: 0 .. 3
  logic [StepWinW-1:0] out_slack;  // out_done - (t - 1): -1 .. 1
  assign rec_slack = WinW'(hdone_i) - krec_q;
  assign x_ahead = StepWinW'(x_wr_step_i) - StepWinW'(t_q);
  assign out_slack = StepWinW'(out_done_i) - StepWinW'(t_q) + StepWinW'(1);
  logic op_ready, hazard_ok, src_h, zero, x_ok, rec_ok;
  // Step 0 starts from zero state, or with STATE_IN from the h and c in the
  // buffers (h_{-1} in half !h_half, which no layer-step of this run wrote yet).
  logic zero_state;
  assign zero_state = t_zero_q && !state_in_i;
  assign x_ok = (x_ahead != '0) || ((VecW + 1)'(x_wr_cnt_i) > xelem);  // step > t, or == t and written
  assign rec_ok = zero_state || !rec_slack[WinW-1];                    // hdone >= k - L + 1
  always_comb begin
    src_h = 1'b1;
    zero = 1'b0;
    op_ready = 1'b1;
    if (fold) begin
      // Both operands at once: x to the lower lanes, h_{t-1} to the upper.
      src_h = 1'b0;
      zero = zero_state || zero_h_past;
      op_ready = x_ok && rec_ok;
    end else if (is_rec) begin
      if (zero_state) zero = 1'b1;
      else op_ready = !rec_slack[WinW-1];                 // hdone >= k - L + 1
    end else if (xin) begin
      src_h = 1'b0;
      op_ready = x_ok;
    end else begin
      op_ready = (WinW'(hdone_i) == k_q);                 // hdone >= k
    end
  end
  // A group of the last layer overwrites the h buffer half of step t-2: the
  // output streamer must be done with it. The last element loads the shadow
  // sums: the post unit must have taken the previous group's.
  assign hazard_ok = (!first_elem || !out_layer || !out_wait_i || !t_ge2_q
                      || !out_slack[StepWinW-1])            // out_done >= t - 1
                  && (!last_elem || shadow_free_i);

  logic issue;
  assign issue = (state_q == StRun) && op_ready && hazard_ok;

  // Addresses.
  logic [VecW:0] col;
  assign col = is_rec ? (VecW + 1)'(cur_x_q) + (VecW + 1)'(j_q) : (VecW + 1)'(j_q);
  assign w_raddr_o = wrow_q + WAddrW'(col);
  assign b_raddr_o = cur_brow_q;
  assign x_raddr_o = lstm_pkg::x_addr(t_q[0], VecW'(xelem));
  // Recurrent operand: this layer's h of step t - 1; input operand: the
  // layer below's h of step t. Step t's h is in half t[0] ^ H_HALF.
  logic h_par;
  assign h_par = t_q[0] ^ h_half_i;
  assign h_raddr_o = (is_rec || fold) ? lstm_pkg::h_addr(l_q, !h_par, hj)
                                      : lstm_pkg::h_addr(l_prev, h_par, j_q);

  logic [LaneCntW-1:0] grp_lanes;
  assign grp_lanes = last_group ? LaneCntW'(cur_left_q) : fold ? LaneCntW'(Half) : LaneCntW'(Lanes);

  assign iss_valid_o = issue;
  assign iss_first_o = first_elem;
  assign iss_last_o = last_elem;
  assign iss_zero_o = zero;
  assign iss_src_h_o = src_h;
  assign iss_fold_o = fold;
  assign iss_zero_x_o = zero_x;
  // The last bit tells the post unit to take c_prev = 0 (zero state at step 0).
  assign iss_meta_o = {l_q, h_par, cur_ubase_q, grp_lanes, last_group, zero_state};

  // ---------------------------------------------------------------- state
  logic enter;  // the walk enters layer sel: its descriptor, its first group
  always_comb begin
    enter = 1'b0;
    state_d = state_q;
    t_d = t_q;
    t_zero_d = t_zero_q;
    t_ge2_d = t_ge2_q;
    steps_m1_d = steps_m1_q;
    l_d = l_q;
    part_d = part_q;
    j_d = j_q;
    k_d = k_q;
    krec_d = krec_q;
    xcons_d = xcons_q;
    wrow_d = wrow_q;
    err_code_d = err_code_q;
    err_layer_d = err_layer_q;
    sel_d = sel_q;
    cur_x_d = cur_x_q;
    cur_xm1_d = cur_xm1_q;
    cur_hm1_d = cur_hm1_q;
    cur_row_d = cur_row_q;
    cur_left_d = cur_left_q;
    cur_ubase_d = cur_ubase_q;
    cur_brow_d = cur_brow_q;
    cur_xin_d = cur_xin_q;
    cur_out_d = cur_out_q;
    cur_fold_d = cur_fold_q;
    cur_xoff_d = cur_xoff_q;
    cur_mm1_d = cur_mm1_q;
    unique case (state_q)
      StIdle, StDone, StError: begin
        sel_d = '0;
        if (start_i) begin
          state_d = StCheck;
          sel_d = sel_first;
          l_d = '0;
          steps_m1_d = StepW'(num_steps_i) - StepW'(1);
          err_code_d = CodeW'(lstm_pkg::ErrNone);
          err_layer_d = '0;
          if (num_layers == 32'd0 || num_layers > 32'(MaxLayers)) begin
            state_d = StError;
            sel_d = '0;
            err_code_d = CodeW'(lstm_pkg::ErrNumLayers);
          end else if (num_steps_i == '0
                       || (lstm_pkg::MaxSteps != 0 && 32'(num_steps_i) > 32'(lstm_pkg::MaxSteps))) begin
            state_d = StError;
            sel_d = '0;
            err_code_d = CodeW'(lstm_pkg::ErrNumSteps);
          end else if (out_wait_i && !out_en_i && out_done_own_i) begin
            // Waiting for an output streamer that never runs would hang.
            state_d = StError;
            sel_d = '0;
            err_code_d = CodeW'(lstm_pkg::ErrOutWait);
          end else if (gru_i ? lstm_pkg::HasGru == 0 : lstm_pkg::HasLstm == 0) begin
            state_d = StError;
            sel_d = '0;
            err_code_d = CodeW'(lstm_pkg::ErrCell);
          end
        end
      end
      StCheck: begin
        if (chk_code != CodeW'(lstm_pkg::ErrNone)) begin
          state_d = StError;
          sel_d = '0;
          err_code_d = chk_code;
          err_layer_d = ErrLayerW'(l_q);
        end else if (last_layer) begin
          state_d = StRun;
          t_d = '0;
          t_zero_d = 1'b1;
          t_ge2_d = 1'b0;
          l_d = '0;
          part_d = 1'b0;
          j_d = '0;
          k_d = '0;
          krec_d = WinW'(1) - WinW'(num_layers);
          xcons_d = '0;
          enter = 1'b1;  // sel is layer 0 here
          sel_d = sel_first;
        end else begin
          l_d = l_next;
          sel_d = sel_after;
        end
      end
      StRun: begin
        if (issue) begin
          j_d = j_q + VecW'(1);
          if (last_j) begin
            j_d = '0;
            part_d = !part_q && !fold;
            if (last_part) begin
              // The next group: Lanes units further (a folded layer: Half).
              cur_left_d = cur_left_q - (fold ? UnitW'(Half) : UnitW'(Lanes));
              cur_ubase_d = cur_ubase_q + (fold ? UnitW'(Half) : UnitW'(Lanes));
              cur_brow_d = cur_brow_q + BAddrW'(1);
              wrow_d = wrow_q + WAddrW'(cur_row_q);
              if (last_group) begin
                k_d = k_q + WinW'(1);
                krec_d = krec_q + WinW'(1);
                // A batched program's x is the step's until its last layer.
                if (batched ? last_layer : l_q == '0) xcons_d = xcons_q + StepW'(1);
                l_d = l_next;
                enter = 1'b1;  // sel is l_next
                sel_d = sel_after;
                if (last_layer) begin
                  t_d = t_q + StepW'(1);
                  t_zero_d = 1'b0;
                  t_ge2_d = !t_zero_q;
                  if (last_step) begin
                    state_d = StDrain;
                    sel_d = '0;
                  end
                end
              end
            end
          end
        end
      end
      StDrain: begin
        // Everything issued; wait until every sum became h and left the core.
        sel_d = '0;
        if (tail_idle_i && WinW'(hdone_i) == k_q) state_d = StDone;
      end
      default: begin
        state_d = StIdle;
        sel_d = '0;
      end
    endcase
    if (enter) begin
      cur_x_d = d_in;
      cur_xm1_d = d_in - VecW'(1);
      cur_hm1_d = d_hid - VecW'(1);
      cur_row_d = d_row;
      cur_left_d = d_ucnt;
      cur_ubase_d = d_ulo;
      cur_brow_d = BAddrW'(bbase_full);
      wrow_d = WAddrW'(wbase_full);
      cur_xin_d = d_xin;
      cur_out_d = d_out;
      cur_fold_d = d_fold;
      cur_xoff_d = VecW'(xoff_full);
      cur_mm1_d = d_max - VecW'(1);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      t_q <= '0;
      t_zero_q <= 1'b1;
      t_ge2_q <= 1'b0;
      steps_m1_q <= '0;
      l_q <= '0;
      part_q <= 1'b0;
      j_q <= '0;
      k_q <= '0;
      krec_q <= '0;
      xcons_q <= '0;
      wrow_q <= '0;
      err_code_q <= '0;
      err_layer_q <= '0;
      sel_q <= '0;
      cur_x_q <= '0;
      cur_xm1_q <= '0;
      cur_hm1_q <= '0;
      cur_row_q <= '0;
      cur_left_q <= '0;
      cur_ubase_q <= '0;
      cur_brow_q <= '0;
      cur_xin_q <= 1'b0;
      cur_out_q <= 1'b0;
      cur_fold_q <= 1'b0;
      cur_xoff_q <= '0;
      cur_mm1_q <= '0;
    end else begin
      state_q <= state_d;
      t_q <= t_d;
      t_zero_q <= t_zero_d;
      t_ge2_q <= t_ge2_d;
      steps_m1_q <= steps_m1_d;
      l_q <= l_d;
      part_q <= part_d;
      j_q <= j_d;
      k_q <= k_d;
      krec_q <= krec_d;
      xcons_q <= xcons_d;
      wrow_q <= wrow_d;
      err_code_q <= err_code_d;
      err_layer_q <= err_layer_d;
      sel_q <= sel_d;
      cur_x_q <= cur_x_d;
      cur_xm1_q <= cur_xm1_d;
      cur_hm1_q <= cur_hm1_d;
      cur_row_q <= cur_row_d;
      cur_left_q <= cur_left_d;
      cur_ubase_q <= cur_ubase_d;
      cur_brow_q <= cur_brow_d;
      cur_xin_q <= cur_xin_d;
      cur_out_q <= cur_out_d;
      cur_fold_q <= cur_fold_d;
      cur_xoff_q <= cur_xoff_d;
      cur_mm1_q <= cur_mm1_d;
    end
  end

  assign running_o = (state_q == StRun) || (state_q == StDrain);
  assign x_consumed_o = xcons_q;
  assign last_layer_o = num_layers_m1;
  assign steps_o = StepW'(num_steps_i);  // fits: a run's NUM_STEPS is at most MaxSteps
  assign busy_o = (state_q == StCheck) || running_o;
  assign done_o = (state_q == StDone);
  assign error_o = (state_q == StError);
  assign err_code_o = err_code_q;
  assign err_layer_o = err_layer_q;
  assign stall_dep_o = (state_q == StRun) && !op_ready;
  assign stall_other_o = (state_q == StRun) && op_ready && !hazard_ok;

`ifndef SYNTHESIS
  // The program registers do not change while the core is busy
  // (lstm_core_regs), so every bound below is fixed for the whole run.
  logic in_run;
  logic [31:0] k_full;  // the layer-step index in full
  logic [31:0] t32, ns32, xw32, xc32;  // the step counts zero-extended
  assign t32 = 32'(t_q);
  assign ns32 = 32'(num_steps_i);
  assign xw32 = 32'(x_wr_step_i);
  assign xc32 = 32'(xcons_q);
  assign in_run = (state_q == StRun);
  assign k_full = t32 * num_layers + 32'(l_q);
  `LSTM_ASSERT(SeqStateLegal,
               state_q == StIdle || state_q == StCheck || state_q == StRun
               || state_q == StDrain || state_q == StDone || state_q == StError,
               "the sequencer's state is one of its six")
  `LSTM_ASSERT(SeqSelReg, sel_q == ((state_q == StCheck || state_q == StRun) ? l_next : '0),
               "the descriptor select is the layer after l in Check and Run, layer 0 otherwise")
  `LSTM_ASSERT(SeqCheckLayerBound, state_q != StCheck || 32'(l_q) < num_layers,
               "the check walks only the program's layers")
  `LSTM_ASSERT(SeqStepBound, !in_run || t32 < ns32, "the step counter stays below NUM_STEPS")
  `LSTM_ASSERT(SeqStepFlags, !in_run || (t_zero_q == (t32 == 32'd0) && t_ge2_q == (t32 >= 32'd2)
                                         && 32'(steps_m1_q) == ns32 - 32'd1),
               "the step flags follow the step counter")
  `LSTM_ASSERT(SeqLayerBound, !in_run || 32'(l_q) < num_layers,
               "the layer counter stays below NUM_LAYERS")
  `LSTM_ASSERT(SeqGroupBound, !in_run || (cur_left_q != '0 && 32'(cur_ubase_q) < MaxHidden),
               "the group walk stays inside the layer's units")
  `LSTM_ASSERT(SeqElemBound, !in_run || j_q <= part_len_m1, "the element counter stays inside the part")
  `LSTM_ASSERT(SeqLayerStep, !in_run || (k_q == WinW'(k_full)
                                         && krec_q == WinW'(k_full - num_layers + 32'd1)),
               "k_q is the layer-step index t * NUM_LAYERS + l, krec_q that minus NUM_LAYERS - 1")
  `LSTM_ASSERT(SeqXConsumed, !in_run || xc32 == t32 + 32'(!batched && l_q != '0),
               "x_consumed counts the steps whose layer 0 (batched: last layer) was fully issued")
  `LSTM_ASSERT(SeqHdoneWindow, !running_o || (hdone_i <= k_full && k_full - hdone_i <= num_layers),
               "the h buffer holds at most the issued layer-steps and at least all but NUM_LAYERS of them")
  `LSTM_ASSERT(SeqXWindow, !in_run || (xw32 >= t32 && xw32 - t32 <= 32'd3),
               "the x writer's step is the sequencer's step or at most three ahead")
  `LSTM_ASSERT(SeqOutWindow, !in_run || !out_wait_i || t32 < 32'd2
                             || (out_done_i <= t32 && t32 - out_done_i <= 32'd2),
               "with OUT_WAIT the output streamer's count is at most two steps behind the step")
  `LSTM_ASSERT(SeqIssueOnlyInRun, !issue || in_run, "elements are issued only in Run")
  `LSTM_ASSERT(SeqErrorCode, (state_q == StError) == (err_code_q != CodeW'(lstm_pkg::ErrNone)),
               "an error code is set exactly in the Error state")
  `LSTM_ASSERT(SeqXReadWritten, !issue || src_h
               || xw32 > t32 || (xw32 == t32 && (VecW + 1)'(x_wr_cnt_i) > xelem),
               "an x element is read only after the x writer wrote it")
  `LSTM_ASSERT(SeqStateZero, !issue || !is_rec || (zero == (t32 == 32'd0 && !state_in_i)),
               "the recurrent operand is forced to zero exactly at step 0 of a run without STATE_IN")
  `LSTM_ASSERT(SeqHReady, !issue || !src_h || zero
               || (is_rec ? hdone_i + num_layers >= k_full + 32'd1 : hdone_i >= k_full),
               "an h element is read only after its layer-step is complete")
  `LSTM_ASSERT(SeqFoldHReady, !issue || !fold || (t32 == 32'd0 && !state_in_i)
               || hdone_i + num_layers >= k_full + 32'd1,
               "a folded group reads h_{t-1} only after its layer-step is complete")
  `LSTM_ASSERT(SeqOutHazard, !issue || !first_elem || !out_layer || !out_wait_i || t32 < 32'd2
               || out_done_i >= t32 - 32'd1,
               "a last-layer group overwrites an h half only after the output streamer sent it")
  `LSTM_ASSERT(SeqShadowCredit, !(issue && last_elem) || shadow_free_i,
               "a group's last element issues only when the post unit can take its sums")
`endif
endmodule
