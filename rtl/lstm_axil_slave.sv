// AXI4-Lite slave in front of lstm_top's native host port: every register and
// memory word of the host map (docs/host-interface.md) at byte address
// `word address << lstm_pkg::ByteShift`.
//
// Native port (lstm_top host_*): one write (host_we) or one read (host_re) per
// cycle, always accepted; read data one cycle after the read. The slave turns
// AXI4-Lite transactions into these accesses:
//
// - AW and W are each taken into a one-entry holding register (AWREADY and
//   WREADY are high while it is empty or is passed on in this cycle, so they
//   do not wait for the other channel). When both hold a request and the
//   two-entry write response queue has room, the write goes to the native
//   port and its B response is queued (BVALID the next cycle). So a master
//   that takes each B at once writes one word per cycle. AWREADY and WREADY
//   come from registers only: no combinational path from any input.
// - AR is taken into a one-entry holding register; the read goes to the native
//   port, its data is registered the cycle after, and R carries it.
// - At most three writes (one held, two answered and waiting for BREADY) and
//   one read are in flight; responses come in request order on each channel. When a write and a read could both go in the same
//   cycle, they take turns.
// - A write whose WSTRB is not all ones, or a write or read whose address is
//   not word-aligned, is not passed on and is answered with SLVERR (RDATA 0).
//   Everything else is answered with OKAY, also addresses the map does not
//   define (writes ignored, reads 0, as on the native port).
// - No AxPROT: the slave grants every access.
//
// Protocol assertions: the master's rules (payload stable and valid held until
// ready) and the native port's (read data the cycle after a read) are
// `LSTM_ASSUME (checked in simulation, assumed in formal: tools/formal.sh),
// the slave's own (B and R held until taken, one response per request, one
// native access at a time) are `LSTM_ASSERT.
`include "lstm_assert.svh"

module lstm_axil_slave #(
  localparam int AddrW = lstm_pkg::AddrW,                         // native word address
  localparam int ByteShift = lstm_pkg::ByteShift,
  localparam int AxiAddrW = lstm_pkg::AddrW + lstm_pkg::ByteShift  // byte address
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  // AXI4-Lite write address, write data, write response
  input  logic                s_axil_awvalid_i,
  output logic                s_axil_awready_o,
  input  logic [AxiAddrW-1:0] s_axil_awaddr_i,
  input  logic                s_axil_wvalid_i,
  output logic                s_axil_wready_o,
  input  logic [31:0]         s_axil_wdata_i,
  input  logic [3:0]          s_axil_wstrb_i,
  output logic                s_axil_bvalid_o,
  input  logic                s_axil_bready_i,
  output logic [1:0]          s_axil_bresp_o,
  // AXI4-Lite read address, read data
  input  logic                s_axil_arvalid_i,
  output logic                s_axil_arready_o,
  input  logic [AxiAddrW-1:0] s_axil_araddr_i,
  output logic                s_axil_rvalid_o,
  input  logic                s_axil_rready_i,
  output logic [31:0]         s_axil_rdata_o,
  output logic [1:0]          s_axil_rresp_o,
  // Native host port (to lstm_top)
  output logic                host_we_o,
  output logic                host_re_o,
  output logic [AddrW-1:0]    host_addr_o,
  output logic [31:0]         host_wdata_o,
  input  logic [31:0]         host_rdata_i,
  input  logic                host_rvalid_i
);
  localparam logic [1:0] RespOkay = 2'b00;
  localparam logic [1:0] RespSlvErr = 2'b10;

  // Holding registers of AW, W and AR.
  logic aw_full_q, aw_full_d, w_full_q, w_full_d, ar_full_q, ar_full_d;
  logic [AxiAddrW-1:0] awaddr_q, awaddr_d, araddr_q, araddr_d;
  logic [31:0] wdata_q, wdata_d;
  logic [3:0] wstrb_q, wstrb_d;
  // Responses: B a two-entry queue (head in bresp0), R one register.
  logic [1:0] bcnt_q, bcnt_d;  // B responses queued, 0..2
  logic [1:0] bresp0_q, bresp0_d, bresp1_q, bresp1_d;
  logic rvalid_q, rvalid_d, rpend_q, rpend_d, rok_q, rok_d;
  logic [1:0] rresp_q, rresp_d;
  logic [31:0] rdata_q, rdata_d;
  logic last_wr_q, last_wr_d;  // the last native access was a write

  logic aw_hs, w_hs, b_hs, ar_hs, r_hs;
  assign aw_hs = s_axil_awvalid_i && s_axil_awready_o;
  assign w_hs = s_axil_wvalid_i && s_axil_wready_o;
  assign b_hs = s_axil_bvalid_o && s_axil_bready_i;
  assign ar_hs = s_axil_arvalid_i && s_axil_arready_o;
  assign r_hs = s_axil_rvalid_o && s_axil_rready_i;

  // Which request goes to the native port this cycle (from registers only).
  logic wr_cand, rd_cand, wr_go, rd_go, wr_ok, rd_ok;
  assign wr_cand = aw_full_q && w_full_q && (bcnt_q != 2'd2);
  assign rd_cand = ar_full_q && !rpend_q && !rvalid_q;
  assign wr_go = wr_cand && (!rd_cand || !last_wr_q);
  assign rd_go = rd_cand && !wr_go;
  assign wr_ok = (awaddr_q[ByteShift-1:0] == '0) && (wstrb_q == 4'hF);
  assign rd_ok = (araddr_q[ByteShift-1:0] == '0);

  assign s_axil_awready_o = !aw_full_q || wr_go;
  assign s_axil_wready_o = !w_full_q || wr_go;
  assign s_axil_arready_o = !ar_full_q;
  assign s_axil_bvalid_o = bcnt_q != 2'd0;
  assign s_axil_bresp_o = bresp0_q;
  assign s_axil_rvalid_o = rvalid_q;
  assign s_axil_rdata_o = rdata_q;
  assign s_axil_rresp_o = rresp_q;

  assign host_we_o = wr_go && wr_ok;
  assign host_re_o = rd_go && rd_ok;
  assign host_addr_o = wr_go ? awaddr_q[AxiAddrW-1:ByteShift] : araddr_q[AxiAddrW-1:ByteShift];
  assign host_wdata_o = wdata_q;

  always_comb begin
    aw_full_d = aw_full_q;
    w_full_d = w_full_q;
    ar_full_d = ar_full_q;
    awaddr_d = awaddr_q;
    araddr_d = araddr_q;
    wdata_d = wdata_q;
    wstrb_d = wstrb_q;
    bcnt_d = bcnt_q;
    bresp0_d = bresp0_q;
    bresp1_d = bresp1_q;
    rvalid_d = rvalid_q;
    rresp_d = rresp_q;
    rdata_d = rdata_q;
    rpend_d = 1'b0;
    rok_d = rok_q;
    last_wr_d = last_wr_q;
    // B's head is taken, then the held write goes on (its B queued behind),
    // then a new request fills the register it freed.
    if (b_hs) begin
      bcnt_d = bcnt_q - 2'd1;
      bresp0_d = bresp1_q;
    end
    if (wr_go) begin
      aw_full_d = 1'b0;
      w_full_d = 1'b0;
      if (bcnt_d == 2'd0) bresp0_d = wr_ok ? RespOkay : RespSlvErr;
      else bresp1_d = wr_ok ? RespOkay : RespSlvErr;
      bcnt_d = bcnt_d + 2'd1;
      last_wr_d = 1'b1;
    end
    if (aw_hs) begin
      aw_full_d = 1'b1;
      awaddr_d = s_axil_awaddr_i;
    end
    if (w_hs) begin
      w_full_d = 1'b1;
      wdata_d = s_axil_wdata_i;
      wstrb_d = s_axil_wstrb_i;
    end
    if (ar_hs) begin
      ar_full_d = 1'b1;
      araddr_d = s_axil_araddr_i;
    end
    if (r_hs) rvalid_d = 1'b0;
    if (rd_go) begin
      ar_full_d = 1'b0;
      rpend_d = 1'b1;
      rok_d = rd_ok;
      last_wr_d = 1'b0;
    end
    if (rpend_q) begin  // the native read data of last cycle's read
      rvalid_d = 1'b1;
      rdata_d = rok_q ? host_rdata_i : 32'd0;
      rresp_d = rok_q ? RespOkay : RespSlvErr;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      aw_full_q <= 1'b0;
      w_full_q <= 1'b0;
      ar_full_q <= 1'b0;
      awaddr_q <= '0;
      araddr_q <= '0;
      wdata_q <= '0;
      wstrb_q <= '0;
      bcnt_q <= 2'd0;
      bresp0_q <= RespOkay;
      bresp1_q <= RespOkay;
      rvalid_q <= 1'b0;
      rresp_q <= RespOkay;
      rdata_q <= '0;
      rpend_q <= 1'b0;
      rok_q <= 1'b0;
      last_wr_q <= 1'b0;
    end else begin
      aw_full_q <= aw_full_d;
      w_full_q <= w_full_d;
      ar_full_q <= ar_full_d;
      awaddr_q <= awaddr_d;
      araddr_q <= araddr_d;
      wdata_q <= wdata_d;
      wstrb_q <= wstrb_d;
      bcnt_q <= bcnt_d;
      bresp0_q <= bresp0_d;
      bresp1_q <= bresp1_d;
      rvalid_q <= rvalid_d;
      rresp_q <= rresp_d;
      rdata_q <= rdata_d;
      rpend_q <= rpend_d;
      rok_q <= rok_d;
      last_wr_q <= last_wr_d;
    end
  end

`ifndef SYNTHESIS
  // Last cycle's channel signals, and the requests not answered yet.
  logic past_q;  // a cycle out of reset has passed
  logic awvalid_p, awready_p, wvalid_p, wready_p, arvalid_p, arready_p;
  logic bvalid_p, bready_p, rvalid_p, rready_p;
  logic [AxiAddrW-1:0] awaddr_p, araddr_p;
  logic [31:0] wdata_p, rdata_p;
  logic [3:0] wstrb_p;
  logic [1:0] bresp_p, rresp_p;
  logic [2:0] aw_open_q, w_open_q;  // accepted, not answered
  logic [1:0] ar_open_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      past_q <= 1'b0;
      aw_open_q <= '0;
      w_open_q <= '0;
      ar_open_q <= '0;
      awvalid_p <= 1'b0;
      wvalid_p <= 1'b0;
      arvalid_p <= 1'b0;
      bvalid_p <= 1'b0;
      rvalid_p <= 1'b0;
    end else begin
      past_q <= 1'b1;
      {awvalid_p, awready_p, awaddr_p} <= {s_axil_awvalid_i, s_axil_awready_o, s_axil_awaddr_i};
      {wvalid_p, wready_p, wdata_p, wstrb_p} <= {s_axil_wvalid_i, s_axil_wready_o,
                                                 s_axil_wdata_i, s_axil_wstrb_i};
      {arvalid_p, arready_p, araddr_p} <= {s_axil_arvalid_i, s_axil_arready_o, s_axil_araddr_i};
      {bvalid_p, bready_p, bresp_p} <= {s_axil_bvalid_o, s_axil_bready_i, s_axil_bresp_o};
      {rvalid_p, rready_p, rdata_p, rresp_p} <= {s_axil_rvalid_o, s_axil_rready_i,
                                                 s_axil_rdata_o, s_axil_rresp_o};
      aw_open_q <= aw_open_q + 3'(aw_hs) - 3'(b_hs);
      w_open_q <= w_open_q + 3'(w_hs) - 3'(b_hs);
      ar_open_q <= ar_open_q + 2'(ar_hs) - 2'(r_hs);
    end
  end
  // The master's rules (AXI4 A3.2.1): once valid, it stays with the same
  // payload until the handshake.
  `LSTM_ASSUME(AxilAwStable, !(past_q && awvalid_p && !awready_p)
               || (s_axil_awvalid_i && s_axil_awaddr_i == awaddr_p),
               "AXI4-Lite master: AWVALID stays high with AWADDR unchanged until AWREADY")
  `LSTM_ASSUME(AxilWStable, !(past_q && wvalid_p && !wready_p)
               || (s_axil_wvalid_i && s_axil_wdata_i == wdata_p && s_axil_wstrb_i == wstrb_p),
               "AXI4-Lite master: WVALID stays high with WDATA and WSTRB unchanged until WREADY")
  `LSTM_ASSUME(AxilArStable, !(past_q && arvalid_p && !arready_p)
               || (s_axil_arvalid_i && s_axil_araddr_i == araddr_p),
               "AXI4-Lite master: ARVALID stays high with ARADDR unchanged until ARREADY")
  // The slave's rules.
  `LSTM_ASSERT(AxilBStable, !(past_q && bvalid_p && !bready_p)
               || (s_axil_bvalid_o && s_axil_bresp_o == bresp_p),
               "AXI4-Lite slave: BVALID stays high with BRESP unchanged until BREADY")
  `LSTM_ASSERT(AxilRStable, !(past_q && rvalid_p && !rready_p)
               || (s_axil_rvalid_o && s_axil_rdata_o == rdata_p && s_axil_rresp_o == rresp_p),
               "AXI4-Lite slave: RVALID stays high with RDATA and RRESP unchanged until RREADY")
  `LSTM_ASSERT(AxilBAnswersRequest, !s_axil_bvalid_o || (aw_open_q != '0 && w_open_q != '0),
               "AXI4-Lite slave: a write response only for an accepted address and data")
  `LSTM_ASSERT(AxilRAnswersRequest, !s_axil_rvalid_o || ar_open_q != '0,
               "AXI4-Lite slave: a read response only for an accepted read address")
  `LSTM_ASSERT(AxilOpenBound, aw_open_q <= 3'd3 && w_open_q <= 3'd3 && ar_open_q <= 2'd2,
               "AXI4-Lite slave: at most one write held and two answered, one read held and one answered")
  // Invariants tying the open-request counts to the holding registers and
  // responses: true in every reachable state; they let the formal check
  // prove the rules above by induction (every cycle, not only 20).
  `LSTM_ASSERT(AxilWriteOpenMatches, bcnt_q <= 2'd2 && aw_open_q == 3'(aw_full_q) + 3'(bcnt_q)
               && w_open_q == 3'(w_full_q) + 3'(bcnt_q),
               "AXI4-Lite slave: each open write is held or answered (two B responses at most)")
  `LSTM_ASSERT(AxilReadOpenMatches, ar_open_q == 2'(ar_full_q) + 2'(rpend_q) + 2'(rvalid_q)
               && !(rpend_q && rvalid_q),
               "AXI4-Lite slave: each open read is held, at the native port or answered")
  `LSTM_ASSERT(AxilOneNativeAccess, !(host_we_o && host_re_o),
               "one native access per cycle: a write or a read")
  `LSTM_ASSUME(AxilNativeReadData, !(rpend_q && rok_q) || host_rvalid_i,
               "the native port returns read data the cycle after a read")
`endif
endmodule
