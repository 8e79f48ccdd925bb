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
`include "lstm_assert.svh"

module lstm_core_seq #(
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
  localparam int ErrLayerW = lstm_pkg::StatusLayerW
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic                    start_i,
  // Program (from lstm_core_regs)
  input  logic [31:0]             num_layers_i,
  input  logic [31:0]             num_steps_i,
  input  logic                    out_wait_i,
  input  logic                    out_en_i,
  input  logic                    out_done_own_i, // out_done_i counts this core's own streamer
  input  logic [MaxLayers*32-1:0] in_size_i,
  input  logic [MaxLayers*32-1:0] hidden_i,
  input  logic [MaxLayers*32-1:0] unit_lo_i,
  input  logic [MaxLayers*32-1:0] unit_cnt_i,
  input  logic [MaxLayers*32-1:0] wbase_i,
  input  logic [MaxLayers*32-1:0] bbase_i,
  // Readiness of operands and resources
  input  logic [31:0]             hdone_i,      // layer-steps complete in the h buffer
  input  logic [31:0]             x_wr_step_i,  // step the x writer is filling
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
  output logic [XAddrW-1:0]       x_raddr_o,
  output logic [HAddrW-1:0]       h_raddr_o,
  output logic [WAddrW-1:0]       w_raddr_o,
  output logic [BAddrW-1:0]       b_raddr_o,
  output logic [MetaW-1:0]        iss_meta_o,
  // Progress and status
  output logic                    running_o,    // accepting inputs / producing
  output logic [31:0]             x_consumed_o, // steps whose x reads are all issued
  output logic [LayerW-1:0]       last_layer_o,
  output logic [31:0]             steps_o,
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

  // Error codes: lstm_pkg::Err* (spec/host_map.hpp, docs/host-interface.md).
  state_e state_q, state_d;
  logic [31:0] t_q, t_d;
  logic [LayerW-1:0] l_q, l_d;
  logic [GroupW-1:0] g_q, g_d;
  logic part_q, part_d;
  logic [VecW-1:0] j_q, j_d;
  logic [31:0] k_q, k_d;                 // layer-step index t*L + l
  logic [31:0] xcons_q, xcons_d;
  logic [WAddrW-1:0] wrow_q, wrow_d;     // weight address of column 0 of group g
  logic [CodeW-1:0] err_code_q, err_code_d;
  logic [ErrLayerW-1:0] err_layer_q, err_layer_d;

  // ---------------------------------------------------------------- program
  logic [LayerW-1:0] num_layers_m1;
  logic [31:0] steps_m1;
  assign num_layers_m1 = LayerW'(num_layers_i - 32'd1);
  assign steps_m1 = num_steps_i - 32'd1;

  // Descriptor of layer `sel`: the check walks with l_q too, so one mux serves.
  logic [31:0] in_full, hid_full, ulo_full, ucnt_full, wbase_full, bbase_full, prev_hid_full;
  assign in_full = in_size_i[32*l_q +: 32];
  assign hid_full = hidden_i[32*l_q +: 32];
  assign ulo_full = unit_lo_i[32*l_q +: 32];
  assign ucnt_full = unit_cnt_i[32*l_q +: 32];
  assign wbase_full = wbase_i[32*l_q +: 32];
  assign bbase_full = bbase_i[32*l_q +: 32];
  logic [LayerW-1:0] l_prev, l_next;
  assign l_prev = l_q - LayerW'(1);
  assign l_next = l_q + LayerW'(1);
  assign prev_hid_full = (l_q == '0) ? 32'd0 : hidden_i[32*l_prev +: 32];

  logic [VecW-1:0] x_len, h_len;
  logic [UnitW-1:0] ulo, ucnt;
  logic [GroupW-1:0] groups;
  logic [VecW:0] row_len;
  assign x_len = VecW'(in_full);
  assign h_len = VecW'(hid_full);
  assign ulo = UnitW'(ulo_full);
  assign ucnt = UnitW'(ucnt_full);
  assign groups = GroupW'((32'(ucnt) + Lanes - 1) / Lanes);
  assign row_len = (VecW + 1)'(x_len) + (VecW + 1)'(h_len);

  // Check of the layer l_q (one layer per cycle in StCheck).
  logic [CodeW-1:0] chk_code;
  logic [47:0] w_end, b_end;
  assign w_end = 48'(wbase_full) + 48'(groups) * 48'(row_len);
  assign b_end = 48'(bbase_full) + 48'(groups);
  always_comb begin
    chk_code = CodeW'(lstm_pkg::ErrNone);
    if (in_full == 32'd0 || in_full > 32'(MaxVec)) chk_code = CodeW'(lstm_pkg::ErrInSize);
    else if (l_q != '0 && in_full != prev_hid_full) chk_code = CodeW'(lstm_pkg::ErrInChain);
    else if (hid_full == 32'd0 || hid_full > 32'(MaxHidden)) chk_code = CodeW'(lstm_pkg::ErrHidden);
    else if (ucnt_full == 32'd0 || ulo_full >= hid_full || ucnt_full > hid_full - ulo_full)
      chk_code = CodeW'(lstm_pkg::ErrUnits);
    else if (w_end > 48'(WeightDepth)) chk_code = CodeW'(lstm_pkg::ErrWeights);
    else if (b_end > 48'(BiasDepth)) chk_code = CodeW'(lstm_pkg::ErrBiases);
  end

  // ---------------------------------------------------------------- walk
  logic rec_first, is_rec, first_part_rec;
  logic [VecW-1:0] part_len;
  logic last_j, last_part, last_group, last_layer, last_step;
  assign rec_first = (l_q != '0);
  assign is_rec = rec_first ? !part_q : part_q;
  assign first_part_rec = rec_first;
  assign part_len = (part_q == first_part_rec) ? x_len : h_len;
  assign last_j = (j_q == part_len - VecW'(1));
  assign last_part = part_q;
  assign last_group = (g_q == groups - GroupW'(1));
  assign last_layer = (l_q == num_layers_m1);
  assign last_step = (t_q == steps_m1);

  logic first_elem, last_elem;
  assign first_elem = !part_q && (j_q == '0);
  assign last_elem = last_part && last_j;

  // Operand source and readiness.
  logic [31:0] k_rec_need;  // layer-steps that must be complete for the recurrent part
  assign k_rec_need = k_q - num_layers_i + 32'd1;
  logic op_ready, hazard_ok, src_h, zero;
  always_comb begin
    src_h = 1'b1;
    zero = 1'b0;
    op_ready = 1'b1;
    if (is_rec) begin
      if (t_q == 32'd0) zero = 1'b1;
      else op_ready = (hdone_i >= k_rec_need);
    end else if (l_q == '0) begin
      src_h = 1'b0;
      op_ready = (x_wr_step_i > t_q) || (x_wr_step_i == t_q && x_wr_cnt_i > j_q);
    end else begin
      op_ready = (hdone_i >= k_q);
    end
  end
  // A group of the last layer overwrites the h buffer half of step t-2: the
  // output streamer must be done with it. The last element loads the shadow
  // sums: the post unit must have taken the previous group's.
  assign hazard_ok = (!first_elem || !last_layer || !out_wait_i || t_q < 32'd2
                      || out_done_i >= t_q - 32'd1)
                  && (!last_elem || shadow_free_i);

  logic issue;
  assign issue = (state_q == StRun) && op_ready && hazard_ok;

  // Addresses.
  logic [VecW:0] col;
  assign col = is_rec ? (VecW + 1)'(x_len) + (VecW + 1)'(j_q) : (VecW + 1)'(j_q);
  assign w_raddr_o = wrow_q + WAddrW'(col);
  assign b_raddr_o = BAddrW'(bbase_full) + BAddrW'(g_q);
  assign x_raddr_o = lstm_pkg::x_addr(t_q[0], j_q);
  // Recurrent operand: this layer's h of step t - 1; input operand: the
  // layer below's h of step t.
  assign h_raddr_o = is_rec ? lstm_pkg::h_addr(l_q, !t_q[0], j_q)
                            : lstm_pkg::h_addr(l_prev, t_q[0], j_q);

  logic [LaneCntW-1:0] grp_lanes;
  logic [UnitW-1:0] grp_ubase;
  logic [UnitW-1:0] units_left;
  assign grp_ubase = ulo + UnitW'(32'(g_q) * Lanes);
  assign units_left = ucnt - UnitW'(32'(g_q) * Lanes);
  assign grp_lanes = (32'(units_left) >= Lanes) ? LaneCntW'(Lanes) : LaneCntW'(units_left);

  assign iss_valid_o = issue;
  assign iss_first_o = first_elem;
  assign iss_last_o = last_elem;
  assign iss_zero_o = zero;
  assign iss_src_h_o = src_h;
  assign iss_meta_o = {l_q, t_q[0], grp_ubase, grp_lanes, last_group, (t_q == 32'd0)};

  // ---------------------------------------------------------------- state
  always_comb begin
    state_d = state_q;
    t_d = t_q;
    l_d = l_q;
    g_d = g_q;
    part_d = part_q;
    j_d = j_q;
    k_d = k_q;
    xcons_d = xcons_q;
    wrow_d = wrow_q;
    err_code_d = err_code_q;
    err_layer_d = err_layer_q;
    unique case (state_q)
      StIdle, StDone, StError: begin
        if (start_i) begin
          state_d = StCheck;
          l_d = '0;
          err_code_d = CodeW'(lstm_pkg::ErrNone);
          err_layer_d = '0;
          if (num_layers_i == 32'd0 || num_layers_i > 32'(MaxLayers)) begin
            state_d = StError;
            err_code_d = CodeW'(lstm_pkg::ErrNumLayers);
          end else if (num_steps_i == 32'd0) begin
            state_d = StError;
            err_code_d = CodeW'(lstm_pkg::ErrNumSteps);
          end else if (out_wait_i && !out_en_i && out_done_own_i) begin
            // Waiting for an output streamer that never runs would hang.
            state_d = StError;
            err_code_d = CodeW'(lstm_pkg::ErrOutWait);
          end
        end
      end
      StCheck: begin
        if (chk_code != CodeW'(lstm_pkg::ErrNone)) begin
          state_d = StError;
          err_code_d = chk_code;
          err_layer_d = ErrLayerW'(l_q);
        end else if (last_layer) begin
          state_d = StRun;
          t_d = '0;
          l_d = '0;
          g_d = '0;
          part_d = 1'b0;
          j_d = '0;
          k_d = '0;
          xcons_d = '0;
          wrow_d = WAddrW'(wbase_i[31:0]);
        end else begin
          l_d = l_next;
        end
      end
      StRun: begin
        if (issue) begin
          j_d = j_q + VecW'(1);
          if (last_j) begin
            j_d = '0;
            part_d = !part_q;
            if (last_part) begin
              g_d = g_q + GroupW'(1);
              wrow_d = wrow_q + WAddrW'(row_len);
              if (last_group) begin
                g_d = '0;
                k_d = k_q + 32'd1;
                if (l_q == '0) xcons_d = xcons_q + 32'd1;
                if (last_layer) begin
                  l_d = '0;
                  t_d = t_q + 32'd1;
                  wrow_d = WAddrW'(wbase_i[31:0]);
                  if (last_step) state_d = StDrain;
                end else begin
                  l_d = l_next;
                  wrow_d = WAddrW'(wbase_i[32*l_next +: 32]);
                end
              end
            end
          end
        end
      end
      StDrain: begin
        // Everything issued; wait until every sum became h and left the core.
        if (tail_idle_i && hdone_i == k_q) state_d = StDone;
      end
      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      t_q <= '0;
      l_q <= '0;
      g_q <= '0;
      part_q <= 1'b0;
      j_q <= '0;
      k_q <= '0;
      xcons_q <= '0;
      wrow_q <= '0;
      err_code_q <= '0;
      err_layer_q <= '0;
    end else begin
      state_q <= state_d;
      t_q <= t_d;
      l_q <= l_d;
      g_q <= g_d;
      part_q <= part_d;
      j_q <= j_d;
      k_q <= k_d;
      xcons_q <= xcons_d;
      wrow_q <= wrow_d;
      err_code_q <= err_code_d;
      err_layer_q <= err_layer_d;
    end
  end

  assign running_o = (state_q == StRun) || (state_q == StDrain);
  assign x_consumed_o = xcons_q;
  assign last_layer_o = num_layers_m1;
  assign steps_o = num_steps_i;
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
  assign in_run = (state_q == StRun);
  `LSTM_ASSERT(SeqStateLegal,
               state_q == StIdle || state_q == StCheck || state_q == StRun
               || state_q == StDrain || state_q == StDone || state_q == StError,
               "the sequencer's state is one of its six")
  `LSTM_ASSERT(SeqCheckLayerBound, state_q != StCheck || 32'(l_q) < num_layers_i,
               "the check walks only the program's layers")
  `LSTM_ASSERT(SeqStepBound, !in_run || t_q < num_steps_i, "the step counter stays below NUM_STEPS")
  `LSTM_ASSERT(SeqLayerBound, !in_run || 32'(l_q) < num_layers_i,
               "the layer counter stays below NUM_LAYERS")
  `LSTM_ASSERT(SeqGroupBound, !in_run || g_q < groups, "the group counter stays below the layer's groups")
  `LSTM_ASSERT(SeqElemBound, !in_run || j_q < part_len, "the element counter stays inside the part")
  `LSTM_ASSERT(SeqLayerStep, !in_run || k_q == t_q * num_layers_i + 32'(l_q),
               "k_q is the layer-step index t * NUM_LAYERS + l")
  `LSTM_ASSERT(SeqXConsumed, !in_run || xcons_q == t_q + 32'(l_q != '0),
               "x_consumed counts the steps whose layer 0 was fully issued")
  `LSTM_ASSERT(SeqHdoneBehind, !running_o || hdone_i <= k_q,
               "the h buffer never holds more complete layer-steps than were issued")
  `LSTM_ASSERT(SeqIssueOnlyInRun, !issue || in_run, "elements are issued only in Run")
  `LSTM_ASSERT(SeqErrorCode, (state_q == StError) == (err_code_q != CodeW'(lstm_pkg::ErrNone)),
               "an error code is set exactly in the Error state")
  `LSTM_ASSERT(SeqXReadWritten, !issue || src_h
               || x_wr_step_i > t_q || (x_wr_step_i == t_q && x_wr_cnt_i > j_q),
               "an x element is read only after the x writer wrote it")
  `LSTM_ASSERT(SeqShadowCredit, !(issue && last_elem) || shadow_free_i,
               "a group's last element issues only when the post unit can take its sums")
`endif
endmodule
