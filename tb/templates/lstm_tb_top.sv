//! The SystemVerilog testbench that `lstmsim emit-tb` writes as
//! lstm_tb_top.sv (tb/emit_tb_render.cpp). Lines starting with //! are notes on the
//! template and are left out of the output; every `EMIT_TB_<NAME> is replaced
//! by that field of the run (testbench_fields() in tb/emit_tb_render.cpp), so the
//! template parses as it is, given +define+EMIT_TB_<NAME>=... for each field.
//!
//! Kept inside the subset that Icarus 11 (-g2012) and Verilator 5
//! (--binary --timing) both accept: reg and integer only, no int unsigned,
//! no assignment patterns, no return, no classes. Race-free, so both
//! simulators run the same cycles: the stream processes are always
//! @(posedge clk) blocks that read the values before the edge and drive with
//! <=; the main process (host port) acts 1 time unit after the edge with
//! blocking assignments. (Verilator 5.006 resumes an initial block waiting on
//! @(posedge clk) after the edge's nonblocking updates, Icarus before them,
//! so an initial block must not read at the edge itself.) Register addresses
//! and STATUS fields come from the design's lstm_pkg (the host map).
// lstm_tb_top: self-checking testbench for the generated lstm_top.
// Written by lstmsim emit-tb (tb/emit_tb.cpp); do not edit, re-emit instead.
// `EMIT_TB_SOURCE
//
// What it does, the way tb/accel_driver.hpp runs mode `EMIT_TB_MODE_NAME:
//   - holds reset for 4 cycles, then performs the host writes of
//     host_writes.hex one per cycle (weights, biases, MODE, ACTIVE and, per
//     input sequence, the program writes and START);
//   - runs each input sequence as its own job: after its START it drives the
//     sequence's x elements (x_in.hex) into stream port IN_PORT, idling with
//     probability `EMIT_TB_IDLE per cycle; takes the h elements from port OUT_PORT
//     with out_ready low with probability `EMIT_TB_BP per cycle; waits until no
//     core is busy (BUSY_MASK) and checks every active core's STATUS;
//   - compares every h element and its last flag with h_expect.hex (golden
//     model) using !==, so X or Z is a mismatch; checks the stream rules
//     (valid, data and last hold until the transfer), that no other output
//     port carries data and that no control output is X or Z;
//   - prints each mismatch, then PASS or FAIL, and calls $finish; after
//     TIMEOUT cycles it prints "FAIL: timeout" and calls $finish.
// The vector files are read from the current directory.
module lstm_tb_top;
  // ------------------------------------------------------------ this run
  localparam integer CORES      = `EMIT_TB_CORES;  // lstm_pkg::Cores of the design
  localparam integer DW         = `EMIT_TB_DW;  // lstm_pkg::DataW
  localparam integer ACTIVE     = `EMIT_TB_ACTIVE;  // cores taking part (ACTIVE register)
  localparam integer IN_PORT    = `EMIT_TB_IN_PORT;  // x stream port
  localparam integer OUT_PORT   = `EMIT_TB_OUT_PORT;  // h stream port
  localparam integer HIDDEN     = `EMIT_TB_HIDDEN;  // h elements per step
  localparam integer NUM_WRITES = `EMIT_TB_NUM_WRITES;  // lines of host_writes.hex
  localparam integer NUM_JOBS   = `EMIT_TB_NUM_JOBS;  // lines of jobs.hex: one per input sequence
  localparam integer NUM_X      = `EMIT_TB_NUM_X;  // lines of x_in.hex
  localparam integer NUM_H      = `EMIT_TB_NUM_H;  // lines of h_expect.hex
  localparam integer TIMEOUT    = `EMIT_TB_TIMEOUT;  // cycles
  localparam [15:0]  IDLE_T     = 16'd`EMIT_TB_IDLE_T;  // x idles when rng[31:16] < IDLE_T
  localparam [15:0]  BP_T       = 16'd`EMIT_TB_BP_T;  // out_ready low when rng[31:16] < BP_T
  localparam [31:0]  X_SEED     = 32'h`EMIT_TB_X_SEED;  // from --seed `EMIT_TB_SEED
  localparam [31:0]  BP_SEED    = 32'h`EMIT_TB_BP_SEED;
  // The cores' bits of BUSY_MASK.
  localparam [31:0]  CORE_BITS  = (32'd1 << lstm_pkg::Cores) - 32'd1;

  // ------------------------------------------------------------ design
  reg                 clk = 1'b0;
  reg                 rst_n = 1'b0;
  reg                 host_we = 1'b0;
  reg                 host_re = 1'b0;
  reg  [lstm_pkg::AddrW-1:0] host_addr = '0;
  reg  [31:0]         host_wdata = 32'd0;
  wire [31:0]         host_rdata;
  wire                host_rvalid;
  reg  [CORES-1:0]    in_valid = {CORES{1'b0}};
  wire [CORES-1:0]    in_ready;
  reg  [CORES*DW-1:0] in_data = {CORES*DW{1'b0}};
  wire [CORES-1:0]    out_valid;
  reg  [CORES-1:0]    out_ready = {CORES{1'b0}};
  wire [CORES*DW-1:0] out_data;
  wire [CORES-1:0]    out_last;
  wire [CORES-1:0]    out_seq_last;  // the run's last element (not checked here)
  wire                busy;
  wire                irq;           // the interrupt (not used here: the testbench polls)
  // The weight/bias row stream is not used: the weights come over the host port.
  wire                wl_ready;
  wire [lstm_pkg::WRowW-1:0] wl_data = '0;

  lstm_top dut (
    .clk_i         (clk),
    .rst_ni        (rst_n),
    .host_we_i     (host_we),
    .host_re_i     (host_re),
    .host_addr_i   (host_addr),
    .host_wdata_i  (host_wdata),
    .host_rdata_o  (host_rdata),
    .host_rvalid_o (host_rvalid),
    .in_valid_i    (in_valid),
    .in_ready_o    (in_ready),
    .in_data_i     (in_data),
    .out_valid_o   (out_valid),
    .out_ready_i   (out_ready),
    .out_data_o    (out_data),
    .out_last_o    (out_last),
    .out_seq_last_o(out_seq_last),
    .busy_o        (busy),
    .irq_o         (irq),
    .wl_valid_i    (1'b0),
    .wl_ready_o    (wl_ready),
    .wl_data_i     (wl_data)
  );

  always #5 clk = ~clk;

  // ------------------------------------------------------------ vectors
  reg [63:0]   writes_mem [0:NUM_WRITES-1];  // {address, data}
  reg [159:0]  jobs_mem   [0:NUM_JOBS-1];    // {writes_end, x_end, h_begin, h_end, steps}
  reg [DW-1:0] x_mem      [0:NUM_X-1];
  reg [DW-1:0] expect_mem [0:NUM_H-1];

  // Pseudo-random patterns: xorshift32, the same sequence in every simulator.
  function [31:0] xorshift32(input [31:0] s);
    reg [31:0] v;
    begin
      v = s ^ (s << 13);
      v = v ^ (v >> 17);
      xorshift32 = v ^ (v << 5);
    end
  endfunction

  // Between processes (each written by one; see the host port below for timing).
  integer cycle = 0;      // rising edges since time 0
  integer x_allowed = 0;  // x elements of the sequences started so far (main -> x stream)
  integer h_count = 0;    // h elements received so far (h stream -> main)
  integer job = 0;        // the sequence main is running (for messages)

  // ------------------------------------------------------------ x stream
  // valid never waits for ready; valid and data hold until the transfer;
  // while idle the data lines carry random bits.
  reg        x_v = 1'b0;  // in_valid[IN_PORT] this cycle
  reg [31:0] x_rng = X_SEED;
  integer    x_sent = 0;
  always @(posedge clk) begin
    if (rst_n) begin
      if (x_v && in_ready[IN_PORT] === 1'b1) begin
        x_sent = x_sent + 1;
        x_v = 1'b0;
      end
      if (!x_v) begin
        x_rng = xorshift32(x_rng);
        if (x_sent < x_allowed && x_rng[31:16] >= IDLE_T) begin
          x_v = 1'b1;
          in_data[IN_PORT*DW +: DW] <= x_mem[x_sent];
        end else begin
          in_data[IN_PORT*DW +: DW] <= x_rng[DW-1:0];
        end
      end
      in_valid[IN_PORT] <= x_v;
    end
  end

  // ------------------------------------------------------------ h stream
  reg             o_r = 1'b0;  // out_ready[OUT_PORT] this cycle
  reg [31:0]      bp_rng = BP_SEED;
  reg [CORES-1:0] rdy;
  reg             stalled = 1'b0;  // valid was high and ready low at the last edge
  reg [DW-1:0]    held_data;
  reg             held_last;
  reg [DW-1:0]    got;
  reg             got_last;
  reg [159:0]     mjob;
  integer         h_idx = 0;   // next expected element
  integer         m_job = 0;   // its sequence
  integer         e, step, unit, p;
  integer         mon_errors = 0;
  integer         port_msgs = 0;
  always @(posedge clk) begin
    if (rst_n) begin
      got = out_data[OUT_PORT*DW +: DW];
      got_last = out_last[OUT_PORT];
      if (stalled && (out_valid[OUT_PORT] !== 1'b1 || got !== held_data || got_last !== held_last)) begin
        mon_errors = mon_errors + 1;
        $display("FAIL: out[%0d] dropped valid or changed data or last before the transfer (cycle %0d)",
                 OUT_PORT, cycle);
      end
      stalled = 1'b0;
      if (out_valid[OUT_PORT] === 1'b1 && o_r) begin
        if (h_idx >= NUM_H) begin
          mon_errors = mon_errors + 1;
          $display("FAIL: unexpected h element %0d (0x%h) after the last expected one (cycle %0d)",
                   h_idx, got, cycle);
        end else begin
          mjob = jobs_mem[m_job];
          while (h_idx >= mjob[63:32]) begin
            m_job = m_job + 1;
            mjob = jobs_mem[m_job];
          end
          e = h_idx - mjob[95:64];
          step = e / HIDDEN;
          unit = e % HIDDEN;
          if (got !== expect_mem[h_idx]) begin
            mon_errors = mon_errors + 1;
            $display("MISMATCH: sequence %0d step %0d unit %0d: expected %0d, got %0d (0x%h)",
                     m_job, step, unit, $signed(expect_mem[h_idx]), $signed(got), got);
          end
          if (got_last !== (unit == HIDDEN - 1)) begin
            mon_errors = mon_errors + 1;
            $display("MISMATCH: sequence %0d step %0d unit %0d: last flag expected %0d, got %b",
                     m_job, step, unit, unit == HIDDEN - 1, got_last);
          end
        end
        h_idx = h_idx + 1;
      end else if (out_valid[OUT_PORT] === 1'b1) begin
        stalled = 1'b1;
        held_data = got;
        held_last = got_last;
      end
      for (p = 0; p < CORES; p = p + 1) begin
        if (p != OUT_PORT && out_valid[p] !== 1'b0) begin
          mon_errors = mon_errors + 1;
          if (port_msgs < 10)
            $display("FAIL: out[%0d] shows valid %b, only out[%0d] should carry data (cycle %0d)",
                     p, out_valid[p], OUT_PORT, cycle);
          port_msgs = port_msgs + 1;
        end
      end
      h_count <= h_idx;
      bp_rng = xorshift32(bp_rng);
      o_r = bp_rng[31:16] >= BP_T;
      rdy = {CORES{1'b1}};
      rdy[OUT_PORT] = o_r;
      out_ready <= rdy;
    end
  end

  // ------------------------------------------------------------ watchdog
  integer watch_errors = 0;
  always @(posedge clk) begin
    cycle <= cycle + 1;
    if (cycle >= TIMEOUT) begin
      $display("FAIL: timeout after %0d cycles in sequence %0d (%0d of %0d h elements received)",
               cycle, job, h_count, NUM_H);
      $finish;
    end
    if (rst_n && (^{in_ready, out_valid, busy, host_rvalid}) === 1'bx) begin
      if (watch_errors < 10)
        $display("FAIL: X or Z on in_ready %b, out_valid %b, busy %b or host_rvalid %b (cycle %0d)",
                 in_ready, out_valid, busy, host_rvalid, cycle);
      watch_errors = watch_errors + 1;
    end
  end

  // ------------------------------------------------------------ host port
  // The main process acts 1 time unit after a rising edge: it drives with
  // blocking assignments the design samples at the next edge, and reads what
  // the edge changed once it has settled (the same in every simulator).
  integer main_errors = 0;

  // Address of register `index` of `target` (a core, or lstm_pkg::TargetGlobal
  // for the controller); docs/host-interface.md.
  function [31:0] reg_addr(input [31:0] target, input [31:0] index);
    begin
      reg_addr = (target << lstm_pkg::TargetShift) |
                 (lstm_pkg::RegionRegs << lstm_pkg::RegionShift) | index;
    end
  endfunction

  task tick;
    begin
      @(posedge clk);
      #1;
    end
  endtask

  task host_write(input [31:0] addr, input [31:0] data);
    begin
      host_we = 1'b1;
      host_addr = addr[lstm_pkg::AddrW-1:0];
      host_wdata = data;
      tick;
      host_we = 1'b0;
    end
  endtask

  // The read data comes with host_rvalid, one cycle after the strobe.
  task host_read(input [31:0] addr, output [31:0] data);
    begin
      host_re = 1'b1;
      host_addr = addr[lstm_pkg::AddrW-1:0];
      tick;
      host_re = 1'b0;
      if (host_rvalid !== 1'b1) begin
        main_errors = main_errors + 1;
        $display("FAIL: no read data for address 0x%h (cycle %0d)", addr, cycle);
      end
      data = host_rdata;
    end
  endtask

  // ------------------------------------------------------------ main
  reg [159:0] jw;
  reg [63:0]  wr;
  reg [31:0]  rd;
  integer     w = 0;
  integer     j, k, total;
  initial begin
    $readmemh("host_writes.hex", writes_mem);
    $readmemh("jobs.hex", jobs_mem);
    $readmemh("x_in.hex", x_mem);
    $readmemh("h_expect.hex", expect_mem);
    $display("lstm_tb_top: `EMIT_TB_SUMMARY");
    if (lstm_pkg::Cores != CORES || lstm_pkg::DataW != DW) begin
      $display("FAIL: the design has %0d cores and %0d-bit data, this testbench was written for %0d and %0d",
               lstm_pkg::Cores, lstm_pkg::DataW, CORES, DW);
      $finish;
    end
    repeat (4) tick;
    rst_n = 1'b1;
    for (j = 0; j < NUM_JOBS; j = j + 1) begin
      job = j;
      jw = jobs_mem[j];
      // The first job's writes start with the weights, biases, MODE and ACTIVE;
      // every job's end with its program and START. The x stream starts with
      // the START (accel_driver queues x, then writes START).
      while (w < jw[159:128]) begin
        wr = writes_mem[w];
        if (w == jw[159:128] - 1) x_allowed = jw[127:96];
        host_write(wr[63:32], wr[31:0]);
        w = w + 1;
      end
      // Every h element of this sequence, then wait until no core is busy.
      while (h_count < jw[63:32]) tick;
      rd = CORE_BITS;
      while ((rd & CORE_BITS) !== 32'd0)
        host_read(reg_addr(lstm_pkg::TargetGlobal, lstm_pkg::GRegBusyMask), rd);
      for (k = 0; k < ACTIVE; k = k + 1) begin
        host_read(reg_addr(k, lstm_pkg::RegStatus), rd);
        if (rd[lstm_pkg::StatusError] !== 1'b0) begin
          main_errors = main_errors + 1;
          $display("FAIL: sequence %0d: core %0d STATUS 0x%h: error code %0d in layer %0d",
                   j, k, rd, rd[lstm_pkg::StatusCodeLsb +: lstm_pkg::StatusCodeW],
                   rd[lstm_pkg::StatusLayerLsb +: lstm_pkg::StatusLayerW]);
        end
      end
      host_read(reg_addr(lstm_pkg::TargetGlobal, lstm_pkg::GRegCycles), rd);
      $display("sequence %0d: %0d steps, %0d cycles from START until idle", j, jw[31:0], rd);
    end
    repeat (20) tick;  // an element too many would arrive here
    total = main_errors + mon_errors + watch_errors;
    $display("lstm_tb_top: %0d clock cycles simulated", cycle);
    if (total == 0 && h_count == NUM_H)
      $display("PASS: %0d sequences, all %0d h elements match the golden model", NUM_JOBS, NUM_H);
    else
      $display("FAIL: %0d errors, %0d of %0d h elements received", total, h_count, NUM_H);
    $finish;
  end
endmodule
