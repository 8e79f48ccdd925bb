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
  localparam int SidW = $clog2(Cores + 1);  // a stage id

  logic [ModeW-1:0] mode_q;   // MODE (register in u_regs)
  logic [31:0] active_q;      // ACTIVE (register in u_regs)
  logic [Cores-1:0] stages_q; // STAGES (register in u_regs)
  logic start_wr;             // a write to START
  logic run_q, run_d;
  logic [31:0] cycles_q, cycles_d;
  logic [31:0] status;
  localparam int IrqW = lstm_pkg::IrqW;
  logic [IrqW-1:0] irq_enable, irq_status, irq_set;
  logic any_busy_q;                  // a core was busy last cycle
  logic [Cores-1:0] core_error_q;    // core_error_i last cycle

  // Bad mode or core count: nothing starts and STATUS says why.
  logic bad_active;
  assign bad_active = (active_q == 32'd0) || (active_q > 32'(Cores));

  logic fabric;  // mt, hc or hybrid: a pipeline of stages
  assign fabric = (mode_q == ModeMt) || (mode_q == ModeHc) || (mode_q == ModeHybrid);

  logic [Cores-1:0] active_mask;
  always_comb begin
    active_mask = '0;
    for (int c = 0; c < Cores; c++) begin
      // single uses core 0; mp, mt and hc use the first ACTIVE cores.
      if (mode_q == ModeMp || fabric) active_mask[c] = (32'(c) < active_q);
      else active_mask[c] = (c == 0);
    end
  end

  // The fabric modes' stages: which cores begin one, and each core's stage id.
  logic [Cores-1:0] begins;
  always_comb begin
    for (int c = 0; c < Cores; c++)
      begins[c] = (c == 0) || (mode_q == ModeMt) || ((mode_q == ModeHybrid) && stages_q[c]);
  end
  // Stage id of core c at [c*SidW +: SidW]: the cores after 0 that begin a stage, up to c.
  function automatic logic [Cores*SidW-1:0] stage_ids(input logic [Cores-1:0] b);
    logic [SidW-1:0] n;
    n = '0;
    for (int c = 0; c < Cores; c++) begin
      if (c > 0 && b[c]) n = n + SidW'(1);
      stage_ids[c*SidW +: SidW] = n;
    end
  endfunction
  logic [Cores*SidW-1:0] sid;
  assign sid = stage_ids(begins);

  always_comb begin
    fan_o = '0;
    xsrc_o = '0;
    wait_o = '0;
    chain_o = '0;
    for (int c = 0; c < Cores; c++) begin
      xbcast_o[c] = fabric && active_mask[c] && (sid[c*SidW +: SidW] == '0);
      for (int j = 0; j < Cores; j++) begin
        if (fabric && active_mask[c] && active_mask[j] && j != c) begin
          fan_o[c*Cores + j] = sid[c*SidW +: SidW] == sid[j*SidW +: SidW];
          xsrc_o[c*Cores + j] = begins[j]
              && (sid[j*SidW +: SidW] + SidW'(1) == sid[c*SidW +: SidW]);
          wait_o[c*Cores + j] = begins[j] && !begins[c]
              && (sid[j*SidW +: SidW] == sid[c*SidW +: SidW]);
        end
      end
    end
    for (int j = 0; j < Cores; j++)
      for (int c = 0; c < Cores; c++)
        if (xsrc_o[c*Cores + j]) chain_o[j] = 1'b1;
  end

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
    .mode_o(mode_q), .active_o(active_q), .stages_o(stages_q), .start_wr_o(start_wr),
    .status_i(status),
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
