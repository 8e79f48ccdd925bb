// One copy of a core's h buffer: two banks by address parity, so the h
// network can write two packets per cycle (lstm_h_merge's two picks), and one
// registered read port over both. Write port b writes only addresses whose
// LSB is b; bank b holds address a at word a >> 1. A read returns the word of
// the address given a cycle before (the bank select is registered with the
// read, and holds with it while re_i is low), like lstm_ram_1r1w.
`include "lstm_assert.svh"

module lstm_hbuf #(
  parameter int Width = 16,
  parameter int Depth = 64,            // words over both banks
  parameter int BankDepth = (Depth + 1) / 2,  // words per bank (lstm_pkg::HBankDepth)
  localparam int AddrW = $clog2(Depth),
  localparam int BankAddrW = (BankDepth > 1) ? $clog2(BankDepth) : 1
) (
  input  logic               clk_i,
  input  logic               rst_ni,   // for the assertions only
  input  logic [1:0]         we_i,     // per bank
  input  logic [2*AddrW-1:0] waddr_i,  // per bank, a full address
  input  logic [2*Width-1:0] wdata_i,  // per bank
  input  logic               re_i,
  input  logic [AddrW-1:0]   raddr_i,
  output logic [Width-1:0]   rdata_o
);
  logic [2*Width-1:0] bank_rdata;
  for (genvar b = 0; b < 2; b++) begin : gen_bank
    lstm_ram_1r1w #(.Width(Width), .Depth(BankDepth)) u_ram (
      .clk_i, .we_i(we_i[b]), .waddr_i(BankAddrW'(waddr_i[b*AddrW +: AddrW] >> 1)),
      .wdata_i(wdata_i[b*Width +: Width]),
      .re_i, .raddr_i(BankAddrW'(raddr_i >> 1)), .rdata_o(bank_rdata[b*Width +: Width])
    );
  end

  logic sel_q;  // no reset, like the RAMs' read registers
  always_ff @(posedge clk_i) begin
    if (re_i) sel_q <= raddr_i[0];
  end
  assign rdata_o = sel_q ? bank_rdata[Width +: Width] : bank_rdata[0 +: Width];

  `LSTM_ASSERT_INIT(HbufBanksHoldAll, 2 * BankDepth >= Depth,
                    "lstm_hbuf: the two banks hold every address (address a is word a >> 1 of bank a[0])")
`ifndef SYNTHESIS
  `LSTM_ASSERT(HbufWriteBank, (!we_i[0] || !waddr_i[0]) && (!we_i[1] || waddr_i[AddrW]),
               "write port b writes only addresses of parity b (its bank)")
  `LSTM_ASSERT(HbufAddrInRange, (!we_i[0] || 32'(waddr_i[0 +: AddrW]) < Depth)
               && (!we_i[1] || 32'(waddr_i[AddrW +: AddrW]) < Depth) && (!re_i || 32'(raddr_i) < Depth),
               "every h buffer address is inside the buffer")
`endif
endmodule
