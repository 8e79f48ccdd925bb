// lstm_tb_h_merge: self-checking unit testbench of lstm_h_merge (Icarus;
// tests/rtl/unit/README.md says how to run it).
//
// Three sources push numbered packets at random times, only where space_o
// says there is room (the fabric's rule). Each packet carries its source and
// a sequence number, so the checker knows which source it came from:
// - every packet comes out exactly once, in its source's order;
// - at most one packet per bank is written per cycle (the bank is the
//   sequence number's LSB here, so each source alternates banks), each into
//   its own bank, and none while nothing waits;
// - done_o is the minimum, over the sources in the mask, of the packets
//   flagged last that were written (clear_i sets it back to zero);
// - with every source busy, the round robin serves all three equally.
// Prints "PASS" or one "FAIL: ..." line per problem, then finishes.
module lstm_tb_h_merge;
  localparam int Sources = 3;
  localparam int SeqW = 12;
  localparam int Width = 1 + 2 + SeqW;  // {last, source, sequence}
  localparam int PerSource = 400;

  logic clk_i = 1'b0;
  logic rst_ni = 1'b0;
  logic clear_i = 1'b0;
  logic [Sources-1:0] mask_i = '1;
  logic [Sources-1:0] push_i = '0;
  logic [Sources*Width-1:0] data_i = '0;
  logic [Sources-1:0] space_o;
  logic [1:0] wr_valid_o;
  logic [2*(Width-1)-1:0] wr_data_o;
  logic [31:0] done_o;

  lstm_h_merge #(.Sources(Sources), .Width(Width), .FifoDepth(2), .BankBit(0)) u_dut (.*);

  always #5 clk_i = ~clk_i;

  int errors = 0;
  task automatic fail(input string what);
    errors++;
    if (errors <= 10) $display("FAIL: %s (time %0t)", what, $time);
  endtask

  // xorshift32: the same sequence in every simulator.
  logic [31:0] rng = 32'h2545f491;
  function automatic logic [31:0] next(input logic [31:0] x);
    logic [31:0] y;
    y = x ^ (x << 13);
    y = y ^ (y >> 17);
    next = y ^ (y << 5);
  endfunction

  // Producer state and checker state, per source.
  int sent [Sources];
  int received [Sources];
  int lasts_written [Sources];
  logic [4:0] rate;          // push probability, in 1/16
  logic drain;               // stop producing

  function automatic logic is_last(input int n);
    is_last = (n % 5 == 4);  // every fifth packet ends a layer-step
  endfunction

  // Drive on the falling edge, check on the rising edge.
  always @(negedge clk_i) begin
    push_i = '0;
    if (rst_ni && !drain) begin
      for (int s = 0; s < Sources; s++) begin
        rng = next(rng);
        if (space_o[s] && sent[s] < PerSource && {1'b0, rng[3:0]} < rate) begin
          push_i[s] = 1'b1;
          data_i[s*Width +: Width] = {is_last(sent[s]), 2'(s), SeqW'(sent[s])};
          sent[s]++;
        end
      end
    end
  end

  logic [1:0] src;
  logic [SeqW-1:0] seq;
  logic last;
  always @(posedge clk_i) begin
    if (rst_ni) begin
      for (int b = 0; b < 2; b++) if (wr_valid_o[b]) begin
        {src, seq} = wr_data_o[b*(Width-1) +: Width-1];
        if (32'(seq[0]) != b) fail($sformatf("bank %0d wrote a packet of the other bank", b));
        if (32'(src) >= Sources) fail("a packet names no source");
        else begin
          if (32'(seq) != received[src]) fail($sformatf("source %0d: packet %0d arrived, expected %0d",
                                                       src, seq, received[src]));
          last = is_last(32'(seq));
          if (last) lasts_written[src]++;
          received[src]++;
        end
      end
    end
  end

  // done_o, one cycle after the counts moved: the minimum over the mask.
  function automatic logic [31:0] expected_done();
    expected_done = 32'hffff_ffff;
    for (int s = 0; s < Sources; s++)
      if (mask_i[s] && 32'(lasts_written[s]) < expected_done) expected_done = 32'(lasts_written[s]);
  endfunction
  always @(negedge clk_i) begin
    if (rst_ni && !clear_i && done_o != expected_done())
      fail($sformatf("done_o is %0d, expected %0d", done_o, expected_done()));
  end

  task automatic wait_drained;
    int idle;
    idle = 0;
    while (idle < 10) begin
      @(posedge clk_i);
      idle = (wr_valid_o != '0) ? 0 : idle + 1;
    end
  endtask

  task automatic run_phase(input logic [4:0] push_rate, input logic [Sources-1:0] mask);
    mask_i = mask;
    rate = push_rate;
    drain = 1'b0;
    for (int s = 0; s < Sources; s++) begin
      sent[s] = 0;
      received[s] = 0;
      lasts_written[s] = 0;
    end
    // A new run: clear the counts (the core's start does this).
    @(negedge clk_i);
    clear_i = 1'b1;
    @(negedge clk_i);
    clear_i = 1'b0;
    while (sent[0] < PerSource || sent[1] < PerSource || sent[2] < PerSource) @(posedge clk_i);
    drain = 1'b1;
    wait_drained();
    for (int s = 0; s < Sources; s++)
      if (received[s] != PerSource)
        fail($sformatf("source %0d: %0d of %0d packets written", s, received[s], PerSource));
  endtask

  // Fairness: with every FIFO holding a packet, each source gets its turn.
  int served [Sources];
  int window;
  always @(posedge clk_i) begin
    if (rst_ni && u_dut.f_valid == '1)
      for (int b = 0; b < 2; b++)
        if (window > 0 && wr_valid_o[b]) begin
          served[wr_data_o[b*(Width-1) + Width-2 -: 2]]++;
          window--;
        end
  end

  initial begin
    drain = 1'b1;
    window = 0;
    for (int s = 0; s < Sources; s++) served[s] = 0;
    repeat (3) @(posedge clk_i);
    rst_ni = 1'b1;
    run_phase(5'd3, 3'b111);   // sparse pushes
    run_phase(5'd16, 3'b111);  // every source pushes whenever there is space
    run_phase(5'd9, 3'b101);   // source 1 not in the mask: it does not hold done_o back
    // Fairness under full load.
    window = 300;
    run_phase(5'd16, 3'b111);
    if (window != 0) fail("the fairness window never closed");
    for (int s = 0; s < Sources; s++)
      if (served[s] < 99 || served[s] > 101)
        fail($sformatf("round robin: source %0d served %0d of 300 turns", s, served[s]));
    if (errors == 0) $display("PASS: lstm_h_merge");
    $finish;
  end

  initial begin
    #2000000;
    $display("FAIL: timeout");
    $finish;
  end
endmodule
