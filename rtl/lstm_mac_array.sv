// The MAC array: Lanes lanes of four multiply-accumulators (gates i, f, g, o
// of one hidden unit each). Every cycle one operand of [x ; h] is broadcast to
// all lanes with one weight per MAC. The first element of a group starts from
// the aligned bias; after the last element the sums move to the shadow
// registers, where the post unit reads them while the next group accumulates.
//
// Accumulation is exact (the config validator sizes AccW for the largest
// sum), so results do not depend on the order in which elements arrive.
//
// Batch (features.batch): the upper half of the lanes takes operand_hi_i
// instead (a folded group: x to the lower lanes, h to the upper; else the
// same operand), and MetaW carries lstm_core's fold bit on top.
//
// LutMul 1 (config features.lut_multipliers): the products come from
// lstm_mul's carry-chain array instead of the `*` operator, for FPGAs
// without multiplier blocks (issue 10, area).
module lstm_mac_array #(
  parameter bit Batch = 1'b0,
  parameter bit LutMul = 1'b0,
  parameter int MetaW = lstm_pkg::MetaW,
  localparam int Macs = lstm_pkg::Macs,
  localparam int DataW = lstm_pkg::DataW,
  localparam int WeightW = lstm_pkg::WeightW,
  localparam int BiasW = lstm_pkg::BiasW,
  localparam int AccW = lstm_pkg::AccW,
  localparam int ProdW = DataW + WeightW
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // Stage 1: operands from the memories
  input  logic                   valid_i,
  input  logic                   first_i,
  input  logic                   last_i,
  input  logic [MetaW-1:0]       meta_i,
  input  logic [DataW-1:0]       operand_i,
  input  logic [DataW-1:0]       operand_hi_i,  // Batch: the operand of lanes >= Lanes / 2
  input  logic [Macs*WeightW-1:0] weights_i,
  input  logic [Macs*BiasW-1:0]  biases_i,
  // Shadow sums of the last finished group
  output logic                   shadow_load_o,
  output logic [Macs*AccW-1:0]   shadow_o,
  output logic [MetaW-1:0]       shadow_meta_o,
  output logic                   busy_o,
  // A group's sums are on their way to the shadow or just arrived there.
  output logic                   last_pending_o
);
  // Stage 2 registers: products and the aligned bias.
  logic                   s2_valid_q, s2_first_q, s2_last_q;
  logic [MetaW-1:0]       s2_meta_q;
  logic [Macs*ProdW-1:0]  prod_q, prod_d;
  logic [Macs*AccW-1:0]   bias_q, bias_d;
  logic [Macs*AccW-1:0]   acc_q, acc_d;
  logic [Macs*AccW-1:0]   shadow_q, shadow_d;
  logic [MetaW-1:0]       shadow_meta_q, shadow_meta_d;

  if (!Batch) begin : gen_one_operand
    logic operand_unused;
    assign operand_unused = ^operand_hi_i;
  end
  for (genvar m = 0; m < Macs; m++) begin : gen_mac
    logic signed [ProdW-1:0] prod;
    logic signed [AccW-1:0] sum;
    logic [DataW-1:0] op;
    assign op = (Batch && m >= Macs / 2) ? operand_hi_i : operand_i;
    lstm_mul #(.AWidth(DataW), .BWidth(WeightW), .Lut(LutMul)) u_mul (
      .a_i(op), .b_i(weights_i[m*WeightW +: WeightW]), .p_o(prod)
    );
    assign prod_d[m*ProdW +: ProdW] = prod;
    assign bias_d[m*AccW +: AccW] = lstm_pkg::bias_to_accum(biases_i[m*BiasW +: BiasW]);
    assign sum = (s2_first_q ? $signed(bias_q[m*AccW +: AccW]) : $signed(acc_q[m*AccW +: AccW]))
               + AccW'($signed(prod_q[m*ProdW +: ProdW]));
    assign acc_d[m*AccW +: AccW] = s2_valid_q ? sum : acc_q[m*AccW +: AccW];
    assign shadow_d[m*AccW +: AccW] = (s2_valid_q && s2_last_q) ? sum : shadow_q[m*AccW +: AccW];
  end

  assign shadow_meta_d = (s2_valid_q && s2_last_q) ? s2_meta_q : shadow_meta_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s2_valid_q <= 1'b0;
      s2_first_q <= 1'b0;
      s2_last_q <= 1'b0;
      s2_meta_q <= '0;
      prod_q <= '0;
      bias_q <= '0;
      acc_q <= '0;
      shadow_q <= '0;
      shadow_meta_q <= '0;
      shadow_load_o <= 1'b0;
    end else begin
      s2_valid_q <= valid_i;
      s2_first_q <= first_i;
      s2_last_q <= last_i;
      s2_meta_q <= meta_i;
      prod_q <= prod_d;
      bias_q <= bias_d;
      acc_q <= acc_d;
      shadow_q <= shadow_d;
      shadow_meta_q <= shadow_meta_d;
      shadow_load_o <= s2_valid_q && s2_last_q;
    end
  end

  assign shadow_o = shadow_q;
  assign shadow_meta_o = shadow_meta_q;
  assign busy_o = s2_valid_q;
  assign last_pending_o = (s2_valid_q && s2_last_q) || shadow_load_o;
endmodule
