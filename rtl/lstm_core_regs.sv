// Per-core host registers: the program (layer descriptors, step count, flags),
// status and performance counters. Register numbers, bits and fields are the
// host map's (spec/host_map.hpp, in lstm_pkg); docs/host-interface.md explains
// them.
//
// Program registers keep all 32 bits so that the descriptor check sees the
// value the host wrote, not a silently truncated one. Writes to program
// registers are ignored while the core is busy.
module lstm_core_regs #(
  localparam int MaxLayers = lstm_pkg::MaxLayers,
  localparam int RegAddrW = lstm_pkg::RegAddrW,
  localparam int FieldW = lstm_pkg::FieldW,
  localparam int FlagsW = lstm_pkg::FlagsW,
  localparam int CodeW = lstm_pkg::StatusCodeW,
  localparam int ErrLayerW = lstm_pkg::StatusLayerW
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,
  input  logic                      reg_we_i,
  input  logic                      reg_re_i,
  input  logic [RegAddrW-1:0]       reg_addr_i,
  input  logic [31:0]               reg_wdata_i,
  output logic [31:0]               reg_rdata_o,
  output logic                      start_o,
  // Program
  output logic [31:0]               num_layers_o,
  output logic [31:0]               num_steps_o,
  output logic [FlagsW-1:0]         flags_o,   // bits lstm_pkg::Flag*Bit
  output logic [MaxLayers*32-1:0]   in_size_o,
  output logic [MaxLayers*32-1:0]   hidden_o,
  output logic [MaxLayers*32-1:0]   unit_lo_o,
  output logic [MaxLayers*32-1:0]   unit_cnt_o,
  output logic [MaxLayers*32-1:0]   wbase_o,
  output logic [MaxLayers*32-1:0]   bbase_o,
  // Status and counters
  input  logic                      busy_i,
  input  logic                      done_i,
  input  logic                      error_i,
  input  logic [CodeW-1:0]          err_code_i,
  input  logic [ErrLayerW-1:0]      err_layer_i,
  input  logic [31:0]               cycles_i,
  input  logic [31:0]               mac_busy_i,
  input  logic [31:0]               stall_dep_i,
  input  logic [31:0]               stall_other_i
);
  logic [31:0] num_layers_q, num_layers_d;
  logic [31:0] num_steps_q, num_steps_d;
  logic [FlagsW-1:0] flags_q, flags_d;
  logic [MaxLayers*32-1:0] in_size_q, in_size_d;
  logic [MaxLayers*32-1:0] hidden_q, hidden_d;
  logic [MaxLayers*32-1:0] unit_lo_q, unit_lo_d;
  logic [MaxLayers*32-1:0] unit_cnt_q, unit_cnt_d;
  logic [MaxLayers*32-1:0] wbase_q, wbase_d;
  logic [MaxLayers*32-1:0] bbase_q, bbase_d;
  logic [31:0] rdata_q, rdata_d;

  // Which layer and field a descriptor address names (RegLayerStride is a
  // power of two: the field is the low FieldW bits of the offset).
  logic [RegAddrW-1:0]        layer_off;
  logic [RegAddrW-FieldW-1:0] layer_idx;
  logic [FieldW-1:0]          field;
  logic                       is_layer_reg;
  assign layer_off = reg_addr_i - RegAddrW'(lstm_pkg::RegLayerBase);
  assign layer_idx = layer_off[RegAddrW-1:FieldW];
  assign field = layer_off[FieldW-1:0];
  assign is_layer_reg = (reg_addr_i >= RegAddrW'(lstm_pkg::RegLayerBase))
      && (32'(layer_idx) < MaxLayers);

  assign start_o = reg_we_i && (reg_addr_i == RegAddrW'(lstm_pkg::RegCtrl))
      && reg_wdata_i[lstm_pkg::CtrlStart];

  logic [31:0] status;
  assign status = (32'(busy_i) << lstm_pkg::StatusBusy) | (32'(done_i) << lstm_pkg::StatusDone)
                | (32'(error_i) << lstm_pkg::StatusError)
                | (32'(err_code_i) << lstm_pkg::StatusCodeLsb)
                | (32'(err_layer_i) << lstm_pkg::StatusLayerLsb);

  always_comb begin
    num_layers_d = num_layers_q;
    num_steps_d = num_steps_q;
    flags_d = flags_q;
    in_size_d = in_size_q;
    hidden_d = hidden_q;
    unit_lo_d = unit_lo_q;
    unit_cnt_d = unit_cnt_q;
    wbase_d = wbase_q;
    bbase_d = bbase_q;
    if (reg_we_i && !busy_i) begin
      if (is_layer_reg) begin
        unique case (field)
          FieldW'(lstm_pkg::FieldInSize): in_size_d[32*layer_idx +: 32] = reg_wdata_i;
          FieldW'(lstm_pkg::FieldHidden): hidden_d[32*layer_idx +: 32] = reg_wdata_i;
          FieldW'(lstm_pkg::FieldUnitLo): unit_lo_d[32*layer_idx +: 32] = reg_wdata_i;
          FieldW'(lstm_pkg::FieldUnitCnt): unit_cnt_d[32*layer_idx +: 32] = reg_wdata_i;
          FieldW'(lstm_pkg::FieldWBase): wbase_d[32*layer_idx +: 32] = reg_wdata_i;
          FieldW'(lstm_pkg::FieldBBase): bbase_d[32*layer_idx +: 32] = reg_wdata_i;
          default: ;
        endcase
      end else begin
        unique case (reg_addr_i)
          RegAddrW'(lstm_pkg::RegNumLayers): num_layers_d = reg_wdata_i;
          RegAddrW'(lstm_pkg::RegNumSteps): num_steps_d = reg_wdata_i;
          RegAddrW'(lstm_pkg::RegFlags): flags_d = reg_wdata_i[FlagsW-1:0];
          default: ;
        endcase
      end
    end
  end

  always_comb begin
    rdata_d = rdata_q;
    if (reg_re_i) begin
      rdata_d = 32'd0;
      if (is_layer_reg) begin
        unique case (field)
          FieldW'(lstm_pkg::FieldInSize): rdata_d = in_size_q[32*layer_idx +: 32];
          FieldW'(lstm_pkg::FieldHidden): rdata_d = hidden_q[32*layer_idx +: 32];
          FieldW'(lstm_pkg::FieldUnitLo): rdata_d = unit_lo_q[32*layer_idx +: 32];
          FieldW'(lstm_pkg::FieldUnitCnt): rdata_d = unit_cnt_q[32*layer_idx +: 32];
          FieldW'(lstm_pkg::FieldWBase): rdata_d = wbase_q[32*layer_idx +: 32];
          FieldW'(lstm_pkg::FieldBBase): rdata_d = bbase_q[32*layer_idx +: 32];
          default: rdata_d = 32'd0;
        endcase
      end else begin
        unique case (reg_addr_i)
          RegAddrW'(lstm_pkg::RegStatus): rdata_d = status;
          RegAddrW'(lstm_pkg::RegNumLayers): rdata_d = num_layers_q;
          RegAddrW'(lstm_pkg::RegNumSteps): rdata_d = num_steps_q;
          RegAddrW'(lstm_pkg::RegFlags): rdata_d = 32'(flags_q);
          RegAddrW'(lstm_pkg::RegCycles): rdata_d = cycles_i;
          RegAddrW'(lstm_pkg::RegMacBusy): rdata_d = mac_busy_i;
          RegAddrW'(lstm_pkg::RegStallDep): rdata_d = stall_dep_i;
          RegAddrW'(lstm_pkg::RegStallOther): rdata_d = stall_other_i;
          default: rdata_d = 32'd0;
        endcase
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      num_layers_q <= '0;
      num_steps_q <= '0;
      flags_q <= '0;
      in_size_q <= '0;
      hidden_q <= '0;
      unit_lo_q <= '0;
      unit_cnt_q <= '0;
      wbase_q <= '0;
      bbase_q <= '0;
      rdata_q <= '0;
    end else begin
      num_layers_q <= num_layers_d;
      num_steps_q <= num_steps_d;
      flags_q <= flags_d;
      in_size_q <= in_size_d;
      hidden_q <= hidden_d;
      unit_lo_q <= unit_lo_d;
      unit_cnt_q <= unit_cnt_d;
      wbase_q <= wbase_d;
      bbase_q <= bbase_d;
      rdata_q <= rdata_d;
    end
  end

  assign reg_rdata_o = rdata_q;
  assign num_layers_o = num_layers_q;
  assign num_steps_o = num_steps_q;
  assign flags_o = flags_q;
  assign in_size_o = in_size_q;
  assign hidden_o = hidden_q;
  assign unit_lo_o = unit_lo_q;
  assign unit_cnt_o = unit_cnt_q;
  assign wbase_o = wbase_q;
  assign bbase_o = bbase_q;
endmodule
