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
//! <=; the main process (AXI4-Lite) acts 1 time unit after the edge with
//! blocking assignments and reads READY and VALID 1 unit later, settled. (Verilator 5.006 resumes an initial block waiting on
//! @(posedge clk) after the edge's nonblocking updates, Icarus before them,
//! so an initial block must not read at the edge itself.) Register addresses
//! and STATUS fields come from the design's lstm_pkg (the host map).
// lstm_tb_top: self-checking testbench for the generated lstm_axi_top.
// Written by lstmsim emit-tb (tb/emit_tb.cpp); do not edit, re-emit instead.
// `EMIT_TB_SOURCE
//
// What it does, the way tb/accel_driver.hpp runs mode `EMIT_TB_MODE_NAME:
//   - holds reset for 4 cycles, then performs the host writes of
//     host_writes.hex over AXI4-Lite (weights, biases, MODE, ACTIVE and, per
//     input sequence, the program writes and START): each write puts AW and
//     W up together and holds each until its READY; the write responses are
//     counted and checked (OKAY) on the side, and every read first waits for
//     all of them;
//   - runs each input sequence as its own job: after its START it drives the
//     sequence's x elements (x_in.hex, sign-extended to whole bytes) into
//     AXI4-Stream x port IN_PORT, idling with probability `EMIT_TB_IDLE per
//     cycle; takes the h elements from AXI4-Stream h port OUT_PORT with
//     TREADY low with probability `EMIT_TB_BP per cycle; waits until no core
//     is busy (BUSY_MASK) and checks every active core's STATUS;
//   - compares every h element (TDATA, sign-extended), TLAST (end of each
//     h_t) and TUSER (end of each sequence) with h_expect.hex (golden
//     model) using !==, so X or Z is a mismatch; checks the stream rules
//     (TVALID, TDATA, TLAST and TUSER hold until the transfer), that no other
//     h port carries data and that no control output is X or Z; the design's
//     own AXI4-Lite and AXI4-Stream assertions print their messages too;
//   - prints each mismatch, then PASS or FAIL, and calls $finish; after
//     TIMEOUT cycles it prints "FAIL: timeout" and calls $finish.
// The vector files are read from the current directory.
module lstm_tb_top;
  // ------------------------------------------------------------ this run
  localparam integer CORES      = `EMIT_TB_CORES;  // lstm_pkg::Cores of the design
  localparam integer DW         = `EMIT_TB_DW;  // lstm_pkg::DataW
  localparam integer AXW        = lstm_pkg::AxisDataW;  // TDATA of x and h: DW in whole bytes
  localparam integer AW         = lstm_pkg::AddrW + lstm_pkg::ByteShift;  // AXI4-Lite byte address
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
  localparam [15:0]  BP_T       = 16'd`EMIT_TB_BP_T;  // h TREADY low when rng[31:16] < BP_T
  localparam [31:0]  X_SEED     = 32'h`EMIT_TB_X_SEED;  // from --seed `EMIT_TB_SEED
  localparam [31:0]  BP_SEED    = 32'h`EMIT_TB_BP_SEED;
  // The cores' bits of BUSY_MASK.
  localparam [31:0]  CORE_BITS  = (32'd1 << lstm_pkg::Cores) - 32'd1;

  // ------------------------------------------------------------ design
  reg                 clk = 1'b0;
  reg                 rst_n = 1'b0;
  // AXI4-Lite (the main process drives AW, W and AR; B and R are always ready)
  reg                 awvalid = 1'b0;
  wire                awready;
  reg  [AW-1:0]       awaddr = '0;
  reg                 wvalid = 1'b0;
  wire                wready;
  reg  [31:0]         wdata = 32'd0;
  reg  [3:0]          wstrb = 4'h0;
  wire                bvalid;
  wire [1:0]          bresp;
  reg                 arvalid = 1'b0;
  wire                arready;
  reg  [AW-1:0]       araddr = '0;
  wire                rvalid;
  wire [31:0]         rdata;
  wire [1:0]          rresp;
  // AXI4-Stream x and h, one element per core port
  reg  [CORES-1:0]     x_tvalid = {CORES{1'b0}};
  wire [CORES-1:0]     x_tready;
  reg  [CORES*AXW-1:0] x_tdata = {CORES*AXW{1'b0}};
  wire [CORES-1:0]     h_tvalid;
  reg  [CORES-1:0]     h_tready = {CORES{1'b0}};
  wire [CORES*AXW-1:0] h_tdata;
  wire [CORES-1:0]     h_tlast;
  wire [CORES-1:0]     h_tuser;
  wire                 busy;
  wire                 irq;           // the interrupt (not used here: the testbench polls)
  // The weight/bias row stream is not used: the weights come over AXI4-Lite.
  wire                 w_tready;
  wire [lstm_pkg::WRowW-1:0] w_tdata = '0;

  lstm_axi_top dut (
    .clk_i             (clk),
    .rst_ni            (rst_n),
    .s_axil_awvalid_i  (awvalid),
    .s_axil_awready_o  (awready),
    .s_axil_awaddr_i   (awaddr),
    .s_axil_wvalid_i   (wvalid),
    .s_axil_wready_o   (wready),
    .s_axil_wdata_i    (wdata),
    .s_axil_wstrb_i    (wstrb),
    .s_axil_bvalid_o   (bvalid),
    .s_axil_bready_i   (1'b1),
    .s_axil_bresp_o    (bresp),
    .s_axil_arvalid_i  (arvalid),
    .s_axil_arready_o  (arready),
    .s_axil_araddr_i   (araddr),
    .s_axil_rvalid_o   (rvalid),
    .s_axil_rready_i   (1'b1),
    .s_axil_rdata_o    (rdata),
    .s_axil_rresp_o    (rresp),
    .s_axis_x_tvalid_i (x_tvalid),
    .s_axis_x_tready_o (x_tready),
    .s_axis_x_tdata_i  (x_tdata),
    .m_axis_h_tvalid_o (h_tvalid),
    .m_axis_h_tready_i (h_tready),
    .m_axis_h_tdata_o  (h_tdata),
    .m_axis_h_tlast_o  (h_tlast),
    .m_axis_h_tuser_o  (h_tuser),
    .busy_o            (busy),
    .irq_o             (irq),
    .s_axis_w_tvalid_i (1'b0),
    .s_axis_w_tready_o (w_tready),
    .s_axis_w_tdata_i  (w_tdata)
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
  // TVALID never waits for TREADY; TVALID and TDATA hold until the transfer;
  // while idle the data lines carry random bits. TDATA is the element
  // sign-extended to AXW bits.
  reg                  x_v = 1'b0;  // x_tvalid[IN_PORT] this cycle
  reg [31:0]           x_rng = X_SEED;
  reg signed [AXW-1:0] x_ext;
  integer              x_sent = 0;
  always @(posedge clk) begin
    if (rst_n) begin
      if (x_v && x_tready[IN_PORT] === 1'b1) begin
        x_sent = x_sent + 1;
        x_v = 1'b0;
      end
      if (!x_v) begin
        x_rng = xorshift32(x_rng);
        if (x_sent < x_allowed && x_rng[31:16] >= IDLE_T) begin
          x_v = 1'b1;
          x_ext = $signed(x_mem[x_sent]);
          x_tdata[IN_PORT*AXW +: AXW] <= x_ext;
        end else begin
          x_tdata[IN_PORT*AXW +: AXW] <= x_rng[AXW-1:0];
        end
      end
      x_tvalid[IN_PORT] <= x_v;
    end
  end

  // ------------------------------------------------------------ h stream
  reg                  o_r = 1'b0;  // h_tready[OUT_PORT] this cycle
  reg [31:0]           bp_rng = BP_SEED;
  reg [CORES-1:0]      rdy;
  reg                  stalled = 1'b0;  // TVALID was high and TREADY low at the last edge
  reg [AXW-1:0]        held_data;
  reg                  held_last, held_user;
  reg [AXW-1:0]        got;
  reg signed [AXW-1:0] want;  // the expected element, sign-extended as TDATA is
  reg                  got_last, got_user;
  reg [159:0]     mjob;
  integer         h_idx = 0;   // next expected element
  integer         m_job = 0;   // its sequence
  integer         e, step, unit, p;
  integer         mon_errors = 0;
  integer         port_msgs = 0;
  always @(posedge clk) begin
    if (rst_n) begin
      got = h_tdata[OUT_PORT*AXW +: AXW];
      got_last = h_tlast[OUT_PORT];
      got_user = h_tuser[OUT_PORT];
      if (stalled && (h_tvalid[OUT_PORT] !== 1'b1 || got !== held_data || got_last !== held_last
                      || got_user !== held_user)) begin
        mon_errors = mon_errors + 1;
        $display("FAIL: h[%0d] dropped TVALID or changed TDATA, TLAST or TUSER before the transfer (cycle %0d)",
                 OUT_PORT, cycle);
      end
      stalled = 1'b0;
      if (h_tvalid[OUT_PORT] === 1'b1 && o_r) begin
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
          want = $signed(expect_mem[h_idx]);
          if (got !== want) begin
            mon_errors = mon_errors + 1;
            $display("MISMATCH: sequence %0d step %0d unit %0d: expected %0d, got %0d (0x%h)",
                     m_job, step, unit, want, $signed(got), got);
          end
          if (got_last !== (unit == HIDDEN - 1)) begin
            mon_errors = mon_errors + 1;
            $display("MISMATCH: sequence %0d step %0d unit %0d: TLAST expected %0d, got %b",
                     m_job, step, unit, unit == HIDDEN - 1, got_last);
          end
          if (got_user !== (h_idx == mjob[63:32] - 1)) begin
            mon_errors = mon_errors + 1;
            $display("MISMATCH: sequence %0d step %0d unit %0d: TUSER expected %0d, got %b",
                     m_job, step, unit, h_idx == mjob[63:32] - 1, got_user);
          end
        end
        h_idx = h_idx + 1;
      end else if (h_tvalid[OUT_PORT] === 1'b1) begin
        stalled = 1'b1;
        held_data = got;
        held_last = got_last;
        held_user = got_user;
      end
      for (p = 0; p < CORES; p = p + 1) begin
        if (p != OUT_PORT && h_tvalid[p] !== 1'b0) begin
          mon_errors = mon_errors + 1;
          if (port_msgs < 10)
            $display("FAIL: h[%0d] shows TVALID %b, only h[%0d] should carry data (cycle %0d)",
                     p, h_tvalid[p], OUT_PORT, cycle);
          port_msgs = port_msgs + 1;
        end
      end
      h_count <= h_idx;
      bp_rng = xorshift32(bp_rng);
      o_r = bp_rng[31:16] >= BP_T;
      rdy = {CORES{1'b1}};
      rdy[OUT_PORT] = o_r;
      h_tready <= rdy;
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
    if (rst_n && (^{x_tready, h_tvalid, busy, awready, wready, bvalid, arready, rvalid}) === 1'bx) begin
      if (watch_errors < 10)
        $display("FAIL: X or Z on x TREADY %b, h TVALID %b, busy %b or AXI4-Lite AWREADY %b WREADY %b BVALID %b ARREADY %b RVALID %b (cycle %0d)",
                 x_tready, h_tvalid, busy, awready, wready, bvalid, arready, rvalid, cycle);
      watch_errors = watch_errors + 1;
    end
  end

  // ------------------------------------------------------------ write responses
  // BREADY is always high: every B is taken at the edge it shows, counted and
  // checked to be OKAY and to answer a write already sent.
  integer b_count = 0;  // write responses received (B process -> main)
  integer w_sent = 0;   // writes whose AW and W were taken (main -> B process)
  integer b_errors = 0;
  always @(posedge clk) begin
    if (rst_n && bvalid === 1'b1) begin
      if (bresp !== 2'b00 || b_count >= w_sent) begin
        b_errors = b_errors + 1;
        $display("FAIL: write response %0d: BRESP %b with %0d writes sent (cycle %0d)",
                 b_count, bresp, w_sent, cycle);
      end
      b_count <= b_count + 1;
    end
  end

  // ------------------------------------------------------------ host port (AXI4-Lite)
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

  // One AXI4-Lite write of a word address (byte address = addr << ByteShift):
  // AW and W go up together, each is held until its READY, seen settled 1
  // unit later. Posted: the B process counts its response.
  reg aw_open, w_open, aw_hs, w_hs, ar_hs;
  task host_write(input [31:0] addr, input [31:0] data);
    begin
      awvalid = 1'b1;
      awaddr = {addr[lstm_pkg::AddrW-1:0], {lstm_pkg::ByteShift{1'b0}}};
      wvalid = 1'b1;
      wdata = data;
      wstrb = 4'hF;
      aw_open = 1'b1;
      w_open = 1'b1;
      while (aw_open || w_open) begin
        #1;
        aw_hs = aw_open && awready === 1'b1;
        w_hs = w_open && wready === 1'b1;
        tick;
        if (aw_hs) begin
          aw_open = 1'b0;
          awvalid = 1'b0;
        end
        if (w_hs) begin
          w_open = 1'b0;
          wvalid = 1'b0;
        end
      end
      w_sent = w_sent + 1;
    end
  endtask

  // Waits until every write sent has its response.
  task fence;
    begin
      while (b_count < w_sent) tick;
    end
  endtask

  // One AXI4-Lite read, after every write before it has been answered (the
  // slave may serve a read before a write in flight): AR held until ARREADY,
  // then the data with RVALID (RREADY is always high).
  task host_read(input [31:0] addr, output [31:0] data);
    begin
      fence;
      arvalid = 1'b1;
      araddr = {addr[lstm_pkg::AddrW-1:0], {lstm_pkg::ByteShift{1'b0}}};
      ar_hs = 1'b0;
      while (!ar_hs) begin
        #1;
        ar_hs = arready === 1'b1;
        tick;
      end
      arvalid = 1'b0;
      #1;
      while (rvalid !== 1'b1) begin
        tick;
        #1;
      end
      if (rresp !== 2'b00) begin
        main_errors = main_errors + 1;
        $display("FAIL: read of address 0x%h: RRESP %b (cycle %0d)", addr, rresp, cycle);
      end
      data = rdata;
      tick;  // R is taken at this edge
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
    fence;
    total = main_errors + mon_errors + watch_errors + b_errors;
    $display("lstm_tb_top: %0d clock cycles simulated", cycle);
    if (total == 0 && h_count == NUM_H)
      $display("PASS: %0d sequences, all %0d h elements match the golden model", NUM_JOBS, NUM_H);
    else
      $display("FAIL: %0d errors, %0d of %0d h elements received", total, h_count, NUM_H);
    $finish;
  end
endmodule
