// lstm_pkg: numbers of the config, the host map (spec/host_map.hpp), the
// sizes the RTL shares, and the fixed-point rules of docs/numerics.md.
// Each function mirrors the C++ function of the same name (sim/fixed_point.hpp, sim/activation.hpp).
package lstm_pkg;
  localparam int Cores = 2;  // accelerator cores
  localparam int Lanes = 4;  // MAC lanes per core
  localparam int Gates = 4;  // gates of an LSTM cell (i, f, g, o): one MAC each per lane
  localparam int HasLstm = 1;  // 1: the cores run LSTM layers (config /cells)
  localparam int HasGru = 1;  // 1: the cores run GRU layers (FLAGS.GRU; config /cells), sums r, z, a_nx, a_nh
  localparam int DataW = 8;  // x and h
  localparam int AxisDataW = (DataW + 7) / 8 * 8;  // = 8, AXI4-Stream TDATA of x and h: DataW in whole bytes, sign-extended
  localparam int DataF = 5;
  localparam int WeightW = 8;  // W_ih and W_hh
  localparam int WeightF = 6;
  localparam int BiasW = 8;  // b_ih + b_hh
  localparam int BiasF = 6;
  localparam int AccW = 24;  // gate pre-activations
  localparam int AccF = DataF + WeightF;  // = 11
  localparam int GateW = 10;  // sigmoid and tanh outputs
  localparam int GateF = 8;
  localparam int CellW = 12;  // cell state
  localparam int CellF = 8;
  localparam int MaxInput = 16;  // largest X of layer 0
  localparam int MaxHidden = 16;  // largest H of any layer
  localparam int MaxLayers = 3;  // layers a core holds
  localparam int WeightDepth = 256;  // words per lane-gate weight memory
  localparam int MaxSteps = 0;  // largest NUM_STEPS (limits.max_steps); 0: no limit but 32 bits
  localparam int StepW = 32;  // bits of a step count, 0 .. MaxSteps
  localparam int LStepW = 32;  // bits of a layer-step count, 0 .. MaxSteps * MaxLayers (at most 32)
  localparam int NumStepsRegW = 32;  // bits of NUM_STEPS: all ones is above MaxSteps (32 without a limit)
  localparam int MaxVec = MaxInput > MaxHidden ? MaxInput : MaxHidden;  // = 16
  localparam int GroupsMax = (MaxHidden + Lanes - 1) / Lanes;  // = 4, ceil(MaxHidden / Lanes)
  localparam int BiasDepth = MaxLayers * GroupsMax;  // = 12
  localparam int ActIndexBits = 5;  // activation segments N = 2^ActIndexBits
  localparam int ActPwl = 0;  // 1: piecewise linear (N + 1 breakpoints), 0: lookup table
  localparam int ActEntries = (1 << ActIndexBits) + ActPwl;  // = 32
  localparam int PostPwlStages = 0 * ActPwl;  // = 0, pipeline stages the post unit adds for pwl activations (A1, A2, X1..X3)
  localparam int ActShiftAcc = 9;  // activation index shift for AccF
  localparam int ActShiftCell = 6;  // activation index shift for CellF
  localparam int ActRemAccW = ActShiftAcc > 0 ? ActShiftAcc : 1;  // = 9, bits of rem, z's bits below the index (at least 1)
  localparam int ActReadAccW = 2 * GateW + 1 + ActRemAccW;  // = 30, act_*_read's word {lo, slope, rem}
  localparam int ActProdAccW = GateW + ActRemAccW + 2;  // = 21, bits of slope * rem
  localparam int ActMulAccW = GateW + ActProdAccW;  // = 31, act_*_mul's word {lo, slope * rem}
  localparam int ActRemCellW = ActShiftCell > 0 ? ActShiftCell : 1;  // = 6, bits of rem, z's bits below the index (at least 1)
  localparam int ActReadCellW = 2 * GateW + 1 + ActRemCellW;  // = 27, act_*_read's word {lo, slope, rem}
  localparam int ActProdCellW = GateW + ActRemCellW + 2;  // = 18, bits of slope * rem
  localparam int ActMulCellW = GateW + ActProdCellW;  // = 28, act_*_mul's word {lo, slope * rem}
  localparam int BiasShift = AccF - BiasF;  // = 5
  localparam int CellSumF = GateF + (CellF > GateF ? CellF : GateF);  // = 16, GateF + max(CellF, GateF)
  localparam int CellSumW = 23;  // bits of cell_sum, narrow_cell's exact sum
  localparam int HidProdW = 2 * GateW;  // = 20, bits of hidden_prod, narrow_hidden's exact product
  localparam int GruSumF = GateF + (DataF > GateF ? DataF : GateF);  // = 16, GateF + max(DataF, GateF)
  localparam int GruSumW = 22;  // bits of gru_hidden_sum, narrow_gru_hidden's exact sum
  localparam int GruKeepW = 18;  // bits of gru_keep_prod, gru_hidden_sum's z * h_prev
  localparam int GruNewW = 21;  // bits of gru_new_prod, gru_hidden_sum's (2^GateF - z) * n
  localparam int ResetProdW = GateW + AccW;  // = 34, bits of reset_prod, narrow_reset's exact product
  localparam int PostValW = DataW + 1 > HidProdW ? DataW + 1 : HidProdW;  // = 20, the wider of HidProdW and DataW + 1 (a GRU unit's {sat, h})
  localparam int AddrW = 30;  // host (word) address bits
  localparam int TargetShift = 25;  // address[AddrW-1:TargetShift]: target
  localparam int RegionShift = 23;  // address[TargetShift-1:RegionShift]: region; below: index
  localparam int TargetGlobal = 31;  // target of the mode-select controller
  localparam int ByteShift = 2;  // AXI4-Lite byte address = word address << ByteShift (lstm_axil_slave)
  localparam int RegionRegs = 0;  // region: registers
  localparam int RegionWeights = 1;  // region: weight memory
  localparam int RegionBiases = 2;  // region: bias memory
  localparam int RegionState = 3;  // region: the h and c buffers (initial and final state; while the core is idle)
  localparam int StateCBit = 22;  // state index bit: 1 the c buffer (layer * MaxHidden + unit), 0 the h buffer ((2 * layer + half) * MaxHidden + unit)
  localparam int RegCtrl = 0;  // core register, W: bit CtrlStart starts the program
  localparam int RegStatus = 1;  // core register, R: fields Status*
  localparam int RegNumLayers = 2;  // core register: layers this core runs
  localparam int RegNumSteps = 3;  // core register: timesteps of the sequence
  localparam int RegFlags = 4;  // core register: bits Flag*
  localparam int RegCycles = 8;  // core register, R: cycles busy in the last run
  localparam int RegMacBusy = 9;  // core register, R: cycles the MAC array took an element
  localparam int RegStallDep = 10;  // core register, R: cycles waiting for an operand (x or h not there yet)
  localparam int RegStallOther = 11;  // core register, R: cycles waiting for the post unit or the output streamer
  localparam int RegLayerBase = 16;  // layer l's descriptor at RegLayerBase + RegLayerStride * l
  localparam int RegLayerStride = 16;  // registers per layer descriptor
  localparam int CtrlStart = 0;  // CTRL bit: start this core's program
  localparam int StatusBusy = 0;  // STATUS bit: busy
  localparam int StatusDone = 1;  // STATUS bit: done
  localparam int StatusError = 2;  // STATUS bit: the program was refused
  localparam int StatusSat = 3;  // STATUS bit: a saturation counter (descriptor fields SAT_*) is not zero
  localparam int StatusCodeLsb = 8;  // STATUS field: error code Err*
  localparam int StatusCodeW = 8;  // bits of the error code
  localparam int StatusLayerLsb = 16;  // STATUS field: layer of the error
  localparam int StatusLayerW = 8;  // bits of the error layer
  localparam int FieldInSize = 0;  // descriptor field: X of this layer (layer l > 0: H of layer l-1)
  localparam int FieldHidden = 1;  // descriptor field: H of this layer (all units, also those other cores compute)
  localparam int FieldUnitLo = 2;  // descriptor field: first hidden unit this core computes
  localparam int FieldUnitCnt = 3;  // descriptor field: number of hidden units this core computes
  localparam int FieldWBase = 4;  // descriptor field: weight word of the layer's first group
  localparam int FieldBBase = 5;  // descriptor field: bias word of the layer's first group
  localparam int FieldSatActSigmoidAcc = 8;  // saturation counter, R: i, f, o pre-activations beyond the table range
  localparam int FieldSatActTanhAcc = 9;  // saturation counter, R: g pre-activations beyond the table range
  localparam int FieldSatNarrowCell = 10;  // saturation counter, R: c_new clamped to the cell format
  localparam int FieldSatActTanhCell = 11;  // saturation counter, R: c_new beyond the table range
  localparam int FieldSatNarrowHidden = 12;  // saturation counter, R: h clamped to the data format
  localparam int FlagOutEnBit = 0;  // FLAGS bit: stream the last layer's h out
  localparam int FlagOutWaitBit = 1;  // FLAGS bit: do not overwrite an h the output streamer has not sent
  localparam int FlagStateInBit = 2;  // FLAGS bit: step 0 reads h and c from the buffers (the state the host wrote, or the previous run's final state) instead of zero
  localparam int FlagHHalfBit = 3;  // FLAGS bit: step t's h goes to h buffer half (t + H_HALF) mod 2; the initial h is read from half 1 - H_HALF
  localparam int FlagGruBit = 4;  // FLAGS bit: the program's layers are GRU layers (else LSTM layers); the c buffer then holds each unit's h
  localparam int GRegMode = 0;  // controller register: Mode*
  localparam int GRegActive = 1;  // controller register: cores taking part
  localparam int GRegStart = 2;  // controller register, W: start every active core
  localparam int GRegStatus = 3;  // controller register, R: bits GStatus*
  localparam int GRegCycles = 4;  // controller register, R: cycles of the last run
  localparam int GRegBusyMask = 5;  // controller register, R: busy bit per core
  localparam int GRegDoneMask = 6;  // controller register, R: done bit per core
  localparam int GRegErrorMask = 7;  // controller register, R: error bit per core
  localparam int GRegCores = 8;  // controller register, R: cores of the design
  localparam int GRegLanes = 9;  // controller register, R: lanes per core
  localparam int GRegIrqEnable = 10;  // controller register: bits Irq* that raise irq_o (not locked during a run)
  localparam int GRegIrqStatus = 11;  // controller register, W1C: bits Irq* of events since last cleared; write 1 to clear
  localparam int GRegWloadMask = 12;  // controller register: cores each beat of the weight/bias row stream writes
  localparam int GRegWloadAddr = 13;  // controller register, W: the next row beat's memory index (region << RegionShift | word << SlotW)
  localparam int GRegWloadNext = 14;  // controller register, R: the memory index the next row beat writes
  localparam int GRegStages = 15;  // controller register: in hybrid mode, bit c set: active core c begins a pipeline stage (core 0 always does); a stage is the active cores up to the next such bit
  localparam int GStatusRunning = 0;  // controller STATUS bit: running
  localparam int GStatusDone = 1;  // controller STATUS bit: every active core is done
  localparam int GStatusError = 2;  // controller STATUS bit: an active core reports an error
  localparam int GStatusBadActive = 3;  // controller STATUS bit: ACTIVE out of range
  localparam int IrqDone = 0;  // IRQ bit: the cores went idle (busy_o fell: a run ended, or a program failed its descriptor checks)
  localparam int IrqError = 1;  // IRQ bit: a core refused its program (its STATUS.ERROR rose) or START was refused (ACTIVE out of range)
  localparam int ModeSingle = 0;  // MODE: core 0 alone
  localparam int ModeMp = 1;  // MODE: independent jobs per core
  localparam int ModeMt = 2;  // MODE: layers pipelined over cores
  localparam int ModeHc = 3;  // MODE: cores share each layer's units
  localparam int ModeHybrid = 4;  // MODE: layers pipelined over stages of cores (STAGES); a stage's cores share its layers' units
  localparam int ErrNone = 0;  // none
  localparam int ErrNumLayers = 1;  // NUM_LAYERS is 0 or above the limit
  localparam int ErrNumSteps = 2;  // NUM_STEPS is 0 or above the limit
  localparam int ErrInSize = 3;  // IN_SIZE is 0 or above the limit
  localparam int ErrInChain = 4;  // IN_SIZE differs from the previous layer's HIDDEN
  localparam int ErrHidden = 5;  // HIDDEN is 0 or above the limit
  localparam int ErrUnits = 6;  // UNIT_LO/UNIT_CNT select no units or units past HIDDEN
  localparam int ErrWeights = 7;  // the layer's weights run past the weight memory
  localparam int ErrBiases = 8;  // the layer's biases run past the bias memory
  localparam int ErrOutWait = 9;  // FLAGS.OUT_WAIT without OUT_EN: the core would wait for its own idle streamer
  localparam int ErrCell = 10;  // FLAGS.GRU selects a cell type the design was not generated for (config /cells)
  localparam int Macs = Gates * Lanes;  // = 16, MACs per core, slot lane * Gates + gate
  localparam int SlotW = $clog2(Macs);  // = 4, slot bits of a memory index
  localparam int WRowSlotW = ((WeightW > BiasW ? WeightW : BiasW) + 7) / 8 * 8;  // = 8, bits of a slot in a row beat: max(WeightW, BiasW) in bytes
  localparam int WRowW = Macs * WRowSlotW;  // = 128, bits of a weight/bias row beat (a word per slot)
  localparam int WAddrW = WeightDepth > 1 ? $clog2(WeightDepth) : 1;  // = 8
  localparam int BAddrW = BiasDepth > 1 ? $clog2(BiasDepth) : 1;  // = 4
  localparam int XDepth = 2 * MaxVec;  // = 32, x buffer: two halves of MaxVec
  localparam int XAddrW = $clog2(XDepth);  // = 5
  localparam int HDepth = 2 * MaxLayers * MaxHidden;  // = 96, h buffer: per layer two halves of MaxHidden
  localparam int HAddrW = $clog2(HDepth);  // = 7
  localparam int HBanks = Cores > 1 ? 2 : 1;  // = 2, h buffer banks by address parity (lstm_hbuf): two writes per cycle when several cores share h (hc)
  localparam int HBankDepth = (HDepth + HBanks - 1) / HBanks;  // = 48, h buffer: words per bank
  localparam int CDepth = MaxLayers * MaxHidden;  // = 48, c buffer: a word per layer and unit
  localparam int CAddrW = CDepth > 1 ? $clog2(CDepth) : 1;  // = 6
  localparam int StateW = (CellW > DataW ? CellW : DataW) > 32 ? 32 : CellW > DataW ? CellW : DataW;  // = 12, bits of a state region word the host writes (the wider of h and c, at most 32)
  localparam int LayerW = MaxLayers > 1 ? $clog2(MaxLayers) : 1;  // = 2, a local layer index
  localparam int VecW = $clog2(MaxVec + 1);  // = 5, 0 .. MaxVec
  localparam int UnitW = $clog2(MaxHidden + 1);  // = 5, 0 .. MaxHidden
  localparam int GroupW = $clog2(GroupsMax + 1);  // = 3, 0 .. GroupsMax
  localparam int LaneW = Lanes > 1 ? $clog2(Lanes) : 1;  // = 2, a lane index
  localparam int LaneCntW = $clog2(Lanes + 1);  // = 3, 0 .. Lanes
  localparam int MetaW = LayerW + 1 + UnitW + LaneCntW + 2;  // = 13, group metadata {layer, parity, first unit, lanes, last group, first step}
  localparam int PktW = 1 + LayerW + 1 + UnitW + DataW;  // = 17, h network packet {last, layer, parity, unit, h}
  localparam int PostPktW = PktW - DataW + PostValW;  // = 29, post FIFO entry {last, layer, parity, unit, hidden_prod or a GRU's {sat, h}}
  localparam int TargetW = AddrW - TargetShift;  // = 5, address target bits
  localparam int RegionW = TargetShift - RegionShift;  // = 2, address region bits
  localparam int IndexW = RegionShift;  // = 23, address index bits
  localparam int NumRegs = RegLayerBase + RegLayerStride * MaxLayers;  // = 64, core registers
  localparam int RegAddrW = $clog2(NumRegs);  // = 6
  localparam int FieldW = $clog2(RegLayerStride);  // = 4, field bits of a descriptor address
  localparam int FlagsW = FlagGruBit + 1;  // = 5, bits of FLAGS
  localparam int NumLayersRegW = $clog2(MaxLayers + 2);  // = 3, bits of NUM_LAYERS: all ones is above MaxLayers
  localparam int InSizeRegW = $clog2(MaxVec + 2);  // = 5, bits of IN_SIZE: all ones is above MaxVec
  localparam int HiddenRegW = $clog2(MaxHidden + 2);  // = 5, bits of HIDDEN, UNIT_LO and UNIT_CNT: all ones is above MaxHidden
  localparam int WBaseRegW = $clog2(WeightDepth + 2);  // = 9, bits of WBASE: all ones is above WeightDepth
  localparam int BBaseRegW = $clog2(BiasDepth + 2);  // = 4, bits of BBASE: all ones is above BiasDepth
  localparam int NumGRegs = GRegStages + 1;  // = 16, controller registers
  localparam int GRegAddrW = $clog2(NumGRegs);  // = 4
  localparam int ModeW = $clog2(ModeHybrid + 1);  // = 3, bits of MODE
  localparam int IrqW = IrqError + 1;  // = 2, bits of IRQ_ENABLE and IRQ_STATUS
  localparam int ActiveRegW = $clog2(Cores + 2);  // = 2, bits of ACTIVE: all ones is above Cores
  localparam int GRegModeReset = 0;  // MODE's value after reset
  localparam int GRegActiveReset = 1;  // ACTIVE's value after reset
  localparam int GRegStagesReset = 0;  // STAGES's value after reset

  // bias (BiasW, BiasF) aligned to the accumulator: narrow(b, BiasF - AccF, AccW).
  function automatic logic signed [AccW-1:0] bias_to_accum(input logic signed [BiasW-1:0] b);
    logic signed [12:0] shifted;
    shifted = 13'(b) << BiasShift;
    bias_to_accum = 24'(shifted);
  endfunction

  // c_new = narrow((f * c_prev << (CellSumF - GateF - CellF))
  //                + (i * g << (CellSumF - 2 * GateF)), CellSumF - CellF, CellW).
  function automatic logic signed [CellW-1:0] narrow_cell(
    input logic signed [GateW-1:0] i,
    input logic signed [GateW-1:0] f,
    input logic signed [GateW-1:0] g,
    input logic signed [CellW-1:0] c_prev
  );
    logic signed [22:0] sum;
    logic signed [21:0] fc;
    logic signed [19:0] ig;
    logic signed [23:0] rnd;
    logic signed [15:0] shifted;
    fc = 22'(f) * 22'(c_prev);
    ig = 20'(i) * 20'(g);
    sum = 23'(fc) + 23'(ig);
    // round half away from zero: + 2^7 (- 1 when negative), then >>> 8
    rnd = 24'(sum) + (sum[22] ? 24'sd127 : 24'sd128);
    shifted = 16'(rnd >>> (CellSumF - CellF));
    if (!shifted[15] && |shifted[14:11]) begin
      narrow_cell = 12'sd2047;
    end else if (shifted[15] && !(&shifted[14:11])) begin
      narrow_cell = 12'sh800;
    end else begin
      narrow_cell = 12'(shifted);
    end
  endfunction

  // narrow_cell's exact sum (f * c_prev << (CellSumF - GateF - CellF))
  // + (i * g << (CellSumF - 2 * GateF)), in CellSumW bits.
  function automatic logic signed [CellSumW-1:0] cell_sum(
    input logic signed [GateW-1:0] i,
    input logic signed [GateW-1:0] f,
    input logic signed [GateW-1:0] g,
    input logic signed [CellW-1:0] c_prev
  );
    logic signed [21:0] fc;
    logic signed [19:0] ig;
    fc = 22'(f) * 22'(c_prev);
    ig = 20'(i) * 20'(g);
    cell_sum = 23'(fc) + 23'(ig);
  endfunction

  // narrow_cell's narrowing of a cell_sum: narrow(sum, CellSumF - CellF, CellW).
  function automatic logic signed [CellW-1:0] narrow_cell_sum(input logic signed [CellSumW-1:0] sum);
    logic signed [23:0] rnd;
    logic signed [15:0] shifted;
    // round half away from zero: + 2^7 (- 1 when negative), then >>> 8
    rnd = 24'(sum) + (sum[22] ? 24'sd127 : 24'sd128);
    shifted = 16'(rnd >>> (CellSumF - CellF));
    if (!shifted[15] && |shifted[14:11]) begin
      narrow_cell_sum = 12'sd2047;
    end else if (shifted[15] && !(&shifted[14:11])) begin
      narrow_cell_sum = 12'sh800;
    end else begin
      narrow_cell_sum = 12'(shifted);
    end
  endfunction

  // 1 when narrow_cell_sum(sum) saturates (event narrow_cell).
  function automatic logic narrow_cell_sum_sat(input logic signed [CellSumW-1:0] sum);
    logic signed [23:0] rnd;
    logic signed [15:0] shifted;
    // round half away from zero: + 2^7 (- 1 when negative), then >>> 8
    rnd = 24'(sum) + (sum[22] ? 24'sd127 : 24'sd128);
    shifted = 16'(rnd >>> (CellSumF - CellF));
    narrow_cell_sum_sat = shifted > 16'sd2047 || shifted < -16'sd2048;
  endfunction

  // h_new = narrow(o * tanh_c, 2 * GateF - DataF, DataW).
  function automatic logic signed [DataW-1:0] narrow_hidden(
    input logic signed [GateW-1:0] o,
    input logic signed [GateW-1:0] tanh_c
  );
    logic signed [19:0] prod;
    logic signed [20:0] rnd;
    logic signed [9:0] shifted;
    prod = 20'(o) * 20'(tanh_c);
    // round half away from zero: + 2^10 (- 1 when negative), then >>> 11
    rnd = 21'(prod) + (prod[19] ? 21'sd1023 : 21'sd1024);
    shifted = 10'(rnd >>> (2 * GateF - DataF));
    if (!shifted[9] && |shifted[8:7]) begin
      narrow_hidden = 8'sd127;
    end else if (shifted[9] && !(&shifted[8:7])) begin
      narrow_hidden = 8'sh80;
    end else begin
      narrow_hidden = 8'(shifted);
    end
  endfunction

  // narrow_hidden's exact product o * tanh_c, in HidProdW bits.
  function automatic logic signed [HidProdW-1:0] hidden_prod(
    input logic signed [GateW-1:0] o,
    input logic signed [GateW-1:0] tanh_c
  );
    hidden_prod = 20'(o) * 20'(tanh_c);
  endfunction

  // narrow_hidden's narrowing of a hidden_prod: narrow(prod, 2 * GateF - DataF, DataW).
  function automatic logic signed [DataW-1:0] narrow_hidden_prod(input logic signed [HidProdW-1:0] prod);
    logic signed [20:0] rnd;
    logic signed [9:0] shifted;
    // round half away from zero: + 2^10 (- 1 when negative), then >>> 11
    rnd = 21'(prod) + (prod[19] ? 21'sd1023 : 21'sd1024);
    shifted = 10'(rnd >>> (2 * GateF - DataF));
    if (!shifted[9] && |shifted[8:7]) begin
      narrow_hidden_prod = 8'sd127;
    end else if (shifted[9] && !(&shifted[8:7])) begin
      narrow_hidden_prod = 8'sh80;
    end else begin
      narrow_hidden_prod = 8'(shifted);
    end
  endfunction

  // 1 when narrow_hidden_prod(prod) saturates (event narrow_hidden).
  function automatic logic narrow_hidden_prod_sat(input logic signed [HidProdW-1:0] prod);
    logic signed [20:0] rnd;
    logic signed [9:0] shifted;
    // round half away from zero: + 2^10 (- 1 when negative), then >>> 11
    rnd = 21'(prod) + (prod[19] ? 21'sd1023 : 21'sd1024);
    shifted = 10'(rnd >>> (2 * GateF - DataF));
    narrow_hidden_prod_sat = shifted > 10'sd127 || shifted < -10'sd128;
  endfunction

  // narrow_reset's exact product r * a_nh, in ResetProdW bits.
  function automatic logic signed [ResetProdW-1:0] reset_prod(
    input logic signed [GateW-1:0] r,
    input logic signed [AccW-1:0] a_nh
  );
    reset_prod = 34'(r) * 34'(a_nh);
  endfunction

  // narrow_reset's narrowing of a reset_prod: narrow(prod, GateF, AccW).
  function automatic logic signed [AccW-1:0] narrow_reset_prod(input logic signed [ResetProdW-1:0] prod);
    logic signed [34:0] rnd;
    logic signed [26:0] shifted;
    // round half away from zero: + 2^7 (- 1 when negative), then >>> 8
    rnd = 35'(prod) + (prod[33] ? 35'sd127 : 35'sd128);
    shifted = 27'(rnd >>> GateF);
    if (!shifted[26] && |shifted[25:23]) begin
      narrow_reset_prod = 24'sd8388607;
    end else if (shifted[26] && !(&shifted[25:23])) begin
      narrow_reset_prod = 24'sh800000;
    end else begin
      narrow_reset_prod = 24'(shifted);
    end
  endfunction

  // rn = narrow(r * a_nh, GateF, AccW).
  function automatic logic signed [AccW-1:0] narrow_reset(
    input logic signed [GateW-1:0] r,
    input logic signed [AccW-1:0] a_nh
  );
    logic signed [33:0] prod;
    logic signed [34:0] rnd;
    logic signed [26:0] shifted;
    prod = 34'(r) * 34'(a_nh);
    // round half away from zero: + 2^7 (- 1 when negative), then >>> 8
    rnd = 35'(prod) + (prod[33] ? 35'sd127 : 35'sd128);
    shifted = 27'(rnd >>> GateF);
    if (!shifted[26] && |shifted[25:23]) begin
      narrow_reset = 24'sd8388607;
    end else if (shifted[26] && !(&shifted[25:23])) begin
      narrow_reset = 24'sh800000;
    end else begin
      narrow_reset = 24'(shifted);
    end
  endfunction

  // a_n = narrow(a_nx + rn, 0, AccW).
  function automatic logic signed [AccW-1:0] narrow_candidate(
    input logic signed [AccW-1:0] a_nx,
    input logic signed [AccW-1:0] rn
  );
    logic signed [24:0] sum;
    sum = 25'(a_nx) + 25'(rn);
    if (!sum[24] && |sum[23:23]) begin
      narrow_candidate = 24'sd8388607;
    end else if (sum[24] && !(&sum[23:23])) begin
      narrow_candidate = 24'sh800000;
    end else begin
      narrow_candidate = 24'(sum);
    end
  endfunction

  // 1 when narrow_candidate(a_nx, rn) saturates (event narrow_candidate).
  function automatic logic narrow_candidate_sat(
    input logic signed [AccW-1:0] a_nx,
    input logic signed [AccW-1:0] rn
  );
    logic signed [24:0] sum;
    sum = 25'(a_nx) + 25'(rn);
    narrow_candidate_sat = sum > 25'sd8388607 || sum < -25'sd8388608;
  endfunction

  // narrow_gru_hidden's exact sum ((2^GateF - z) * n << (GruSumF - 2 * GateF))
  // + (z * h_prev << (GruSumF - GateF - DataF)), in GruSumW bits.
  function automatic logic signed [GruSumW-1:0] gru_hidden_sum(
    input logic signed [GateW-1:0] z,
    input logic signed [GateW-1:0] n,
    input logic signed [DataW-1:0] h_prev
  );
    logic signed [17:0] zh;
    logic signed [20:0] zn;
    logic signed [10:0] omz;
    zh = 18'(z) * 18'(h_prev);
    omz = 11'sd256 - 11'(z);
    zn = 21'(omz) * 21'(n);
    gru_hidden_sum = 22'(zn) + (22'(zh) << 3);
  endfunction

  // gru_hidden_sum's exact product z * h_prev, in GruKeepW bits.
  function automatic logic signed [GruKeepW-1:0] gru_keep_prod(
    input logic signed [GateW-1:0] z,
    input logic signed [DataW-1:0] h_prev
  );
    gru_keep_prod = 18'(z) * 18'(h_prev);
  endfunction

  // gru_hidden_sum's exact product (2^GateF - z) * n, in GruNewW bits.
  function automatic logic signed [GruNewW-1:0] gru_new_prod(
    input logic signed [GateW-1:0] z,
    input logic signed [GateW-1:0] n
  );
    logic signed [10:0] omz;
    omz = 11'sd256 - 11'(z);
    gru_new_prod = 21'(omz) * 21'(n);
  endfunction

  // gru_hidden_sum(z, n, h_prev) from zn = gru_new_prod(z, n) and
  // zh = gru_keep_prod(z, h_prev).
  function automatic logic signed [GruSumW-1:0] gru_hidden_sum_prods(
    input logic signed [GruNewW-1:0] zn,
    input logic signed [GruKeepW-1:0] zh
  );
    gru_hidden_sum_prods = 22'(zn) + (22'(zh) << 3);
  endfunction

  // narrow_gru_hidden's narrowing of a gru_hidden_sum: narrow(sum, GruSumF - DataF, DataW).
  function automatic logic signed [DataW-1:0] narrow_gru_hidden_sum(input logic signed [GruSumW-1:0] sum);
    logic signed [22:0] rnd;
    logic signed [11:0] shifted;
    // round half away from zero: + 2^10 (- 1 when negative), then >>> 11
    rnd = 23'(sum) + (sum[21] ? 23'sd1023 : 23'sd1024);
    shifted = 12'(rnd >>> (GruSumF - DataF));
    if (!shifted[11] && |shifted[10:7]) begin
      narrow_gru_hidden_sum = 8'sd127;
    end else if (shifted[11] && !(&shifted[10:7])) begin
      narrow_gru_hidden_sum = 8'sh80;
    end else begin
      narrow_gru_hidden_sum = 8'(shifted);
    end
  endfunction

  // 1 when narrow_gru_hidden_sum(sum) saturates (event narrow_gru_hidden).
  function automatic logic narrow_gru_hidden_sum_sat(input logic signed [GruSumW-1:0] sum);
    logic signed [22:0] rnd;
    logic signed [11:0] shifted;
    // round half away from zero: + 2^10 (- 1 when negative), then >>> 11
    rnd = 23'(sum) + (sum[21] ? 23'sd1023 : 23'sd1024);
    shifted = 12'(rnd >>> (GruSumF - DataF));
    narrow_gru_hidden_sum_sat = shifted > 12'sd127 || shifted < -12'sd128;
  endfunction

  // h_new = narrow(((2^GateF - z) * n << (GruSumF - 2 * GateF))
  //                + (z * h_prev << (GruSumF - GateF - DataF)), GruSumF - DataF, DataW).
  function automatic logic signed [DataW-1:0] narrow_gru_hidden(
    input logic signed [GateW-1:0] z,
    input logic signed [GateW-1:0] n,
    input logic signed [DataW-1:0] h_prev
  );
    logic signed [21:0] sum;
    logic signed [17:0] zh;
    logic signed [20:0] zn;
    logic signed [10:0] omz;
    logic signed [22:0] rnd;
    logic signed [11:0] shifted;
    zh = 18'(z) * 18'(h_prev);
    omz = 11'sd256 - 11'(z);
    zn = 21'(omz) * 21'(n);
    sum = 22'(zn) + (22'(zh) << 3);
    // round half away from zero: + 2^10 (- 1 when negative), then >>> 11
    rnd = 23'(sum) + (sum[21] ? 23'sd1023 : 23'sd1024);
    shifted = 12'(rnd >>> (GruSumF - DataF));
    if (!shifted[11] && |shifted[10:7]) begin
      narrow_gru_hidden = 8'sd127;
    end else if (shifted[11] && !(&shifted[10:7])) begin
      narrow_gru_hidden = 8'sh80;
    end else begin
      narrow_gru_hidden = 8'(shifted);
    end
  endfunction

  // Sigmoid table of lstm::activation_table (32 entries, GateW/GateF); 0 past the end.
  function automatic logic signed [GateW-1:0] sigmoid_entry(input logic [ActIndexBits:0] idx);
    unique case (idx)
      6'd0: sigmoid_entry = 10'sd5;
      6'd1: sigmoid_entry = 10'sd7;
      6'd2: sigmoid_entry = 10'sd8;
      6'd3: sigmoid_entry = 10'sd11;
      6'd4: sigmoid_entry = 10'sd14;
      6'd5: sigmoid_entry = 10'sd17;
      6'd6: sigmoid_entry = 10'sd22;
      6'd7: sigmoid_entry = 10'sd27;
      6'd8: sigmoid_entry = 10'sd34;
      6'd9: sigmoid_entry = 10'sd42;
      6'd10: sigmoid_entry = 10'sd52;
      6'd11: sigmoid_entry = 10'sd63;
      6'd12: sigmoid_entry = 10'sd75;
      6'd13: sigmoid_entry = 10'sd89;
      6'd14: sigmoid_entry = 10'sd104;
      6'd15: sigmoid_entry = 10'sd120;
      6'd16: sigmoid_entry = 10'sd136;
      6'd17: sigmoid_entry = 10'sd152;
      6'd18: sigmoid_entry = 10'sd167;
      6'd19: sigmoid_entry = 10'sd181;
      6'd20: sigmoid_entry = 10'sd193;
      6'd21: sigmoid_entry = 10'sd204;
      6'd22: sigmoid_entry = 10'sd214;
      6'd23: sigmoid_entry = 10'sd222;
      6'd24: sigmoid_entry = 10'sd229;
      6'd25: sigmoid_entry = 10'sd234;
      6'd26: sigmoid_entry = 10'sd239;
      6'd27: sigmoid_entry = 10'sd242;
      6'd28: sigmoid_entry = 10'sd245;
      6'd29: sigmoid_entry = 10'sd248;
      6'd30: sigmoid_entry = 10'sd249;
      6'd31: sigmoid_entry = 10'sd251;
      default: sigmoid_entry = '0;
    endcase
  endfunction

  // Tanh table of lstm::activation_table (32 entries, GateW/GateF); 0 past the end.
  function automatic logic signed [GateW-1:0] tanh_entry(input logic [ActIndexBits:0] idx);
    unique case (idx)
      6'd0: tanh_entry = -10'sd256;
      6'd1: tanh_entry = -10'sd256;
      6'd2: tanh_entry = -10'sd255;
      6'd3: tanh_entry = -10'sd255;
      6'd4: tanh_entry = -10'sd254;
      6'd5: tanh_entry = -10'sd253;
      6'd6: tanh_entry = -10'sd252;
      6'd7: tanh_entry = -10'sd249;
      6'd8: tanh_entry = -10'sd244;
      6'd9: tanh_entry = -10'sd237;
      6'd10: tanh_entry = -10'sd225;
      6'd11: tanh_entry = -10'sd207;
      6'd12: tanh_entry = -10'sd180;
      6'd13: tanh_entry = -10'sd142;
      6'd14: tanh_entry = -10'sd92;
      6'd15: tanh_entry = -10'sd32;
      6'd16: tanh_entry = 10'sd32;
      6'd17: tanh_entry = 10'sd92;
      6'd18: tanh_entry = 10'sd142;
      6'd19: tanh_entry = 10'sd180;
      6'd20: tanh_entry = 10'sd207;
      6'd21: tanh_entry = 10'sd225;
      6'd22: tanh_entry = 10'sd237;
      6'd23: tanh_entry = 10'sd244;
      6'd24: tanh_entry = 10'sd249;
      6'd25: tanh_entry = 10'sd252;
      6'd26: tanh_entry = 10'sd253;
      6'd27: tanh_entry = 10'sd254;
      6'd28: tanh_entry = 10'sd255;
      6'd29: tanh_entry = 10'sd255;
      6'd30: tanh_entry = 10'sd256;
      6'd31: tanh_entry = 10'sd256;
      default: tanh_entry = '0;
    endcase
  endfunction

  // act_sigmoid_acc(z, in_frac) for z of width AccW (ActShiftAcc = 9): t = z >>> s, idx = t + N/2,
  // rem = z - (t << s); lut: T[clamp(idx, 0, N-1)].
  function automatic logic signed [GateW-1:0] act_sigmoid_acc(input logic signed [AccW-1:0] z);
    logic signed [14:0] t;
    logic [ActIndexBits:0] idx;
    t = 15'(z >>> ActShiftAcc);
    if (t[14] && !(&t[13:4])) begin
      act_sigmoid_acc = sigmoid_entry(6'd0);
    end else if (!t[14] && |t[13:4]) begin
      act_sigmoid_acc = sigmoid_entry(6'(ActEntries - 1));
    end else begin
      idx = 6'(t + 15'sd16);
      act_sigmoid_acc = sigmoid_entry(idx);
    end
  endfunction

  // act_tanh_acc(z, in_frac) for z of width AccW (ActShiftAcc = 9): t = z >>> s, idx = t + N/2,
  // rem = z - (t << s); lut: T[clamp(idx, 0, N-1)].
  function automatic logic signed [GateW-1:0] act_tanh_acc(input logic signed [AccW-1:0] z);
    logic signed [14:0] t;
    logic [ActIndexBits:0] idx;
    t = 15'(z >>> ActShiftAcc);
    if (t[14] && !(&t[13:4])) begin
      act_tanh_acc = tanh_entry(6'd0);
    end else if (!t[14] && |t[13:4]) begin
      act_tanh_acc = tanh_entry(6'(ActEntries - 1));
    end else begin
      idx = 6'(t + 15'sd16);
      act_tanh_acc = tanh_entry(idx);
    end
  endfunction

  // act_tanh_cell(z, in_frac) for z of width CellW (ActShiftCell = 6): t = z >>> s, idx = t + N/2,
  // rem = z - (t << s); lut: T[clamp(idx, 0, N-1)].
  function automatic logic signed [GateW-1:0] act_tanh_cell(input logic signed [CellW-1:0] z);
    logic signed [5:0] t;
    logic [ActIndexBits:0] idx;
    t = 6'(z >>> ActShiftCell);
    if (t[5] && !(&t[4:4])) begin
      act_tanh_cell = tanh_entry(6'd0);
    end else if (!t[5] && |t[4:4]) begin
      act_tanh_cell = tanh_entry(6'(ActEntries - 1));
    end else begin
      idx = 6'(t + 6'sd16);
      act_tanh_cell = tanh_entry(idx);
    end
  endfunction

  // 1 when act_sigmoid_acc(z) is beyond the table range: t = z >>> ActShiftAcc < -N/2 or > N/2 - 1 (event act_sigmoid_acc).
  function automatic logic act_sigmoid_acc_sat(input logic signed [AccW-1:0] z);
    logic signed [14:0] t;
    t = 15'(z >>> ActShiftAcc);
    act_sigmoid_acc_sat = t < -15'sd16 || t > 15'sd15;
  endfunction

  // 1 when act_tanh_acc(z) is beyond the table range: t = z >>> ActShiftAcc < -N/2 or > N/2 - 1 (event act_tanh_acc).
  function automatic logic act_tanh_acc_sat(input logic signed [AccW-1:0] z);
    logic signed [14:0] t;
    t = 15'(z >>> ActShiftAcc);
    act_tanh_acc_sat = t < -15'sd16 || t > 15'sd15;
  endfunction

  // 1 when act_tanh_cell(z) is beyond the table range: t = z >>> ActShiftCell < -N/2 or > N/2 - 1 (event act_tanh_cell).
  function automatic logic act_tanh_cell_sat(input logic signed [CellW-1:0] z);
    logic signed [5:0] t;
    t = 6'(z >>> ActShiftCell);
    act_tanh_cell_sat = t < -6'sd16 || t > 6'sd15;
  endfunction

  // act_sigmoid_acc's first step: {lo, slope, rem} (ActReadAccW bits); lo = T[idx], slope = T[idx+1] - T[idx],
  // rem = z[s-1:0] in the range (pwl); lo = T[0] or the last entry, slope = rem = 0 beyond it (and for lut).
  function automatic logic [ActReadAccW-1:0] act_sigmoid_acc_read(input logic signed [AccW-1:0] z);
    logic signed [14:0] t;
    logic [ActIndexBits:0] idx;
    logic signed [GateW-1:0] lo;
    logic signed [GateW:0] slope;
    logic [ActRemAccW-1:0] rem;
    t = 15'(z >>> ActShiftAcc);
    idx = 6'(t + 15'sd16);
    slope = '0;
    rem = '0;
    if (t < -15'sd16) begin
      lo = sigmoid_entry(6'd0);
    end else if (t > 15'sd15) begin
      lo = sigmoid_entry(6'(ActEntries - 1));
    end else begin
      lo = sigmoid_entry(idx);
    end
    act_sigmoid_acc_read = {lo, slope, rem};
  endfunction

  // act_tanh_acc's first step: {lo, slope, rem} (ActReadAccW bits); lo = T[idx], slope = T[idx+1] - T[idx],
  // rem = z[s-1:0] in the range (pwl); lo = T[0] or the last entry, slope = rem = 0 beyond it (and for lut).
  function automatic logic [ActReadAccW-1:0] act_tanh_acc_read(input logic signed [AccW-1:0] z);
    logic signed [14:0] t;
    logic [ActIndexBits:0] idx;
    logic signed [GateW-1:0] lo;
    logic signed [GateW:0] slope;
    logic [ActRemAccW-1:0] rem;
    t = 15'(z >>> ActShiftAcc);
    idx = 6'(t + 15'sd16);
    slope = '0;
    rem = '0;
    if (t < -15'sd16) begin
      lo = tanh_entry(6'd0);
    end else if (t > 15'sd15) begin
      lo = tanh_entry(6'(ActEntries - 1));
    end else begin
      lo = tanh_entry(idx);
    end
    act_tanh_acc_read = {lo, slope, rem};
  endfunction

  // act_tanh_cell's first step: {lo, slope, rem} (ActReadCellW bits); lo = T[idx], slope = T[idx+1] - T[idx],
  // rem = z[s-1:0] in the range (pwl); lo = T[0] or the last entry, slope = rem = 0 beyond it (and for lut).
  function automatic logic [ActReadCellW-1:0] act_tanh_cell_read(input logic signed [CellW-1:0] z);
    logic signed [5:0] t;
    logic [ActIndexBits:0] idx;
    logic signed [GateW-1:0] lo;
    logic signed [GateW:0] slope;
    logic [ActRemCellW-1:0] rem;
    t = 6'(z >>> ActShiftCell);
    idx = 6'(t + 6'sd16);
    slope = '0;
    rem = '0;
    if (t < -6'sd16) begin
      lo = tanh_entry(6'd0);
    end else if (t > 6'sd15) begin
      lo = tanh_entry(6'(ActEntries - 1));
    end else begin
      lo = tanh_entry(idx);
    end
    act_tanh_cell_read = {lo, slope, rem};
  endfunction

  // The activations' second step for AccW inputs: {lo, slope * rem} (ActMulAccW bits) of an act_*_read word.
  function automatic logic [ActMulAccW-1:0] act_acc_mul(input logic [ActReadAccW-1:0] rd);
    logic signed [GateW-1:0] lo;
    logic signed [GateW:0] slope;
    logic [ActRemAccW-1:0] rem;
    logic signed [ActProdAccW-1:0] prod;
    lo = rd[29:20];
    slope = rd[19:9];
    rem = rd[8:0];
    prod = 21'(slope) * 21'($signed({1'b0, rem}));
    act_acc_mul = {lo, prod};
  endfunction

  // The activations' second step for CellW inputs: {lo, slope * rem} (ActMulCellW bits) of an act_*_read word.
  function automatic logic [ActMulCellW-1:0] act_cell_mul(input logic [ActReadCellW-1:0] rd);
    logic signed [GateW-1:0] lo;
    logic signed [GateW:0] slope;
    logic [ActRemCellW-1:0] rem;
    logic signed [ActProdCellW-1:0] prod;
    lo = rd[26:17];
    slope = rd[16:6];
    rem = rd[5:0];
    prod = 18'(slope) * 18'($signed({1'b0, rem}));
    act_cell_mul = {lo, prod};
  endfunction

  // The activations' last step for AccW inputs: narrow(lo * 2^s + slope * rem, s, GateW) of an act_acc_mul word.
  function automatic logic signed [GateW-1:0] act_acc_fin(input logic [ActMulAccW-1:0] m);
    logic signed [GateW-1:0] lo;
    logic signed [ActProdAccW-1:0] prod;
    logic signed [21:0] interp;
    logic signed [22:0] rnd;
    logic signed [13:0] shifted;
    lo = m[30:21];
    prod = m[20:0];
    interp = (22'(lo) << ActShiftAcc) + 22'(prod);
    // round half away from zero: + 2^8 (- 1 when negative), then >>> 9
    rnd = 23'(interp) + (interp[21] ? 23'sd255 : 23'sd256);
    shifted = 14'(rnd >>> ActShiftAcc);
    if (!shifted[13] && |shifted[12:9]) begin
      act_acc_fin = 10'sd511;
    end else if (shifted[13] && !(&shifted[12:9])) begin
      act_acc_fin = 10'sh200;
    end else begin
      act_acc_fin = 10'(shifted);
    end
  endfunction

  // The activations' last step for CellW inputs: narrow(lo * 2^s + slope * rem, s, GateW) of an act_cell_mul word.
  function automatic logic signed [GateW-1:0] act_cell_fin(input logic [ActMulCellW-1:0] m);
    logic signed [GateW-1:0] lo;
    logic signed [ActProdCellW-1:0] prod;
    logic signed [18:0] interp;
    logic signed [19:0] rnd;
    logic signed [13:0] shifted;
    lo = m[27:18];
    prod = m[17:0];
    interp = (19'(lo) << ActShiftCell) + 19'(prod);
    // round half away from zero: + 2^5 (- 1 when negative), then >>> 6
    rnd = 20'(interp) + (interp[18] ? 20'sd31 : 20'sd32);
    shifted = 14'(rnd >>> ActShiftCell);
    if (!shifted[13] && |shifted[12:9]) begin
      act_cell_fin = 10'sd511;
    end else if (shifted[13] && !(&shifted[12:9])) begin
      act_cell_fin = 10'sh200;
    end else begin
      act_cell_fin = 10'(shifted);
    end
  endfunction

  // h buffer word: per layer two halves of MaxHidden, the half is the step's parity.
  function automatic logic [HAddrW-1:0] h_addr(
    input logic [LayerW-1:0] layer,
    input logic parity,
    input logic [VecW-1:0] idx
  );
    h_addr = HAddrW'(32'(layer) * 2 * MaxHidden + (parity ? MaxHidden : 0)) + HAddrW'(idx);
  endfunction

  // x buffer word: two halves of MaxVec, the half is the step's parity.
  function automatic logic [XAddrW-1:0] x_addr(
    input logic parity,
    input logic [VecW-1:0] idx
  );
    x_addr = XAddrW'(parity ? MaxVec : 0) + XAddrW'(idx);
  endfunction

  // c buffer word: a word per layer and unit.
  function automatic logic [CAddrW-1:0] c_addr(
    input logic [LayerW-1:0] layer,
    input logic [UnitW-1:0] unit
  );
    c_addr = CAddrW'(32'(layer) * MaxHidden + 32'(unit));
  endfunction
endpackage
