// One copy of a core's h buffer. With Banks = 2 (configs of several cores):
// two banks by address parity, so the h network can write two packets per
// cycle (lstm_h_merge's two picks); write port b writes only addresses whose
// LSB is b, and bank b holds address a at word a >> 1. With Banks = 1 (one
// core: a single source, at most one write per cycle) one RAM takes either
// port. One registered read port over the banks: a read returns the word of
// the address given a cycle before (the bank select is registered with the
// read, and holds with it while re_i is low), like lstm_ram_1r1w.
`include "lstm_assert.svh"

module lstm_hbuf #(
  parameter int Width = 16,
  parameter int Depth = 64,                            // words over all banks
  parameter int Banks = 2,                             // 1 or 2 (lstm_pkg::HBanks)
  parameter int BankDepth = (Depth + Banks - 1) / Banks,  // words per bank (lstm_pkg::HBankDepth)
  localparam int AddrW = $clog2(Depth),
  localparam int BankAddrW = (BankDepth > 1) ? $clog2(BankDepth) : 1
) (
  input  logic               clk_i,
  input  logic               rst_ni,   // for the assertions only
  input  logic [1:0]         we_i,     // per write port
  input  logic [2*AddrW-1:0] waddr_i,  // per write port, a full address
  input  logic [2*Width-1:0] wdata_i,  // per write port
  input  logic               re_i,
  input  logic [AddrW-1:0]   raddr_i,
  output logic [Width-1:0]   rdata_o
);
  `LSTM_ASSERT_INIT(HbufBanksOneOrTwo, Banks == 1 || Banks == 2, "lstm_hbuf: Banks is 1 or 2")
  `LSTM_ASSERT_INIT(HbufBanksHoldAll, Banks * BankDepth >= Depth,
                    "lstm_hbuf: the banks hold every address")

  if (Banks == 2) begin : gen_two
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
`ifndef SYNTHESIS
    `LSTM_ASSERT(HbufWriteBank, (!we_i[0] || !waddr_i[0]) && (!we_i[1] || waddr_i[AddrW]),
                 "write port b writes only addresses of parity b (its bank)")
`endif
  end else begin : gen_one
    lstm_ram_1r1w #(.Width(Width), .Depth(BankDepth)) u_ram (
      .clk_i, .we_i(we_i != '0),
      .waddr_i(BankAddrW'(we_i[1] ? waddr_i[AddrW +: AddrW] : waddr_i[0 +: AddrW])),
      .wdata_i(we_i[1] ? wdata_i[Width +: Width] : wdata_i[0 +: Width]),
      .re_i, .raddr_i(BankAddrW'(raddr_i)), .rdata_o
    );
`ifndef SYNTHESIS
    `LSTM_ASSERT(HbufOneWrite, we_i != 2'b11, "one bank takes at most one write per cycle")
`endif
  end

`ifndef SYNTHESIS
  // Writes only: the MAC operand read also runs (unused) while x is the
  // operand, at whatever address the sequencer holds.
  `LSTM_ASSERT(HbufWriteInRange, (!we_i[0] || 32'(waddr_i[0 +: AddrW]) < Depth)
               && (!we_i[1] || 32'(waddr_i[AddrW +: AddrW]) < Depth),
               "every h buffer write is inside the buffer")
`endif
endmodule
