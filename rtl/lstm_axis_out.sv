// AXI4-Stream master for one h stream: a core port's native h stream (DataW,
// last, seq_last) out as TDATA (lstm_pkg::AxisDataW, DataW rounded up to whole
// bytes, sign-extended), TLAST and TUSER.
//
// - TLAST: the last element of each h_t (the native stream's last).
// - TUSER[0]: the last element of the run (the core's seq_last: the last h_t
//   of the sequence); it comes with TLAST.
// - A two-entry lstm_fifo sits between the core stream and the port: TVALID
//   and the core side's ready come from its occupancy register, so no
//   combinational path runs from TREADY to the core, and it passes one beat
//   per cycle.
//
// Protocol assertions: this master's rules (TVALID held with TDATA, TLAST and
// TUSER stable until TREADY; TUSER only with TLAST) are `LSTM_ASSERT.
`include "lstm_assert.svh"

module lstm_axis_out #(
  localparam int DataW = lstm_pkg::DataW,
  localparam int AxisDataW = lstm_pkg::AxisDataW
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // native h stream (from lstm_top out_*)
  input  logic                 in_valid_i,
  output logic                 in_ready_o,
  input  logic [DataW-1:0]     in_data_i,
  input  logic                 in_last_i,      // last element of an h_t
  input  logic                 in_seq_last_i,  // last element of the run
  // AXI4-Stream master (h)
  output logic                 m_axis_tvalid_o,
  input  logic                 m_axis_tready_i,
  output logic [AxisDataW-1:0] m_axis_tdata_o,
  output logic                 m_axis_tlast_o,
  output logic                 m_axis_tuser_o
);
  logic [DataW-1:0] data;
  logic seq_last;
  logic [1:0] count;  // words held (checked below)

  lstm_fifo #(.Width(DataW + 2), .Depth(2)) u_fifo (
    .clk_i, .rst_ni,
    .in_valid_i, .in_ready_o, .in_data_i({in_seq_last_i, in_last_i, in_data_i}),
    .out_valid_o(m_axis_tvalid_o), .out_ready_i(m_axis_tready_i),
    .out_data_o({seq_last, m_axis_tlast_o, data}),
    .count_o(count)
  );
  // TUSER only with TLAST by construction (lstm_top keeps the rule too,
  // OutSeqLastIsLast), so the formal check proves it for every cycle without
  // an invariant on the FIFO's entries.
  assign m_axis_tuser_o = seq_last && m_axis_tlast_o;
  assign m_axis_tdata_o = AxisDataW'($signed(data));

`ifndef SYNTHESIS
  logic past_q, tvalid_p, tready_p, tlast_p, tuser_p;
  logic [AxisDataW-1:0] tdata_p;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      past_q <= 1'b0;
      tvalid_p <= 1'b0;
      tready_p <= 1'b0;
      tdata_p <= '0;
      tlast_p <= 1'b0;
      tuser_p <= 1'b0;
    end else begin
      past_q <= 1'b1;
      {tvalid_p, tready_p, tdata_p, tlast_p, tuser_p} <= {m_axis_tvalid_o, m_axis_tready_i,
                                                          m_axis_tdata_o, m_axis_tlast_o,
                                                          m_axis_tuser_o};
    end
  end
  // This master's rules (AXI4-Stream 2.2.1).
  `LSTM_ASSERT(AxisOutHeld, !(past_q && tvalid_p && !tready_p) || m_axis_tvalid_o,
               "AXI4-Stream master (h): TVALID stays high until TREADY")
  `LSTM_ASSERT(AxisOutStable, !(past_q && tvalid_p && !tready_p)
               || (m_axis_tdata_o == tdata_p && m_axis_tlast_o == tlast_p
                   && m_axis_tuser_o == tuser_p),
               "AXI4-Stream master (h): TDATA, TLAST and TUSER stay unchanged until TREADY")
  `LSTM_ASSERT(AxisOutSeqLastIsLast, !m_axis_tvalid_o || !m_axis_tuser_o || m_axis_tlast_o,
               "AXI4-Stream master (h): TUSER (end of the run) only with TLAST (end of an h_t)")
  `LSTM_ASSERT(AxisOutValidWhenHeld, m_axis_tvalid_o == (count != '0),
               "AXI4-Stream master (h): TVALID exactly while the FIFO holds a beat")
`endif
endmodule
