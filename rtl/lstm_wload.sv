// Row loader: the weight/bias row stream (AXI4-Stream s_axis_w_* on
// lstm_axi_top). A beat carries one word for each of a core's Macs weight (or
// bias) memories, so it writes memory word `word` of every slot at once, in
// every core of WLOAD_MASK: one beat per row instead of one host write per
// weight.
//
// Beat packing (lstm_pkg::WRowSlotW = max(WeightW, BiasW) in whole bytes):
// slot s = lane * Gates + gate (the host map's memory index) is
// data_i[s*WRowSlotW +: WRowSlotW]; a weight is its low WeightW bits, a bias
// its low BiasW bits (two's complement; the bits above are ignored).
//
// Registers (controller, lstm_pkg::GRegWload*; docs/host-interface.md):
// - WLOAD_MASK: the cores each beat writes (several: a broadcast).
// - WLOAD_ADDR (write): the next beat's row, as the memory index of its slot
//   0 on the host port: region << RegionShift | word << SlotW (region
//   RegionWeights or RegionBiases; target and slot bits are ignored). Each
//   beat moves it on by one word.
// - WLOAD_NEXT (read): that index now, so beats taken = (NEXT - ADDR) >> SlotW.
// A beat for another region, or for a word past the memory's depth, is taken
// and dropped, as a host write there is ignored.
//
// ready_o is low in a cycle the host port writes (hold_i), so a row write
// and a host write never meet at a memory, nor a beat and a write of
// WLOAD_ADDR. It depends on hold_i alone, never on valid_i.
`include "lstm_assert.svh"

module lstm_wload #(
  localparam int Cores = lstm_pkg::Cores,
  localparam int Macs = lstm_pkg::Macs,
  localparam int SlotW = lstm_pkg::SlotW,
  localparam int RowW = lstm_pkg::WRowW,
  localparam int RowSlotW = lstm_pkg::WRowSlotW,
  localparam int WeightW = lstm_pkg::WeightW,
  localparam int BiasW = lstm_pkg::BiasW,
  localparam int WAddrW = lstm_pkg::WAddrW,
  localparam int BAddrW = lstm_pkg::BAddrW,
  localparam int IndexW = lstm_pkg::IndexW,
  localparam int RegionW = lstm_pkg::RegionW,
  localparam int RowAddrW = RegionW + IndexW - SlotW  // {region, word} of a memory index
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // the row stream
  input  logic                    valid_i,
  output logic                    ready_o,
  input  logic [RowW-1:0]         data_i,
  input  logic                    hold_i,      // the host port writes this cycle
  // registers
  input  logic [Cores-1:0]        mask_i,      // WLOAD_MASK
  input  logic                    addr_wr_i,   // a write of WLOAD_ADDR ...
  input  logic [RowAddrW-1:0]     addr_row_i,  // ... its {region, word}
  output logic [31:0]             next_o,      // WLOAD_NEXT
  // row writes, per core
  output logic [Cores-1:0]        w_we_o,
  output logic [WAddrW-1:0]       w_addr_o,
  output logic [Macs*WeightW-1:0] w_data_o,
  output logic [Cores-1:0]        b_we_o,
  output logic [BAddrW-1:0]       b_addr_o,
  output logic [Macs*BiasW-1:0]   b_data_o
);
  logic [RowAddrW-1:0] row_q, row_d;  // {region, word} of the next beat
  logic [RegionW-1:0] region;
  logic [IndexW-SlotW-1:0] word;
  logic beat, w_ok, b_ok;

  assign {region, word} = row_q;
  assign w_ok = (region == RegionW'(lstm_pkg::RegionWeights))
             && (32'(word) < 32'(lstm_pkg::WeightDepth));
  assign b_ok = (region == RegionW'(lstm_pkg::RegionBiases))
             && (32'(word) < 32'(lstm_pkg::BiasDepth));
  assign ready_o = !hold_i;
  assign beat = valid_i && ready_o;

  always_comb begin
    row_d = row_q;
    if (addr_wr_i) row_d = addr_row_i;
    else if (beat) row_d = row_q + RowAddrW'(1);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) row_q <= '0;
    else row_q <= row_d;
  end

  assign next_o = 32'({row_q, SlotW'(0)});
  assign w_we_o = (beat && w_ok) ? mask_i : '0;
  assign b_we_o = (beat && b_ok) ? mask_i : '0;
  assign w_addr_o = WAddrW'(word);
  assign b_addr_o = BAddrW'(word);
  for (genvar s = 0; s < Macs; s++) begin : gen_slot
    assign w_data_o[s*WeightW +: WeightW] = data_i[s*RowSlotW +: WeightW];
    assign b_data_o[s*BiasW +: BiasW] = data_i[s*RowSlotW +: BiasW];
  end

`ifndef SYNTHESIS
  logic past_q, valid_p, ready_p, beat_p, addr_wr_p;
  logic [RowW-1:0] data_p;
  logic [RowAddrW-1:0] row_p, addr_row_p;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      past_q <= 1'b0;
      valid_p <= 1'b0;
      ready_p <= 1'b0;
      beat_p <= 1'b0;
      addr_wr_p <= 1'b0;
      data_p <= '0;
      row_p <= '0;
      addr_row_p <= '0;
    end else begin
      past_q <= 1'b1;
      {valid_p, ready_p, data_p} <= {valid_i, ready_o, data_i};
      {beat_p, addr_wr_p, row_p, addr_row_p} <= {beat, addr_wr_i, row_q, addr_row_i};
    end
  end
  // The master's rule (AXI4-Stream 2.2.1): once TVALID is high it stays high
  // with the same TDATA until the handshake.
  `LSTM_ASSUME(WloadHeld, !(past_q && valid_p && !ready_p) || valid_i,
               "AXI4-Stream master (weight rows): TVALID stays high until TREADY")
  `LSTM_ASSUME(WloadStable, !(past_q && valid_p && !ready_p) || data_i == data_p,
               "AXI4-Stream master (weight rows): TDATA stays unchanged until TREADY")
  `LSTM_ASSERT(WloadOneMemory, (w_we_o & b_we_o) == '0,
               "a row beat writes the weight or the bias memories, never both")
  `LSTM_ASSERT(WloadWeightInBounds, w_we_o == '0 || 32'(w_addr_o) < 32'(lstm_pkg::WeightDepth),
               "a row beat writes the weight memories only at a word they have")
  `LSTM_ASSERT(WloadBiasInBounds, b_we_o == '0 || 32'(b_addr_o) < 32'(lstm_pkg::BiasDepth),
               "a row beat writes the bias memories only at a word they have")
  `LSTM_ASSERT(WloadWritesOnlyMasked, ((w_we_o | b_we_o) & ~mask_i) == '0,
               "a row beat writes only the cores of WLOAD_MASK")
  `LSTM_ASSERT(WloadAddrWriteLoads, !(past_q && addr_wr_p) || row_q == addr_row_p,
               "a write of WLOAD_ADDR sets the next beat's row")
  `LSTM_ASSERT(WloadNextCounts, !(past_q && !addr_wr_p && beat_p) || row_q == row_p + RowAddrW'(1),
               "each beat moves WLOAD_NEXT on by exactly one word")
  `LSTM_ASSERT(WloadIdleKeeps, !(past_q && !addr_wr_p && !beat_p) || row_q == row_p,
               "without a beat or a WLOAD_ADDR write the next row stays")
  `LSTM_ASSERT(WloadNotWithHost, !((w_we_o | b_we_o) != '0 && hold_i),
               "no row write in a cycle the host port writes")
`endif
endmodule
