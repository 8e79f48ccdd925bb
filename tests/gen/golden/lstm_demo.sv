// lstm_demo: printer golden test.
module lstm_demo #(
  parameter int Width = 8,
  parameter int Count = 2
) (
  input  logic                            clk_i,
  input  logic                            rst_ni,
  input  logic [1:0]                      mode_i,
  input  logic signed [Width * Count-1:0] a_i,
  output logic signed [Width-1:0]         sum_o,  // registered
  output logic [2:0]                      flags_o,  // {any, all, parity} of a_i
  output logic [Width / 2-1:0]            hi_o,
  output logic [Width / 2-1:0]            lo_o
);
  localparam int Half = Width / 2;
  localparam int Odd = Width % 2;
  logic signed [Width-1:0] sum_q;
  logic signed [Width-1:0] sum_d;
  logic signed [Width-1:0] parts [Count];

  for (genvar p = 0; p < Count; p = p + 1) begin : gen_part
    lstm_demo_leaf #(
      .Width (Width)
    ) u_leaf (
      .in_i  (a_i[p * Width +: Width]),
      .out_o (parts[p])
    );
  end
  if (Half > 2 && Odd == 0) begin : gen_wide
    // nothing to do
  end else begin : gen_narrow
    // nothing either
  end
  always_comb begin
    sum_d = sum_q;
    unique case (mode_i)
      2'd1: sum_d = parts[0] + parts[1];
      2'd2, 2'd3: begin
        if (parts[0] < -8'sd100) begin
          sum_d = '0;
        end else if ((a_i[Width-1:0] >> 1) < Width'(Half)) begin
          sum_d = '1;
        end
      end
      default: ;
    endcase
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sum_q <= '0;
    end else begin
      sum_q <= sum_d;
    end
  end
  assign sum_o = sum_q;
  assign {hi_o, lo_o} = sum_q;
  assign flags_o = {|a_i, &a_i, ^a_i};
endmodule
