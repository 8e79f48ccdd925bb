// Output streamer: sends the h vector of the core's last local layer out on
// the output stream, once per step, as soon as that layer-step is complete in
// the h buffer (hdone_i). It reads the buffer's second copy, so it never
// contends with the MAC operand reads, and keeps a small FIFO between the
// read and the stream: it reads only with room for the word in flight.
//
// out_done_o counts the steps fully read. The sequencer compares it with the
// step it is about to overwrite (OUT_WAIT), so an h is never overwritten
// before it was sent.
//
// Batch (features.batch), a batched program (batched_i, X_LEN != 0): the
// streamer walks the layers of every step and sends each layer with
// LFLAGS.OUT (and the last) as soon as its layer-step is complete, one h
// vector each (last flags every vector's end, seq_last the last of the run);
// it skips any other layer in one cycle. out_done counts the steps whose
// vectors were all read.
`include "lstm_assert.svh"

module lstm_out_streamer #(
  parameter int FifoDepth = 4,
  parameter bit Batch = 1'b0,
  parameter int LFlagOutBit = 1,  // Batch: LFLAGS.OUT (lstm_pkg's, through lstm_core)
  localparam int MaxLayers = lstm_pkg::MaxLayers,
  localparam int HiddenRegW = lstm_pkg::HiddenRegW,
  localparam int DataW = lstm_pkg::DataW,
  localparam int VecW = lstm_pkg::VecW,
  localparam int UnitW = lstm_pkg::UnitW,
  localparam int LayerW = lstm_pkg::LayerW,
  localparam int HAddrW = lstm_pkg::HAddrW,
  localparam int StepW = lstm_pkg::StepW,
  localparam int LStepW = lstm_pkg::LStepW
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic              start_i,       // a run starts: back to step 0
  input  logic              running_i,     // the sequencer runs or drains
  input  logic              out_en_i,      // FLAGS.OUT_EN: stream at all
  input  logic              h_half_i,      // FLAGS.H_HALF: step t's h is in half t[0] ^ h_half
  input  logic              batched_i,     // Batch: a batched program (X_LEN != 0)
  input  logic [MaxLayers*32-1:0] lflags_i,          // Batch: LFLAGS per layer
  input  logic [MaxLayers*HiddenRegW-1:0] hidden_i,  // Batch: HIDDEN per layer
  input  logic [StepW-1:0]  steps_i,       // steps of the run
  input  logic [LStepW-1:0] num_layers_i,  // local layers: layer-steps per step
  input  logic [LayerW-1:0] last_layer_i,  // the layer whose h is sent
  input  logic [UnitW-1:0]  h_len_i,       // its hidden size
  input  logic [31:0]       hdone_i,       // layer-steps complete in the h buffer
  // h buffer read port (the output copy)
  output logic              h_re_o,
  output logic [HAddrW-1:0] h_raddr_o,
  input  logic [DataW-1:0]  h_rdata_i,
  // h output stream; last flags the vector's last element, seq_last the
  // run's (the last element of its last step)
  output logic              out_valid_o,
  input  logic              out_ready_i,
  output logic [DataW-1:0]  out_data_o,
  output logic              out_last_o,
  output logic              out_seq_last_o,
  output logic [31:0]       out_done_o,    // steps fully read
  output logic              idle_o         // every step of the run sent (or OUT_EN off)
);
  localparam int CountW = $clog2(FifoDepth + 1);

  // Sized from limits.max_steps (issue 10): a run has at most MaxSteps steps
  // of at most MaxLayers layer-steps, and hdone_i never exceeds their product
  // (its upper bits are 0 then).
  logic [StepW-1:0] step_q, step_d;        // step being read
  logic [LStepW-1:0] need_q, need_d;       // hdone that completes it: (step + 1) * num_layers
  logic [UnitW-1:0] idx_q, idx_d;          // element being read
  logic pend_q, pend_last_q, pend_seq_last_q;  // a read's word arrives from the RAM this cycle
  logic [CountW-1:0] fifo_count;
  logic last_idx, last_step, fifo_in_ready;

  // The layer sent (Batch: the walk's layer v_q; else the last), its length,
  // whether it is sent at all, whether it ends the step, and the hdone that
  // completes it.
  logic [LayerW-1:0] v_q, v_d, out_layer;
  logic [UnitW-1:0] len;
  logic sends, step_end, skip;
  logic [LStepW-1:0] need_first, need_next;
  if (Batch) begin : gen_walk
    logic lf_out;
    logic lflags_unused;  // LFLAGS' other bits (the sequencer reads them)
    assign lflags_unused = ^lflags_i;
    assign lf_out = lflags_i[32*v_q + LFlagOutBit];
    assign out_layer = batched_i ? v_q : last_layer_i;
    assign len = batched_i ? UnitW'(hidden_i[HiddenRegW*v_q +: HiddenRegW]) : h_len_i;
    assign sends = !batched_i || lf_out || v_q == last_layer_i;
    assign step_end = !batched_i || v_q == last_layer_i;
    assign need_first = batched_i ? LStepW'(1) : num_layers_i;
    assign need_next = batched_i ? need_q + LStepW'(1) : need_q + num_layers_i;
  end else begin : gen_last
    logic walk_unused;
    assign walk_unused = ^{batched_i, lflags_i, hidden_i, v_q};
    assign out_layer = last_layer_i;
    assign len = h_len_i;
    assign sends = 1'b1;
    assign step_end = 1'b1;
    assign need_first = num_layers_i;
    assign need_next = need_q + num_layers_i;
  end
  assign last_idx = (idx_q == len - UnitW'(1));
  assign last_step = (step_q + StepW'(1) == steps_i);  // no wrap: step_q < steps_i
  assign skip = Batch && running_i && out_en_i && (step_q < steps_i) && !sends;
  assign h_re_o = running_i && out_en_i && (step_q < steps_i) && sends && (hdone_i >= 32'(need_q))
               && ((CountW + 1)'(fifo_count) + (CountW + 1)'(pend_q)
                   < (CountW + 1)'(FifoDepth));
  assign h_raddr_o = lstm_pkg::h_addr(out_layer, step_q[0] ^ h_half_i, VecW'(idx_q));

  always_comb begin
    step_d = step_q;
    need_d = need_q;
    idx_d = idx_q;
    v_d = v_q;
    if (start_i) begin
      step_d = '0;
      need_d = need_first;
      idx_d = '0;
      v_d = '0;
    end else if (h_re_o || skip) begin
      idx_d = idx_q + UnitW'(1);
      if (last_idx || skip) begin
        idx_d = '0;
        need_d = need_next;
        v_d = v_q + LayerW'(1);
        if (step_end) begin
          step_d = step_q + StepW'(1);
          v_d = '0;
        end
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      step_q <= '0;
      need_q <= '0;
      idx_q <= '0;
      v_q <= '0;
      pend_q <= 1'b0;
      pend_last_q <= 1'b0;
      pend_seq_last_q <= 1'b0;
    end else begin
      step_q <= step_d;
      need_q <= need_d;
      idx_q <= idx_d;
      v_q <= v_d;
      pend_q <= h_re_o;
      pend_last_q <= last_idx;
      pend_seq_last_q <= last_idx && last_step && step_end;
    end
  end

  lstm_fifo #(.Width(DataW + 2), .Depth(FifoDepth)) u_fifo (
    .clk_i, .rst_ni,
    .in_valid_i(pend_q), .in_ready_o(fifo_in_ready),
    .in_data_i({pend_seq_last_q, pend_last_q, h_rdata_i}),
    .out_valid_o, .out_ready_i, .out_data_o({out_seq_last_o, out_last_o, out_data_o}),
    .count_o(fifo_count)
  );

  assign out_done_o = 32'(step_q);
  assign idle_o = !out_en_i || (step_q == steps_i && !pend_q && !out_valid_o);

`ifndef SYNTHESIS
  `LSTM_ASSERT(OutFifoRoom, !pend_q || fifo_in_ready,
               "the streamer reads the h buffer only with room in its FIFO for the word")
  `LSTM_ASSERT(OutStepBound, !running_i || step_q <= steps_i,
               "the streamer never reads past the run's last step")
  `LSTM_ASSERT(OutSeqLastIsLast, !out_valid_o || !out_seq_last_o || out_last_o,
               "the run's last element (seq_last) is the last element of an h vector")
  `LSTM_ASSERT(OutIndexBound, !running_i || !out_en_i || idx_q < len,
               "the element index stays inside the sent layer's hidden size")
`endif
endmodule
