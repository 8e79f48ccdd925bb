// lstm_tb_mode_ctrl: self-checking unit testbench of lstm_mode_ctrl (Icarus;
// tests/rtl/unit/README.md says how to run it). It plays the host and the
// cores: writes MODE, ACTIVE and START, reads every register, and raises and
// drops the cores' busy, done and error bits. It checks, for every mode and
// every ACTIVE from 0 to Cores + 1:
// - START starts exactly the mode's cores, in one cycle, and only between runs;
// - chain_o (mt) names the right cores; in hc every active core is in the
//   one stage (xbcast_o) and reaches every other (fan_o); single and mp
//   route nothing (hybrid's shapes: rtl_modes_test and run_plan_test);
// - a bad ACTIVE starts nothing and sets STATUS.BAD_ACTIVE;
// - MODE and ACTIVE ignore writes during a run; the run ends when every
//   active core is idle; CYCLES counts its cycles;
// - STATUS, the three masks, CORES and LANES read back what they should;
// - IRQ_STATUS latches DONE when the cores go idle and ERROR when a core's
//   error rises or START is refused; a write clears only its 1 bits, an event
//   in the cycle of a clear still sets its bit; irq_o = IRQ_STATUS & IRQ_ENABLE.
// Prints "PASS" or one "FAIL: ..." line per problem, then finishes.
module lstm_tb_mode_ctrl;
  localparam int Cores = lstm_pkg::Cores;
  localparam int AddrW = lstm_pkg::GRegAddrW;

  logic clk_i = 1'b0;
  logic rst_ni = 1'b0;
  logic reg_we_i = 1'b0;
  logic reg_re_i = 1'b0;
  logic [AddrW-1:0] reg_addr_i = '0;
  logic [31:0] reg_wdata_i = '0;
  logic [31:0] reg_rdata_o;
  logic [Cores-1:0] core_busy_i = '0;
  logic [Cores-1:0] core_done_i = '0;
  logic [Cores-1:0] core_error_i = '0;
  logic [Cores-1:0] start_o, chain_o, xbcast_o;
  logic [Cores*Cores-1:0] fan_o, xsrc_o, wait_o;  // bit d*Cores+s
  logic irq_o;
  logic [Cores-1:0] wload_mask_o;  // the row loader's registers (not checked here)
  logic wload_addr_wr_o;
  logic [31:0] wload_next_i = '0;

  lstm_mode_ctrl u_dut (.*);

  always #5 clk_i = ~clk_i;

  int errors = 0;
  task automatic fail(input string what);
    errors++;
    if (errors <= 10) $display("FAIL: %s (time %0t)", what, $time);
  endtask

  // Host accesses: drive after the falling edge, sample before the next one.
  task automatic write_reg(input int addr, input logic [31:0] value);
    @(negedge clk_i);
    reg_we_i = 1'b1;
    reg_addr_i = AddrW'(addr);
    reg_wdata_i = value;
    @(negedge clk_i);
    reg_we_i = 1'b0;
  endtask
  task automatic read_reg(input int addr, output logic [31:0] value);
    @(negedge clk_i);
    reg_re_i = 1'b1;
    reg_addr_i = AddrW'(addr);
    @(negedge clk_i);
    reg_re_i = 1'b0;
    value = reg_rdata_o;  // registered: valid the cycle after the read
  endtask
  task automatic expect_reg(input int addr, input logic [31:0] want, input string what);
    logic [31:0] got;
    read_reg(addr, got);
    if (got !== want) fail($sformatf("%s reads %0h, expected %0h", what, got, want));
  endtask

  // What the controller must do, from the host map's description.
  function automatic logic [Cores-1:0] first(input int n);
    first = '0;
    for (int c = 0; c < Cores; c++) first[c] = (c < n);
  endfunction
  function automatic logic [Cores-1:0] cores_of(input int mode, input int active);
    cores_of = (mode == lstm_pkg::ModeSingle) ? Cores'(1) : first(active);
  endfunction
  function automatic logic [Cores-1:0] chain_of(input int mode, input int active);
    // A bad ACTIVE above Cores starts nothing; the chain stays inside the cores.
    chain_of = (mode == lstm_pkg::ModeMt && active >= 1) ? first((active > Cores ? Cores : active) - 1) : '0;
  endfunction
  // hc: the first ACTIVE cores form the one stage; mt: core 0 alone takes port 0.
  function automatic logic [Cores-1:0] xbcast_of(input int mode, input int active);
    if (mode == lstm_pkg::ModeHc) xbcast_of = first(active);
    else if (mode == lstm_pkg::ModeMt) xbcast_of = first(active >= 1 ? 1 : 0);
    else xbcast_of = '0;
  endfunction
  function automatic logic [Cores*Cores-1:0] fan_of(input int mode, input int active);
    logic [Cores-1:0] m;
    m = first(active);
    fan_of = '0;
    if (mode == lstm_pkg::ModeHc)
      for (int d = 0; d < Cores; d++)
        for (int s = 0; s < Cores; s++) fan_of[d*Cores + s] = m[d] && m[s] && d != s;
  endfunction

  // Starts seen, cycle by cycle. A started core is busy from the next cycle
  // on, as lstm_core is (its sequencer enters Check); the test ends it.
  logic [Cores-1:0] started;
  int start_cycles;
  always @(posedge clk_i) begin
    if (rst_ni && start_o != '0) begin
      started = started | start_o;
      start_cycles++;
      core_busy_i <= core_busy_i | start_o;
      core_done_i <= core_done_i & ~start_o;
    end
  end

  task automatic one_run(input int mode, input int active, input int length);
    logic bad;
    logic [Cores-1:0] mask;
    logic [31:0] status, cycles;
    bad = (active == 0 || active > Cores);
    mask = cores_of(mode, active);
    write_reg(lstm_pkg::GRegMode, 32'(mode));
    write_reg(lstm_pkg::GRegActive, 32'(active));
    expect_reg(lstm_pkg::GRegMode, 32'(mode), "MODE");
    expect_reg(lstm_pkg::GRegActive, 32'(active), "ACTIVE");
    if (chain_o !== chain_of(mode, active))
      fail($sformatf("mode %0d active %0d: chain_o %b", mode, active, chain_o));
    if (xbcast_o !== xbcast_of(mode, active))
      fail($sformatf("mode %0d active %0d: xbcast_o %b", mode, active, xbcast_o));
    if (fan_o !== fan_of(mode, active))
      fail($sformatf("mode %0d active %0d: fan_o %b", mode, active, fan_o));
    started = '0;
    start_cycles = 0;
    write_reg(lstm_pkg::GRegStart, 32'd1);
    if (bad) begin
      if (started != '0) fail($sformatf("ACTIVE %0d out of range but cores started", active));
      // DONE still says whether the cores ACTIVE names are done (none: vacuously).
      expect_reg(lstm_pkg::GRegStatus, (32'(1) << lstm_pkg::GStatusBadActive)
                 | ((core_done_i & mask) == mask ? 32'(1) << lstm_pkg::GStatusDone : 32'd0),
                 "STATUS (bad ACTIVE)");
    end else begin
      if (started !== mask || start_cycles != 1)
        fail($sformatf("mode %0d active %0d: started %b in %0d cycles, expected %b in one",
                       mode, active, started, start_cycles, mask));
      // The cores run: busy for `length` cycles; the last one finishes later.
      if (core_busy_i !== mask) fail($sformatf("busy cores %b, expected %b", core_busy_i, mask));
      expect_reg(lstm_pkg::GRegStatus, 32'(1) << lstm_pkg::GStatusRunning, "STATUS while running");
      expect_reg(lstm_pkg::GRegBusyMask, 32'(mask), "BUSY_MASK");
      // Writes during the run are ignored, and so is a second START.
      write_reg(lstm_pkg::GRegMode, 32'((mode + 1) % 4));
      write_reg(lstm_pkg::GRegActive, 32'(Cores + 5));
      write_reg(lstm_pkg::GRegStart, 32'd1);
      if (start_cycles != 1) fail("START during a run started cores again");
      expect_reg(lstm_pkg::GRegMode, 32'(mode), "MODE after a write during the run");
      expect_reg(lstm_pkg::GRegActive, 32'(active), "ACTIVE after a write during the run");
      repeat (length) @(negedge clk_i);
      core_busy_i = mask & ~Cores'(1);  // core 0 finishes first
      core_done_i = Cores'(1);
      repeat (3) @(negedge clk_i);
      // The run lasts while any active core is busy.
      expect_reg(lstm_pkg::GRegStatus, (mask == Cores'(1)) ? 32'(1) << lstm_pkg::GStatusDone
                 : 32'(1) << lstm_pkg::GStatusRunning, "STATUS with core 0 done");
      core_busy_i = '0;
      core_done_i = mask;
      core_error_i = mask & Cores'(2);  // core 1, if it ran, reports an error
      repeat (2) @(negedge clk_i);
      status = (32'(1) << lstm_pkg::GStatusDone)
             | ((core_error_i != '0) ? (32'(1) << lstm_pkg::GStatusError) : 32'd0);
      expect_reg(lstm_pkg::GRegStatus, status, "STATUS after the run");
      expect_reg(lstm_pkg::GRegDoneMask, 32'(mask), "DONE_MASK");
      expect_reg(lstm_pkg::GRegErrorMask, 32'(core_error_i), "ERROR_MASK");
      read_reg(lstm_pkg::GRegCycles, cycles);
      // Busy from the cycle after START until core_busy_i dropped.
      if (cycles < 32'(length) || cycles > 32'(length + 40))
        fail($sformatf("CYCLES is %0d after a run of about %0d cycles", cycles, length));
    end
    core_error_i = '0;
  endtask

  localparam logic [31:0] IrqDone = 32'(1) << lstm_pkg::IrqDone;
  localparam logic [31:0] IrqError = 32'(1) << lstm_pkg::IrqError;
  task automatic expect_irq(input logic want, input string what);
    if (irq_o !== want) fail($sformatf("irq_o is %b %s", irq_o, what));
  endtask
  task automatic irq_checks;
    write_reg(lstm_pkg::GRegIrqStatus, 32'hFFFF_FFFF);  // clear what the runs left
    expect_reg(lstm_pkg::GRegIrqStatus, 32'd0, "IRQ_STATUS after clearing all");
    write_reg(lstm_pkg::GRegIrqEnable, IrqDone);
    expect_reg(lstm_pkg::GRegIrqEnable, IrqDone, "IRQ_ENABLE");
    // A refused START: ERROR, not enabled, so no interrupt.
    write_reg(lstm_pkg::GRegActive, 32'd0);
    write_reg(lstm_pkg::GRegStart, 32'd1);
    expect_reg(lstm_pkg::GRegIrqStatus, IrqError, "IRQ_STATUS after a refused START");
    expect_irq(1'b0, "with only ERROR set and only DONE enabled");
    // A run of core 0: DONE when it goes idle, and irq_o with it.
    write_reg(lstm_pkg::GRegMode, 32'(lstm_pkg::ModeSingle));
    write_reg(lstm_pkg::GRegActive, 32'd1);
    write_reg(lstm_pkg::GRegStart, 32'd1);
    repeat (5) @(negedge clk_i);
    expect_irq(1'b0, "during the run");
    core_busy_i = '0;
    core_done_i = Cores'(1);
    @(negedge clk_i);
    @(negedge clk_i);
    expect_irq(1'b1, "after the run");
    expect_reg(lstm_pkg::GRegIrqStatus, IrqDone | IrqError, "IRQ_STATUS after the run");
    // Write 1 to clear: ERROR only; DONE stays and so does irq_o.
    write_reg(lstm_pkg::GRegIrqStatus, IrqError);
    expect_reg(lstm_pkg::GRegIrqStatus, IrqDone, "IRQ_STATUS after clearing ERROR");
    expect_irq(1'b1, "with DONE set and enabled");
    write_reg(lstm_pkg::GRegIrqEnable, 32'd0);
    expect_irq(1'b0, "with IRQ_ENABLE 0");
    write_reg(lstm_pkg::GRegIrqEnable, IrqDone | IrqError);
    write_reg(lstm_pkg::GRegIrqStatus, IrqDone);
    expect_irq(1'b0, "after clearing DONE");
    // An event in the cycle of a clear of its bit still sets it.
    write_reg(lstm_pkg::GRegStart, 32'd1);
    repeat (3) @(negedge clk_i);
    reg_we_i = 1'b1;
    reg_addr_i = AddrW'(lstm_pkg::GRegIrqStatus);
    reg_wdata_i = IrqDone;
    core_busy_i = '0;  // busy falls in the cycle of the clear: DONE's event
    @(negedge clk_i);
    reg_we_i = 1'b0;
    expect_reg(lstm_pkg::GRegIrqStatus, IrqDone, "IRQ_STATUS after DONE met its clear");
    expect_irq(1'b1, "after DONE met its clear");
    // A core's error bit rising raises ERROR.
    write_reg(lstm_pkg::GRegIrqStatus, 32'hFFFF_FFFF);
    core_error_i = Cores'(1);
    @(negedge clk_i);
    core_error_i = '0;
    expect_reg(lstm_pkg::GRegIrqStatus, IrqError, "IRQ_STATUS after a core's error");
    expect_irq(1'b1, "after a core's error");
  endtask

  initial begin
    repeat (3) @(posedge clk_i);
    rst_ni = 1'b1;
    expect_reg(lstm_pkg::GRegMode, 32'(lstm_pkg::ModeSingle), "MODE after reset");
    expect_reg(lstm_pkg::GRegActive, 32'd1, "ACTIVE after reset");
    expect_reg(lstm_pkg::GRegCores, 32'(Cores), "CORES");
    expect_reg(lstm_pkg::GRegLanes, 32'(lstm_pkg::Lanes), "LANES");
    if (lstm_pkg::NumGRegs < (1 << AddrW))
      expect_reg(lstm_pkg::NumGRegs, 32'd0, "the first register past the map");
    for (int mode = 0; mode < 4; mode++)
      for (int active = 0; active <= Cores + 1; active++) one_run(mode, active, 20 + 7 * active);
    irq_checks;
    if (errors == 0) $display("PASS: lstm_mode_ctrl");
    $finish;
  end

  initial begin
    #1000000;
    $display("FAIL: timeout");
    $finish;
  end
endmodule
