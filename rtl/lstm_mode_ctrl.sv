// Mode-select controller: the host picks a mode and how many cores take part;
// the controller derives the fabric's routing from them, starts the cores
// together and reports when the run is over.
//
//   single  core 0 alone (the baseline)
//   mp      cores 0..active-1 run independent programs
//   mt      cores 0..active-1 form a pipeline: core c's h stream feeds core c+1
//   hc      cores 0..active-1 share each layer; h slices go to every member
//   hybrid  cores 0..active-1 form a pipeline of stages (STAGES: the cores
//           that begin one); the cores of a stage share its layers as in hc,
//           and a stage's h stream (its first core's) feeds the next stage
//
// Every fabric mode (mt, hc, hybrid) is a pipeline of stages of contiguous
// cores: mt is a stage per core, hc one stage of every active core. The
// routing of all three is derived here, in one place, from each core's stage
// id (how many stages begin at or before it, less one):
//   fan_o    core s's h packets reach core d's h buffer (same stage, s != d)
//   xsrc_o   core c's x is core j's h stream (j begins the stage before c's)
//   xbcast_o core c is in the first stage: its x is port 0, shared by the stage
//   wait_o   core c's OUT_WAIT watches core j's streamer (j begins c's stage, j != c)
//   chain_o  core j's h stream feeds the next stage instead of its port
//
// Registers (lstm_pkg::GReg*, the host map of spec/host_map.hpp;
// docs/host-interface.md): MODE, ACTIVE, STAGES, START (write), STATUS, CYCLES,
// BUSY_MASK, DONE_MASK, ERROR_MASK, CORES, LANES, IRQ_ENABLE, IRQ_STATUS
// (write 1 to clear), and WLOAD_MASK, WLOAD_ADDR, WLOAD_NEXT of the row loader
// (lstm_wload, in lstm_top). Their storage, write strobes
// and read mux are lstm_ctrl_regs, which lstmgen emits from the host map's
// table (gen/emit_regs.cpp); this module gives them their meaning.
//
// State: run_q is high from the start of a run until every active core is
// idle again; MODE, ACTIVE and STAGES ignore writes while it is high.
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
  // Counters 0 (config features.counters false): CYCLES reads 0, like the
  // cores' counters, and the 32-bit count is not built (issue 10, area).
  parameter bit Counters = 1'b1,
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
  output logic [Cores-1:0] chain_o,          // core c's h stream feeds the next stage
  output logic [Cores*Cores-1:0] fan_o,      // bit d*Cores+s: core s's h reaches core d
  output logic [Cores*Cores-1:0] xsrc_o,     // bit c*Cores+j: core c's x is core j's h
  output logic [Cores-1:0] xbcast_o,         // core c's x is port 0, shared by its stage
  output logic [Cores*Cores-1:0] wait_o,     // bit c*Cores+j: core c waits on j's streamer
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
  localparam logic [ModeW-1:0] ModeHybrid = ModeW'(lstm_pkg::ModeHybrid);

  logic [ModeW-1:0] mode_q;   // MODE (register in u_regs)
  logic [31:0] active_q;      // ACTIVE (register in u_regs), zero-extended
  // ACTIVE holds lstm_pkg::ActiveRegW bits, all ones for a value above Cores
  // (still a bad ACTIVE): the compares below see constant upper bits.
  logic [lstm_pkg::ActiveRegW-1:0] active_reg, active_next_reg;
  logic [Cores-1:0] stages_q; // STAGES (register in u_regs)
  logic [ModeW-1:0] mode_next;  // MODE, ACTIVE and STAGES after the coming clock edge
  logic [31:0] active_next;
  assign active_q = 32'(active_reg);
  assign active_next = 32'(active_next_reg);
  logic [Cores-1:0] stages_next;
  logic start_wr;             // a write to START
  logic run_q, run_d;
  logic [31:0] cycles_q, cycles_d;
  logic [31:0] status;
  localparam int IrqW = lstm_pkg::IrqW;
  logic [IrqW-1:0] irq_enable, irq_status, irq_set;
  logic any_busy_q;                  // a core was busy last cycle
  logic [Cores-1:0] core_error_q;    // core_error_i last cycle

  // The routing of a MODE, ACTIVE and STAGES, as functions of the three.
  // lstm_mode_ctrl registers it from the registers' next values, so it
  // changes in the same cycle as they do and their 32-bit compares and the
  // stage ids stay off the start path into the cores (issue 10: 17 LUT4
  // levels from ACTIVE into a core's sequencer on configs/small.json).
  // Bad core count: nothing starts and STATUS says why.
  function automatic logic bad_of(input logic [31:0] active);
    bad_of = (active == 32'd0) || (active > 32'(Cores));
  endfunction
  // mt, hc or hybrid: a pipeline of stages.
  function automatic logic fabric_of(input logic [ModeW-1:0] mode);
    fabric_of = (mode == ModeMt) || (mode == ModeHc) || (mode == ModeHybrid);
  endfunction
  // single uses core 0; mp and the fabric modes use the first ACTIVE cores.
  function automatic logic [Cores-1:0] mask_of(input logic [ModeW-1:0] mode,
                                               input logic [31:0] active);
    mask_of = '0;
    for (int c = 0; c < Cores; c++) begin
      if (mode == ModeMp || fabric_of(mode)) mask_of[c] = (32'(c) < active);
      else mask_of[c] = (c == 0);
    end
  endfunction
  // The fabric modes' stages: which cores begin one.
  function automatic logic [Cores-1:0] begins_of(input logic [ModeW-1:0] mode,
                                                 input logic [Cores-1:0] stages);
    for (int c = 0; c < Cores; c++)
      begins_of[c] = (c == 0) || (mode == ModeMt) || ((mode == ModeHybrid) && stages[c]);
  endfunction
  // How many cores in (lo, hi] begin a stage, as "any" and "exactly one"
  // (lo < hi, both constants where they are called). Two cores' stage ids (the
  // stages that begin at or before them) differ by the begins between them,
  // so the routing needs only these range tests, a LUT or two each, not the
  // ids themselves (issue 10: counting the ids core by core and comparing
  // them was 21 LUT4 levels from run_q into route_q on 8 cores).
  function automatic logic any_begin(input logic [Cores-1:0] b, input int lo, input int hi);
    any_begin = 1'b0;
    for (int k = 0; k < Cores; k++) if (k > lo && k <= hi && b[k]) any_begin = 1'b1;
  endfunction
  function automatic logic one_begin(input logic [Cores-1:0] b, input int lo, input int hi);
    logic seen, two;
    seen = 1'b0;
    two = 1'b0;
    for (int k = 0; k < Cores; k++) begin
      if (k > lo && k <= hi && b[k]) begin
        two = two || seen;
        seen = 1'b1;
      end
    end
    one_begin = seen && !two;
  endfunction
  // Every routing bit, packed {bad, mask, chain, xbcast, fan, xsrc, wait}.
  localparam int RouteW = 1 + 3 * Cores + 3 * Cores * Cores;
  function automatic logic [RouteW-1:0] route_of(input logic [ModeW-1:0] mode,
                                                 input logic [31:0] active,
                                                 input logic [Cores-1:0] stages);
    logic is_fabric;
    logic [Cores-1:0] mask, begins, chain, xbcast;
    logic [Cores*Cores-1:0] fan, xsrc, waits;
    is_fabric = fabric_of(mode);
    mask = mask_of(mode, active);
    begins = begins_of(mode, stages);
    fan = '0;
    xsrc = '0;
    waits = '0;
    chain = '0;
    xbcast = '0;
    for (int c = 0; c < Cores; c++) begin
      // in the first stage: no begin in (0, c]
      xbcast[c] = is_fabric && mask[c] && !any_begin(begins, 0, c);
      for (int j = 0; j < Cores; j++) begin
        if (is_fabric && mask[c] && mask[j] && j != c) begin
          // the same stage: no begin between them
          fan[c*Cores + j] = (j < c) ? !any_begin(begins, j, c) : !any_begin(begins, c, j);
          // j begins the stage before c's: one begin in (j, c], c's stage's
          xsrc[c*Cores + j] = (j < c) && begins[j] && one_begin(begins, j, c);
          // j begins c's stage
          waits[c*Cores + j] = (j < c) && begins[j] && !any_begin(begins, j, c);
        end
      end
    end
    for (int j = 0; j < Cores; j++)
      for (int c = 0; c < Cores; c++)
        if (xsrc[c*Cores + j]) chain[j] = 1'b1;
    route_of = {bad_of(active), mask, chain, xbcast, fan, xsrc, waits};
  endfunction
  localparam logic [ModeW-1:0] ModeReset = ModeW'(lstm_pkg::GRegModeReset);
  localparam logic [31:0] ActiveReset = 32'(lstm_pkg::GRegActiveReset);
  localparam logic [Cores-1:0] StagesReset = Cores'(lstm_pkg::GRegStagesReset);

  logic [RouteW-1:0] route_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) route_q <= route_of(ModeReset, ActiveReset, StagesReset);
    else route_q <= route_of(mode_next, active_next, stages_next);
  end
  logic bad_active;
  logic [Cores-1:0] active_mask;
  assign {bad_active, active_mask, chain_o, xbcast_o, fan_o, xsrc_o, wait_o} = route_q;
  logic fabric;
  assign fabric = fabric_of(mode_q);

  logic start_req;
  assign start_req = start_wr && !bad_active && !run_q;
  assign start_o = start_req ? active_mask : '0;

  always_comb begin
    run_d = run_q;
    cycles_d = cycles_q;
    if (start_req) begin
      run_d = 1'b1;
      cycles_d = '0;
    end else if (run_q) begin
      cycles_d = cycles_q + 32'd1;
      if ((core_busy_i & active_mask) == '0) run_d = 1'b0;
    end
  end

  assign status = (32'(run_q) << lstm_pkg::GStatusRunning)
                | (32'(!run_q && ((core_done_i & active_mask) == active_mask))
                   << lstm_pkg::GStatusDone)
                | (32'(|(core_error_i & active_mask)) << lstm_pkg::GStatusError)
                | (32'(bad_active) << lstm_pkg::GStatusBadActive);

  // IRQ events (see the header).
  always_comb begin
    irq_set = '0;
    irq_set[lstm_pkg::IrqDone] = any_busy_q && (core_busy_i == '0);
    irq_set[lstm_pkg::IrqError] = ((core_error_i & ~core_error_q) != '0)
                                || (start_wr && bad_active && !run_q);
  end
  assign irq_o = (irq_status & irq_enable) != '0;

  lstm_ctrl_regs u_regs (
    .clk_i, .rst_ni,
    .reg_we_i, .reg_re_i, .reg_addr_i, .reg_wdata_i, .reg_rdata_o, .lock_i(run_q),
    .mode_o(mode_q), .active_o(active_reg), .stages_o(stages_q), .mode_next_o(mode_next),
    .active_next_o(active_next_reg), .stages_next_o(stages_next), .start_wr_o(start_wr),
    .status_i(status),
    .cycles_i(cycles_q), .busy_mask_i(32'(core_busy_i)), .done_mask_i(32'(core_done_i)),
    .error_mask_i(32'(core_error_i)), .cores_i(32'(Cores)), .lanes_i(32'(lstm_pkg::Lanes)),
    .irq_enable_o(irq_enable), .irq_status_o(irq_status), .irq_status_set_i(irq_set),
    .wload_mask_o, .wload_addr_wr_o, .wload_next_i
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      run_q <= 1'b0;
      any_busy_q <= 1'b0;
      core_error_q <= '0;
    end else begin
      run_q <= run_d;
      any_busy_q <= core_busy_i != '0;
      core_error_q <= core_error_i;
    end
  end
  if (Counters) begin : gen_cycles
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) cycles_q <= '0;
      else cycles_q <= cycles_d;
    end
  end else begin : gen_no_cycles
    assign cycles_q = '0;
`ifndef SYNTHESIS
    logic cycles_unused;
    assign cycles_unused = ^cycles_d;
`endif
  end

`ifndef SYNTHESIS
  function automatic logic one_or_none(input logic [Cores-1:0] v);
    one_or_none = (v & (v - Cores'(1))) == '0;
  endfunction
  // Per core c: its x sources or waited-on cores break a rule above.
  logic [Cores-1:0] xsrc_wrong, wait_wrong;
  always_comb begin
    for (int c = 0; c < Cores; c++) begin
      xsrc_wrong[c] = !one_or_none(xsrc_o[c*Cores +: Cores])
          || (xbcast_o[c] && xsrc_o[c*Cores +: Cores] != '0)
          || ((xsrc_o[c*Cores +: Cores] >> c) != '0);
      wait_wrong[c] = !one_or_none(wait_o[c*Cores +: Cores])
          || ((wait_o[c*Cores +: Cores] >> c) != '0)
          || ((wait_o[c*Cores +: Cores] & ~fan_o[c*Cores +: Cores]) != '0);
    end
  end
  logic run_prev_q;
  logic [ModeW-1:0] mode_prev_q;
  logic [31:0] active_prev_q;
  logic [Cores-1:0] stages_prev_q;
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
      stages_prev_q <= stages_q;
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
               && active_q == active_prev_q && stages_q == stages_prev_q),
               "MODE, ACTIVE and STAGES do not change during a run")
  `LSTM_ASSERT(CtrlRoutingCurrent, route_q == route_of(mode_q, active_q, stages_q),
               "the registered routing is always that of the current MODE, ACTIVE and STAGES")
  `LSTM_ASSERT(CtrlStartIdle, start_o == '0 || !run_q, "cores are started only between runs")
  `LSTM_ASSERT(CtrlStartActive, (start_o & ~active_mask) == '0, "only active cores are started")
  `LSTM_ASSERT(CtrlSingleCore0, mode_q != ModeSingle || active_mask == Cores'(1),
               "single mode runs core 0 alone")
  `LSTM_ASSERT(CtrlChainInside, bad_active || ((chain_o & ~active_mask) == '0 && !chain_o[Cores-1]),
               "with a valid ACTIVE, a chained core is active and has an active successor")
  `LSTM_ASSERT(CtrlChainMt, mode_q != ModeMt || bad_active
               || chain_o == Cores'((64'(1) << (active_q - 32'd1)) - 64'(1)),
               "in mt the chained cores are 0 .. ACTIVE-2")
  `LSTM_ASSERT(CtrlHcOneStage, mode_q != ModeHc || (chain_o == '0 && xbcast_o == active_mask),
               "in hc every active core is in the one stage")
  `LSTM_ASSERT(CtrlNoFabric, fabric || (fan_o == '0 && xsrc_o == '0 && xbcast_o == '0
               && wait_o == '0 && chain_o == '0), "single and mp cores use their own ports")
  `LSTM_ASSERT(CtrlXFromBelow, xsrc_wrong == '0,
               "a core takes x from at most one earlier core, and not also from port 0")
  `LSTM_ASSERT(CtrlWaitOne, wait_wrong == '0,
               "a core waits on at most one earlier core's streamer, a core of its stage")
`endif
endmodule
