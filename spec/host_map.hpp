// The host register and memory map: the one place its numbers are written.
// The enums below define them for C++ (the host driver in tb/ programs with
// them); the tables next to each enum name every number for the other
// consumers: the generator writes each entry into lstm_pkg as
// `localparam int <sv> = <value>;` (so the RTL decodes with these numbers and
// no other) and into manifest.json under "host_map" (so tools read it).
// docs/host-interface.md explains each entry.
#pragma once

#include <cstdint>
#include <optional>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "spec/config.hpp"

namespace lstm::hostmap {

// What the host may do with a register (gen/emit_regs.hpp: the hardware each
// access gets). None: the entry is a number, not a register. W1C: status bits
// the hardware sets and a host write clears where its data has a 1.
enum class Access : unsigned char { None, R, W, RW, W1C };

// One named number of the map. Register tables also say each register's
// access, the lstm_pkg localparam that is its width (empty: 32 bits; RW and
// W1C only), its reset value (RW and W1C only), whether the block's lock
// (a busy core, a running controller) holds it (RW only; W1C never is), and
// whether a written value too large for the width saturates (the register
// holds all ones, which the width leaves above the value's limit) instead of
// keeping its low bits (RW with a width only: bit fields keep their bits).
struct Entry {
  std::string_view name;  // in manifest.json (and docs/host-interface.md)
  std::string_view sv;    // localparam in lstm_pkg
  unsigned value;
  std::string_view doc;   // comment in lstm_pkg; the message of an error code
  Access access = Access::None;
  std::string_view width{};
  unsigned reset = 0;
  bool locked = true;
  bool saturate = false;
  // Only on a design generated with features.batch: the generator leaves the
  // entry out of lstm_pkg, manifest.json and the register blocks of any
  // other design, so those stay as they were before batching existed.
  bool batch = false;
};
// Whether design c has entry e (present(e, c) is false only for a batch
// entry on a design without features.batch).
inline bool present(const Entry& e, const HwConfig& c) { return !e.batch || c.features.batch; }

// Host address, in 32-bit words: [29:25] target (core index, or kGlobal),
// [24:23] region, [22:0] index within the region. 30 bits, so that the byte
// address of a word (AXI4-Lite, address << 2) fits 32 bits. The target field
// has room for kMaxCores cores and, above them, the mode-select controller.
inline constexpr unsigned kAddrBits = 30;
inline constexpr unsigned kTargetShift = 25;
inline constexpr unsigned kRegionShift = 23;
inline constexpr unsigned kTargetBits = kAddrBits - kTargetShift;
inline constexpr std::uint32_t kIndexMask = (1u << kRegionShift) - 1;
inline constexpr std::uint32_t kRegionMask = (1u << (kTargetShift - kRegionShift)) - 1;
inline constexpr std::uint32_t kTargetMask = (1u << kTargetBits) - 1;
inline constexpr std::uint64_t kRegionWords = std::uint64_t{kIndexMask} + 1;  // per target and region
inline constexpr unsigned kMaxCores = 16;                        // the config's limit
inline constexpr unsigned kGlobal = kTargetMask;                 // 0x1F
static_assert(kGlobal >= kMaxCores, "the controller's target is no core's");
inline constexpr unsigned kByteShift = 2;  // byte address = word address << kByteShift
inline constexpr Entry kAddressTable[] = {
    {"address_bits", "AddrW", kAddrBits, "host (word) address bits"},
    {"target_shift", "TargetShift", kTargetShift, "address[AddrW-1:TargetShift]: target"},
    {"region_shift", "RegionShift", kRegionShift,
     "address[TargetShift-1:RegionShift]: region; below: index"},
    {"global_target", "TargetGlobal", kGlobal, "target of the mode-select controller"},
    {"byte_shift", "ByteShift", kByteShift,
     "AXI4-Lite byte address = word address << ByteShift (lstm_axil_slave)"},
};

enum class Region : unsigned { Regs = 0, Weights = 1, Biases = 2, State = 3 };
inline constexpr Entry kRegionTable[] = {
    {"regs", "RegionRegs", static_cast<unsigned>(Region::Regs), "region: registers"},
    {"weights", "RegionWeights", static_cast<unsigned>(Region::Weights),
     "region: weight memory"},
    {"biases", "RegionBiases", static_cast<unsigned>(Region::Biases), "region: bias memory"},
    {"state", "RegionState", static_cast<unsigned>(Region::State),
     "region: the h and c buffers (initial and final state; while the core is idle)"},
};

// Index of a word in the state region: bit kStateCBit selects the c buffer
// (one word per layer and unit: layer * MaxHidden + unit) over the h buffer
// (per layer two halves of MaxHidden: (2 * layer + half) * MaxHidden + unit);
// the bits below are the buffer word. Values are two's complement in the data
// format (h) or the cell format (c), sign-extended to 32 bits on reads.
inline constexpr unsigned kStateCBit = 22;
inline constexpr Entry kStateTable[] = {
    {"C_SELECT", "StateCBit", kStateCBit,
     "state index bit: 1 the c buffer (layer * MaxHidden + unit), 0 the h buffer "
     "((2 * layer + half) * MaxHidden + unit)"},
};
static_assert(kStateCBit < kRegionShift, "the c select bit lies inside the index");

// Per-core registers.
enum CoreReg : unsigned {
  kCtrl = 0, kStatus = 1, kNumLayers = 2, kNumSteps = 3, kFlags = 4,
  kXLen = 5, kCycles = 8, kMacBusy = 9, kStallDep = 10, kStallOther = 11,
  kLayerBase = 16, kLayerStride = 16,
};
inline constexpr Entry kCoreRegTable[] = {
    {"CTRL", "RegCtrl", kCtrl, "core register, W: bit CtrlStart starts the program", Access::W},
    {"STATUS", "RegStatus", kStatus, "core register, R: fields Status*", Access::R},
    {"NUM_LAYERS", "RegNumLayers", kNumLayers, "core register: layers this core runs", Access::RW,
     "NumLayersRegW", 0, true, true},
    {"NUM_STEPS", "RegNumSteps", kNumSteps, "core register: timesteps of the sequence",
     Access::RW, "NumStepsRegW", 0, true, true},
    {"FLAGS", "RegFlags", kFlags, "core register: bits Flag*", Access::RW, "FlagsW"},
    {"X_LEN", "RegXLen", kXLen,
     "core register (batch designs): x elements per step the x stream carries; 0: IN_SIZE of "
     "layer 0 (one sequence). Non-zero: a batched program, whose layers with LFLAGS.XIN read "
     "their x at XOFF of the step's x",
     Access::RW, "InSizeRegW", 0, true, true, true},
    {"CYCLES", "RegCycles", kCycles, "core register, R: cycles busy in the last run", Access::R},
    {"MAC_BUSY", "RegMacBusy", kMacBusy, "core register, R: cycles the MAC array took an element",
     Access::R},
    {"STALL_DEP", "RegStallDep", kStallDep,
     "core register, R: cycles waiting for an operand (x or h not there yet)", Access::R},
    {"STALL_OTHER", "RegStallOther", kStallOther,
     "core register, R: cycles waiting for the post unit or the output streamer", Access::R},
    {"LAYER_BASE", "RegLayerBase", kLayerBase,
     "layer l's descriptor at RegLayerBase + RegLayerStride * l"},
    {"LAYER_STRIDE", "RegLayerStride", kLayerStride, "registers per layer descriptor"},
};
static_assert((kLayerStride & (kLayerStride - 1)) == 0 && kLayerBase % kLayerStride == 0,
              "the RTL splits a descriptor address into layer and field bits");

// Bits of CTRL.
inline constexpr unsigned kCtrlStartBit = 0;
inline constexpr Entry kCtrlTable[] = {
    {"START", "CtrlStart", kCtrlStartBit, "CTRL bit: start this core's program"},
};

// Fields of STATUS.
inline constexpr unsigned kStatusBusyBit = 0;
inline constexpr unsigned kStatusDoneBit = 1;
inline constexpr unsigned kStatusErrorBit = 2;
inline constexpr unsigned kStatusSatBit = 3;
inline constexpr unsigned kStatusCodeLsb = 8;  // [15:8] error code
inline constexpr unsigned kStatusCodeBits = 8;
inline constexpr unsigned kStatusLayerLsb = 16;  // [23:16] layer of the error
inline constexpr unsigned kStatusLayerBits = 8;
inline constexpr Entry kStatusTable[] = {
    {"BUSY", "StatusBusy", kStatusBusyBit, "STATUS bit: busy"},
    {"DONE", "StatusDone", kStatusDoneBit, "STATUS bit: done"},
    {"ERROR", "StatusError", kStatusErrorBit, "STATUS bit: the program was refused"},
    {"SAT", "StatusSat", kStatusSatBit,
     "STATUS bit: a saturation counter (descriptor fields SAT_*) is not zero"},
    {"CODE_LSB", "StatusCodeLsb", kStatusCodeLsb, "STATUS field: error code Err*"},
    {"CODE_BITS", "StatusCodeW", kStatusCodeBits, "bits of the error code"},
    {"LAYER_LSB", "StatusLayerLsb", kStatusLayerLsb, "STATUS field: layer of the error"},
    {"LAYER_BITS", "StatusLayerW", kStatusLayerBits, "bits of the error layer"},
};
static_assert(kStatusErrorBit < kStatusSatBit && kStatusSatBit < kStatusCodeLsb && kStatusCodeLsb + kStatusCodeBits <= kStatusLayerLsb &&
              kStatusLayerLsb + kStatusLayerBits <= 32);

// Fields of a layer descriptor: the program (RW), then the layer's
// saturation counters (R; docs/numerics.md, "Saturation events"), one per
// event of sim/saturation.hpp an LSTM core can have, named after its
// lstm_pkg function. A counter counts the events of the units this core
// computes of its local layer l since the run started, and stops at
// 0xFFFFFFFF.
enum LayerField : unsigned {
  kInSize = 0, kHidden = 1, kUnitLo = 2, kUnitCnt = 3, kWBase = 4, kBBase = 5,
  kXOff = 6, kLFlags = 7,
  kSatActSigmoidAcc = 8, kSatActTanhAcc = 9, kSatNarrowCell = 10, kSatActTanhCell = 11,
  kSatNarrowHidden = 12,
};
inline constexpr Entry kLayerFieldTable[] = {
    {"IN_SIZE", "FieldInSize", kInSize,
     "descriptor field: X of this layer (layer l > 0: H of layer l-1)", Access::RW, "InSizeRegW",
     0, true, true},
    {"HIDDEN", "FieldHidden", kHidden,
     "descriptor field: H of this layer (all units, also those other cores compute)", Access::RW,
     "HiddenRegW", 0, true, true},
    {"UNIT_LO", "FieldUnitLo", kUnitLo, "descriptor field: first hidden unit this core computes",
     Access::RW, "HiddenRegW", 0, true, true},
    {"UNIT_CNT", "FieldUnitCnt", kUnitCnt,
     "descriptor field: number of hidden units this core computes", Access::RW, "HiddenRegW", 0,
     true, true},
    {"WBASE", "FieldWBase", kWBase, "descriptor field: weight word of the layer's first group",
     Access::RW, "WBaseRegW", 0, true, true},
    {"BBASE", "FieldBBase", kBBase, "descriptor field: bias word of the layer's first group",
     Access::RW, "BBaseRegW", 0, true, true},
    {"XOFF", "FieldXOff", kXOff,
     "descriptor field (batch designs): with LFLAGS.XIN, the layer's x starts at element XOFF "
     "of the step's x",
     Access::RW, "InSizeRegW", 0, true, true, true},
    {"LFLAGS", "FieldLFlags", kLFlags, "descriptor field (batch designs): bits LFlag*",
     Access::RW, {}, 0, true, false, true},
    {"SAT_ACT_SIGMOID_ACC", "FieldSatActSigmoidAcc", kSatActSigmoidAcc,
     "saturation counter, R: i, f, o pre-activations beyond the table range", Access::R},
    {"SAT_ACT_TANH_ACC", "FieldSatActTanhAcc", kSatActTanhAcc,
     "saturation counter, R: g pre-activations beyond the table range", Access::R},
    {"SAT_NARROW_CELL", "FieldSatNarrowCell", kSatNarrowCell,
     "saturation counter, R: c_new clamped to the cell format", Access::R},
    {"SAT_ACT_TANH_CELL", "FieldSatActTanhCell", kSatActTanhCell,
     "saturation counter, R: c_new beyond the table range", Access::R},
    {"SAT_NARROW_HIDDEN", "FieldSatNarrowHidden", kSatNarrowHidden,
     "saturation counter, R: h clamped to the data format", Access::R},
};
static_assert(unsigned{kSatNarrowHidden} < unsigned{kLayerStride}, "a descriptor's fields fit its stride");

// The counter field of each LSTM saturation event (sim/saturation.hpp's
// SatEvent, in its order).
struct SatField {
  std::string_view event;  // kSatEventNames' name
  LayerField field;
};
inline constexpr SatField kSatFields[] = {
    {"act_sigmoid_acc", kSatActSigmoidAcc}, {"act_tanh_acc", kSatActTanhAcc},
    {"narrow_cell", kSatNarrowCell},         {"act_tanh_cell", kSatActTanhCell},
    {"narrow_hidden", kSatNarrowHidden},
};
// A GRU program (FLAGS.GRU) counts its events in the same counters: its
// narrow_candidate in SAT_NARROW_CELL, its narrow_gru_hidden in
// SAT_NARROW_HIDDEN (SAT_ACT_TANH_CELL stays 0). docs/host-interface.md.
inline constexpr SatField kSatFieldsGru[] = {
    {"act_sigmoid_acc", kSatActSigmoidAcc}, {"act_tanh_acc", kSatActTanhAcc},
    {"narrow_candidate", kSatNarrowCell},   {"narrow_gru_hidden", kSatNarrowHidden},
};

// Bits of a layer's LFLAGS (batch designs; docs/architecture.md, "Batching").
inline constexpr unsigned kLFlagXinBit = 0;
inline constexpr unsigned kLFlagOutBit = 1;
inline constexpr unsigned kLFlagFoldBit = 2;
inline constexpr std::uint32_t kLFlagXin = 1u << kLFlagXinBit;
inline constexpr std::uint32_t kLFlagOut = 1u << kLFlagOutBit;
inline constexpr std::uint32_t kLFlagFold = 1u << kLFlagFoldBit;
inline constexpr Entry kLFlagTable[] = {
    {"XIN", "LFlagXinBit", kLFlagXinBit,
     "LFLAGS bit: the layer's input is x at XOFF of the step's x (the first local layer always "
     "reads x), streamed first",
     Access::None, {}, 0, true, false, true},
    {"OUT", "LFlagOutBit", kLFlagOutBit,
     "LFLAGS bit: the output streamer also sends this layer's h (the last layer always)",
     Access::None, {}, 0, true, false, true},
    {"FOLD", "LFlagFoldBit", kLFlagFoldBit,
     "LFLAGS bit (with XIN): groups of Lanes/2 units; lanes below Lanes/2 take x, the lanes "
     "above h_{t-1}, the same column in the same cycle; the post unit adds the two halves",
     Access::None, {}, 0, true, false, true},
};

// Bits of FLAGS.
inline constexpr unsigned kFlagOutEnBit = 0;
inline constexpr unsigned kFlagOutWaitBit = 1;
inline constexpr unsigned kFlagStateInBit = 2;
inline constexpr unsigned kFlagHHalfBit = 3;
inline constexpr unsigned kFlagGruBit = 4;
inline constexpr std::uint32_t kFlagOutEn = 1u << kFlagOutEnBit;
inline constexpr std::uint32_t kFlagOutWait = 1u << kFlagOutWaitBit;
inline constexpr std::uint32_t kFlagStateIn = 1u << kFlagStateInBit;
inline constexpr std::uint32_t kFlagHHalf = 1u << kFlagHHalfBit;
inline constexpr std::uint32_t kFlagGru = 1u << kFlagGruBit;
inline constexpr Entry kFlagTable[] = {
    {"OUT_EN", "FlagOutEnBit", kFlagOutEnBit, "FLAGS bit: stream the last layer's h out"},
    {"OUT_WAIT", "FlagOutWaitBit", kFlagOutWaitBit,
     "FLAGS bit: do not overwrite an h the output streamer has not sent"},
    {"STATE_IN", "FlagStateInBit", kFlagStateInBit,
     "FLAGS bit: step 0 reads h and c from the buffers (the state the host wrote, or the "
     "previous run's final state) instead of zero"},
    {"H_HALF", "FlagHHalfBit", kFlagHHalfBit,
     "FLAGS bit: step t's h goes to h buffer half (t + H_HALF) mod 2; the initial h is read "
     "from half 1 - H_HALF"},
    {"GRU", "FlagGruBit", kFlagGruBit,
     "FLAGS bit: the program's layers are GRU layers (else LSTM layers); the c buffer then "
     "holds each unit's h"},
};

enum class Mode : unsigned { Single = 0, Mp = 1, Mt = 2, Hc = 3, Hybrid = 4 };
inline constexpr Entry kModeTable[] = {
    {"single", "ModeSingle", static_cast<unsigned>(Mode::Single), "MODE: core 0 alone"},
    {"mp", "ModeMp", static_cast<unsigned>(Mode::Mp), "MODE: independent jobs per core"},
    {"mt", "ModeMt", static_cast<unsigned>(Mode::Mt), "MODE: layers pipelined over cores"},
    {"hc", "ModeHc", static_cast<unsigned>(Mode::Hc), "MODE: cores share each layer's units"},
    {"hybrid", "ModeHybrid", static_cast<unsigned>(Mode::Hybrid),
     "MODE: layers pipelined over stages of cores (STAGES); a stage's cores share its layers' "
     "units"},
};

// Global registers (mode-select controller).
enum GlobalReg : unsigned {
  kMode = 0, kActive = 1, kStart = 2, kGStatus = 3, kGCycles = 4,
  kBusyMask = 5, kDoneMask = 6, kErrorMask = 7, kCores = 8, kLanes = 9,
  kIrqEnable = 10, kIrqStatus = 11, kWloadMask = 12, kWloadAddr = 13, kWloadNext = 14,
  kStages = 15,
};
inline constexpr Entry kGlobalRegTable[] = {
    {"MODE", "GRegMode", kMode, "controller register: Mode*", Access::RW, "ModeW",
     static_cast<unsigned>(Mode::Single)},
    {"ACTIVE", "GRegActive", kActive, "controller register: cores taking part", Access::RW,
     "ActiveRegW", 1, true, true},
    {"START", "GRegStart", kStart, "controller register, W: start every active core", Access::W},
    {"STATUS", "GRegStatus", kGStatus, "controller register, R: bits GStatus*", Access::R},
    {"CYCLES", "GRegCycles", kGCycles, "controller register, R: cycles of the last run", Access::R},
    {"BUSY_MASK", "GRegBusyMask", kBusyMask, "controller register, R: busy bit per core", Access::R},
    {"DONE_MASK", "GRegDoneMask", kDoneMask, "controller register, R: done bit per core", Access::R},
    {"ERROR_MASK", "GRegErrorMask", kErrorMask, "controller register, R: error bit per core",
     Access::R},
    {"CORES", "GRegCores", kCores, "controller register, R: cores of the design", Access::R},
    {"LANES", "GRegLanes", kLanes, "controller register, R: lanes per core", Access::R},
    {"IRQ_ENABLE", "GRegIrqEnable", kIrqEnable,
     "controller register: bits Irq* that raise irq_o (not locked during a run)", Access::RW,
     "IrqW", 0, false},
    {"IRQ_STATUS", "GRegIrqStatus", kIrqStatus,
     "controller register, W1C: bits Irq* of events since last cleared; write 1 to clear",
     Access::W1C, "IrqW"},
    // The weight/bias row stream (rtl/lstm_wload.sv, docs/host-interface.md).
    {"WLOAD_MASK", "GRegWloadMask", kWloadMask,
     "controller register: cores each beat of the weight/bias row stream writes", Access::RW,
     "Cores", 0},
    {"WLOAD_ADDR", "GRegWloadAddr", kWloadAddr,
     "controller register, W: the next row beat's memory index (region << RegionShift | "
     "word << SlotW)",
     Access::W},
    {"WLOAD_NEXT", "GRegWloadNext", kWloadNext,
     "controller register, R: the memory index the next row beat writes", Access::R},
    // Hybrid mode's pipeline stages (rtl/lstm_mode_ctrl.sv, docs/host-interface.md).
    {"STAGES", "GRegStages", kStages,
     "controller register: in hybrid mode, bit c set: active core c begins a pipeline stage "
     "(core 0 always does); a stage is the active cores up to the next such bit",
     Access::RW, "Cores", 0},
};

// Bits of the controller's STATUS.
inline constexpr unsigned kGStatusRunningBit = 0;
inline constexpr unsigned kGStatusDoneBit = 1;
inline constexpr unsigned kGStatusErrorBit = 2;
inline constexpr unsigned kGStatusBadActiveBit = 3;
inline constexpr Entry kGlobalStatusTable[] = {
    {"RUNNING", "GStatusRunning", kGStatusRunningBit, "controller STATUS bit: running"},
    {"DONE", "GStatusDone", kGStatusDoneBit,
     "controller STATUS bit: every active core is done"},
    {"ERROR", "GStatusError", kGStatusErrorBit,
     "controller STATUS bit: an active core reports an error"},
    {"BAD_ACTIVE", "GStatusBadActive", kGStatusBadActiveBit,
     "controller STATUS bit: ACTIVE out of range"},
};

// Bits of IRQ_STATUS and IRQ_ENABLE: events, latched until the host writes
// a 1 to them; irq_o is high while an enabled one is set.
inline constexpr unsigned kIrqDoneBit = 0;
inline constexpr unsigned kIrqErrorBit = 1;
inline constexpr Entry kIrqTable[] = {
    {"DONE", "IrqDone", kIrqDoneBit,
     "IRQ bit: the cores went idle (busy_o fell: a run ended, or a program failed its "
     "descriptor checks)"},
    {"ERROR", "IrqError", kIrqErrorBit,
     "IRQ bit: a core refused its program (its STATUS.ERROR rose) or START was refused "
     "(ACTIVE out of range)"},
};

// Error codes in the core's STATUS[15:8].
enum ErrorCode : unsigned {
  kErrNone = 0, kErrNumLayers = 1, kErrNumSteps = 2, kErrInSize = 3, kErrInChain = 4,
  kErrHidden = 5, kErrUnits = 6, kErrWeights = 7, kErrBiases = 8, kErrOutWait = 9,
  kErrCell = 10, kErrBatch = 11,
};
inline constexpr Entry kErrorTable[] = {
    {"NONE", "ErrNone", kErrNone, "none"},
    {"NUM_LAYERS", "ErrNumLayers", kErrNumLayers, "NUM_LAYERS is 0 or above the limit"},
    {"NUM_STEPS", "ErrNumSteps", kErrNumSteps, "NUM_STEPS is 0 or above the limit"},
    {"IN_SIZE", "ErrInSize", kErrInSize, "IN_SIZE is 0 or above the limit"},
    {"IN_CHAIN", "ErrInChain", kErrInChain, "IN_SIZE differs from the previous layer's HIDDEN"},
    {"HIDDEN", "ErrHidden", kErrHidden, "HIDDEN is 0 or above the limit"},
    {"UNITS", "ErrUnits", kErrUnits, "UNIT_LO/UNIT_CNT select no units or units past HIDDEN"},
    {"WEIGHTS", "ErrWeights", kErrWeights, "the layer's weights run past the weight memory"},
    {"BIASES", "ErrBiases", kErrBiases, "the layer's biases run past the bias memory"},
    {"OUT_WAIT", "ErrOutWait", kErrOutWait,
     "FLAGS.OUT_WAIT without OUT_EN: the core would wait for its own idle streamer"},
    {"CELL", "ErrCell", kErrCell,
     "FLAGS.GRU selects a cell type the design was not generated for (config /cells)"},
    {"BATCH", "ErrBatch", kErrBatch,
     "X_LEN is above the limit, a layer's XOFF + IN_SIZE runs past the step's x, or LFLAGS.FOLD "
     "is set on a layer that does not read x",
     Access::None, {}, 0, true, false, true},
};

// Tables with one entry per value (the enum cannot be walked in C++).
static_assert(std::size(kGlobalRegTable) == kStages + 1);
static_assert(std::size(kModeTable) == static_cast<unsigned>(Mode::Hybrid) + 1);
static_assert(std::size(kErrorTable) == kErrBatch + 1);

// Every table, in the order lstm_pkg declares them; key names the table (and
// its object in manifest.json's "host_map").
struct Table {
  std::string_view key;
  std::span<const Entry> entries;
};
inline constexpr Table kTables[] = {
    {"address", kAddressTable},          {"regions", kRegionTable},
    {"state_index", kStateTable},
    {"core_registers", kCoreRegTable},   {"ctrl_bits", kCtrlTable},
    {"status_fields", kStatusTable},     {"layer_fields", kLayerFieldTable},
    {"flags", kFlagTable},               {"layer_flags", kLFlagTable},
    {"global_registers", kGlobalRegTable},
    {"global_status_bits", kGlobalStatusTable}, {"irq_bits", kIrqTable}, {"modes", kModeTable},
    {"error_codes", kErrorTable},
};
// The entry with the largest value (a table's last register or bit).
const Entry& last_entry(std::span<const Entry> t);
// The entry of t with this value, if any.
const Entry* find_entry(std::span<const Entry> t, unsigned value);

std::string_view error_name(unsigned code);  // kErrorTable's message
std::string_view mode_name(Mode m);          // kModeTable's name
// The one parser of mode names: the mode kModeTable names `name`, none for
// any other string.
std::optional<Mode> parse_mode(std::string_view name);
// kModeTable's names in order ("single", "mp", "mt", "hc", "hybrid"): command-line choices.
std::vector<std::string> mode_names();

// Bits of the slot (lane * kGates + gate) field inside a weight or bias index.
int slot_bits(const HwConfig& c);
// Bias memory depth: max_layers * ceil(max_hidden / lanes).
int bias_depth(const HwConfig& c);
// Bits of one slot's word in a beat of the weight/bias row stream
// (lstm_pkg::WRowSlotW): max(weight, bias width) in whole bytes. A beat holds
// kGates * lanes of them, slot s at bits [s * row_slot_width +: row_slot_width].
int row_slot_width(const HwConfig& c);

inline std::uint32_t address(unsigned target, Region r, std::uint32_t index) {
  return (std::uint32_t{target} << kTargetShift) |
         (static_cast<std::uint32_t>(r) << kRegionShift) | (index & kIndexMask);
}
inline std::uint32_t core_reg(unsigned core, unsigned reg) {
  return address(core, Region::Regs, reg);
}
inline std::uint32_t layer_reg(unsigned core, unsigned layer, LayerField f) {
  return core_reg(core, kLayerBase + kLayerStride * layer + f);
}
inline std::uint32_t global_reg(unsigned reg) { return address(kGlobal, Region::Regs, reg); }
// An address taken apart again (for messages and comments).
struct AddressFields {
  unsigned target = 0;
  unsigned region = 0;
  std::uint32_t index = 0;
};
inline AddressFields decode(std::uint32_t addr) {
  return {(addr >> kTargetShift) & kTargetMask, (addr >> kRegionShift) & kRegionMask,
          addr & kIndexMask};
}
// The bits of BUSY_MASK, DONE_MASK and ERROR_MASK that belong to the cores.
inline std::uint32_t core_mask(int cores) {
  return cores >= 32 ? ~std::uint32_t{0} : (std::uint32_t{1} << cores) - 1;
}
// Weight or bias word `word` of MAC slot `slot` (lane * kGates + gate).
inline std::uint32_t mem_addr(const HwConfig& c, unsigned core, Region r, std::uint32_t word,
                              unsigned slot) {
  return address(core, r, (word << slot_bits(c)) | slot);
}

// State region words (kStateTable): h of (layer, unit) in buffer half `half`,
// c of (layer, unit).
inline std::uint32_t state_h_addr(const HwConfig& c, unsigned core, unsigned layer,
                                  unsigned half, unsigned unit) {
  const auto mh = static_cast<std::uint32_t>(c.limits.max_hidden);
  return address(core, Region::State, (2 * layer + half) * mh + unit);
}
inline std::uint32_t state_c_addr(const HwConfig& c, unsigned core, unsigned layer,
                                  unsigned unit) {
  const auto mh = static_cast<std::uint32_t>(c.limits.max_hidden);
  return address(core, Region::State, (1u << kStateCBit) | (layer * mh + unit));
}
// The h buffer half that holds the state (the initial h before a run, the
// final h after it) for a run with FLAGS.H_HALF = h_half.
inline unsigned state_half(unsigned h_half) { return 1u - (h_half & 1u); }
// H_HALF of a run that continues from a run of `steps` steps with H_HALF = h_half:
// that run left its final h in half (steps - 1 + h_half) mod 2.
inline unsigned continue_h_half(unsigned h_half, std::uint64_t steps) {
  return (h_half + static_cast<unsigned>(steps & 1u)) & 1u;
}

// Where a host write lands in a core's weight or bias memory: the inverse of
// mem_addr. Empty for a register or the global target.
struct MemLocation {
  unsigned core = 0;
  Region region = Region::Weights;
  std::uint32_t word = 0;
  unsigned slot = 0;
};
inline std::optional<MemLocation> mem_location(const HwConfig& c, std::uint32_t addr) {
  const unsigned target = addr >> kTargetShift;
  const auto region = static_cast<Region>((addr >> kRegionShift) & ((1u << (kTargetShift - kRegionShift)) - 1));
  if (target == kGlobal || (region != Region::Weights && region != Region::Biases)) return {};
  const std::uint32_t index = addr & kIndexMask;
  const auto bits = static_cast<unsigned>(slot_bits(c));
  return MemLocation{target, region, index >> bits, index & ((1u << bits) - 1)};
}

}  // namespace lstm::hostmap
