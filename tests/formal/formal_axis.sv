// Formal harness of the AXI4-Stream adapters lstm_axis_in and lstm_axis_out
// (tools/formal.sh), side by side with free inputs. Their masters' rules are
// their `LSTM_ASSUMEs (and lstm_fifo's FifoInHeld).
module formal_axis #(
  localparam int DataW = lstm_pkg::DataW,
  localparam int AxisDataW = lstm_pkg::AxisDataW
) (
  input logic                 clk_i,
  input logic                 rst_ni,
  input logic                 x_tvalid_i,
  input logic [AxisDataW-1:0] x_tdata_i,
  input logic                 x_out_ready_i,
  input logic                 h_valid_i,
  input logic [DataW-1:0]     h_data_i,
  input logic                 h_last_i,
  input logic                 h_seq_last_i,
  input logic                 h_tready_i
);
  logic x_tready, x_out_valid, h_ready, h_tvalid, h_tlast, h_tuser;
  logic [DataW-1:0] x_out_data;
  logic [AxisDataW-1:0] h_tdata;
  initial assume (!rst_ni);  // the trace starts in reset
  lstm_axis_in u_in (
    .clk_i, .rst_ni, .s_axis_tvalid_i(x_tvalid_i), .s_axis_tready_o(x_tready),
    .s_axis_tdata_i(x_tdata_i), .out_valid_o(x_out_valid), .out_ready_i(x_out_ready_i),
    .out_data_o(x_out_data)
  );
  lstm_axis_out u_out (
    .clk_i, .rst_ni, .in_valid_i(h_valid_i), .in_ready_o(h_ready), .in_data_i(h_data_i),
    .in_last_i(h_last_i), .in_seq_last_i(h_seq_last_i), .m_axis_tvalid_o(h_tvalid),
    .m_axis_tready_i(h_tready_i), .m_axis_tdata_o(h_tdata), .m_axis_tlast_o(h_tlast),
    .m_axis_tuser_o(h_tuser)
  );
endmodule
