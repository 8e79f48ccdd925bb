// Formal harness of lstm_axil_slave (tools/formal.sh): every AXI4-Lite and
// native input is free; the master's rules and the native port's read timing
// are the slave's `LSTM_ASSUMEs, its own rules its `LSTM_ASSERTs.
module formal_axil_slave #(
  localparam int AddrW = lstm_pkg::AddrW,
  localparam int AxiAddrW = lstm_pkg::AddrW + lstm_pkg::ByteShift
) (
  input logic                clk_i,
  input logic                rst_ni,
  input logic                awvalid_i,
  input logic [AxiAddrW-1:0] awaddr_i,
  input logic                wvalid_i,
  input logic [31:0]         wdata_i,
  input logic [3:0]          wstrb_i,
  input logic                bready_i,
  input logic                arvalid_i,
  input logic [AxiAddrW-1:0] araddr_i,
  input logic                rready_i,
  input logic [31:0]         host_rdata_i,
  input logic                host_rvalid_i
);
  logic awready, wready, bvalid, arready, rvalid, host_we, host_re;
  logic [1:0] bresp, rresp;
  logic [31:0] rdata, host_wdata;
  logic [AddrW-1:0] host_addr;
  initial assume (!rst_ni);  // the trace starts in reset
  lstm_axil_slave u_dut (
    .clk_i, .rst_ni,
    .s_axil_awvalid_i(awvalid_i), .s_axil_awready_o(awready), .s_axil_awaddr_i(awaddr_i),
    .s_axil_wvalid_i(wvalid_i), .s_axil_wready_o(wready), .s_axil_wdata_i(wdata_i),
    .s_axil_wstrb_i(wstrb_i), .s_axil_bvalid_o(bvalid), .s_axil_bready_i(bready_i),
    .s_axil_bresp_o(bresp), .s_axil_arvalid_i(arvalid_i), .s_axil_arready_o(arready),
    .s_axil_araddr_i(araddr_i), .s_axil_rvalid_o(rvalid), .s_axil_rready_i(rready_i),
    .s_axil_rdata_o(rdata), .s_axil_rresp_o(rresp),
    .host_we_o(host_we), .host_re_o(host_re), .host_addr_o(host_addr),
    .host_wdata_o(host_wdata), .host_rdata_i, .host_rvalid_i
  );
endmodule
