// Per-core host registers: the program (layer descriptors, step count, flags),
// status and performance counters. Layout in docs/host-interface.md; the
// generator's manifest carries the same map (gen/host_map.cpp).
//
// Program registers keep all 32 bits so that the descriptor check sees the
// value the host wrote, not a silently truncated one. Writes to program
// registers are ignored while the core is busy.
module lstm_core_regs #(
  localparam int MaxLayers = lstm_pkg::MaxLayers,
  localparam int NumRegs = 16 + 8 * MaxLayers,
  localparam int RegAddrW = $clog2(NumRegs)
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
  output logic [1:0]                flags_o,   // bit 0 out_en, bit 1 out_wait
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
  input  logic [7:0]                err_code_i,
  input  logic [7:0]                err_layer_i,
  input  logic [31:0]               cycles_i,
  input  logic [31:0]               mac_busy_i,
  input  logic [31:0]               stall_dep_i,
  input  logic [31:0]               stall_other_i
);
  localparam int RegCtrl = 0;
  localparam int RegStatus = 1;
  localparam int RegNumLayers = 2;
  localparam int RegNumSteps = 3;
  localparam int RegFlags = 4;
  localparam int RegCycles = 8;
  localparam int RegMacBusy = 9;
  localparam int RegStallDep = 10;
  localparam int RegStallOther = 11;
  localparam int RegLayerBase = 16;

  logic [31:0] num_layers_q, num_layers_d;
  logic [31:0] num_steps_q, num_steps_d;
  logic [1:0] flags_q, flags_d;
  logic [MaxLayers*32-1:0] in_size_q, in_size_d;
  logic [MaxLayers*32-1:0] hidden_q, hidden_d;
  logic [MaxLayers*32-1:0] unit_lo_q, unit_lo_d;
  logic [MaxLayers*32-1:0] unit_cnt_q, unit_cnt_d;
  logic [MaxLayers*32-1:0] wbase_q, wbase_d;
  logic [MaxLayers*32-1:0] bbase_q, bbase_d;
  logic [31:0] rdata_q, rdata_d;

  // Which layer and field a descriptor address names.
  logic [RegAddrW-1:0] layer_off;
  logic [RegAddrW-4:0] layer_idx;
  logic [2:0]          field;
  logic                is_layer_reg;
  assign layer_off = reg_addr_i - RegAddrW'(RegLayerBase);
  assign layer_idx = layer_off[RegAddrW-1:3];
  assign field = layer_off[2:0];
  assign is_layer_reg = (reg_addr_i >= RegAddrW'(RegLayerBase))
      && (32'(layer_idx) < MaxLayers);

  assign start_o = reg_we_i && (reg_addr_i == RegAddrW'(RegCtrl)) && reg_wdata_i[0];

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
          3'd0: in_size_d[32*layer_idx +: 32] = reg_wdata_i;
          3'd1: hidden_d[32*layer_idx +: 32] = reg_wdata_i;
          3'd2: unit_lo_d[32*layer_idx +: 32] = reg_wdata_i;
          3'd3: unit_cnt_d[32*layer_idx +: 32] = reg_wdata_i;
          3'd4: wbase_d[32*layer_idx +: 32] = reg_wdata_i;
          3'd5: bbase_d[32*layer_idx +: 32] = reg_wdata_i;
          default: ;
        endcase
      end else begin
        unique case (reg_addr_i)
          RegAddrW'(RegNumLayers): num_layers_d = reg_wdata_i;
          RegAddrW'(RegNumSteps): num_steps_d = reg_wdata_i;
          RegAddrW'(RegFlags): flags_d = reg_wdata_i[1:0];
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
          3'd0: rdata_d = in_size_q[32*layer_idx +: 32];
          3'd1: rdata_d = hidden_q[32*layer_idx +: 32];
          3'd2: rdata_d = unit_lo_q[32*layer_idx +: 32];
          3'd3: rdata_d = unit_cnt_q[32*layer_idx +: 32];
          3'd4: rdata_d = wbase_q[32*layer_idx +: 32];
          3'd5: rdata_d = bbase_q[32*layer_idx +: 32];
          default: rdata_d = 32'd0;
        endcase
      end else begin
        unique case (reg_addr_i)
          RegAddrW'(RegStatus):
            rdata_d = {8'd0, err_layer_i, err_code_i, 5'd0, error_i, done_i, busy_i};
          RegAddrW'(RegNumLayers): rdata_d = num_layers_q;
          RegAddrW'(RegNumSteps): rdata_d = num_steps_q;
          RegAddrW'(RegFlags): rdata_d = {30'd0, flags_q};
          RegAddrW'(RegCycles): rdata_d = cycles_i;
          RegAddrW'(RegMacBusy): rdata_d = mac_busy_i;
          RegAddrW'(RegStallDep): rdata_d = stall_dep_i;
          RegAddrW'(RegStallOther): rdata_d = stall_other_i;
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
