// Post unit: turns one group's gate sums into h, one hidden unit per cycle,
// while the MAC array accumulates the next group.
//   Q0  pick the lane's Gates sums (i, f, g, o); read c_prev
//   Q1  i, f, g, o = activations of the sums
//   Q2  sum = cell_sum(i, f, g, c_prev)
//   Q3  c_new = narrow_cell_sum(sum); write c_new; tanh(c_new)
//   Q4  prod = hidden_prod(o, tanh(c_new)); send (layer, parity, unit, prod)
// Every narrowing is an lstm_pkg function that mirrors the golden model's
// function of the same name; narrow_cell runs in its two steps cell_sum and
// narrow_cell_sum (bit for bit the same), split across Q2 and Q3 so that
// neither stage holds both multiplies and the narrowing (issue 10). For the
// same reason narrow_hidden runs in its two steps: Q4 sends the exact product
// hidden_prod into the output FIFO, and lstm_core narrows it with
// narrow_hidden_prod where the FIFO hands it on (no cycle added). A lane is
// issued only when the output FIFO has room for everything in flight, so the
// pipeline itself never stalls.
// Saturation flags (docs/numerics.md, "Saturation events") come from the
// lstm_pkg `_sat` function beside each narrowing and ride down the pipeline
// with their unit: Q1's act_sigmoid_acc (i, f, o: 0..3) and act_tanh_acc (g),
// Q3's narrow_cell and act_tanh_cell. Q4 hands them to lstm_core's counters
// (sat_*_o, with the unit's layer) as the packet enters the FIFO;
// narrow_hidden's flag is formed where lstm_core narrows h, at the FIFO's
// output (a GRU's narrow_gru_hidden flag in Q6, carried in the FIFO entry to
// the same counter).
//
// GRU (gru_i, FLAGS.GRU on a design with lstm_pkg::HasGru; docs/numerics.md,
// "One GRU layer-step"): the four sums are a_r, a_z, a_nx, a_nh, and c_prev
// is the unit's h_prev (lstm_core keeps a GRU's h in the c buffer).
//   Q1  r, z = act_sigmoid_acc of a_r, a_z (the i and f activations)
//   Q2  prod = reset_prod(r, a_nh)
//   Q3  a_n = narrow_candidate(a_nx, narrow_reset_prod(prod))
//   Q4  n = act_tanh_acc(a_n)
//   Q5  zn = gru_new_prod(z, n) = (2^GateF - z) * n; zh = gru_keep_prod(z,
//       h_prev) = z * h_prev, formed in Q4, rides along
//   Q6  h = narrow_gru_hidden_sum(gru_hidden_sum_prods(zn, zh)) and its flag
//       (narrow_gru_hidden) into the FIFO as {sat, h}; lstm_core hands h on
//       and writes it to the c buffer
// gru_hidden_sum_prods(gru_new_prod(z, n), gru_keep_prod(z, h_prev)) is
// gru_hidden_sum(z, n, h_prev) bit for bit. Two stages more than the LSTM's,
// so that no stage holds both the reset product and the candidate's add, nor
// the add and the tanh table, nor a product and the sum (issue 10: Q5's
// product and add were 13 LUT4 levels into the FIFO, and the FIFO's read
// select and narrow_gru_hidden_sum 13 into the c buffer). With gru_i low the
// LSTM path leaves Q4 as before and Q5, Q6 stay empty; on a design without
// GRU the GRU stages are not generated.
//
// Piecewise-linear activations (lstm_pkg::ActPwl, issue 10): an activation is
// an index, two table reads, a multiply and a narrowing, too deep for one
// stage, so it runs in the three steps of its lstm_pkg function
// (act_*_read, act_*_mul, act_*_fin, bit for bit the same) over
// lstm_pkg::PostPwlStages = 5 more stages, generated on pwl designs only:
//   Q1 -> A1 read -> A2 mul -> Q2 fin (i, f, g, o; GRU r, z)
//   Q3 -> X1 c_new = narrow_cell_sum(sum), written -> X2 read -> X3 mul -> Q4 fin
//   GRU: Q3 -> X1 rn = narrow_reset_prod -> X2 a_n = narrow_candidate
//        -> X3 read -> Q4 mul -> Q5 fin (n)
// so Q2..Q6 keep their meaning, each five cycles later.
// LutMul 1 (config features.lut_multipliers): the LSTM's three products
// (f * c_prev and i * g of cell_sum, o * tanh_c of hidden_prod) come from
// lstm_mul's carry-chain array instead of the `*` operator inside the
// package functions; the sums and the FIFO's value are the same bit for bit.
`include "lstm_assert.svh"

module lstm_post #(
  parameter int FifoDepth = 8,
  parameter bit LutMul = 1'b0,
  localparam int Gates = lstm_pkg::Gates,
  localparam int Lanes = lstm_pkg::Lanes,
  localparam int Macs = lstm_pkg::Macs,
  localparam int AccW = lstm_pkg::AccW,
  localparam int GateW = lstm_pkg::GateW,
  localparam int CellW = lstm_pkg::CellW,
  localparam int CellSumW = lstm_pkg::CellSumW,
  localparam int ResetProdW = lstm_pkg::ResetProdW,
  localparam int PostValW = lstm_pkg::PostValW,
  localparam int DataW = lstm_pkg::DataW,
  localparam int MetaW = lstm_pkg::MetaW,
  localparam int LayerW = lstm_pkg::LayerW,
  localparam int UnitW = lstm_pkg::UnitW,
  localparam int LaneCntW = lstm_pkg::LaneCntW,
  localparam int LaneW = lstm_pkg::LaneW,
  localparam int CAddrW = lstm_pkg::CAddrW,
  // Packet: last-of-layer-step flag, layer, parity, unit, hidden_prod (GRU:
  // {narrow_gru_hidden's flag, h}); the tag before the value is the h
  // network packet's.
  localparam int PostPktW = lstm_pkg::PostPktW,
  localparam int TagW = lstm_pkg::PktW - DataW,
  localparam int CountW = $clog2(FifoDepth + 1)
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  gru_i,  // the run's layers are GRU layers (constant while busy)
  input  logic                  shadow_load_i,
  input  logic [Macs*AccW-1:0]  shadow_i,
  input  logic [MetaW-1:0]      shadow_meta_i,
  output logic                  shadow_free_o,
  // Free from the next cycle on: idle, or taking its last lane now. A load
  // (shadow_load_i) in that cycle starts the next group right after it.
  output logic                  free_next_o,
  // Cell state memory
  output logic                  c_re_o,
  output logic [CAddrW-1:0]     c_raddr_o,
  input  logic [CellW-1:0]      c_rdata_i,
  output logic                  c_we_o,
  output logic [CAddrW-1:0]     c_waddr_o,
  output logic [CellW-1:0]      c_wdata_o,
  // Results, into a FIFO of FifoDepth entries that pops a unit when
  // fifo_pop_i (its fill level fifo_count_i serves only the assertions)
  output logic                  pkt_valid_o,
  output logic [PostPktW-1:0]   pkt_o,
  input  logic                  fifo_pop_i,
  input  logic [CountW-1:0]     fifo_count_i,
  // Saturation events of the unit leaving Q4 (GRU: Q6; valid with pkt_valid_o)
  output logic                  sat_valid_o,
  output logic [LayerW-1:0]     sat_layer_o,
  output logic [1:0]            sat_sigmoid_acc_o,  // 0..3 of i, f, o (GRU: 0..2 of r, z)
  output logic                  sat_tanh_acc_o,
  output logic                  sat_cell_o,         // narrow_cell (GRU: narrow_candidate)
  output logic                  sat_tanh_cell_o,
  output logic                  idle_o
);
  // Group metadata, as packed by lstm_core_seq.
  logic [LayerW-1:0] m_layer;
  logic m_parity, m_last_group, m_first_step;
  logic [UnitW-1:0] m_ubase;
  logic [LaneCntW-1:0] m_lanes;
  assign {m_layer, m_parity, m_ubase, m_lanes, m_last_group, m_first_step} = shadow_meta_i;

  logic busy_q, busy_d;
  logic [LaneW-1:0] lane_q, lane_d;

  // Entries in flight in Q1..Q4 (GRU: and Q5, Q6; pwl: and A1, A2, X1..X3)
  // plus the FIFO must fit the FIFO. Every unit issued becomes one FIFO entry,
  // so they are counted in one register, up at an issue and down at a FIFO
  // pop (issue 10: the sum of every stage's valid bit and the FIFO's count
  // was 5 LUT4 levels in front of the issue, the shadow's free and the
  // sequencer, 14 on configs/iso-1x32.json); PostFifoCredit checks it
  // against that sum.
  logic q1_valid_q, q2_valid_q, q3_valid_q, q4_valid_q;
  logic [CountW:0] in_flight_q, pwl_in_flight, gru_in_flight;
  logic issue, last_lane;
  assign issue = busy_q && (in_flight_q < (CountW + 1)'(FifoDepth));
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) in_flight_q <= '0;
    else in_flight_q <= in_flight_q + (CountW + 1)'(issue) - (CountW + 1)'(fifo_pop_i);
  end
  assign last_lane = (LaneCntW'(lane_q) == m_lanes - LaneCntW'(1));

  always_comb begin
    busy_d = busy_q;
    lane_d = lane_q;
    if (shadow_load_i) begin
      busy_d = 1'b1;
      lane_d = '0;
    end else if (issue) begin
      lane_d = lane_q + LaneW'(1);
      if (last_lane) busy_d = 1'b0;
    end
  end

  // Q0: select the lane.
  logic [UnitW-1:0] unit0;
  assign unit0 = m_ubase + UnitW'(lane_q);
  assign c_re_o = issue;
  assign c_raddr_o = lstm_pkg::c_addr(m_layer, unit0);

  // A lane's sums sit at slots lane * Gates + gate (lstm_pkg::Macs). The lane
  // is compared with each constant index and the match ORed out (not
  // `lane * ... +:`, which Yosys turns into a barrel shifter when AccW is not
  // a power of two, nor an if-chain, which stays a priority chain).
  // (A function, like lstm_fifo's entry, for Icarus.)
  function automatic logic [AccW-1:0] lane_sum(input logic [Macs*AccW-1:0] sums,
                                               input logic [LaneW-1:0] sel_lane, input int gate);
    lane_sum = '0;
    for (int l = 0; l < Lanes; l++) begin
      lane_sum = lane_sum | (sums[(l * Gates + gate) * AccW +: AccW] & {AccW{32'(sel_lane) == l}});
    end
  endfunction
  // Q1's sums q1_z: the picked lane's, registered. With one lane (issue 10,
  // area) the shadow registers themselves: after the post unit takes a
  // group's (only) lane the MAC array loads the next sums no earlier than
  // three cycles later (the sequencer issues a group's last element only
  // once the post unit is free, and it needs two cycles to reach the shadow),
  // so in Q1 the shadow still holds the sums a copy would (PostShadowHeld).
  // Same stages, same cycles; 4 x AccW flip-flops fewer.
  logic [AccW-1:0] q1_z [Gates];
  if (Lanes == 1) begin : gen_z_shadow
    for (genvar q = 0; q < Gates; q++) begin : gen_gate
      assign q1_z[q] = shadow_i[q * AccW +: AccW];
    end
  end else begin : gen_z_reg
    // (One register per gate: Icarus 11 drops the writes of a for loop into
    // an unpacked array declared in a generate block.)
    for (genvar q = 0; q < Gates; q++) begin : gen_gate
      logic [AccW-1:0] z_q;
      always_ff @(posedge clk_i) z_q <= lane_sum(shadow_i, lane_q, q);
      assign q1_z[q] = z_q;
    end
  end

  // Pipeline registers. Fields after Q1 carry the packet side-band.
  logic q1_first_q;
  logic [TagW-1:0] q1_tag_q, q2_tag_q, q3_tag_q, q4_tag_q;
  logic [GateW-1:0] q2_i_q, q2_f_q, q2_g_q, q2_o_q;
  logic [CellW-1:0] q2_c_q;
  logic [CellSumW-1:0] q3_sum_q;
  logic [GateW-1:0] q3_o_q;
  logic [GateW-1:0] q4_th_q, q4_o_q;
  // Saturation flags: Q1's activations (sigmoid count, tanh), then Q3's cell ones.
  logic [1:0] q2_sat_sig_q, q3_sat_sig_q, q4_sat_sig_q;
  logic q2_sat_tanh_q, q3_sat_tanh_q, q4_sat_tanh_q;
  logic q4_sat_cell_q, q4_sat_tanh_cell_q;
  logic [1:0] q1_sat_sig;
  // (Zero-extended by concatenation: Icarus casts no scalar function result.)
  // (A GRU's fourth sum a_nh and third a_nx go through no activation here.)
  assign q1_sat_sig = {1'b0, lstm_pkg::act_sigmoid_acc_sat(q1_z[0])}
                    + {1'b0, lstm_pkg::act_sigmoid_acc_sat(q1_z[1])}
                    + {1'b0, lstm_pkg::act_sigmoid_acc_sat(q1_z[3]) && !gru_i};

  logic [CellW-1:0] c_prev;
  assign c_prev = q1_first_q ? '0 : c_rdata_i;

  // What Q2 and Q4 load: from Q1 and Q3 (lut), or from A2 and X3 (pwl).
  logic q2_in_valid, q4_in_valid;
  logic [TagW-1:0] q2_in_tag, q4_in_tag;
  logic [GateW-1:0] q2_in_i, q2_in_f, q2_in_g, q2_in_o, q4_in_th, q4_in_o;
  logic [CellW-1:0] q2_in_c;
  logic [1:0] q2_in_sat_sig, q4_in_sat_sig;
  logic q2_in_sat_tanh, q4_in_sat_tanh, q4_in_sat_cell, q4_in_sat_tanh_cell;
  // The cell state write (Q3; pwl: X1, where c_new is a register).
  logic cw_valid;
  logic [LayerW-1:0] cw_layer;
  logic [UnitW-1:0] cw_unit;
  logic [CellW-1:0] cw_c;

  if (lstm_pkg::ActPwl == 0) begin : gen_lut
    logic [CellW-1:0] q3_c;
    assign q3_c = lstm_pkg::narrow_cell_sum(q3_sum_q);
    assign pwl_in_flight = '0;
    assign q2_in_valid = q1_valid_q;
    assign q2_in_tag = q1_tag_q;
    assign q2_in_i = lstm_pkg::act_sigmoid_acc(q1_z[0]);
    assign q2_in_f = lstm_pkg::act_sigmoid_acc(q1_z[1]);
    assign q2_in_g = lstm_pkg::act_tanh_acc(q1_z[2]);
    assign q2_in_o = lstm_pkg::act_sigmoid_acc(q1_z[3]);
    assign q2_in_c = c_prev;
    assign q2_in_sat_sig = q1_sat_sig;
    assign q2_in_sat_tanh = lstm_pkg::act_tanh_acc_sat(q1_z[2]) && !gru_i;
    assign q4_in_valid = q3_valid_q;
    assign q4_in_tag = q3_tag_q;
    assign q4_in_th = lstm_pkg::act_tanh_cell(q3_c);
    assign q4_in_o = q3_o_q;
    assign q4_in_sat_sig = q3_sat_sig_q;
    assign q4_in_sat_tanh = q3_sat_tanh_q;
    assign q4_in_sat_cell = lstm_pkg::narrow_cell_sum_sat(q3_sum_q);
    assign q4_in_sat_tanh_cell = lstm_pkg::act_tanh_cell_sat(q3_c);
    assign cw_valid = q3_valid_q;
    assign cw_layer = q3_tag_q[UnitW+1 +: LayerW];
    assign cw_unit = q3_tag_q[UnitW-1:0];
    assign cw_c = q3_c;
  end else begin : gen_pwl
    localparam int ReadAccW = lstm_pkg::ActReadAccW;
    localparam int MulAccW = lstm_pkg::ActMulAccW;
    localparam int ReadCellW = lstm_pkg::ActReadCellW;
    localparam int MulCellW = lstm_pkg::ActMulCellW;
    // A1, A2: the gate activations' read and mul words, with Q1's side-band.
    logic a1_valid_q, a2_valid_q;
    logic [TagW-1:0] a1_tag_q, a2_tag_q;
    logic [ReadAccW-1:0] a1_rd_q [Gates];
    logic [MulAccW-1:0] a2_m_q [Gates];
    logic [CellW-1:0] a1_c_q, a2_c_q;
    logic [1:0] a1_sat_sig_q, a2_sat_sig_q;
    logic a1_sat_tanh_q, a2_sat_tanh_q;
    // X1..X3: c_new, then the tanh of it in its read and mul words, with
    // Q3's side-band.
    logic x1_valid_q, x2_valid_q, x3_valid_q;
    logic [TagW-1:0] x1_tag_q, x2_tag_q, x3_tag_q;
    logic [CellW-1:0] x1_c_q;
    logic [ReadCellW-1:0] x2_rd_q;
    logic [MulCellW-1:0] x3_m_q;
    logic [GateW-1:0] x1_o_q, x2_o_q, x3_o_q;
    logic [1:0] x1_sat_sig_q, x2_sat_sig_q, x3_sat_sig_q;
    logic x1_sat_tanh_q, x2_sat_tanh_q, x3_sat_tanh_q;
    logic x1_sat_cell_q, x2_sat_cell_q, x3_sat_cell_q;
    logic x2_sat_tanh_cell_q, x3_sat_tanh_cell_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        a1_valid_q <= 1'b0;
        a2_valid_q <= 1'b0;
        a1_tag_q <= '0;
        a2_tag_q <= '0;
        for (int q = 0; q < Gates; q++) begin
          a1_rd_q[q] <= '0;
          a2_m_q[q] <= '0;
        end
        a1_c_q <= '0;
        a2_c_q <= '0;
        a1_sat_sig_q <= '0;
        a2_sat_sig_q <= '0;
        a1_sat_tanh_q <= 1'b0;
        a2_sat_tanh_q <= 1'b0;
        x1_valid_q <= 1'b0;
        x2_valid_q <= 1'b0;
        x3_valid_q <= 1'b0;
        x1_tag_q <= '0;
        x2_tag_q <= '0;
        x3_tag_q <= '0;
        x1_c_q <= '0;
        x2_rd_q <= '0;
        x3_m_q <= '0;
        x1_o_q <= '0;
        x2_o_q <= '0;
        x3_o_q <= '0;
        x1_sat_sig_q <= '0;
        x2_sat_sig_q <= '0;
        x3_sat_sig_q <= '0;
        x1_sat_tanh_q <= 1'b0;
        x2_sat_tanh_q <= 1'b0;
        x3_sat_tanh_q <= 1'b0;
        x1_sat_cell_q <= 1'b0;
        x2_sat_cell_q <= 1'b0;
        x3_sat_cell_q <= 1'b0;
        x2_sat_tanh_cell_q <= 1'b0;
        x3_sat_tanh_cell_q <= 1'b0;
      end else begin
        a1_valid_q <= q1_valid_q;
        a2_valid_q <= a1_valid_q;
        a1_tag_q <= q1_tag_q;
        a2_tag_q <= a1_tag_q;
        a1_rd_q[0] <= lstm_pkg::act_sigmoid_acc_read(q1_z[0]);
        a1_rd_q[1] <= lstm_pkg::act_sigmoid_acc_read(q1_z[1]);
        a1_rd_q[2] <= lstm_pkg::act_tanh_acc_read(q1_z[2]);
        a1_rd_q[3] <= lstm_pkg::act_sigmoid_acc_read(q1_z[3]);
        for (int q = 0; q < Gates; q++) a2_m_q[q] <= lstm_pkg::act_acc_mul(a1_rd_q[q]);
        a1_c_q <= c_prev;
        a2_c_q <= a1_c_q;
        a1_sat_sig_q <= q1_sat_sig;
        a2_sat_sig_q <= a1_sat_sig_q;
        a1_sat_tanh_q <= lstm_pkg::act_tanh_acc_sat(q1_z[2]) && !gru_i;
        a2_sat_tanh_q <= a1_sat_tanh_q;
        x1_valid_q <= q3_valid_q;
        x2_valid_q <= x1_valid_q;
        x3_valid_q <= x2_valid_q;
        x1_tag_q <= q3_tag_q;
        x2_tag_q <= x1_tag_q;
        x3_tag_q <= x2_tag_q;
        x1_c_q <= lstm_pkg::narrow_cell_sum(q3_sum_q);
        x2_rd_q <= lstm_pkg::act_tanh_cell_read(x1_c_q);
        x3_m_q <= lstm_pkg::act_cell_mul(x2_rd_q);
        x1_o_q <= q3_o_q;
        x2_o_q <= x1_o_q;
        x3_o_q <= x2_o_q;
        x1_sat_sig_q <= q3_sat_sig_q;
        x2_sat_sig_q <= x1_sat_sig_q;
        x3_sat_sig_q <= x2_sat_sig_q;
        x1_sat_tanh_q <= q3_sat_tanh_q;
        x2_sat_tanh_q <= x1_sat_tanh_q;
        x3_sat_tanh_q <= x2_sat_tanh_q;
        x1_sat_cell_q <= lstm_pkg::narrow_cell_sum_sat(q3_sum_q);
        x2_sat_cell_q <= x1_sat_cell_q;
        x3_sat_cell_q <= x2_sat_cell_q;
        x2_sat_tanh_cell_q <= lstm_pkg::act_tanh_cell_sat(x1_c_q);
        x3_sat_tanh_cell_q <= x2_sat_tanh_cell_q;
      end
    end
    assign pwl_in_flight = (CountW + 1)'(a1_valid_q) + (CountW + 1)'(a2_valid_q)
                         + (CountW + 1)'(x1_valid_q) + (CountW + 1)'(x2_valid_q)
                         + (CountW + 1)'(x3_valid_q);
    assign q2_in_valid = a2_valid_q;
    assign q2_in_tag = a2_tag_q;
    assign q2_in_i = lstm_pkg::act_acc_fin(a2_m_q[0]);
    assign q2_in_f = lstm_pkg::act_acc_fin(a2_m_q[1]);
    assign q2_in_g = lstm_pkg::act_acc_fin(a2_m_q[2]);
    assign q2_in_o = lstm_pkg::act_acc_fin(a2_m_q[3]);
    assign q2_in_c = a2_c_q;
    assign q2_in_sat_sig = a2_sat_sig_q;
    assign q2_in_sat_tanh = a2_sat_tanh_q;
    assign q4_in_valid = x3_valid_q;
    assign q4_in_tag = x3_tag_q;
    assign q4_in_th = lstm_pkg::act_cell_fin(x3_m_q);
    assign q4_in_o = x3_o_q;
    assign q4_in_sat_sig = x3_sat_sig_q;
    assign q4_in_sat_tanh = x3_sat_tanh_q;
    assign q4_in_sat_cell = x3_sat_cell_q;
    assign q4_in_sat_tanh_cell = x3_sat_tanh_cell_q;
    assign cw_valid = x1_valid_q;
    assign cw_layer = x1_tag_q[UnitW+1 +: LayerW];
    assign cw_unit = x1_tag_q[UnitW-1:0];
    assign cw_c = x1_c_q;
  end

  // Q2's cell_sum and Q4's hidden_prod.
  logic [CellSumW-1:0] q2_sum;
  logic signed [lstm_pkg::HidProdW-1:0] lstm_prod;
  if (LutMul) begin : gen_lut_mul
    // cell_sum(i, f, g, c_prev) = (f * c_prev << (CellSumF - GateF - CellF))
    // + (i * g << (CellSumF - 2 * GateF)), from lstm_mul's exact products.
    logic [GateW+CellW-1:0] fc;
    logic [2*GateW-1:0] ig, og;
    lstm_mul #(.AWidth(CellW), .BWidth(GateW), .Lut(1'b1)) u_mul_fc (
      .a_i(q2_c_q), .b_i(q2_f_q), .p_o(fc)
    );
    lstm_mul #(.AWidth(GateW), .BWidth(GateW), .Lut(1'b1)) u_mul_ig (
      .a_i(q2_g_q), .b_i(q2_i_q), .p_o(ig)
    );
    assign q2_sum = (CellSumW'($signed(fc)) << (lstm_pkg::CellSumF - lstm_pkg::GateF - lstm_pkg::CellF))
                  + (CellSumW'($signed(ig)) << (lstm_pkg::CellSumF - 2 * lstm_pkg::GateF));
    // hidden_prod(o, tanh_c): the exact product, HidProdW = 2 * GateW bits.
    lstm_mul #(.AWidth(GateW), .BWidth(GateW), .Lut(1'b1)) u_mul_og (
      .a_i(q4_th_q), .b_i(q4_o_q), .p_o(og)
    );
    assign lstm_prod = $signed(og);
  end else begin : gen_op_mul
    assign q2_sum = lstm_pkg::cell_sum(q2_i_q, q2_f_q, q2_g_q, q2_c_q);
    assign lstm_prod = lstm_pkg::hidden_prod(q4_o_q, q4_th_q);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q <= 1'b0;
      lane_q <= '0;
      q1_valid_q <= 1'b0;
      q2_valid_q <= 1'b0;
      q3_valid_q <= 1'b0;
      q4_valid_q <= 1'b0;
      q1_first_q <= 1'b0;
      q1_tag_q <= '0;
      q2_tag_q <= '0;
      q3_tag_q <= '0;
      q4_tag_q <= '0;
      q2_i_q <= '0;
      q2_f_q <= '0;
      q2_g_q <= '0;
      q2_o_q <= '0;
      q2_c_q <= '0;
      q3_sum_q <= '0;
      q3_o_q <= '0;
      q4_th_q <= '0;
      q4_o_q <= '0;
      q2_sat_sig_q <= '0;
      q3_sat_sig_q <= '0;
      q4_sat_sig_q <= '0;
      q2_sat_tanh_q <= 1'b0;
      q3_sat_tanh_q <= 1'b0;
      q4_sat_tanh_q <= 1'b0;
      q4_sat_cell_q <= 1'b0;
      q4_sat_tanh_cell_q <= 1'b0;
    end else begin
      busy_q <= busy_d;
      lane_q <= lane_d;
      q1_valid_q <= issue;
      q2_valid_q <= q2_in_valid;
      q3_valid_q <= q2_valid_q;
      q4_valid_q <= q4_in_valid;
      q1_first_q <= m_first_step;
      q1_tag_q <= {m_last_group && last_lane, m_layer, m_parity, unit0};
      q2_tag_q <= q2_in_tag;
      q2_i_q <= q2_in_i;
      q2_f_q <= q2_in_f;
      q2_g_q <= q2_in_g;
      q2_o_q <= q2_in_o;
      q2_c_q <= q2_in_c;
      q3_tag_q <= q2_tag_q;
      q3_sum_q <= q2_sum;
      q3_o_q <= q2_o_q;
      q4_tag_q <= q4_in_tag;
      q4_th_q <= q4_in_th;
      q4_o_q <= q4_in_o;
      q2_sat_sig_q <= q2_in_sat_sig;
      q2_sat_tanh_q <= q2_in_sat_tanh;
      q3_sat_sig_q <= q2_sat_sig_q;
      q3_sat_tanh_q <= q2_sat_tanh_q;
      q4_sat_sig_q <= q4_in_sat_sig;
      q4_sat_tanh_q <= q4_in_sat_tanh;
      q4_sat_cell_q <= q4_in_sat_cell;
      q4_sat_tanh_cell_q <= q4_in_sat_tanh_cell;
    end
  end

  // Q3 (pwl: X1) narrows the new cell state and writes it back.
  assign c_we_o = cw_valid && !gru_i;
  assign c_waddr_o = lstm_pkg::c_addr(cw_layer, cw_unit);
  assign c_wdata_o = cw_c;

  // The LSTM's result leaves Q4, sign-extended to the FIFO's PostValW (through
  // a signed signal: Icarus casts no function result).
  logic [PostValW-1:0] lstm_val;
  assign lstm_val = PostValW'(lstm_prod);
  if (lstm_pkg::HasGru != 0) begin : gen_gru
    // Q2..Q6 of a GRU unit (see the top): the sums it needs past Q1, then
    // each stage's result, with z and h_prev riding along.
    logic [AccW-1:0] q2_anx_q, q2_anh_q, q3_anx_q;
    logic [ResetProdW-1:0] q3_prod_q;
    logic [GateW-1:0] q3_z_q, q4_z_q, q5_z_q, q5_n_q;
    logic [DataW-1:0] q3_h_q, q4_h_q;
    logic [lstm_pkg::GruKeepW-1:0] q5_zh_q, q6_zh_q;
    logic [lstm_pkg::GruNewW-1:0] q6_zn_q;
    logic [TagW-1:0] q5_tag_q, q6_tag_q;
    logic [1:0] q5_sat_sig_q, q6_sat_sig_q;
    logic q5_valid_q, q4_sat_cand_q, q5_sat_cand_q, q5_sat_tanh_q;
    logic q6_valid_q, q6_sat_cand_q, q6_sat_tanh_q;
    // Q6: the sum, narrowed to h, and narrow_gru_hidden's flag, into the FIFO
    // as {sat, h}.
    logic signed [lstm_pkg::GruSumW-1:0] q6_sum;
    logic [DataW-1:0] q6_h;
    logic q6_sat_h;
    // n into Q5, its saturation flag; a_n's narrowing before.
    logic [GateW-1:0] q5_in_n;
    logic q5_in_sat_tanh;
    logic q4_in_sat_cand;
    logic [GateW-1:0] q4_in_z;
    logic [DataW-1:0] q4_in_h;
    logic [AccW-1:0] q2_in_anx, q2_in_anh;  // a_nx and a_nh into Q2
    assign q6_sum = lstm_pkg::gru_hidden_sum_prods(q6_zn_q, q6_zh_q);
    assign q6_h = lstm_pkg::narrow_gru_hidden_sum(q6_sum);
    assign q6_sat_h = lstm_pkg::narrow_gru_hidden_sum_sat(q6_sum);
    if (lstm_pkg::ActPwl == 0) begin : gen_lut_n
      logic [AccW-1:0] q4_an_q;
      logic [AccW-1:0] q3_rn;
      assign q3_rn = lstm_pkg::narrow_reset_prod(q3_prod_q);
      assign q2_in_anx = q1_z[2];
      assign q2_in_anh = q1_z[3];
      assign q4_in_sat_cand = lstm_pkg::narrow_candidate_sat(q3_anx_q, q3_rn);
      assign q4_in_z = q3_z_q;
      assign q4_in_h = q3_h_q;
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) q4_an_q <= '0;
        else q4_an_q <= lstm_pkg::narrow_candidate(q3_anx_q, q3_rn);
      end
      assign q5_in_n = lstm_pkg::act_tanh_acc(q4_an_q);
      assign q5_in_sat_tanh = lstm_pkg::act_tanh_acc_sat(q4_an_q);
    end else begin : gen_pwl_n
      // A1, A2: a_nx and a_nh ride along. X1 rn, X2 a_n, X3 tanh(a_n)'s
      // read word, Q4 its mul word.
      logic [AccW-1:0] a1_anx_q, a1_anh_q, a2_anx_q, a2_anh_q;
      logic [AccW-1:0] x1_rn_q, x1_anx_q, x2_an_q;
      logic [lstm_pkg::ActReadAccW-1:0] x3_rd_q;
      logic [lstm_pkg::ActMulAccW-1:0] q4_m_q;
      logic [GateW-1:0] x1_z_q, x2_z_q, x3_z_q;
      logic [DataW-1:0] x1_h_q, x2_h_q, x3_h_q;
      logic x2_sat_cand_q, x3_sat_cand_q, x3_sat_tanh_q, q4_sat_n_q;
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
          a1_anx_q <= '0;
          a1_anh_q <= '0;
          a2_anx_q <= '0;
          a2_anh_q <= '0;
          x1_rn_q <= '0;
          x1_anx_q <= '0;
          x2_an_q <= '0;
          x3_rd_q <= '0;
          q4_m_q <= '0;
          x1_z_q <= '0;
          x2_z_q <= '0;
          x3_z_q <= '0;
          x1_h_q <= '0;
          x2_h_q <= '0;
          x3_h_q <= '0;
          x2_sat_cand_q <= 1'b0;
          x3_sat_cand_q <= 1'b0;
          x3_sat_tanh_q <= 1'b0;
          q4_sat_n_q <= 1'b0;
        end else begin
          a1_anx_q <= q1_z[2];
          a1_anh_q <= q1_z[3];
          a2_anx_q <= a1_anx_q;
          a2_anh_q <= a1_anh_q;
          x1_rn_q <= lstm_pkg::narrow_reset_prod(q3_prod_q);
          x1_anx_q <= q3_anx_q;
          x2_an_q <= lstm_pkg::narrow_candidate(x1_anx_q, x1_rn_q);
          x2_sat_cand_q <= lstm_pkg::narrow_candidate_sat(x1_anx_q, x1_rn_q);
          x3_rd_q <= lstm_pkg::act_tanh_acc_read(x2_an_q);
          x3_sat_tanh_q <= lstm_pkg::act_tanh_acc_sat(x2_an_q);
          x3_sat_cand_q <= x2_sat_cand_q;
          q4_m_q <= lstm_pkg::act_acc_mul(x3_rd_q);
          q4_sat_n_q <= x3_sat_tanh_q;
          x1_z_q <= q3_z_q;
          x2_z_q <= x1_z_q;
          x3_z_q <= x2_z_q;
          x1_h_q <= q3_h_q;
          x2_h_q <= x1_h_q;
          x3_h_q <= x2_h_q;
        end
      end
      assign q2_in_anx = a2_anx_q;
      assign q2_in_anh = a2_anh_q;
      assign q4_in_sat_cand = x3_sat_cand_q;
      assign q4_in_z = x3_z_q;
      assign q4_in_h = x3_h_q;
      assign q5_in_n = lstm_pkg::act_acc_fin(q4_m_q);
      assign q5_in_sat_tanh = q4_sat_n_q;
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        q2_anx_q <= '0;
        q2_anh_q <= '0;
        q3_anx_q <= '0;
        q3_prod_q <= '0;
        q3_z_q <= '0;
        q3_h_q <= '0;
        q4_z_q <= '0;
        q4_h_q <= '0;
        q4_sat_cand_q <= 1'b0;
        q5_valid_q <= 1'b0;
        q5_tag_q <= '0;
        q5_z_q <= '0;
        q5_n_q <= '0;
        q5_zh_q <= '0;
        q5_sat_sig_q <= '0;
        q5_sat_cand_q <= 1'b0;
        q5_sat_tanh_q <= 1'b0;
        q6_valid_q <= 1'b0;
        q6_tag_q <= '0;
        q6_zn_q <= '0;
        q6_zh_q <= '0;
        q6_sat_sig_q <= '0;
        q6_sat_cand_q <= 1'b0;
        q6_sat_tanh_q <= 1'b0;
      end else begin
        q2_anx_q <= q2_in_anx;
        q2_anh_q <= q2_in_anh;
        q3_anx_q <= q2_anx_q;
        q3_prod_q <= lstm_pkg::reset_prod(q2_i_q, q2_anh_q);
        q3_z_q <= q2_f_q;
        q3_h_q <= DataW'(q2_c_q);
        q4_sat_cand_q <= q4_in_sat_cand;
        q4_z_q <= q4_in_z;
        q4_h_q <= q4_in_h;
        q5_valid_q <= q4_valid_q && gru_i;
        q5_tag_q <= q4_tag_q;
        q5_n_q <= q5_in_n;
        q5_sat_tanh_q <= q5_in_sat_tanh;
        q5_z_q <= q4_z_q;
        q5_zh_q <= lstm_pkg::gru_keep_prod(q4_z_q, q4_h_q);
        q5_sat_sig_q <= q4_sat_sig_q;
        q5_sat_cand_q <= q4_sat_cand_q;
        q6_valid_q <= q5_valid_q;
        q6_tag_q <= q5_tag_q;
        q6_zn_q <= lstm_pkg::gru_new_prod(q5_z_q, q5_n_q);
        q6_zh_q <= q5_zh_q;
        q6_sat_sig_q <= q5_sat_sig_q;
        q6_sat_cand_q <= q5_sat_cand_q;
        q6_sat_tanh_q <= q5_sat_tanh_q;
      end
    end
    assign gru_in_flight = (CountW + 1)'(q5_valid_q) + (CountW + 1)'(q6_valid_q);
    assign pkt_valid_o = gru_i ? q6_valid_q : q4_valid_q;
    assign sat_layer_o = gru_i ? q6_tag_q[UnitW+1 +: LayerW] : q4_tag_q[UnitW+1 +: LayerW];
    assign sat_sigmoid_acc_o = gru_i ? q6_sat_sig_q : q4_sat_sig_q;
    assign sat_tanh_acc_o = gru_i ? q6_sat_tanh_q : q4_sat_tanh_q;
    assign sat_cell_o = gru_i ? q6_sat_cand_q : q4_sat_cell_q;
    assign sat_tanh_cell_o = q4_sat_tanh_cell_q && !gru_i;
    // AND-OR, not `gru_i ? :`: behind a mux Yosys's share pass merges the
    // LSTM's and the GRU's product into one multiplier with muxed operands
    // (issue 10: 16 LUT4 levels from q4_th_q into the FIFO on configs/small.json).
    // A GRU unit's value: {narrow_gru_hidden's flag, h}, zero-extended.
    assign pkt_o = ({PostPktW{gru_i}} & {q6_tag_q, PostValW'({q6_sat_h, q6_h})})
                 | ({PostPktW{!gru_i}} & {q4_tag_q, lstm_val});
  end else begin : gen_lstm_only
    assign gru_in_flight = '0;
    assign pkt_valid_o = q4_valid_q;
    assign sat_layer_o = q4_tag_q[UnitW+1 +: LayerW];
    assign sat_sigmoid_acc_o = q4_sat_sig_q;
    assign sat_tanh_acc_o = q4_sat_tanh_q;
    assign sat_cell_o = q4_sat_cell_q;
    assign sat_tanh_cell_o = q4_sat_tanh_cell_q;
    assign pkt_o = {q4_tag_q, lstm_val};
  end
  assign sat_valid_o = pkt_valid_o;

  assign shadow_free_o = !busy_q;
  assign free_next_o = !busy_q || (issue && last_lane);
  assign idle_o = !busy_q && !q1_valid_q && !q2_valid_q && !q3_valid_q && !q4_valid_q
               && gru_in_flight == '0 && pwl_in_flight == '0;

`ifndef SYNTHESIS
  `LSTM_ASSERT_INIT(PostFifoCoversStages,
                    FifoDepth > (lstm_pkg::HasGru != 0 ? 6 : 4) + lstm_pkg::PostPwlStages,
                    "the output FIFO has an entry for every pipeline stage (Q1..Q4, GRU also Q5 and Q6, and the pwl stages) and one more, so a group issues a lane per cycle")
  `LSTM_ASSERT(PostLoadWhenFree, !shadow_load_i || !busy_q || (issue && last_lane),
               "new sums come only once the post unit takes (or took) every lane of the last")
  `LSTM_ASSERT(PostLanesLegal, !busy_q || m_lanes != '0, "a group has at least one active lane")
  `LSTM_ASSERT(PostLaneBound, !busy_q || LaneCntW'(lane_q) < m_lanes,
               "the lane counter stays below the group's active lanes")
  `LSTM_ASSERT(PostUnitBound, !issue || 32'(unit0) < lstm_pkg::MaxHidden,
               "a lane's hidden unit is inside the layer buffer")
  `LSTM_ASSERT(PostShadowHeld, Lanes > 1 || !(q1_valid_q && shadow_load_i),
               "with one lane the shadow sums Q1 reads are not replaced while it reads them")
  logic [CountW:0] in_flight;  // by the stages' valid bits
  assign in_flight = (CountW + 1)'(fifo_count_i) + (CountW + 1)'(q1_valid_q)
                   + (CountW + 1)'(q2_valid_q) + (CountW + 1)'(q3_valid_q)
                   + (CountW + 1)'(q4_valid_q) + gru_in_flight + pwl_in_flight;
  `LSTM_ASSERT(PostFifoCredit, in_flight_q == in_flight && in_flight <= (CountW + 1)'(FifoDepth),
               "the count of units in flight is the stages' valid bits (Q1..Q4, GRU also Q5 and Q6, and the pwl stages A1, A2, X1..X3) plus the FIFO's fill level, and never exceeds its depth")
`endif
endmodule
