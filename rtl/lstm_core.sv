// One LSTM core: host registers, sequencer, weight and bias memories, x, h and
// c buffers, the MAC array, the post unit, and the two stream ends.
//
// Data flow: the x writer fills a double-buffered x memory from the input
// stream; the sequencer streams [x ; h_prev] elements with their weights into
// the MAC array; the post unit turns sums into h and sends (layer, parity,
// unit, h) packets out on the h network port; the fabric returns them (and, in
// helper-core mode, other cores' packets) on the h write port, where they land
// in the double-buffered h memory. The output streamer sends the last layer's
// h of every step out once that layer-step is complete.
//
// Saturation counters (docs/numerics.md, "Saturation events"): per local
// layer, one saturating 32-bit counter per event the post unit flags
// (act_sigmoid_acc, act_tanh_acc, narrow_cell, act_tanh_cell) and one for
// narrow_hidden, flagged where h is narrowed at the post FIFO's output. A GRU
// run counts narrow_candidate in narrow_cell's counter and narrow_gru_hidden
// in narrow_hidden's (spec/host_map.hpp, kSatFieldsGru).
// Cleared when a run starts; read as the layer descriptor's SAT_* fields;
// STATUS.SAT says whether any is non-zero. They add no cycle: a flag reaches
// its counter one cycle after its unit leaves Q4 or the FIFO, and the
// sequencer's drain waits for the FIFO's last flag (tail_idle), so STATUS
// reports DONE only with every counter settled (assertion CoreSatSettled).
//
// Submodules: lstm_core_regs (host registers), lstm_core_seq (sequencer),
// lstm_x_writer, lstm_mac_array, lstm_post, lstm_out_streamer, lstm_fifo,
// lstm_ram_1r1w (every memory of the core; docs/architecture.md lists them).
//
// Optional parts (config "features", docs/configuration.md; lstm_top sets
// these only for a config that leaves a part out):
// - RowWrites 0: no row loader; wrow_*/brow_* are ignored and the memories'
//   write ports take host writes only.
// - Counters 0: no CYCLES, MAC_BUSY, STALL_* or SAT_* counters; they read 0
//   and STATUS.SAT stays 0.
// - WeightRead 0: host reads of the weight and bias regions return 0, and
//   the memories' read ports belong to the datapath alone.
// - Batch 1 (features.batch): batched programs (X_LEN, XOFF, LFLAGS;
//   docs/architecture.md, "Batching"). The MAC array's upper half of the
//   lanes can take h while the lower half takes x (a folded group), and a
//   second shadow (fold buffer) sits in front of the post unit: it adds a
//   folded group's two halves, and frees the MAC array's shadow as soon as
//   the post unit starts the group before, so the post unit takes one group
//   right after the other (n cycles per group instead of n + 4).
// - LutMul 1 (features.lut_multipliers): the MAC array's and the post unit's
//   products come from lstm_mul's carry-chain array (FPGAs without
//   multiplier blocks); the same bits, less logic than Yosys's own mapping.
`include "lstm_assert.svh"

module lstm_core #(
  parameter bit RowWrites = 1'b1,
  parameter bit Counters = 1'b1,
  parameter bit WeightRead = 1'b1,
  parameter bit Batch = 1'b0,
  // The host map's batch entries (lstm_pkg has them only on a batch design;
  // lstm_top passes lstm_pkg's values there)
  parameter int ErrBatch = 11,
  parameter int LFlagXinBit = 0,
  parameter int LFlagOutBit = 1,
  parameter int LFlagFoldBit = 2,
  parameter bit LutMul = 1'b0,
  localparam int Macs = lstm_pkg::Macs,
  localparam int MaxLayers = lstm_pkg::MaxLayers,
  localparam int DataW = lstm_pkg::DataW,
  localparam int WeightW = lstm_pkg::WeightW,
  localparam int BiasW = lstm_pkg::BiasW,
  localparam int AccW = lstm_pkg::AccW,
  localparam int CellW = lstm_pkg::CellW,
  localparam int RegAddrW = lstm_pkg::RegAddrW,
  localparam int SlotW = lstm_pkg::SlotW,
  localparam int WAddrW = lstm_pkg::WAddrW,
  localparam int BAddrW = lstm_pkg::BAddrW,
  localparam int LayerW = lstm_pkg::LayerW,
  localparam int VecW = lstm_pkg::VecW,
  localparam int UnitW = lstm_pkg::UnitW,
  localparam int XAddrW = lstm_pkg::XAddrW,
  localparam int HAddrW = lstm_pkg::HAddrW,
  localparam int CAddrW = lstm_pkg::CAddrW,
  localparam int StateW = lstm_pkg::StateW,
  localparam int MetaW = lstm_pkg::MetaW,
  localparam int PktW = lstm_pkg::PktW,
  localparam int PostPktW = lstm_pkg::PostPktW,
  localparam int HidProdW = lstm_pkg::HidProdW,
  localparam int PostValW = lstm_pkg::PostValW,
  // Program register widths (lstm_pkg: sized from the limits, issue 10)
  localparam int NumLayersRegW = lstm_pkg::NumLayersRegW,
  localparam int InSizeRegW = lstm_pkg::InSizeRegW,
  localparam int HiddenRegW = lstm_pkg::HiddenRegW,
  localparam int WBaseRegW = lstm_pkg::WBaseRegW,
  localparam int BBaseRegW = lstm_pkg::BBaseRegW,
  localparam int NumStepsRegW = lstm_pkg::NumStepsRegW,
  // Step and layer-step counts (limits.max_steps; 32 bits without it)
  localparam int StepW = lstm_pkg::StepW,
  localparam int LStepW = lstm_pkg::LStepW
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  // Host access, already decoded for this core
  input  logic                reg_we_i,
  input  logic                reg_re_i,
  input  logic [RegAddrW-1:0] reg_addr_i,
  input  logic [31:0]         reg_wdata_i,
  output logic [31:0]         reg_rdata_o,
  input  logic                wmem_we_i,
  input  logic                wmem_re_i,   // read (while idle; busy: reads 0), data as reg_rdata_o's
  input  logic [SlotW-1:0]    wmem_slot_i,
  input  logic [WAddrW-1:0]   wmem_addr_i,
  input  logic [WeightW-1:0]  wmem_wdata_i,
  input  logic                bmem_we_i,
  input  logic                bmem_re_i,
  input  logic [SlotW-1:0]    bmem_slot_i,
  input  logic [BAddrW-1:0]   bmem_addr_i,
  input  logic [BiasW-1:0]    bmem_wdata_i,
  // Row writes (lstm_wload): word *_addr_i of every slot at once, slot m's
  // word at *_data_i[m*W +: W]; never in the same cycle as a host write
  input  logic                      wrow_we_i,
  input  logic [WAddrW-1:0]         wrow_addr_i,
  input  logic [Macs*WeightW-1:0]   wrow_data_i,
  input  logic                      brow_we_i,
  input  logic [BAddrW-1:0]         brow_addr_i,
  input  logic [Macs*BiasW-1:0]     brow_data_i,
  // State region (lstm_pkg::RegionState): the h and c buffers, while idle.
  // Reads answer on reg_rdata_o a cycle later, as register reads do.
  input  logic                st_we_i,
  input  logic                st_re_i,
  input  logic                st_c_i,      // the c buffer (else the h buffer)
  input  logic [HAddrW-1:0]   st_addr_i,   // buffer word (c: the low CAddrW bits)
  input  logic [StateW-1:0]   st_wdata_i,  // h or c, two's complement
  // Control from the mode controller
  input  logic                start_i,
  output logic                started_o,   // a run starts (from either source)
  output logic                busy_o,
  output logic                done_o,
  output logic                error_o,
  // x input stream
  input  logic                in_valid_i,
  output logic                in_ready_o,
  input  logic [DataW-1:0]    in_data_i,
  // h output stream (last local layer, every step; last flags the vector end,
  // seq_last the run's last element)
  output logic                out_valid_o,
  input  logic                out_ready_i,
  output logic [DataW-1:0]    out_data_o,
  output logic                out_last_o,
  output logic                out_seq_last_o,
  // h network: packets this core produced ...
  output logic                hw_valid_o,
  input  logic                hw_ready_i,
  output logic [PktW-1:0]     hw_data_o,
  // ... and packets to write into this core's h buffer (always accepted), up
  // to two per cycle: slot b holds a packet whose h address has parity b
  input  logic [1:0]          hin_valid_i,
  input  logic [2*PktW-3:0]   hin_data_i,  // per slot, a packet without its last flag
  input  logic [31:0]         hdone_i,     // layer-steps complete in this h buffer
  // Output hazard: steps read by this core's streamer, and by the streamer
  // whose buffer this core writes into (itself, or the helper group's leader)
  output logic [31:0]         out_done_o,
  input  logic [31:0]         out_done_i,
  input  logic                out_done_own_i  // out_done_i is this core's own out_done_o
);
  // The post FIFO's depth is the post unit's credit: it issues a unit only
  // while units in flight (Q1..Q4, GRU also Q5 and Q6, and the pwl stages
  // lstm_pkg::PostPwlStages, which get FIFO entries of their own) plus the
  // FIFO's fill stay below it. With several cores (or a batch design, kept as
  // before) the h network may hold the FIFO's output back, and 8 entries plus
  // the pwl stages let it absorb that. With one core nothing does: the h merge
  // has one source and writes a packet every cycle, so the FIFO holds at most
  // one unit and at most 5 (GRU: 7, Q1..Q6 and the FIFO's one) plus the pwl
  // stages are counted at once; 6 (GRU: 8) entries plus the pwl stages never
  // stop an issue either (issue 10, area). So a GRU design takes 8 entries
  // whatever its cores.
  localparam int PostFifoDepth = ((lstm_pkg::Cores > 1 || Batch || lstm_pkg::HasGru != 0) ? 8 : 6)
                                 + lstm_pkg::PostPwlStages;
  localparam int OutFifoDepth = 4;

  // ---------------------------------------------------------------- registers
  logic reg_start, start;
  logic [NumLayersRegW-1:0] num_layers;
  logic [NumStepsRegW-1:0] num_steps;
  logic [lstm_pkg::FlagsW-1:0] flags;
  logic [MaxLayers*InSizeRegW-1:0] in_size;
  logic [MaxLayers*HiddenRegW-1:0] hidden, unit_lo, unit_cnt;
  logic [MaxLayers*WBaseRegW-1:0] wbase;
  logic [MaxLayers*BBaseRegW-1:0] bbase;
  logic [InSizeRegW-1:0] x_len;
  logic [MaxLayers*InSizeRegW-1:0] xoff;
  logic [MaxLayers*32-1:0] lflags;
  logic [31:0] cycles_q, mac_busy_q, stall_dep_q, stall_other_q;
  logic seq_busy, seq_done, seq_error;
  logic [lstm_pkg::StatusCodeW-1:0] err_code;
  logic [lstm_pkg::StatusLayerW-1:0] err_layer;
  logic sat_any_q;
  logic [MaxLayers*32-1:0] sat_sigmoid_acc, sat_tanh_acc, sat_cell, sat_tanh_cell, sat_hidden;

  // STATUS from its fields (lstm_pkg::Status*).
  logic [31:0] status;
  assign status = (32'(seq_busy) << lstm_pkg::StatusBusy) | (32'(seq_done) << lstm_pkg::StatusDone)
                | (32'(seq_error) << lstm_pkg::StatusError)
                | (32'(sat_any_q) << lstm_pkg::StatusSat)
                | (32'(err_code) << lstm_pkg::StatusCodeLsb)
                | (32'(err_layer) << lstm_pkg::StatusLayerLsb);
  // The register block is emitted from the host map's tables (gen/emit_regs.cpp).
  logic ctrl_wr;
  logic [31:0] regs_rdata;
  lstm_core_regs u_regs (
    .clk_i, .rst_ni,
    .reg_we_i, .reg_re_i, .reg_addr_i, .reg_wdata_i, .reg_rdata_o(regs_rdata), .lock_i(seq_busy),
    .ctrl_wr_o(ctrl_wr), .status_i(status),
    .num_layers_o(num_layers), .num_steps_o(num_steps), .flags_o(flags),
    .cycles_i(cycles_q), .mac_busy_i(mac_busy_q), .stall_dep_i(stall_dep_q),
    .stall_other_i(stall_other_q),
    .sat_act_sigmoid_acc_i(sat_sigmoid_acc), .sat_act_tanh_acc_i(sat_tanh_acc),
    .sat_narrow_cell_i(sat_cell), .sat_act_tanh_cell_i(sat_tanh_cell),
    .sat_narrow_hidden_i(sat_hidden),
    .in_size_o(in_size), .hidden_o(hidden), .unit_lo_o(unit_lo), .unit_cnt_o(unit_cnt),
    .wbase_o(wbase), .bbase_o(bbase),
    .x_len_o(x_len), .xoff_o(xoff), .lflags_o(lflags)
  );
  assign reg_start = ctrl_wr && reg_wdata_i[lstm_pkg::CtrlStart];
  assign start = (reg_start || start_i) && !seq_busy;

  logic out_en, out_wait, state_in, h_half;
  assign out_en = flags[lstm_pkg::FlagOutEnBit];
  assign out_wait = flags[lstm_pkg::FlagOutWaitBit];
  assign state_in = flags[lstm_pkg::FlagStateInBit];
  assign h_half = flags[lstm_pkg::FlagHHalfBit];
  // GRU layers (FLAGS.GRU): only on a design generated with GRU; on one with
  // GRU alone every run is GRU. The sequencer refuses a FLAGS.GRU the design
  // cannot run (ErrCell), so the run never starts then.
  logic gru;
  assign gru = (lstm_pkg::HasGru != 0)
            && (flags[lstm_pkg::FlagGruBit] || lstm_pkg::HasLstm == 0);

  // State region accesses take effect only while the core is idle (like
  // program register writes); then nothing else uses the buffers' ports.
  logic st_h_we, st_c_we, st_h_re, st_c_re;
  assign st_h_we = st_we_i && !st_c_i && !seq_busy;
  assign st_c_we = st_we_i && st_c_i && !seq_busy;
  assign st_h_re = st_re_i && !st_c_i && !seq_busy;
  assign st_c_re = st_re_i && st_c_i && !seq_busy;

  // ---------------------------------------------------------------- sequencer
  logic iss_valid, iss_first, iss_last, iss_zero, iss_src_h, iss_fold, iss_zero_x;
  logic [XAddrW-1:0] x_raddr;
  logic [HAddrW-1:0] h_raddr;
  logic [WAddrW-1:0] w_raddr;
  logic [BAddrW-1:0] b_raddr;
  logic [MetaW-1:0] iss_meta;
  logic running;
  logic [StepW-1:0] x_consumed, steps;
  logic [LayerW-1:0] last_layer;
  logic stall_dep, stall_other;
  logic [StepW-1:0] x_wr_step;
  logic [VecW-1:0] x_wr_cnt;
  logic shadow_free, tail_idle;

  lstm_core_seq #(.Batch(Batch), .ErrBatchCode(ErrBatch), .LFlagXinBit(LFlagXinBit),
                  .LFlagOutBit(LFlagOutBit), .LFlagFoldBit(LFlagFoldBit)) u_seq (
    .clk_i, .rst_ni, .start_i(start),
    .num_layers_i(num_layers), .num_steps_i(num_steps), .out_wait_i(out_wait),
    .out_en_i(out_en), .out_done_own_i, .state_in_i(state_in), .h_half_i(h_half),
    .gru_i(flags[lstm_pkg::FlagGruBit]),
    .in_size_i(in_size), .hidden_i(hidden), .unit_lo_i(unit_lo), .unit_cnt_i(unit_cnt),
    .wbase_i(wbase), .bbase_i(bbase),
    .x_len_i(x_len), .xoff_i(xoff), .lflags_i(lflags),
    .hdone_i, .x_wr_step_i(x_wr_step), .x_wr_cnt_i(x_wr_cnt), .out_done_i,
    .shadow_free_i(shadow_free), .tail_idle_i(tail_idle),
    .iss_valid_o(iss_valid), .iss_first_o(iss_first), .iss_last_o(iss_last),
    .iss_zero_o(iss_zero), .iss_src_h_o(iss_src_h),
    .iss_fold_o(iss_fold), .iss_zero_x_o(iss_zero_x),
    .x_raddr_o(x_raddr), .h_raddr_o(h_raddr), .w_raddr_o(w_raddr), .b_raddr_o(b_raddr),
    .iss_meta_o(iss_meta),
    .running_o(running), .x_consumed_o(x_consumed),
    .last_layer_o(last_layer), .steps_o(steps),
    .busy_o(seq_busy), .done_o(seq_done), .error_o(seq_error),
    .err_code_o(err_code), .err_layer_o(err_layer),
    .stall_dep_o(stall_dep), .stall_other_o(stall_other)
  );

  // ---------------------------------------------------------------- memories
  // Host reads of the weight and bias memories (debug read-back) share the
  // datapath's read port: only while idle, when the sequencer does not read.
  // The address mux selects on seq_busy (state), not on the host's decode, so
  // the sequencer's address gains one mux level and no path from the host port.
  logic w_host_re, b_host_re;
  assign w_host_re = WeightRead && wmem_re_i && !seq_busy;
  assign b_host_re = WeightRead && bmem_re_i && !seq_busy;
  logic mem_dp_raddr;  // the read ports take the sequencer's addresses
  assign mem_dp_raddr = seq_busy || !WeightRead;
  logic w_row_we, b_row_we;  // row writes (none without the row loader)
  assign w_row_we = RowWrites && wrow_we_i;
  assign b_row_we = RowWrites && brow_we_i;
  logic [Macs*WeightW-1:0] w_rdata;
  logic [Macs*BiasW-1:0] b_rdata;
  // Each slot's write port: a host write of that slot, or a row write.
  for (genvar m = 0; m < Macs; m++) begin : gen_wmem
    lstm_ram_1r1w #(.Width(WeightW), .Depth(lstm_pkg::WeightDepth)) u_wram (
      .clk_i,
      .we_i((wmem_we_i && wmem_slot_i == SlotW'(m)) || w_row_we),
      .waddr_i(w_row_we ? wrow_addr_i : wmem_addr_i),
      .wdata_i(w_row_we ? wrow_data_i[m*WeightW +: WeightW] : wmem_wdata_i),
      .re_i(iss_valid || w_host_re), .raddr_i(mem_dp_raddr ? w_raddr : wmem_addr_i),
      .rdata_o(w_rdata[m*WeightW +: WeightW])
    );
    lstm_ram_1r1w #(.Width(BiasW), .Depth(lstm_pkg::BiasDepth)) u_bram (
      .clk_i,
      .we_i((bmem_we_i && bmem_slot_i == SlotW'(m)) || b_row_we),
      .waddr_i(b_row_we ? brow_addr_i : bmem_addr_i),
      .wdata_i(b_row_we ? brow_data_i[m*BiasW +: BiasW] : bmem_wdata_i),
      .re_i(iss_valid || b_host_re), .raddr_i(mem_dp_raddr ? b_raddr : bmem_addr_i),
      .rdata_o(b_rdata[m*BiasW +: BiasW])
    );
  end

  // x buffer: two halves of MaxVec, step t in half t mod 2. The x and h
  // buffers read only for an element that takes their word (the operand mux
  // picks the word a cycle later, and a RAM holds its output while not
  // reading): an unused read at the address the sequencer happens to hold
  // could meet a write of that word (the x writer fills step t + 2 while
  // layer 1 of step t runs), which lstm_ram_1r1w leaves undefined. A folded
  // element (Batch) takes a word of each.
  logic x_we;
  logic [XAddrW-1:0] x_waddr;
  logic [DataW-1:0] x_rdata;
  lstm_ram_1r1w #(.Width(DataW), .Depth(lstm_pkg::XDepth)) u_xbuf (
    .clk_i, .we_i(x_we), .waddr_i(x_waddr), .wdata_i(in_data_i),
    .re_i(iss_valid && (iss_fold || !iss_src_h)), .raddr_i(x_raddr), .rdata_o(x_rdata)
  );

  // h buffer: per layer two halves of MaxHidden (step parity). Two copies so
  // the MAC operand read and the output streamer never contend. With several
  // cores each copy has two banks by address parity (lstm_hbuf): the h
  // network writes up to two packets per cycle, one per bank.
  logic [2*HAddrW-1:0] h_waddr;
  logic [2*DataW-1:0] h_wdata;
  logic [1:0] h_we;
  for (genvar b = 0; b < 2; b++) begin : gen_hin
    logic [LayerW-1:0] hin_layer;
    logic hin_parity;
    logic [UnitW-1:0] hin_unit;
    logic [DataW-1:0] hin_h;
    logic st_here;
    assign {hin_layer, hin_parity, hin_unit, hin_h} = hin_data_i[b*(PktW-1) +: PktW-1];
    // Both copies also take the host's state writes (in the bank of their
    // address); the out copy's read port also serves the host's state reads.
    assign st_here = st_h_we && (st_addr_i[0] == 1'(b));
    assign h_we[b] = hin_valid_i[b] || st_here;
    assign h_waddr[b*HAddrW +: HAddrW] = hin_valid_i[b]
        ? lstm_pkg::h_addr(hin_layer, hin_parity, VecW'(hin_unit)) : st_addr_i;
    assign h_wdata[b*DataW +: DataW] = hin_valid_i[b] ? hin_h : DataW'(st_wdata_i);
  end
  logic [DataW-1:0] h_rdata, hout_rdata;
  logic out_re;
  logic [HAddrW-1:0] out_raddr;
  lstm_hbuf #(.Width(DataW), .Depth(lstm_pkg::HDepth), .Banks(lstm_pkg::HBanks),
              .BankDepth(lstm_pkg::HBankDepth)) u_hbuf_mac (
    .clk_i, .rst_ni, .we_i(h_we), .waddr_i(h_waddr), .wdata_i(h_wdata),
    .re_i(iss_valid && (iss_fold || iss_src_h) && !iss_zero), .raddr_i(h_raddr), .rdata_o(h_rdata)
  );
  lstm_hbuf #(.Width(DataW), .Depth(lstm_pkg::HDepth), .Banks(lstm_pkg::HBanks),
              .BankDepth(lstm_pkg::HBankDepth)) u_hbuf_out (
    .clk_i, .rst_ni, .we_i(h_we), .waddr_i(h_waddr), .wdata_i(h_wdata),
    .re_i(out_re || st_h_re), .raddr_i(st_h_re ? st_addr_i : out_raddr), .rdata_o(hout_rdata)
  );

  // ---------------------------------------------------------------- MAC array
  logic s1_valid_q, s1_first_q, s1_last_q, s1_zero_q, s1_src_h_q, s1_fold_q, s1_zero_x_q;
  // The activity counters add registered flags (a cycle late, the same totals),
  // so the issue decision does not also drive three 32-bit carry chains.
  logic s1_stall_dep_q, s1_stall_other_q;
  logic [MetaW-1:0] s1_meta_q;
  logic [DataW-1:0] operand, operand_hi;
  // A folded element (Batch): x to the lower half of the lanes, h to the upper.
  assign operand = s1_fold_q ? (s1_zero_x_q ? '0 : x_rdata)
                             : s1_zero_q ? '0 : (s1_src_h_q ? h_rdata : x_rdata);
  assign operand_hi = s1_fold_q ? (s1_zero_q ? '0 : h_rdata) : operand;

  // Without Batch the MAC array's shadow feeds the post unit; with it the
  // fold buffer between them does (below). The shadow's metadata carries the
  // fold bit on top.
  localparam int MacMetaW = MetaW + (Batch ? 1 : 0);
  logic shadow_load, mac_busy, mac_last_pending;
  logic [Macs*AccW-1:0] shadow;
  logic [MacMetaW-1:0] mac_meta, shadow_meta;
  logic post_load;
  logic [Macs*AccW-1:0] post_sums;
  logic [MetaW-1:0] post_meta;
  if (Batch) begin : gen_meta_fold
    assign mac_meta = {s1_fold_q, s1_meta_q};
  end else begin : gen_meta
    assign mac_meta = s1_meta_q;
  end
  lstm_mac_array #(.Batch(Batch), .LutMul(LutMul), .MetaW(MacMetaW)) u_mac (
    .clk_i, .rst_ni,
    .valid_i(s1_valid_q), .first_i(s1_first_q), .last_i(s1_last_q), .meta_i(mac_meta),
    .operand_i(operand), .operand_hi_i(operand_hi), .weights_i(w_rdata), .biases_i(b_rdata),
    .shadow_load_o(shadow_load), .shadow_o(shadow), .shadow_meta_o(shadow_meta),
    .busy_o(mac_busy), .last_pending_o(mac_last_pending)
  );

  // ---------------------------------------------------------------- post unit
  localparam int PostCountW = $clog2(PostFifoDepth + 1);
  logic post_free, post_idle, pkt_valid;
  logic post_sat_valid, post_sat_tanh_acc, post_sat_cell, post_sat_tanh_cell;
  logic [LayerW-1:0] post_sat_layer;
  logic [1:0] post_sat_sigmoid_acc;
  logic [PostPktW-1:0] pkt, post_out;
  logic [PostCountW-1:0] post_fifo_count;
  logic c_re, c_we;
  logic [CAddrW-1:0] c_raddr, c_waddr;
  logic [CellW-1:0] c_rdata, c_wdata;
  logic post_free_next;
  lstm_post #(.FifoDepth(PostFifoDepth), .LutMul(LutMul)) u_post (
    .clk_i, .rst_ni, .gru_i(gru),
    .shadow_load_i(post_load), .shadow_i(post_sums), .shadow_meta_i(post_meta),
    .shadow_free_o(post_free), .free_next_o(post_free_next),
    .c_re_o(c_re), .c_raddr_o(c_raddr), .c_rdata_i(c_rdata),
    .c_we_o(c_we), .c_waddr_o(c_waddr), .c_wdata_o(c_wdata),
    .pkt_valid_o(pkt_valid), .pkt_o(pkt), .fifo_pop_i(hw_valid_o && hw_ready_i),
    .fifo_count_i(post_fifo_count),
    .sat_valid_o(post_sat_valid), .sat_layer_o(post_sat_layer),
    .sat_sigmoid_acc_o(post_sat_sigmoid_acc), .sat_tanh_acc_o(post_sat_tanh_acc),
    .sat_cell_o(post_sat_cell), .sat_tanh_cell_o(post_sat_tanh_cell),
    .idle_o(post_idle)
  );
  // The host's state accesses share the c buffer's ports (only while idle).
  // A GRU run writes each h the FIFO hands on there instead (gru_c_*, below).
  logic gru_c_we;
  logic [CAddrW-1:0] gru_c_waddr;
  logic [CellW-1:0] gru_c_wdata;
  lstm_ram_1r1w #(.Width(CellW), .Depth(lstm_pkg::CDepth)) u_cbuf (
    .clk_i, .we_i(c_we || gru_c_we || st_c_we),
    .waddr_i(st_c_we ? CAddrW'(st_addr_i) : gru_c_we ? gru_c_waddr : c_waddr),
    .wdata_i(st_c_we ? CellW'($signed(st_wdata_i)) : gru_c_we ? gru_c_wdata : c_wdata),
    .re_i(c_re || st_c_re), .raddr_i(st_c_re ? CAddrW'(st_addr_i) : c_raddr), .rdata_o(c_rdata)
  );
  // The post unit issues only with room for all in flight, so in_ready is
  // always high when pkt_valid is. The FIFO holds each unit's exact product
  // hidden_prod; h = narrow_hidden_prod(prod) is formed at its output, so
  // neither side of the FIFO holds both the multiply and the narrowing.
  // An LSTM-only design stores less of the product (issue 10, area):
  // narrow_hidden_prod shifts it right by HidShift = 2 * GateF - DataF, and
  // its rounding (nearest or floor) and saturation read the bits from
  // HidShift - 1 up exactly and the bits below only as "any of them set". So
  // the FIFO keeps the bits from HidShift - 1 up and one sticky bit, the OR of
  // the others, and its output puts the sticky bit back above zeros: the same
  // h and the same saturation flag, HidShift - 2 bits fewer per entry. (A GRU
  // design's FIFO also holds a GRU unit's {sat, h} in the low bits: kept
  // whole.)
  localparam int HidShift = 2 * lstm_pkg::GateF - lstm_pkg::DataF;
  localparam int Drop = (lstm_pkg::HasGru == 0 && HidShift >= 2) ? HidShift - 2 : 0;
  localparam int PostFifoW = PostPktW - Drop;
  logic [PostFifoW-1:0] pkt_kept, post_kept;
  if (Drop > 0) begin : gen_sticky
    assign pkt_kept = {pkt[PostPktW-1:Drop+1], |pkt[Drop:0]};
    assign post_out = {post_kept, Drop'(0)};
  end else begin : gen_whole
    assign pkt_kept = pkt;
    assign post_out = post_kept;
  end
  logic post_fifo_in_ready;
  lstm_fifo #(.Width(PostFifoW), .Depth(PostFifoDepth)) u_post_fifo (
    .clk_i, .rst_ni,
    .in_valid_i(pkt_valid), .in_ready_o(post_fifo_in_ready), .in_data_i(pkt_kept),
    .out_valid_o(hw_valid_o), .out_ready_i(hw_ready_i), .out_data_o(post_kept),
    .count_o(post_fifo_count)
  );
  // narrow_hidden's (GRU: narrow_gru_hidden's) saturation flag of the h
  // leaving the FIFO, with its layer.
  logic h_sat_q, h_sat_d, h_sat_now;
  logic [LayerW-1:0] h_sat_layer_q, h_sat_layer_d;
  logic [DataW-1:0] h_new;
  assign hw_data_o = {post_out[PostPktW-1:PostValW], h_new};
  if (lstm_pkg::HasGru != 0) begin : gen_gru_h
    // A GRU unit's h also goes to the c buffer, where its next step reads
    // h_prev: before the h network delivers it, so before any core can
    // start that step.
    // The post unit narrowed a GRU unit's h (Q6): its entry holds {sat, h}.
    assign h_new = gru ? post_out[DataW-1:0]
                       : lstm_pkg::narrow_hidden_prod(post_out[HidProdW-1:0]);
    assign h_sat_now = gru ? post_out[DataW]
                           : lstm_pkg::narrow_hidden_prod_sat(post_out[HidProdW-1:0]);
    assign gru_c_we = gru && hw_valid_o && hw_ready_i;
    assign gru_c_waddr = lstm_pkg::c_addr(post_out[PostValW+UnitW+1 +: LayerW],
                                          post_out[PostValW +: UnitW]);
    assign gru_c_wdata = CellW'($signed(h_new));
  end else begin : gen_lstm_h
    assign h_new = lstm_pkg::narrow_hidden_prod(post_out[HidProdW-1:0]);
    assign h_sat_now = lstm_pkg::narrow_hidden_prod_sat(post_out[HidProdW-1:0]);
    assign gru_c_we = 1'b0;
    assign gru_c_waddr = '0;
    assign gru_c_wdata = '0;
  end
  // Without counters nothing counts the flag (and the drain's wait for it,
  // tail_idle's !h_sat_q, is never the last condition: hdone takes the same
  // packet a cycle later still), so neither the flag nor its logic is built.
  assign h_sat_d = Counters && hw_valid_o && hw_ready_i && h_sat_now;
  assign h_sat_layer_d = post_out[PostValW+UnitW+1 +: LayerW];
  logic fold_idle;
  if (Batch) begin : gen_fold_buf
    // Fold buffer: the post unit's own copy of a group's sums. The MAC
    // array's shadow is moved here when the post unit is free from the next
    // cycle on (it takes its last lane now, or is idle), and the post unit
    // loads it in that cycle: it reads the buffer from the next cycle on, so
    // its lanes run back to back from group to group. A folded group's
    // lane u < Half gets the sums of lanes u and u + Half (exact: AccW holds
    // any sum of X + H products and the bias, which only the lower lane has).
    localparam int Half = lstm_pkg::Lanes / 2;
    localparam int G = lstm_pkg::Gates;
    logic pend_q, move;
    logic [Macs*AccW-1:0] fbuf_q, folded;
    logic [MetaW-1:0] fmeta_q;
    logic full;  // the shadow holds sums not moved yet
    assign full = shadow_load || pend_q;
    assign move = full && post_free_next;
    for (genvar m = 0; m < Macs; m++) begin : gen_fold
      if (m < Half * G) begin : gen_lo
        assign folded[m*AccW +: AccW] = shadow_meta[MetaW]
            ? shadow[m*AccW +: AccW] + shadow[(m + Half*G)*AccW +: AccW]
            : shadow[m*AccW +: AccW];
      end else begin : gen_hi
        assign folded[m*AccW +: AccW] = shadow[m*AccW +: AccW];
      end
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        pend_q <= 1'b0;
        fbuf_q <= '0;
        fmeta_q <= '0;
      end else begin
        pend_q <= full && !move;
        if (move) begin
          fbuf_q <= folded;
          fmeta_q <= shadow_meta[MetaW-1:0];
        end
      end
    end
    assign post_load = move;
    assign post_sums = fbuf_q;
    assign post_meta = fmeta_q;
    // A group's last element may issue when its sums (in the shadow two
    // cycles later) find the shadow moved: nothing unmoved there (or moving
    // now), and no other group's sums on their way.
    assign shadow_free = (!full || move) && !(mac_last_pending && !shadow_load)
                      && !(s1_valid_q && s1_last_q);
    assign fold_idle = !full;
    logic free_unused;  // the post unit's own shadow_free: the move uses free_next
    assign free_unused = post_free;
`ifndef SYNTHESIS
    `LSTM_ASSERT(FoldNoOverwrite, !(shadow_load && pend_q),
                 "the MAC array loads new sums into its shadow only after the last were moved")
`endif
  end else begin : gen_no_fold_buf
    logic fold_unused;
    assign fold_unused = ^{post_free_next, s1_fold_q, s1_zero_x_q};
    assign post_load = shadow_load;
    assign post_sums = shadow;
    assign post_meta = shadow_meta;
    // A shadow is free when the post unit took the last one and none is on its way.
    assign shadow_free = post_free && !mac_last_pending && !(s1_valid_q && s1_last_q);
    assign fold_idle = 1'b1;
  end

  // ---------------------------------------------------------------- x writer
  // A batched program (X_LEN != 0) takes X_LEN elements per step.
  logic [InSizeRegW-1:0] x_step_len;
  assign x_step_len = (Batch && x_len != '0) ? x_len : in_size[InSizeRegW-1:0];
  lstm_x_writer u_xwr (
    .clk_i, .rst_ni, .start_i(start), .running_i(running), .steps_i(steps),
    .x_len_i(VecW'(x_step_len)), .x_consumed_i(x_consumed),
    .in_valid_i, .in_ready_o, .in_data_i,
    .we_o(x_we), .waddr_o(x_waddr), .step_o(x_wr_step), .cnt_o(x_wr_cnt)
  );

  // ---------------------------------------------------------------- output streamer
  logic out_idle;
  lstm_out_streamer #(.FifoDepth(OutFifoDepth), .Batch(Batch), .LFlagOutBit(LFlagOutBit)) u_out (
    .clk_i, .rst_ni, .start_i(start), .running_i(running), .out_en_i(out_en), .h_half_i(h_half),
    .batched_i(x_len != '0), .lflags_i(lflags), .hidden_i(hidden),
    .steps_i(steps), .num_layers_i(LStepW'(num_layers)), .last_layer_i(last_layer),
    .h_len_i(UnitW'(hidden[HiddenRegW*last_layer +: HiddenRegW])), .hdone_i,
    .h_re_o(out_re), .h_raddr_o(out_raddr), .h_rdata_i(hout_rdata),
    .out_valid_o, .out_ready_i, .out_data_o, .out_last_o, .out_seq_last_o, .out_done_o,
    .idle_o(out_idle)
  );

  // ---------------------------------------------------------------- counters
  // The performance counters (CYCLES, MAC_BUSY, STALL_*) and the saturation
  // counters have no asynchronous reset (issue 10): their clear, at START and
  // after reset, is then the flip-flops' synchronous reset (SB_DFFSR/SB_DFFESR
  // on an iCE40) instead of a LUT per bit in front of each flip-flop, and a
  // saturation counter stops at all ones through its enable. cnt_init_q is 1
  // from reset until the first clock edge after it, so the counters read 0
  // from reset on (given a clock edge during or right after reset, as every
  // synchronous design needs for its first edge anyway).
  logic cnt_init_q, cnt_clr;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) cnt_init_q <= 1'b1;
    else cnt_init_q <= 1'b0;
  end
  assign cnt_clr = start || cnt_init_q;
  if (Counters) begin : gen_perf
    always_ff @(posedge clk_i) begin
      if (cnt_clr) begin
        cycles_q <= '0;
        mac_busy_q <= '0;
        stall_dep_q <= '0;
        stall_other_q <= '0;
      end else begin
        if (seq_busy) cycles_q <= cycles_q + 32'd1;
        if (s1_valid_q) mac_busy_q <= mac_busy_q + 32'd1;
        if (s1_stall_dep_q) stall_dep_q <= stall_dep_q + 32'd1;
        if (s1_stall_other_q) stall_other_q <= stall_other_q + 32'd1;
      end
    end
  end else begin : gen_no_perf
    // What the counters would read (Verilator's -Wall skips *unused* names).
    logic cnt_unused;
    assign cnt_unused = ^{cnt_clr, s1_stall_dep_q, s1_stall_other_q, post_sat_sigmoid_acc,
                          post_sat_tanh_acc, post_sat_cell, post_sat_tanh_cell, h_sat_layer_q};
    assign cycles_q = '0;
    assign mac_busy_q = '0;
    assign stall_dep_q = '0;
    assign stall_other_q = '0;
  end

  // Saturation counters: min(cnt + inc, all ones), as the golden model's
  // saturating count. At all ones a counter holds; one below, a step of 2
  // becomes 1.
  localparam int SatEvents = 5;  // in the order of the SAT_* descriptor fields
  logic [MaxLayers*SatEvents-1:0] sat_hit;  // a counter takes an event this cycle
  for (genvar l = 0; l < MaxLayers; l++) begin : gen_sat
    if (Counters) begin : gen_on
      logic post_here, h_here;
      logic [1:0] inc [SatEvents];
      logic [31:0] cnt_q [SatEvents];
      assign post_here = post_sat_valid && post_sat_layer == LayerW'(l);
      assign h_here = h_sat_q && h_sat_layer_q == LayerW'(l);
      assign inc[0] = post_here ? post_sat_sigmoid_acc : 2'd0;
      assign inc[1] = {1'b0, post_here && post_sat_tanh_acc};
      assign inc[2] = {1'b0, post_here && post_sat_cell};
      assign inc[3] = {1'b0, post_here && post_sat_tanh_cell};
      assign inc[4] = {1'b0, h_here};
      for (genvar e = 0; e < SatEvents; e++) begin : gen_cnt
        logic near_full, full;
        logic [1:0] step;
        assign near_full = &cnt_q[e][31:1];
        assign full = near_full && cnt_q[e][0];
        assign step = near_full ? {1'b0, inc[e] != 2'd0} : inc[e];
        always_ff @(posedge clk_i) begin
          if (cnt_clr) cnt_q[e] <= '0;
          else if (!full) cnt_q[e] <= cnt_q[e] + 32'(step);
        end
        assign sat_hit[l*SatEvents + e] = inc[e] != 2'd0;
      end
      assign sat_sigmoid_acc[l*32 +: 32] = cnt_q[0];
      assign sat_tanh_acc[l*32 +: 32] = cnt_q[1];
      assign sat_cell[l*32 +: 32] = cnt_q[2];
      assign sat_tanh_cell[l*32 +: 32] = cnt_q[3];
      assign sat_hidden[l*32 +: 32] = cnt_q[4];
    end else begin : gen_off
      assign sat_hit[l*SatEvents +: SatEvents] = '0;
      assign sat_sigmoid_acc[l*32 +: 32] = '0;
      assign sat_tanh_acc[l*32 +: 32] = '0;
      assign sat_cell[l*32 +: 32] = '0;
      assign sat_tanh_cell[l*32 +: 32] = '0;
      assign sat_hidden[l*32 +: 32] = '0;
    end
  end

  // ---------------------------------------------------------------- completion
  // The drain also waits for the FIFO's last narrow_hidden flag to reach its counter.
  assign tail_idle = !s1_valid_q && !mac_busy && !mac_last_pending && fold_idle && post_idle
                  && !hw_valid_o && !h_sat_q && out_idle;

  // ---------------------------------------------------------------- host reads
  // A state or memory read's word leaves its RAM a cycle later, when the
  // register block's read data would, sign-extended to 32 bits; like that data
  // it is held until the next read (the RAM's read port holds it while idle).
  // A weight or bias read reads every slot's RAM; the slot is picked after it.
  // While the core is busy a memory read returns 0 (the port is the datapath's).
  logic st_rd_h_q, st_rd_c_q, rd_w_q, rd_b_q, rd_zero_q;
  logic [SlotW-1:0] rd_slot_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      st_rd_h_q <= 1'b0;
      st_rd_c_q <= 1'b0;
      rd_w_q <= 1'b0;
      rd_b_q <= 1'b0;
      rd_zero_q <= 1'b0;
      rd_slot_q <= '0;
    end else if (reg_re_i || st_re_i || wmem_re_i || bmem_re_i) begin
      st_rd_h_q <= st_h_re;
      st_rd_c_q <= st_c_re;
      rd_w_q <= w_host_re;
      rd_b_q <= b_host_re;
      rd_zero_q <= (wmem_re_i || bmem_re_i) && (seq_busy || !WeightRead);
      rd_slot_q <= wmem_re_i ? wmem_slot_i : bmem_slot_i;
    end
  end
  // Slot s's word of a flattened RAM row (a ?: per slot, ORed: a shallow tree).
  function automatic logic [WeightW-1:0] w_slot(input logic [Macs*WeightW-1:0] row,
                                                input logic [SlotW-1:0] s);
    w_slot = '0;
    for (int k = 0; k < Macs; k++) w_slot = w_slot | ((s == SlotW'(k)) ? row[k*WeightW +: WeightW] : '0);
  endfunction
  function automatic logic [BiasW-1:0] b_slot(input logic [Macs*BiasW-1:0] row,
                                              input logic [SlotW-1:0] s);
    b_slot = '0;
    for (int k = 0; k < Macs; k++) b_slot = b_slot | ((s == SlotW'(k)) ? row[k*BiasW +: BiasW] : '0);
  endfunction
  assign reg_rdata_o = st_rd_h_q ? 32'($signed(hout_rdata))
                     : st_rd_c_q ? 32'($signed(c_rdata))
                     : rd_w_q ? 32'($signed(w_slot(w_rdata, rd_slot_q)))
                     : rd_b_q ? 32'($signed(b_slot(b_rdata, rd_slot_q)))
                     : rd_zero_q ? 32'd0 : regs_rdata;

  // ---------------------------------------------------------------- registers
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
      s1_first_q <= 1'b0;
      s1_last_q <= 1'b0;
      s1_zero_q <= 1'b0;
      s1_src_h_q <= 1'b0;
      s1_fold_q <= 1'b0;
      s1_zero_x_q <= 1'b0;
      s1_meta_q <= '0;
      s1_stall_dep_q <= 1'b0;
      s1_stall_other_q <= 1'b0;
      h_sat_q <= 1'b0;
      h_sat_layer_q <= '0;
      sat_any_q <= 1'b0;
    end else begin
      s1_valid_q <= iss_valid;
      s1_first_q <= iss_first;
      s1_last_q <= iss_last;
      s1_zero_q <= iss_zero;
      s1_src_h_q <= iss_src_h;
      s1_fold_q <= iss_fold;
      s1_zero_x_q <= iss_zero_x;
      s1_meta_q <= iss_meta;
      s1_stall_dep_q <= stall_dep;
      s1_stall_other_q <= stall_other;
      h_sat_q <= h_sat_d;
      h_sat_layer_q <= h_sat_layer_d;
      sat_any_q <= !start && (sat_any_q || sat_hit != '0);
    end
  end

  assign started_o = start;
  assign busy_o = seq_busy;
  assign done_o = seq_done;
  assign error_o = seq_error;

`ifndef SYNTHESIS
  `LSTM_ASSERT(RowWriteAlone, !(wrow_we_i && wmem_we_i) && !(brow_we_i && bmem_we_i),
               "a row write and a host write never meet at the weight or bias memories")
  `LSTM_ASSERT(CoreCellWrite, !(c_we && gru_c_we),
               "the post unit (LSTM) and the FIFO's output (GRU) never write the c buffer at once")
  `LSTM_ASSERT(StateWriteIdle, !(st_h_we && hin_valid_i != '0) && !(st_c_we && (c_we || gru_c_we)),
               "a host state write never meets an h network or post unit write of the buffer")
  `LSTM_ASSERT(MemReadIdle, !((w_host_re || b_host_re) && iss_valid),
               "a host read of the weight or bias memory never meets a datapath read")
  `LSTM_ASSERT(StateReadIdle, !(st_h_re && out_re) && !(st_c_re && c_re),
               "a host state read never meets a streamer or post unit read of the buffer")
  `LSTM_ASSERT(PostFifoRoom, !pkt_valid || post_fifo_in_ready,
               "the post unit issues a unit only with room in its FIFO for every unit in flight")
  `LSTM_ASSERT(CoreSatSettled, !seq_done || (!post_sat_valid && !h_sat_q),
               "STATUS reports DONE only once every saturation flag has reached its counter")
  `LSTM_ASSERT(CoreSatLayer, !post_sat_valid || 32'(post_sat_layer) < MaxLayers,
               "a saturation flag's layer has counters")
`endif
endmodule
