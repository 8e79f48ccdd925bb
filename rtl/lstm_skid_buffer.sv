// lstm_skid_buffer: two-entry pipeline register that breaks the ready path.
//
// Hand-written primitive (not generated); shared by every generated design.
//
// in_ready_o is a register (it is low exactly when the skid entry is full), so
// no combinational path runs from out_ready_i to in_ready_o; out_valid_o and
// out_data_o are registers too. Full throughput: with out_ready_i high the
// buffer moves one word per cycle; when out_ready_i drops, the word already
// accepted that cycle lands in the skid entry instead of being lost.
// Width is `int`, not `int unsigned`: Icarus 11 rejects `int unsigned`.
module lstm_skid_buffer #(
  parameter int Width = 8
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic             in_valid_i,
  output logic             in_ready_o,
  input  logic [Width-1:0] in_data_i,

  output logic             out_valid_o,
  input  logic             out_ready_i,
  output logic [Width-1:0] out_data_o
);

  // Main entry: what the consumer sees. Skid entry: catches the word accepted
  // in the cycle the consumer stalled.
  logic             main_valid_d, main_valid_q;
  logic [Width-1:0] main_data_d, main_data_q;
  logic             skid_valid_d, skid_valid_q;
  logic [Width-1:0] skid_data_d, skid_data_q;
  logic             push;

  assign in_ready_o  = ~skid_valid_q;
  assign out_valid_o = main_valid_q;
  assign out_data_o  = main_data_q;

  assign push = in_valid_i & in_ready_o;

  always_comb begin
    main_valid_d = main_valid_q;
    main_data_d  = main_data_q;
    skid_valid_d = skid_valid_q;
    skid_data_d  = skid_data_q;

    if (!main_valid_q || out_ready_i) begin
      // The main entry is free at this edge: refill it, oldest word first.
      if (skid_valid_q) begin
        // in_ready_o is low, so nothing is pushed this cycle.
        main_valid_d = 1'b1;
        main_data_d  = skid_data_q;
        skid_valid_d = 1'b0;
      end else begin
        main_valid_d = push;
        if (push) begin
          main_data_d = in_data_i;
        end
      end
    end else if (push) begin
      // Consumer stalled: keep the accepted word in the skid entry.
      skid_valid_d = 1'b1;
      skid_data_d  = in_data_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      main_valid_q <= 1'b0;
      skid_valid_q <= 1'b0;
    end else begin
      main_valid_q <= main_valid_d;
      skid_valid_q <= skid_valid_d;
    end
  end

  // Datapath registers without reset.
  always_ff @(posedge clk_i) begin
    main_data_q <= main_data_d;
    skid_data_q <= skid_data_d;
  end

`ifndef SYNTHESIS
  initial begin
    assert (Width >= 1);
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (rst_ni) begin
      // The skid entry fills only behind a stalled main entry.
      assert (!skid_valid_q || main_valid_q);
      // Overflow: a word accepted while both entries are full.
      assert (!(in_valid_i && in_ready_o && skid_valid_q));
      // Underflow: a word taken while empty.
      assert (!(out_valid_o && out_ready_i && !main_valid_q));
    end
  end
`endif

endmodule
