// lstm_top: 3 LSTM cores of 3 lanes, the mode-select controller and the fabric.
// Register and memory map: docs/host-interface.md and manifest.json "host_map".
module lstm_top (
  input  logic                                         clk_i,  // clock
  input  logic                                         rst_ni,  // asynchronous reset, active low
  input  logic                                         host_we_i,  // host write strobe
  input  logic                                         host_re_i,  // host read strobe (data one cycle later)
  input  logic [lstm_pkg::AddrW-1:0]                   host_addr_i,  // {target, region, index} (lstm_pkg::TargetShift, RegionShift)
  input  logic [31:0]                                  host_wdata_i,
  output logic [31:0]                                  host_rdata_o,
  output logic                                         host_rvalid_o,
  input  logic [lstm_pkg::Cores-1:0]                   in_valid_i,  // x stream per core port
  output logic [lstm_pkg::Cores-1:0]                   in_ready_o,
  input  logic [lstm_pkg::Cores * lstm_pkg::DataW-1:0] in_data_i,
  output logic [lstm_pkg::Cores-1:0]                   out_valid_o,  // h stream per core port
  input  logic [lstm_pkg::Cores-1:0]                   out_ready_i,
  output logic [lstm_pkg::Cores * lstm_pkg::DataW-1:0] out_data_o,
  output logic [lstm_pkg::Cores-1:0]                   out_last_o,  // last element of an h vector
  output logic [lstm_pkg::Cores-1:0]                   out_seq_last_o,  // last element of a run (of its last h vector)
  output logic                                         busy_o,  // any core busy
  output logic                                         irq_o,  // interrupt (level): a bit set in both IRQ_STATUS and IRQ_ENABLE
  input  logic                                         wl_valid_i,  // weight/bias row stream (lstm_wload)
  output logic                                         wl_ready_o,
  input  logic [lstm_pkg::WRowW-1:0]                   wl_data_i  // a word per slot: slot s at [s*WRowSlotW +: WRowSlotW]
);
  localparam int Cores = lstm_pkg::Cores;
  localparam int DataW = lstm_pkg::DataW;
  localparam int TargetW = lstm_pkg::TargetW;
  localparam int RegionW = lstm_pkg::RegionW;
  localparam int IndexW = lstm_pkg::IndexW;
  localparam int RegAddrW = lstm_pkg::RegAddrW;
  localparam int SlotW = lstm_pkg::SlotW;
  localparam int WAddrW = lstm_pkg::WAddrW;
  localparam int BAddrW = lstm_pkg::BAddrW;
  localparam int PktW = lstm_pkg::PktW;
  localparam int StateCBit = lstm_pkg::StateCBit;

  // Host address decode: target core (or the controller), region, index.
  logic [TargetW-1:0] tgt;
  logic [RegionW-1:0] region;
  logic [IndexW-1:0] index;
  logic is_global;
  logic reg_ok;  // a core register that exists
  logic greg_ok;  // a controller register that exists
  logic wmem_ok;  // a weight word that exists
  logic bmem_ok;  // a bias word that exists
  logic st_c;  // a state word of the c buffer (else of the h buffer)
  logic st_ok;  // a state word that exists
  logic wrd_ok;  // a weight word that exists, in the weight region
  logic brd_ok;  // a bias word that exists, in the bias region
  logic rd_ok;  // a read of something that exists
  assign {tgt, region, index} = host_addr_i;
  assign is_global = tgt == TargetW'(lstm_pkg::TargetGlobal);
  assign reg_ok = region == RegionW'(lstm_pkg::RegionRegs) && (!(|index[22:7]) && index[6:0] < 7'(lstm_pkg::NumRegs));
  assign greg_ok = region == RegionW'(lstm_pkg::RegionRegs) && !(|index[22:4]);
  assign wmem_ok = !(|index[22:15]);
  assign bmem_ok = !(|index[22:9]);
  assign st_c = index[StateCBit];
  assign st_ok = region == RegionW'(lstm_pkg::RegionState) && (st_c ? !(|index[21:7]) && index[6:0] < 7'(lstm_pkg::CDepth) : !(|index[21:8]) && index[7:0] < 8'(lstm_pkg::HDepth));
  assign wrd_ok = region == RegionW'(lstm_pkg::RegionWeights) && wmem_ok;
  assign brd_ok = region == RegionW'(lstm_pkg::RegionBiases) && bmem_ok;
  assign rd_ok = is_global ? greg_ok : (reg_ok || st_ok || wrd_ok || brd_ok) && tgt < TargetW'(Cores);

  logic [Cores-1:0] core_busy;
  logic [Cores-1:0] core_done;
  logic [Cores-1:0] core_error;
  logic [Cores-1:0] core_start;
  logic [Cores-1:0] core_started;
  logic [Cores-1:0] chain;
  logic [Cores * Cores-1:0] fan;  // bit d*Cores+s: core s's h reaches core d
  logic [Cores * Cores-1:0] xsrc;  // bit c*Cores+j: core c's x is core j's h
  logic [Cores-1:0] xbcast;  // core c's x is port 0, shared by its stage
  logic [Cores * Cores-1:0] out_wait_src;  // bit c*Cores+j: core c's OUT_WAIT watches core j's streamer
  logic [Cores * 32-1:0] core_rdata;
  logic [31:0] g_rdata;
  logic [Cores-1:0] wload_mask;
  logic wload_addr_wr;
  logic [31:0] wload_next;
  lstm_mode_ctrl u_ctrl (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .reg_we_i        (host_we_i && is_global && greg_ok),
    .reg_re_i        (host_re_i && is_global && greg_ok),
    .reg_addr_i      (index[lstm_pkg::GRegAddrW-1:0]),
    .reg_wdata_i     (host_wdata_i),
    .reg_rdata_o     (g_rdata),
    .core_busy_i     (core_busy),
    .core_done_i     (core_done),
    .core_error_i    (core_error),
    .start_o         (core_start),
    .chain_o         (chain),
    .fan_o           (fan),
    .xsrc_o          (xsrc),
    .xbcast_o        (xbcast),
    .wait_o          (out_wait_src),
    .irq_o           (irq_o),
    .wload_mask_o    (wload_mask),
    .wload_addr_wr_o (wload_addr_wr),
    .wload_next_i    (wload_next)
  );

  logic [Cores-1:0] core_in_valid;
  logic [Cores-1:0] core_in_ready;
  logic [Cores-1:0] core_out_valid;
  logic [Cores-1:0] core_out_ready;
  logic [Cores-1:0] core_out_last;
  logic [Cores-1:0] core_out_seq_last;
  logic [Cores-1:0] hw_valid;
  logic [Cores-1:0] hw_ready;
  logic [Cores * 2-1:0] hin_valid;  // per core two slots: h buffer banks
  logic [Cores * DataW-1:0] core_in_data;
  logic [Cores * DataW-1:0] core_out_data;
  logic [Cores * PktW-1:0] hw_data;
  logic [Cores * 2 * (PktW - 1)-1:0] hin_data;
  logic [Cores * 32-1:0] hdone;
  logic [Cores * 32-1:0] out_done;
  logic [Cores-1:0] fan_dst0;  // sources that write core 0's h buffer
  logic [Cores-1:0] push_dst0;
  logic [Cores-1:0] space_dst0;
  logic [Cores-1:0] fan_dst1;  // sources that write core 1's h buffer
  logic [Cores-1:0] push_dst1;
  logic [Cores-1:0] space_dst1;
  logic [Cores-1:0] fan_dst2;  // sources that write core 2's h buffer
  logic [Cores-1:0] push_dst2;
  logic [Cores-1:0] space_dst2;

  // h network: own buffer always; every other core of the stage's (hc, hybrid).
  assign fan_dst0[0] = 1'b1;
  assign fan_dst0[1] = fan[1];
  assign fan_dst0[2] = fan[2];
  assign fan_dst1[0] = fan[3];
  assign fan_dst1[1] = 1'b1;
  assign fan_dst1[2] = fan[5];
  assign fan_dst2[0] = fan[6];
  assign fan_dst2[1] = fan[7];
  assign fan_dst2[2] = 1'b1;
  assign hw_ready[0] = space_dst0[0] && (!fan_dst1[0] || space_dst1[0]) && (!fan_dst2[0] || space_dst2[0]);
  assign hw_ready[1] = space_dst1[1] && (!fan_dst0[1] || space_dst0[1]) && (!fan_dst2[1] || space_dst2[1]);
  assign hw_ready[2] = space_dst2[2] && (!fan_dst0[2] || space_dst0[2]) && (!fan_dst1[2] || space_dst1[2]);
  assign push_dst0[0] = hw_valid[0] && hw_ready[0] && fan_dst0[0];
  assign push_dst0[1] = hw_valid[1] && hw_ready[1] && fan_dst0[1];
  assign push_dst0[2] = hw_valid[2] && hw_ready[2] && fan_dst0[2];
  assign push_dst1[0] = hw_valid[0] && hw_ready[0] && fan_dst1[0];
  assign push_dst1[1] = hw_valid[1] && hw_ready[1] && fan_dst1[1];
  assign push_dst1[2] = hw_valid[2] && hw_ready[2] && fan_dst1[2];
  assign push_dst2[0] = hw_valid[0] && hw_ready[0] && fan_dst2[0];
  assign push_dst2[1] = hw_valid[1] && hw_ready[1] && fan_dst2[1];
  assign push_dst2[2] = hw_valid[2] && hw_ready[2] && fan_dst2[2];

  // Streams: own ports; a stage's h feeds the next stage; the first stage shares port 0.
  logic grp_ready;  // every core of the first stage takes x from port 0
  assign grp_ready = 1'b1 && (!xbcast[0] || core_in_ready[0]) && (!xbcast[1] || core_in_ready[1]) && (!xbcast[2] || core_in_ready[2]);
  logic [lstm_pkg::Cores-1:0] src_ready;  // bit j: every core that takes x from core j's h takes it
  assign src_ready[0] = 1'b1 && (!xsrc[3] || core_in_ready[1]) && (!xsrc[6] || core_in_ready[2]);
  assign src_ready[1] = 1'b1 && (!xsrc[7] || core_in_ready[2]);
  assign src_ready[2] = 1'b1;
  logic fabric_unused;
  assign fabric_unused = ^{src_ready[2], fan[0], xsrc[0], out_wait_src[0], xsrc[1], out_wait_src[1], xsrc[2], out_wait_src[2], fan[4], xsrc[4], out_wait_src[4], xsrc[5], out_wait_src[5], fan[8], xsrc[8], out_wait_src[8]};
  assign core_in_valid[0] = xbcast[0] ? in_valid_i[0] && grp_ready : in_valid_i[0];
  assign core_in_data[11:0] = xbcast[0] ? in_data_i[11:0] : in_data_i[11:0];
  assign in_ready_o[0] = xbcast[0] ? grp_ready : core_in_ready[0];
  assign core_out_ready[0] = chain[0] ? src_ready[0] : out_ready_i[0];
  assign out_valid_o[0] = core_out_valid[0] && !chain[0];
  assign out_data_o[11:0] = core_out_data[11:0];
  assign out_last_o[0] = core_out_last[0];
  assign out_seq_last_o[0] = core_out_seq_last[0];
  assign core_in_valid[1] = xsrc[3] ? core_out_valid[0] && src_ready[0] : xbcast[1] ? in_valid_i[0] && grp_ready : in_valid_i[1];
  assign core_in_data[23:12] = xsrc[3] ? core_out_data[11:0] : xbcast[1] ? in_data_i[11:0] : in_data_i[23:12];
  assign in_ready_o[1] = !(xbcast[1] || xsrc[3]) && core_in_ready[1];
  assign core_out_ready[1] = chain[1] ? src_ready[1] : out_ready_i[1];
  assign out_valid_o[1] = core_out_valid[1] && !chain[1];
  assign out_data_o[23:12] = core_out_data[23:12];
  assign out_last_o[1] = core_out_last[1];
  assign out_seq_last_o[1] = core_out_seq_last[1];
  assign core_in_valid[2] = xsrc[6] ? core_out_valid[0] && src_ready[0] : xsrc[7] ? core_out_valid[1] && src_ready[1] : xbcast[2] ? in_valid_i[0] && grp_ready : in_valid_i[2];
  assign core_in_data[35:24] = xsrc[6] ? core_out_data[11:0] : xsrc[7] ? core_out_data[23:12] : xbcast[2] ? in_data_i[11:0] : in_data_i[35:24];
  assign in_ready_o[2] = !(xbcast[2] || (xsrc[6] || xsrc[7])) && core_in_ready[2];
  assign core_out_ready[2] = out_ready_i[2];
  assign out_valid_o[2] = core_out_valid[2] && !chain[2];
  assign out_data_o[35:24] = core_out_data[35:24];
  assign out_last_o[2] = core_out_last[2];
  assign out_seq_last_o[2] = core_out_seq_last[2];

  // Row loader: the weight/bias row stream into the memories of WLOAD_MASK's cores.
  logic [Cores-1:0] wrow_we;
  logic [WAddrW-1:0] wrow_addr;
  logic [lstm_pkg::Macs * lstm_pkg::WeightW-1:0] wrow_data;
  logic [Cores-1:0] brow_we;
  logic [BAddrW-1:0] brow_addr;
  logic [lstm_pkg::Macs * lstm_pkg::BiasW-1:0] brow_data;
  lstm_wload u_wload (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .valid_i    (wl_valid_i),
    .ready_o    (wl_ready_o),
    .data_i     (wl_data_i),
    .hold_i     (host_we_i),
    .mask_i     (wload_mask),
    .addr_wr_i  (wload_addr_wr),
    .addr_row_i (host_wdata_i[SlotW +: RegionW + IndexW - SlotW]),
    .next_o     (wload_next),
    .w_we_o     (wrow_we),
    .w_addr_o   (wrow_addr),
    .w_data_o   (wrow_data),
    .b_we_o     (brow_we),
    .b_addr_o   (brow_addr),
    .b_data_o   (brow_data)
  );

  // Core 0
  lstm_core u_core0 (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .reg_we_i       (host_we_i && tgt == TargetW'(0) && reg_ok),
    .reg_re_i       (host_re_i && tgt == TargetW'(0) && reg_ok),
    .reg_addr_i     (index[RegAddrW-1:0]),
    .reg_wdata_i    (host_wdata_i),
    .reg_rdata_o    (core_rdata[31:0]),
    .wmem_we_i      (host_we_i && tgt == TargetW'(0) && wrd_ok),
    .wmem_re_i      (host_re_i && tgt == TargetW'(0) && wrd_ok),
    .wmem_slot_i    (index[SlotW-1:0]),
    .wmem_addr_i    (index[SlotW +: WAddrW]),
    .wmem_wdata_i   (host_wdata_i[lstm_pkg::WeightW-1:0]),
    .bmem_we_i      (host_we_i && tgt == TargetW'(0) && brd_ok),
    .bmem_re_i      (host_re_i && tgt == TargetW'(0) && brd_ok),
    .bmem_slot_i    (index[SlotW-1:0]),
    .bmem_addr_i    (index[SlotW +: BAddrW]),
    .bmem_wdata_i   (host_wdata_i[lstm_pkg::BiasW-1:0]),
    .wrow_we_i      (wrow_we[0]),
    .wrow_addr_i    (wrow_addr),
    .wrow_data_i    (wrow_data),
    .brow_we_i      (brow_we[0]),
    .brow_addr_i    (brow_addr),
    .brow_data_i    (brow_data),
    .st_we_i        (host_we_i && tgt == TargetW'(0) && st_ok),
    .st_re_i        (host_re_i && tgt == TargetW'(0) && st_ok),
    .st_c_i         (st_c),
    .st_addr_i      (index[lstm_pkg::HAddrW-1:0]),
    .st_wdata_i     (host_wdata_i[lstm_pkg::StateW-1:0]),
    .start_i        (core_start[0]),
    .started_o      (core_started[0]),
    .busy_o         (core_busy[0]),
    .done_o         (core_done[0]),
    .error_o        (core_error[0]),
    .in_valid_i     (core_in_valid[0]),
    .in_ready_o     (core_in_ready[0]),
    .in_data_i      (core_in_data[11:0]),
    .out_valid_o    (core_out_valid[0]),
    .out_ready_i    (core_out_ready[0]),
    .out_data_o     (core_out_data[11:0]),
    .out_last_o     (core_out_last[0]),
    .out_seq_last_o (core_out_seq_last[0]),
    .hw_valid_o     (hw_valid[0]),
    .hw_ready_i     (hw_ready[0]),
    .hw_data_o      (hw_data[20:0]),
    .hin_valid_i    (hin_valid[1:0]),
    .hin_data_i     (hin_data[39:0]),
    .hdone_i        (hdone[31:0]),
    .out_done_o     (out_done[31:0]),
    .out_done_i     (out_done[31:0]),
    .out_done_own_i (1'b1)
  );
  lstm_h_merge #(
    .Sources (Cores),
    .Width   (PktW),
    .Banks   (lstm_pkg::HBanks),
    .BankBit (DataW),
    .FlipBit (DataW + lstm_pkg::UnitW),
    .Flip    (lstm_pkg::MaxHidden % 2)
  ) u_merge0 (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .clear_i    (core_started[0]),
    .mask_i     (fan_dst0),
    .push_i     (push_dst0),
    .data_i     (hw_data),
    .space_o    (space_dst0),
    .wr_valid_o (hin_valid[1:0]),
    .wr_data_o  (hin_data[39:0]),
    .done_o     (hdone[31:0])
  );

  // Core 1
  lstm_core u_core1 (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .reg_we_i       (host_we_i && tgt == TargetW'(1) && reg_ok),
    .reg_re_i       (host_re_i && tgt == TargetW'(1) && reg_ok),
    .reg_addr_i     (index[RegAddrW-1:0]),
    .reg_wdata_i    (host_wdata_i),
    .reg_rdata_o    (core_rdata[63:32]),
    .wmem_we_i      (host_we_i && tgt == TargetW'(1) && wrd_ok),
    .wmem_re_i      (host_re_i && tgt == TargetW'(1) && wrd_ok),
    .wmem_slot_i    (index[SlotW-1:0]),
    .wmem_addr_i    (index[SlotW +: WAddrW]),
    .wmem_wdata_i   (host_wdata_i[lstm_pkg::WeightW-1:0]),
    .bmem_we_i      (host_we_i && tgt == TargetW'(1) && brd_ok),
    .bmem_re_i      (host_re_i && tgt == TargetW'(1) && brd_ok),
    .bmem_slot_i    (index[SlotW-1:0]),
    .bmem_addr_i    (index[SlotW +: BAddrW]),
    .bmem_wdata_i   (host_wdata_i[lstm_pkg::BiasW-1:0]),
    .wrow_we_i      (wrow_we[1]),
    .wrow_addr_i    (wrow_addr),
    .wrow_data_i    (wrow_data),
    .brow_we_i      (brow_we[1]),
    .brow_addr_i    (brow_addr),
    .brow_data_i    (brow_data),
    .st_we_i        (host_we_i && tgt == TargetW'(1) && st_ok),
    .st_re_i        (host_re_i && tgt == TargetW'(1) && st_ok),
    .st_c_i         (st_c),
    .st_addr_i      (index[lstm_pkg::HAddrW-1:0]),
    .st_wdata_i     (host_wdata_i[lstm_pkg::StateW-1:0]),
    .start_i        (core_start[1]),
    .started_o      (core_started[1]),
    .busy_o         (core_busy[1]),
    .done_o         (core_done[1]),
    .error_o        (core_error[1]),
    .in_valid_i     (core_in_valid[1]),
    .in_ready_o     (core_in_ready[1]),
    .in_data_i      (core_in_data[23:12]),
    .out_valid_o    (core_out_valid[1]),
    .out_ready_i    (core_out_ready[1]),
    .out_data_o     (core_out_data[23:12]),
    .out_last_o     (core_out_last[1]),
    .out_seq_last_o (core_out_seq_last[1]),
    .hw_valid_o     (hw_valid[1]),
    .hw_ready_i     (hw_ready[1]),
    .hw_data_o      (hw_data[41:21]),
    .hin_valid_i    (hin_valid[3:2]),
    .hin_data_i     (hin_data[79:40]),
    .hdone_i        (hdone[63:32]),
    .out_done_o     (out_done[63:32]),
    .out_done_i     (out_done[63:32] & {32{!(|out_wait_src[3 +: 1])}} | out_done[31:0] & {32{out_wait_src[3]}}),
    .out_done_own_i (!(|out_wait_src[3 +: 1]))
  );
  lstm_h_merge #(
    .Sources (Cores),
    .Width   (PktW),
    .Banks   (lstm_pkg::HBanks),
    .BankBit (DataW),
    .FlipBit (DataW + lstm_pkg::UnitW),
    .Flip    (lstm_pkg::MaxHidden % 2)
  ) u_merge1 (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .clear_i    (core_started[1]),
    .mask_i     (fan_dst1),
    .push_i     (push_dst1),
    .data_i     (hw_data),
    .space_o    (space_dst1),
    .wr_valid_o (hin_valid[3:2]),
    .wr_data_o  (hin_data[79:40]),
    .done_o     (hdone[63:32])
  );

  // Core 2
  lstm_core u_core2 (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .reg_we_i       (host_we_i && tgt == TargetW'(2) && reg_ok),
    .reg_re_i       (host_re_i && tgt == TargetW'(2) && reg_ok),
    .reg_addr_i     (index[RegAddrW-1:0]),
    .reg_wdata_i    (host_wdata_i),
    .reg_rdata_o    (core_rdata[95:64]),
    .wmem_we_i      (host_we_i && tgt == TargetW'(2) && wrd_ok),
    .wmem_re_i      (host_re_i && tgt == TargetW'(2) && wrd_ok),
    .wmem_slot_i    (index[SlotW-1:0]),
    .wmem_addr_i    (index[SlotW +: WAddrW]),
    .wmem_wdata_i   (host_wdata_i[lstm_pkg::WeightW-1:0]),
    .bmem_we_i      (host_we_i && tgt == TargetW'(2) && brd_ok),
    .bmem_re_i      (host_re_i && tgt == TargetW'(2) && brd_ok),
    .bmem_slot_i    (index[SlotW-1:0]),
    .bmem_addr_i    (index[SlotW +: BAddrW]),
    .bmem_wdata_i   (host_wdata_i[lstm_pkg::BiasW-1:0]),
    .wrow_we_i      (wrow_we[2]),
    .wrow_addr_i    (wrow_addr),
    .wrow_data_i    (wrow_data),
    .brow_we_i      (brow_we[2]),
    .brow_addr_i    (brow_addr),
    .brow_data_i    (brow_data),
    .st_we_i        (host_we_i && tgt == TargetW'(2) && st_ok),
    .st_re_i        (host_re_i && tgt == TargetW'(2) && st_ok),
    .st_c_i         (st_c),
    .st_addr_i      (index[lstm_pkg::HAddrW-1:0]),
    .st_wdata_i     (host_wdata_i[lstm_pkg::StateW-1:0]),
    .start_i        (core_start[2]),
    .started_o      (core_started[2]),
    .busy_o         (core_busy[2]),
    .done_o         (core_done[2]),
    .error_o        (core_error[2]),
    .in_valid_i     (core_in_valid[2]),
    .in_ready_o     (core_in_ready[2]),
    .in_data_i      (core_in_data[35:24]),
    .out_valid_o    (core_out_valid[2]),
    .out_ready_i    (core_out_ready[2]),
    .out_data_o     (core_out_data[35:24]),
    .out_last_o     (core_out_last[2]),
    .out_seq_last_o (core_out_seq_last[2]),
    .hw_valid_o     (hw_valid[2]),
    .hw_ready_i     (hw_ready[2]),
    .hw_data_o      (hw_data[62:42]),
    .hin_valid_i    (hin_valid[5:4]),
    .hin_data_i     (hin_data[119:80]),
    .hdone_i        (hdone[95:64]),
    .out_done_o     (out_done[95:64]),
    .out_done_i     (out_done[95:64] & {32{!(|out_wait_src[6 +: 2])}} | out_done[31:0] & {32{out_wait_src[6]}} | out_done[63:32] & {32{out_wait_src[7]}}),
    .out_done_own_i (!(|out_wait_src[6 +: 2]))
  );
  lstm_h_merge #(
    .Sources (Cores),
    .Width   (PktW),
    .Banks   (lstm_pkg::HBanks),
    .BankBit (DataW),
    .FlipBit (DataW + lstm_pkg::UnitW),
    .Flip    (lstm_pkg::MaxHidden % 2)
  ) u_merge2 (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .clear_i    (core_started[2]),
    .mask_i     (fan_dst2),
    .push_i     (push_dst2),
    .data_i     (hw_data),
    .space_o    (space_dst2),
    .wr_valid_o (hin_valid[5:4]),
    .wr_data_o  (hin_data[119:80]),
    .done_o     (hdone[95:64])
  );

  // Host reads: the addressed block's registered read data, one cycle later.
  logic [TargetW-1:0] rtgt_q;
  logic [TargetW-1:0] rtgt_d;
  logic rvalid_q;
  logic rok_q;  // the read named something that exists
  logic rok_d;
  assign rtgt_d = host_re_i ? tgt : rtgt_q;
  assign rok_d = host_re_i ? rd_ok : rok_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rtgt_q <= '0;
      rok_q <= 1'b0;
      rvalid_q <= 1'b0;
    end else begin
      rtgt_q <= rtgt_d;
      rok_q <= rok_d;
      rvalid_q <= host_re_i;
    end
  end
  always_comb begin
    host_rdata_o = 32'd0;
    if (rok_q) begin
      unique case (rtgt_q)
        TargetW'(lstm_pkg::TargetGlobal): host_rdata_o = g_rdata;
        TargetW'(0): host_rdata_o = core_rdata[31:0];
        TargetW'(1): host_rdata_o = core_rdata[63:32];
        TargetW'(2): host_rdata_o = core_rdata[95:64];
        default: ;
      endcase
    end
  end
  assign host_rvalid_o = rvalid_q;
  assign busy_o = |core_busy;
endmodule
