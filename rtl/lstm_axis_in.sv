// AXI4-Stream slave for one x stream: TDATA (lstm_pkg::AxisDataW, DataW
// rounded up to whole bytes) into a core port's native x stream (DataW).
//
// - Only TDATA's low DataW bits are read; the padding bits above them are
//   ignored (a master should sign-extend, as lstm_axis_out does for h).
// - A two-entry lstm_fifo sits between the port and the core stream: TREADY
//   and the core side's valid come from its occupancy register, so no
//   combinational path runs from the core's ready to TREADY or from TVALID
//   to the core, and it passes one beat per cycle.
// - No TLAST or TUSER: the core counts its x elements from the layer's
//   descriptor (docs/host-interface.md).
//
// Protocol assertions: the master's rules (TVALID held with TDATA stable until
// TREADY) are `LSTM_ASSUME, as in lstm_axil_slave.
`include "lstm_assert.svh"

module lstm_axis_in #(
  localparam int DataW = lstm_pkg::DataW,
  localparam int AxisDataW = lstm_pkg::AxisDataW
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // AXI4-Stream slave (x)
  input  logic                 s_axis_tvalid_i,
  output logic                 s_axis_tready_o,
  input  logic [AxisDataW-1:0] s_axis_tdata_i,
  // native x stream (to lstm_top in_*)
  output logic                 out_valid_o,
  input  logic                 out_ready_i,
  output logic [DataW-1:0]     out_data_o
);
  logic [1:0] count;  // words held (checked below)

  lstm_fifo #(.Width(DataW), .Depth(2)) u_fifo (
    .clk_i, .rst_ni,
    .in_valid_i(s_axis_tvalid_i), .in_ready_o(s_axis_tready_o),
    .in_data_i(s_axis_tdata_i[DataW-1:0]),
    .out_valid_o, .out_ready_i, .out_data_o,
    .count_o(count)
  );

`ifndef SYNTHESIS
  logic past_q, tvalid_p, tready_p;
  logic [AxisDataW-1:0] tdata_p;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      past_q <= 1'b0;
      tvalid_p <= 1'b0;
      tready_p <= 1'b0;
      tdata_p <= '0;
    end else begin
      past_q <= 1'b1;
      {tvalid_p, tready_p, tdata_p} <= {s_axis_tvalid_i, s_axis_tready_o, s_axis_tdata_i};
    end
  end
  // The master's rule (AXI4-Stream 2.2.1): once TVALID is high it stays high
  // with the same TDATA until the handshake.
  `LSTM_ASSUME(AxisInHeld, !(past_q && tvalid_p && !tready_p) || s_axis_tvalid_i,
               "AXI4-Stream master (x): TVALID stays high until TREADY")
  `LSTM_ASSUME(AxisInStable, !(past_q && tvalid_p && !tready_p) || s_axis_tdata_i == tdata_p,
               "AXI4-Stream master (x): TDATA stays unchanged while TVALID is high and TREADY low")
  `LSTM_ASSERT(AxisInReadyWithRoom, s_axis_tready_o == (count != 2'd2),
               "AXI4-Stream slave (x): TREADY exactly while the two-entry FIFO has room")
`endif
endmodule
