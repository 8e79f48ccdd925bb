// lstm_mul: exact signed multiply, p = a * b in AWidth + BWidth bits.
//
// Hand-written primitive (not generated); shared by every generated design.
//
// - Lut 0: the `*` operator. Synthesis maps it to its best multiplier: DSP
//   blocks where the device has them (SB_MAC16, DSP48E1, MULT18X18D) or its
//   own gate-level multiplier.
// - Lut 1: a Baugh-Wooley array built from carry-chain adders, for FPGAs
//   without multiplier blocks (iCE40 HX/LP; config features.lut_multipliers).
//   Yosys's own LUT multiplier (synth_ice40 without -dsp) sign-extends both
//   operands to the product's width and sums the partial products in LUTs
//   alone: 182 LUT4 for 8 x 8 bits, 343 for 10 x 12. The array takes 125
//   and 239 LUT4 (and their SB_CARRY cells), the same product bit for bit.
//
// The array: row r (r < BWidth - 1) is a & b[r] with its top bit inverted,
// the last row ~(a & b[BWidth-1]) with its top bit not inverted; the
// constant 2^(AWidth-1) + 2^(BWidth-1) + 2^(AWidth+BWidth-1) makes the sum
// the two's complement product. The rows are summed ChunkRows at a time
// (each adder adds one row to the running sum's upper bits, so every adder
// is AWidth + 1 bits wide and the product's low bits fall out one per row),
// then the chunks' sums one after the other: ChunkRows + chunks - 1 adders
// deep instead of BWidth. The constants cost no adder: 2^(AWidth-1) is
// folded into row 0, 2^(BWidth-1) is the carry in of the adder that takes
// the last row, 2^(AWidth+BWidth-1) flips the top bit.
`include "lstm_assert.svh"

module lstm_mul #(
  parameter int AWidth = 8,
  parameter int BWidth = 8,
  parameter bit Lut = 1'b0,
  parameter int ChunkRows = 4,
  localparam int PWidth = AWidth + BWidth
) (
  input  logic [AWidth-1:0] a_i,  // two's complement
  input  logic [BWidth-1:0] b_i,  // two's complement
  output logic [PWidth-1:0] p_o   // a * b, two's complement, exact
);
  if (!Lut) begin : gen_op
    assign p_o = PWidth'($signed(a_i) * $signed(b_i));
  end else begin : gen_array
    localparam int AW = AWidth;
    localparam int C = ChunkRows;
    localparam int NC = (BWidth + C - 1) / C;  // chunks
    // Partial products (rows), each AW bits at weight 2^r.
    logic [AW-1:0] pp [BWidth];
    for (genvar r = 0; r < BWidth; r++) begin : gen_pp
      if (r < BWidth - 1) begin : gen_row
        assign pp[r] = {~(a_i[AW-1] & b_i[r]), a_i[AW-2:0] & {(AW - 1){b_i[r]}}};
      end else begin : gen_last
        assign pp[r] = {a_i[AW-1] & b_i[r], ~(a_i[AW-2:0] & {(AW - 1){b_i[r]}})};
      end
    end
    // Chunk k: rows k*C .. k*C + NR - 1, summed into cs[k] (weight 2^(k*C)).
    // (split_var: each element of s and u is computed from the one before;
    // without it the linter sees the whole array as one circular signal.)
    logic [AW+C-1:0] cs [NC];
    for (genvar k = 0; k < NC; k++) begin : gen_chunk
      localparam int R0 = k * C;
      localparam int NR = (BWidth - R0 < C) ? BWidth - R0 : C;
      // s[r]: rows R0 .. R0 + r from weight 2^(R0 + r) up; its bit 0 is final.
      logic [AW:0] s [NR] /* verilator split_var */;
      logic [AW+NR-1:0] v;
      if (k == 0) begin : gen_fold
        // Row 0 + 2^(AW-1): the top bit y of row 0 becomes {y, ~y}.
        assign s[0] = {pp[0][AW-1], ~pp[0][AW-1], pp[0][AW-2:0]};
      end else begin : gen_plain
        assign s[0] = {1'b0, pp[R0]};
      end
      for (genvar r = 1; r < NR; r++) begin : gen_add
        if (R0 + r < BWidth - 1) begin : gen_mid
          assign s[r] = (AW + 1)'(s[r-1][AW:1]) + (AW + 1)'(pp[R0 + r]);
        end else begin : gen_cin
          // The last row, with 2^(BWidth-1) as the carry in (the low 1s).
          logic [AW+1:0] t;
          assign t = {1'b0, s[r-1][AW:1], 1'b1} + {1'b0, pp[R0 + r], 1'b1};
          assign s[r] = t[AW+1:1];
`ifndef SYNTHESIS
          logic t_unused;
          assign t_unused = t[0];
`endif
        end
        assign v[r-1] = s[r-1][0];
      end
      assign v[AW+NR-1:NR-1] = s[NR-1];
      assign cs[k] = (AW + C)'(v);
    end
    // Running sum of the chunks: u[k] holds chunks 0 .. k from weight 2^(k*C) up.
    logic [AW+C:0] u [NC] /* verilator split_var */;
    logic [PWidth-1:0] p;
    assign u[0] = (AW + C + 1)'(cs[0]);
    for (genvar k = 1; k < NC; k++) begin : gen_sum
      if (k == NC - 1 && (BWidth - 1) % C == 0) begin : gen_cin
        // The last row alone in its chunk: 2^(BWidth-1) as this add's carry in.
        logic [AW+C+1:0] t;
        assign t = {(AW + C + 1)'(u[k-1][AW+C:C]), 1'b1} + {(AW + C + 1)'(cs[k]), 1'b1};
        assign u[k] = t[AW+C+1:1];
`ifndef SYNTHESIS
        logic t_unused;
        assign t_unused = t[0];
`endif
      end else begin : gen_plain
        assign u[k] = (AW + C + 1)'(u[k-1][AW+C:C]) + (AW + C + 1)'(cs[k]);
      end
      assign p[(k-1)*C +: C] = u[k-1][C-1:0];
    end
    assign p[PWidth-1:(NC-1)*C] = (PWidth - (NC - 1) * C)'(u[NC-1]);
    assign p_o = {~p[PWidth-1], p[PWidth-2:0]};
  end

`ifndef SYNTHESIS
  `LSTM_ASSERT_INIT(MulWidths, AWidth >= 2 && BWidth >= 2 && ChunkRows >= 1,
                    "lstm_mul: both operands have at least 2 bits, a chunk at least 1 row")
`endif
endmodule
