// Formal harness of lstm_wload (tools/formal.sh): the row stream, the host
// port's hold, WLOAD_MASK and the WLOAD_ADDR writes are free; the stream
// master's rules are the loader's `LSTM_ASSUMEs, its own rules (row writes in
// bounds, only to masked cores, never with a host write; WLOAD_NEXT counting
// beats) its `LSTM_ASSERTs.
module formal_wload #(
  localparam int Cores = lstm_pkg::Cores,
  localparam int RowW = lstm_pkg::WRowW,
  localparam int RowAddrW = lstm_pkg::RegionW + lstm_pkg::IndexW - lstm_pkg::SlotW
) (
  input logic                clk_i,
  input logic                rst_ni,
  input logic                valid_i,
  input logic [RowW-1:0]     data_i,
  input logic                hold_i,
  input logic [Cores-1:0]    mask_i,
  input logic                addr_wr_i,
  input logic [RowAddrW-1:0] addr_row_i
);
  logic ready;
  logic [31:0] next;
  logic [Cores-1:0] w_we, b_we;
  logic [lstm_pkg::WAddrW-1:0] w_addr;
  logic [lstm_pkg::BAddrW-1:0] b_addr;
  logic [lstm_pkg::Macs*lstm_pkg::WeightW-1:0] w_data;
  logic [lstm_pkg::Macs*lstm_pkg::BiasW-1:0] b_data;
  initial assume (!rst_ni);  // the trace starts in reset
  lstm_wload u_dut (
    .clk_i, .rst_ni, .valid_i, .ready_o(ready), .data_i, .hold_i, .mask_i, .addr_wr_i,
    .addr_row_i, .next_o(next), .w_we_o(w_we), .w_addr_o(w_addr), .w_data_o(w_data),
    .b_we_o(b_we), .b_addr_o(b_addr), .b_data_o(b_data)
  );
endmodule
