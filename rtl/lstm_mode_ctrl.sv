// Mode-select controller: the host picks a mode and how many cores take part;
// the controller derives the fabric's routing from them, starts the cores
// together and reports when the run is over.
//
//   single  core 0 alone (the baseline)
//   mp      cores 0..active-1 run independent programs
//   mt      cores 0..active-1 form a pipeline: core c's h stream feeds core c+1
//   hc      cores 0..active-1 share each layer; h slices go to every member
//
// Registers (lstm_pkg::GReg*, the host map of spec/host_map.hpp;
// docs/host-interface.md): MODE, ACTIVE, START (write), STATUS, CYCLES,
// BUSY_MASK, DONE_MASK, ERROR_MASK, CORES, LANES, IRQ_ENABLE, IRQ_STATUS
// (write 1 to clear), and WLOAD_MASK, WLOAD_ADDR, WLOAD_NEXT of the row loader
// (lstm_wload, in lstm_top). Their storage, write strobes
// and read mux are lstm_ctrl_regs, which lstmgen emits from the host map's
// table (gen/emit_regs.cpp); this module gives them their meaning.
//
// State: run_q is high from the start of a run until every active core is
// idle again; MODE and ACTIVE ignore writes while it is high.
//
// Interrupt: IRQ_STATUS latches two events (lstm_pkg::Irq*): DONE when the
// cores go idle (no core busy after some core was: a run, or a descriptor
// check that failed, is over; START and a core's own CTRL start alike), ERROR
// when a core's error bit rises (a refused program; a NUM_LAYERS, NUM_STEPS or
// OUT_WAIT error refuses it before the core gets busy, so no DONE follows) or
// a START is refused for ACTIVE out of range (no core starts). A host enables
// both to hear of every end. irq_o is a level: high while a bit is set in
// both IRQ_STATUS and IRQ_ENABLE.
`include "lstm_assert.svh"

module lstm_mode_ctrl #(
  localparam int Cores = lstm_pkg::Cores,
  localparam int AddrW = lstm_pkg::GRegAddrW,
  localparam int ModeW = lstm_pkg::ModeW
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             reg_we_i,
  input  logic             reg_re_i,
  input  logic [AddrW-1:0] reg_addr_i,
  input  logic [31:0]      reg_wdata_i,
  output logic [31:0]      reg_rdata_o,
  input  logic [Cores-1:0] core_busy_i,
  input  logic [Cores-1:0] core_done_i,
  input  logic [Cores-1:0] core_error_i,
  output logic [Cores-1:0] start_o,
  output logic [Cores-1:0] chain_o,   // core c forwards its h stream to core c+1
  output logic [Cores-1:0] group_o,   // core c is a member of the helper-core group
  output logic             irq_o,     // an enabled IRQ_STATUS bit is set
  // the row loader's registers
  output logic [Cores-1:0] wload_mask_o,     // WLOAD_MASK
  output logic             wload_addr_wr_o,  // a write of WLOAD_ADDR (data: reg_wdata_i)
  input  logic [31:0]      wload_next_i      // WLOAD_NEXT
);
  localparam logic [ModeW-1:0] ModeSingle = ModeW'(lstm_pkg::ModeSingle);
  localparam logic [ModeW-1:0] ModeMp = ModeW'(lstm_pkg::ModeMp);
  localparam logic [ModeW-1:0] ModeMt = ModeW'(lstm_pkg::ModeMt);
  localparam logic [ModeW-1:0] ModeHc = ModeW'(lstm_pkg::ModeHc);

  logic [ModeW-1:0] mode_q;   // MODE (register in u_regs)
  logic [31:0] active_q;      // ACTIVE (register in u_regs)
  logic [ModeW-1:0] mode_next;  // MODE and ACTIVE after the coming clock edge
  logic [31:0] active_next;
  logic start_wr;             // a write to START
  logic run_q, run_d;
  logic [31:0] cycles_q, cycles_d;
  logic [31:0] status;
  localparam int IrqW = lstm_pkg::IrqW;
  logic [IrqW-1:0] irq_enable, irq_status, irq_set;
  logic any_busy_q;                  // a core was busy last cycle
  logic [Cores-1:0] core_error_q;    // core_error_i last cycle

  // The routing of a MODE and ACTIVE. Registered from the registers' next
  // values, so it changes in the same cycle as MODE and ACTIVE do: the 32-bit
  // compares of ACTIVE stay off the start path into the cores (issue 10: 17
  // LUT4 levels from ACTIVE into a core's sequencer on configs/small.json).
  // Bad mode or core count: nothing starts and STATUS says why.
  function automatic logic bad_of(input logic [31:0] active);
    bad_of = (active == 32'd0) || (active > 32'(Cores));
  endfunction
  // single uses core 0; mp, mt and hc use the first ACTIVE cores.
  function automatic logic [Cores-1:0] mask_of(input logic [ModeW-1:0] mode,
                                               input logic [31:0] active);
    mask_of = '0;
    for (int c = 0; c < Cores; c++) begin
      if (mode == ModeMp || mode == ModeMt || mode == ModeHc) mask_of[c] = (32'(c) < active);
      else mask_of[c] = (c == 0);
    end
  endfunction
  function automatic logic [Cores-1:0] chain_of(input logic [ModeW-1:0] mode,
                                                input logic [31:0] active);
    chain_of = '0;
    for (int c = 0; c < Cores; c++) chain_of[c] = (mode == ModeMt) && (32'(c) + 32'd1 < active);
  endfunction
  function automatic logic [Cores-1:0] group_of(input logic [ModeW-1:0] mode,
                                                input logic [31:0] active);
    group_of = '0;
    for (int c = 0; c < Cores; c++) group_of[c] = (mode == ModeHc) && (32'(c) < active);
  endfunction
  localparam logic [ModeW-1:0] ModeReset = ModeW'(lstm_pkg::GRegModeReset);
  localparam logic [31:0] ActiveReset = 32'(lstm_pkg::GRegActiveReset);

  logic bad_active_q;
  logic [Cores-1:0] active_mask_q, chain_q, group_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      bad_active_q <= bad_of(ActiveReset);
      active_mask_q <= mask_of(ModeReset, ActiveReset);
      chain_q <= chain_of(ModeReset, ActiveReset);
      group_q <= group_of(ModeReset, ActiveReset);
    end else begin
      bad_active_q <= bad_of(active_next);
      active_mask_q <= mask_of(mode_next, active_next);
      chain_q <= chain_of(mode_next, active_next);
      group_q <= group_of(mode_next, active_next);
    end
  end
  assign chain_o = chain_q;
  assign group_o = group_q;

  logic start_req;
  assign start_req = start_wr && !bad_active_q && !run_q;
  assign start_o = start_req ? active_mask_q : '0;

  always_comb begin
    run_d = run_q;
    cycles_d = cycles_q;
    if (start_req) begin
      run_d = 1'b1;
      cycles_d = '0;
    end else if (run_q) begin
      cycles_d = cycles_q + 32'd1;
      if ((core_busy_i & active_mask_q) == '0) run_d = 1'b0;
    end
  end

  assign status = (32'(run_q) << lstm_pkg::GStatusRunning)
                | (32'(!run_q && ((core_done_i & active_mask_q) == active_mask_q))
                   << lstm_pkg::GStatusDone)
                | (32'(|(core_error_i & active_mask_q)) << lstm_pkg::GStatusError)
                | (32'(bad_active_q) << lstm_pkg::GStatusBadActive);

  // IRQ events (see the header).
  always_comb begin
    irq_set = '0;
    irq_set[lstm_pkg::IrqDone] = any_busy_q && (core_busy_i == '0);
    irq_set[lstm_pkg::IrqError] = ((core_error_i & ~core_error_q) != '0)
                                || (start_wr && bad_active_q && !run_q);
  end
  assign irq_o = (irq_status & irq_enable) != '0;

  lstm_ctrl_regs u_regs (
    .clk_i, .rst_ni,
    .reg_we_i, .reg_re_i, .reg_addr_i, .reg_wdata_i, .reg_rdata_o, .lock_i(run_q),
    .mode_o(mode_q), .active_o(active_q), .mode_next_o(mode_next),
    .active_next_o(active_next), .start_wr_o(start_wr), .status_i(status),
    .cycles_i(cycles_q), .busy_mask_i(32'(core_busy_i)), .done_mask_i(32'(core_done_i)),
    .error_mask_i(32'(core_error_i)), .cores_i(32'(Cores)), .lanes_i(32'(lstm_pkg::Lanes)),
    .irq_enable_o(irq_enable), .irq_status_o(irq_status), .irq_status_set_i(irq_set),
    .wload_mask_o, .wload_addr_wr_o, .wload_next_i
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      run_q <= 1'b0;
      cycles_q <= '0;
      any_busy_q <= 1'b0;
      core_error_q <= '0;
    end else begin
      run_q <= run_d;
      cycles_q <= cycles_d;
      any_busy_q <= core_busy_i != '0;
      core_error_q <= core_error_i;
    end
  end

`ifndef SYNTHESIS
  logic run_prev_q;
  logic [ModeW-1:0] mode_prev_q;
  logic [31:0] active_prev_q;
  // IRQ_STATUS last cycle, the bits a write to it cleared, the bits set.
  logic irq_past_q;
  logic [IrqW-1:0] irq_status_prev_q, irq_clear_q, irq_set_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      run_prev_q <= 1'b0;
      irq_past_q <= 1'b0;
    end else begin
      run_prev_q <= run_q;
      mode_prev_q <= mode_q;
      active_prev_q <= active_q;
      irq_past_q <= 1'b1;
      irq_status_prev_q <= irq_status;
      irq_clear_q <= (reg_we_i && reg_addr_i == AddrW'(lstm_pkg::GRegIrqStatus))
                     ? reg_wdata_i[IrqW-1:0] : '0;
      irq_set_q <= irq_set;
    end
  end
  `LSTM_ASSERT(IrqLevel, irq_o == ((irq_status & irq_enable) != '0),
               "irq_o is high exactly while a bit is set in both IRQ_STATUS and IRQ_ENABLE")
  `LSTM_ASSERT(IrqW1cClearsWritten, !irq_past_q
               || (irq_status_prev_q & ~irq_status & ~irq_clear_q) == '0,
               "an IRQ_STATUS bit clears only by a host write with a 1 in that bit")
  `LSTM_ASSERT(IrqEventLatched, !irq_past_q || (irq_set_q & ~irq_status) == '0,
               "an IRQ event sets its IRQ_STATUS bit, also when a write clears it in that cycle")
  `LSTM_ASSERT(CtrlConfigStable, !(run_prev_q && run_q) || (mode_q == mode_prev_q
               && active_q == active_prev_q), "MODE and ACTIVE do not change during a run")
  `LSTM_ASSERT(CtrlRoutingCurrent, bad_active_q == bad_of(active_q)
               && active_mask_q == mask_of(mode_q, active_q) && chain_q == chain_of(mode_q, active_q)
               && group_q == group_of(mode_q, active_q),
               "the registered routing is always that of the current MODE and ACTIVE")
  `LSTM_ASSERT(CtrlStartIdle, start_o == '0 || !run_q, "cores are started only between runs")
  `LSTM_ASSERT(CtrlStartActive, (start_o & ~active_mask_q) == '0, "only active cores are started")
  `LSTM_ASSERT(CtrlSingleCore0, mode_q != ModeSingle || active_mask_q == Cores'(1),
               "single mode runs core 0 alone")
  `LSTM_ASSERT(CtrlModesExclusive, chain_o == '0 || group_o == '0,
               "no core both chains (mt) and helps (hc)")
  `LSTM_ASSERT(CtrlChainInside, bad_active_q || ((chain_o & ~active_mask_q) == '0 && !chain_o[Cores-1]),
               "with a valid ACTIVE, a chained core is active and has an active successor")
  `LSTM_ASSERT(CtrlChainPrefix, (chain_o & (chain_o + Cores'(1))) == '0,
               "the chained cores are 0, 1, ... (a prefix of the cores)")
  `LSTM_ASSERT(CtrlGroupPrefix, (group_o & (group_o + Cores'(1))) == '0
               && (bad_active_q || (group_o & ~active_mask_q) == '0),
               "the helper group is the first ACTIVE cores")
`endif
endmodule
