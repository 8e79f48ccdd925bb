// The multicore top: N cores, the mode-select controller, host address
// decode, the stream routing of each mode and the h network. The generator
// knows N, so the fabric is emitted unrolled: each core's routing is spelled
// out with its own neighbours, which keeps the text readable and lets Yosys
// see plain wires.
//
// Every signal is declared once and used through the reference its
// declaration returns (the structs below), so a misspelt name does not compile.
#include "gen/emit_top.hpp"

#include <fmt/format.h>

#include <span>
#include <string>

#include "gen/emit_package.hpp"
#include "gen/memory_table.hpp"
#include "spec/host_map.hpp"
#include "spec/lstm_shape.hpp"

namespace lstm {

namespace {

using namespace sv;

// The package's numbers the top uses, by name, with their values (the values
// size the unrolled per-core slices). Nothing here is computed again.
struct TopParams {
  std::vector<Param> pkg;
  int cores = 0, lanes = 0, data_w = 0, pkt_w = 0;
  Features features;
  Expr ref(std::string_view name) const { return package_ref(pkg, name); }
  int value(std::string_view name) const { return static_cast<int>(*ref(name).value()); }
};

TopParams top_params(const HwConfig& c) {
  TopParams p{.pkg = package_localparams(c), .features = c.features};
  p.cores = p.value("Cores");
  p.lanes = p.value("Lanes");
  p.data_w = p.value("DataW");
  p.pkt_w = p.value("PktW");
  return p;
}

struct Ports {
  Expr clk, rst_n, host_we, host_re, host_addr, host_wdata, host_rdata, host_rvalid;
  Expr in_valid, in_ready, in_data, out_valid, out_ready, out_data, out_last, out_seq_last, busy, irq;
  Expr wl_valid, wl_ready, wl_data;
};

Ports add_ports(Module& m, const TopParams& p) {
  // Port widths name the package: the module's own localparams come later.
  const Expr cores = p.ref("Cores");
  const Expr data_w = p.ref("DataW");
  Ports o;
  o.clk = m.input("clk_i", {}, "clock");
  o.rst_n = m.input("rst_ni", {}, "asynchronous reset, active low");
  o.host_we = m.input("host_we_i", {}, "host write strobe");
  o.host_re = m.input("host_re_i", {}, "host read strobe (data one cycle later)");
  o.host_addr = m.input("host_addr_i", ulogic(p.ref("AddrW")),
                        "{target, region, index} (lstm_pkg::TargetShift, RegionShift)");
  o.host_wdata = m.input("host_wdata_i", ulogic(32));
  o.host_rdata = m.output("host_rdata_o", ulogic(32));
  o.host_rvalid = m.output("host_rvalid_o");
  o.in_valid = m.input("in_valid_i", ulogic(cores), "x stream per core port");
  o.in_ready = m.output("in_ready_o", ulogic(cores));
  o.in_data = m.input("in_data_i", ulogic(cores * data_w));
  o.out_valid = m.output("out_valid_o", ulogic(cores), "h stream per core port");
  o.out_ready = m.input("out_ready_i", ulogic(cores));
  o.out_data = m.output("out_data_o", ulogic(cores * data_w));
  o.out_last = m.output("out_last_o", ulogic(cores), "last element of an h vector");
  o.out_seq_last = m.output("out_seq_last_o", ulogic(cores),
                            "last element of a run (of its last h vector)");
  o.busy = m.output("busy_o", {}, "any core busy");
  o.irq = m.output("irq_o", {}, "interrupt (level): a bit set in both IRQ_STATUS and IRQ_ENABLE");
  o.wl_valid = m.input("wl_valid_i", {}, "weight/bias row stream (lstm_wload)");
  o.wl_ready = m.output("wl_ready_o");
  o.wl_data = m.input("wl_data_i", ulogic(p.ref("WRowW")),
                      "a word per slot: slot s at [s*WRowSlotW +: WRowSlotW]");
  return o;
}

// Short names for the package's numbers used most (each one is used).
struct Locals {
  Expr cores, data_w, target_w, region_w, index_w, reg_addr_w, slot_w, waddr_w, baddr_w, pkt_w;
  Expr state_c_bit;
};

Locals add_localparams(Module& m, const TopParams& p) {
  auto alias = [&](const char* n) { return m.localparam(n, p.ref(n)); };
  Locals l;
  l.cores = alias("Cores");
  l.data_w = alias("DataW");
  l.target_w = alias("TargetW");
  l.region_w = alias("RegionW");
  l.index_w = alias("IndexW");
  l.reg_addr_w = alias("RegAddrW");
  l.slot_w = alias("SlotW");
  l.waddr_w = alias("WAddrW");
  l.baddr_w = alias("BAddrW");
  l.pkt_w = alias("PktW");
  l.state_c_bit = alias("StateCBit");
  m.add(Blank{});
  return l;
}

// What the rest of the top reads of the host address.
struct Decode {
  Expr tgt, region, index, is_global, reg_ok, greg_ok, wmem_ok, bmem_ok, st_c, st_ok, rd_ok;
  Expr wrd_ok, brd_ok;  // a weight (bias) word that exists, in the weight (bias) region
};

// index >> shift < bound for an index of index_w bits and a package number
// `bound`: the bits above the bound's width are zero and the bits under it
// compare (nothing when the bound is a power of two), so Yosys builds a short
// compare instead of a carry chain over the whole index (issue 10: the
// decode's five compares were most of lstm_top's 125 SB_CARRY on one core).
Expr index_below(const Expr& idx, int index_w, int shift, const Expr& bound) {
  const std::int64_t n = *bound.value();
  const int b = n > 1 ? ceil_log2(n) : 1;
  if (shift + b >= index_w) return shr(idx, lit(32, shift)) < cast(index_w, bound);
  const Expr upper_zero = !reduce_or(slice(idx, index_w - 1, shift + b));
  if (n == std::int64_t{1} << b) return upper_zero;
  return upper_zero && slice(idx, shift + b - 1, shift) < cast(b, bound);
}

Decode add_host_decode(Module& m, const TopParams& p, const Ports& io, const Locals& l) {
  m.add(Comment{"Host address decode: target core (or the controller), region, index."});
  Decode d;
  d.tgt = m.logic("tgt", ulogic(l.target_w));
  d.region = m.logic("region", ulogic(l.region_w));
  d.index = m.logic("index", ulogic(l.index_w));
  d.is_global = m.logic("is_global");
  d.reg_ok = m.logic("reg_ok", {}, "a core register that exists");
  d.greg_ok = m.logic("greg_ok", {}, "a controller register that exists");
  d.wmem_ok = m.logic("wmem_ok", {}, "a weight word that exists");
  d.bmem_ok = m.logic("bmem_ok", {}, "a bias word that exists");
  d.st_c = m.logic("st_c", {}, "a state word of the c buffer (else of the h buffer)");
  d.st_ok = m.logic("st_ok", {}, "a state word that exists");
  d.wrd_ok = m.logic("wrd_ok", {}, "a weight word that exists, in the weight region");
  d.brd_ok = m.logic("brd_ok", {}, "a bias word that exists, in the bias region");
  d.rd_ok = m.logic("rd_ok", {}, "a read of something that exists");
  // A package number as a value of `width` bits, e.g. RegionW'(lstm_pkg::RegionRegs).
  auto sized = [&](const Expr& width, std::string_view name) { return cast(width, p.ref(name)); };
  m.add(ContAssign{concat({d.tgt, d.region, d.index}), io.host_addr});
  m.add(ContAssign{d.is_global, eq(d.tgt, sized(l.target_w, "TargetGlobal"))});
  const Expr regs = eq(d.region, sized(l.region_w, "RegionRegs"));
  const int index_w = int(*l.index_w.value()), slot_w = int(*l.slot_w.value());
  m.add(ContAssign{d.reg_ok, regs && index_below(d.index, index_w, 0, p.ref("NumRegs"))});
  m.add(ContAssign{d.greg_ok, regs && index_below(d.index, index_w, 0, p.ref("NumGRegs"))});
  // Words past the depth (not only past the address width) are ignored.
  m.add(ContAssign{d.wmem_ok, index_below(d.index, index_w, slot_w, p.ref("WeightDepth"))});
  m.add(ContAssign{d.bmem_ok, index_below(d.index, index_w, slot_w, p.ref("BiasDepth"))});
  // State words: the c select bit, then the buffer word (lstm_pkg::StateCBit).
  const Expr st_bit = l.state_c_bit;
  const int st_bits = int(*st_bit.value());  // the buffer word: index[st_bits-1:0]
  m.add(ContAssign{d.st_c, index(d.index, st_bit)});
  m.add(ContAssign{d.st_ok, eq(d.region, sized(l.region_w, "RegionState")) &&
                                cond(d.st_c, index_below(d.index, st_bits, 0, p.ref("CDepth")),
                                     index_below(d.index, st_bits, 0, p.ref("HDepth")))});
  m.add(ContAssign{d.wrd_ok, eq(d.region, sized(l.region_w, "RegionWeights")) && d.wmem_ok});
  m.add(ContAssign{d.brd_ok, eq(d.region, sized(l.region_w, "RegionBiases")) && d.bmem_ok});
  m.add(ContAssign{d.rd_ok, cond(d.is_global, d.greg_ok,
                                 (d.reg_ok || d.st_ok || d.wrd_ok || d.brd_ok) &&
                                     d.tgt < cast(l.target_w, l.cores))});
  m.add(Blank{});
  return d;
}

// The controller's signals, one bit (or 32-bit word) per core.
// The fabric's routing (lstm_mode_ctrl derives it): chain, xbcast per core;
// fan, xsrc, wait per pair of cores, bit d*Cores+s (see the controller).
struct Ctrl {
  Expr busy, done, error, start, started, chain, fan, xsrc, xbcast, wait, core_rdata, rdata;
  Expr wload_mask, wload_addr_wr, wload_next;  // the row loader's registers
};

Ctrl add_controller(Module& m, const TopParams& p, const Ports& io, const Locals& l,
                    const Decode& d) {
  Ctrl c;
  c.busy = m.logic("core_busy", ulogic(l.cores));
  c.done = m.logic("core_done", ulogic(l.cores));
  c.error = m.logic("core_error", ulogic(l.cores));
  c.start = m.logic("core_start", ulogic(l.cores));
  c.started = m.logic("core_started", ulogic(l.cores));
  c.chain = m.logic("chain", ulogic(l.cores));
  c.fan = m.logic("fan", ulogic(l.cores * l.cores), "bit d*Cores+s: core s's h reaches core d");
  c.xsrc = m.logic("xsrc", ulogic(l.cores * l.cores), "bit c*Cores+j: core c's x is core j's h");
  c.xbcast = m.logic("xbcast", ulogic(l.cores), "core c's x is port 0, shared by its stage");
  c.wait = m.logic("out_wait_src", ulogic(l.cores * l.cores),
                   "bit c*Cores+j: core c's OUT_WAIT watches core j's streamer");
  c.core_rdata = m.logic("core_rdata", ulogic(l.cores * 32));
  c.rdata = m.logic("g_rdata", ulogic(32));
  c.wload_mask = m.logic("wload_mask", ulogic(l.cores));
  c.wload_addr_wr = m.logic("wload_addr_wr");
  c.wload_next = m.logic("wload_next", ulogic(32));
  // Without the counters (features.counters false) the controller's CYCLES
  // reads 0 too; the parameter only then, so other configs' RTL is unchanged.
  std::vector<Connection> ctrl_params;
  if (!p.features.counters) ctrl_params.push_back({"Counters", lit(1, 0)});
  m.add(Instance{.module = "lstm_mode_ctrl",
                 .name = "u_ctrl",
                 .params = ctrl_params,
                 .ports = {{"clk_i", io.clk},
                           {"rst_ni", io.rst_n},
                           {"reg_we_i", io.host_we && d.is_global && d.greg_ok},
                           {"reg_re_i", io.host_re && d.is_global && d.greg_ok},
                           {"reg_addr_i", lsbs(d.index, p.ref("GRegAddrW"))},
                           {"reg_wdata_i", io.host_wdata},
                           {"reg_rdata_o", c.rdata},
                           {"core_busy_i", c.busy},
                           {"core_done_i", c.done},
                           {"core_error_i", c.error},
                           {"start_o", c.start},
                           {"chain_o", c.chain},
                           {"fan_o", c.fan},
                           {"xsrc_o", c.xsrc},
                           {"xbcast_o", c.xbcast},
                           {"wait_o", c.wait},
                           {"irq_o", io.irq},
                           {"wload_mask_o", c.wload_mask},
                           {"wload_addr_wr_o", c.wload_addr_wr},
                           {"wload_next_i", c.wload_next}}});
  m.add(Blank{});
  return c;
}

// Streams and h network signals, per core (flattened vectors), and per
// destination core d the vectors over sources fan_dst<d>, push_dst<d>, space_dst<d>.
struct Fabric {
  Expr ci_valid, ci_ready, co_valid, co_ready, co_last, co_seq_last, hw_valid, hw_ready, hin_valid;
  Expr ci_data, co_data, hw_data, hin_data, hdone, out_done;
  std::vector<Expr> fan, push, space;
};

Fabric add_fabric_signals(Module& m, const TopParams& p, const Locals& l) {
  Fabric f;
  auto per_core = [&](const char* n) { return m.logic(n, ulogic(l.cores)); };
  f.ci_valid = per_core("core_in_valid");
  f.ci_ready = per_core("core_in_ready");
  f.co_valid = per_core("core_out_valid");
  f.co_ready = per_core("core_out_ready");
  f.co_last = per_core("core_out_last");
  f.co_seq_last = per_core("core_out_seq_last");
  f.hw_valid = per_core("hw_valid");
  f.hw_ready = per_core("hw_ready");
  f.hin_valid = m.logic("hin_valid", ulogic(l.cores * 2), "per core two slots: h buffer banks");
  f.ci_data = m.logic("core_in_data", ulogic(l.cores * l.data_w));
  f.co_data = m.logic("core_out_data", ulogic(l.cores * l.data_w));
  f.hw_data = m.logic("hw_data", ulogic(l.cores * l.pkt_w));
  f.hin_data = m.logic("hin_data", ulogic(l.cores * 2 * (l.pkt_w - 1)));
  f.hdone = m.logic("hdone", ulogic(l.cores * 32));
  f.out_done = m.logic("out_done", ulogic(l.cores * 32));
  for (int d = 0; d < p.cores; ++d) {
    f.fan.push_back(m.logic(fmt::format("fan_dst{}", d), ulogic(l.cores),
                            fmt::format("sources that write core {}'s h buffer", d)));
    f.push.push_back(m.logic(fmt::format("push_dst{}", d), ulogic(l.cores)));
    f.space.push_back(m.logic(fmt::format("space_dst{}", d), ulogic(l.cores)));
  }
  m.add(Blank{});
  return f;
}

// Bit (row, col) of a controller matrix: bit row*Cores+col.
Expr pair(const TopParams& p, const Expr& matrix, int row, int col) {
  return index(matrix, row * p.cores + col);
}

// h network: a core's packets go to its own buffer, and to every other core
// of its stage (hc, hybrid). A source sends when all its targets have room.
void add_h_network(Module& m, const TopParams& p, const Ctrl& ctrl, const Fabric& f) {
  m.add(Comment{"h network: own buffer always; every other core of the stage's (hc, hybrid)."});
  for (int d = 0; d < p.cores; ++d)
    for (int s = 0; s < p.cores; ++s)
      m.add(ContAssign{index(f.fan[d], s), s == d ? bit(true) : pair(p, ctrl.fan, d, s)});
  for (int s = 0; s < p.cores; ++s) {
    Expr ready = index(f.space[s], s);
    for (int d = 0; d < p.cores; ++d)
      if (d != s) ready = ready && (!index(f.fan[d], s) || index(f.space[d], s));
    m.add(ContAssign{index(f.hw_ready, s), ready});
  }
  for (int d = 0; d < p.cores; ++d)
    for (int s = 0; s < p.cores; ++s)
      m.add(ContAssign{index(f.push[d], s),
                       index(f.hw_valid, s) && index(f.hw_ready, s) && index(f.fan[d], s)});
  m.add(Blank{});
}

// Core c's x stream: port 0 shared by the first stage (grp_ready: every
// core of it takes the element); in a later stage, the h stream of the core
// that begins the stage before (src_ready: every core of the stage takes
// it); else (single, mp) its own port.
void add_core_input(Module& m, const TopParams& p, const Ports& io, const Ctrl& ctrl,
                    const Fabric& f, const Expr& grp_ready, const Expr& src_ready, int c) {
  const int w = p.data_w;
  const Expr bcast = index(ctrl.xbcast, c);
  Expr valid = cond(bcast, index(io.in_valid, 0) && grp_ready, index(io.in_valid, c));
  Expr data = cond(bcast, flat_slot(io.in_data, 0, w), flat_slot(io.in_data, c, w));
  Expr from_core = bit(false);
  for (int j = c - 1; j >= 0; --j) {  // the controller sets xsrc for earlier cores only
    const Expr sel = pair(p, ctrl.xsrc, c, j);
    valid = cond(sel, index(f.co_valid, j) && index(src_ready, j), valid);
    data = cond(sel, flat_slot(f.co_data, j, w), data);
    from_core = j == c - 1 ? sel : sel || from_core;
  }
  m.add(ContAssign{index(f.ci_valid, c), valid});
  m.add(ContAssign{flat_slot(f.ci_data, c, w), data});
  m.add(ContAssign{index(io.in_ready, c),
                   c == 0 ? cond(bcast, grp_ready, index(f.ci_ready, 0))
                          : !(bcast || from_core) && index(f.ci_ready, c)});
}

// The controller's bits the fabric never reads: the diagonal of fan, the
// pairs (c, j >= c) of xsrc and wait, the last core's src_ready (Verilator's
// -Wall skips *unused* names).
void add_fabric_unused(Module& m, const TopParams& p, const Ctrl& ctrl, const Expr& src_ready) {
  std::vector<Expr> bits = {index(src_ready, p.cores - 1)};
  for (int c = 0; c < p.cores; ++c)
    for (int j = c; j < p.cores; ++j) {
      if (j == c) bits.push_back(pair(p, ctrl.fan, c, c));
      bits.push_back(pair(p, ctrl.xsrc, c, j));
      bits.push_back(pair(p, ctrl.wait, c, j));
    }
  const Expr unused = m.logic("fabric_unused");
  m.add(ContAssign{unused, reduce_xor(concat(bits))});
}

// x streams of every core, and h streams: core c's output goes to its port,
// or, when it chains, to the next stage's cores.
void add_streams(Module& m, const TopParams& p, const Ports& io, const Ctrl& ctrl,
                 const Fabric& f) {
  m.add(Comment{"Streams: own ports; a stage's h feeds the next stage; the first stage shares port 0."});
  const Expr grp_ready =
      m.logic("grp_ready", {}, "every core of the first stage takes x from port 0");
  Expr all = bit(true);
  for (int c = 0; c < p.cores; ++c)
    all = all && (!index(ctrl.xbcast, c) || index(f.ci_ready, c));
  m.add(ContAssign{grp_ready, all});
  const Expr src_ready = m.logic("src_ready", ulogic(p.ref("Cores")),
                                 "bit j: every core that takes x from core j's h takes it");
  for (int j = 0; j < p.cores; ++j) {
    Expr rdy = bit(true);
    for (int c = j + 1; c < p.cores; ++c)
      rdy = rdy && (!pair(p, ctrl.xsrc, c, j) || index(f.ci_ready, c));
    m.add(ContAssign{index(src_ready, j), rdy});
  }
  add_fabric_unused(m, p, ctrl, src_ready);
  const int w = p.data_w;
  for (int c = 0; c < p.cores; ++c) {
    add_core_input(m, p, io, ctrl, f, grp_ready, src_ready, c);
    m.add(ContAssign{index(f.co_ready, c),
                     c + 1 < p.cores ? cond(index(ctrl.chain, c), index(src_ready, c),
                                            index(io.out_ready, c))
                                     : index(io.out_ready, c)});
    m.add(ContAssign{index(io.out_valid, c), index(f.co_valid, c) && !index(ctrl.chain, c)});
    m.add(ContAssign{flat_slot(io.out_data, c, w), flat_slot(f.co_data, c, w)});
    m.add(ContAssign{index(io.out_last, c), index(f.co_last, c)});
    m.add(ContAssign{index(io.out_seq_last, c), index(f.co_seq_last, c)});
  }
  m.add(Blank{});
}

// The row loader's writes into the cores' weight and bias memories.
struct Wload {
  Expr w_we, w_addr, w_data, b_we, b_addr, b_data;
};

// The weight/bias row stream: one beat writes a memory word of every slot
// in the cores of WLOAD_MASK. It waits while the host port writes.
// A config without the row loader (features.row_loader false) keeps the
// stream's ports, never ready, and the writes are constant 0: a host loads
// the weights over the host port, and lstm_core leaves out the row write muxes.
Wload no_wload(Module& m, const Ports& io, const Locals& l, const Ctrl& ctrl) {
  m.add(Comment{"No row loader (config features.row_loader false): the row stream is never ready."});
  const Wload w{.w_we = m.logic("wrow_we", ulogic(l.cores)),
                .w_addr = zeros(),
                .w_data = zeros(),
                .b_we = m.logic("brow_we", ulogic(l.cores)),
                .b_addr = zeros(),
                .b_data = zeros()};
  m.add(ContAssign{w.w_we, zeros()});
  m.add(ContAssign{w.b_we, zeros()});
  m.add(ContAssign{io.wl_ready, lit(1, 0)});
  m.add(ContAssign{ctrl.wload_next, lit(32, 0)});
  // What the row loader would read (Verilator's -Wall skips *unused* names).
  const Expr unused = m.logic("wload_unused");
  m.add(ContAssign{unused, reduce_xor(concat({io.wl_valid, io.wl_data, ctrl.wload_mask,
                                              ctrl.wload_addr_wr}))});
  m.add(Blank{});
  return w;
}

Wload add_wload(Module& m, const TopParams& p, const Ports& io, const Locals& l,
                const Ctrl& ctrl) {
  if (!p.features.row_loader) return no_wload(m, io, l, ctrl);
  m.add(Comment{"Row loader: the weight/bias row stream into the memories of WLOAD_MASK's cores."});
  const Expr macs = p.ref("Macs");
  Wload w;
  w.w_we = m.logic("wrow_we", ulogic(l.cores));
  w.w_addr = m.logic("wrow_addr", ulogic(l.waddr_w));
  w.w_data = m.logic("wrow_data", ulogic(macs * p.ref("WeightW")));
  w.b_we = m.logic("brow_we", ulogic(l.cores));
  w.b_addr = m.logic("brow_addr", ulogic(l.baddr_w));
  w.b_data = m.logic("brow_data", ulogic(macs * p.ref("BiasW")));
  // WLOAD_ADDR's {region, word}: the host word above the slot bits.
  const Expr row_w = l.region_w + l.index_w - l.slot_w;
  m.add(Instance{.module = "lstm_wload",
                 .name = "u_wload",
                 .ports = {{"clk_i", io.clk},
                           {"rst_ni", io.rst_n},
                           {"valid_i", io.wl_valid},
                           {"ready_o", io.wl_ready},
                           {"data_i", io.wl_data},
                           {"hold_i", io.host_we},
                           {"mask_i", ctrl.wload_mask},
                           {"addr_wr_i", ctrl.wload_addr_wr},
                           {"addr_row_i", part(io.host_wdata, l.slot_w, row_w)},
                           {"next_o", ctrl.wload_next},
                           {"w_we_o", w.w_we},
                           {"w_addr_o", w.w_addr},
                           {"w_data_o", w.w_data},
                           {"b_we_o", w.b_we},
                           {"b_addr_o", w.b_addr},
                           {"b_data_o", w.b_data}}});
  m.add(Blank{});
  return w;
}

// Everything the per-core instances connect to.
struct TopSignals {
  const TopParams& p;
  const Ports& io;
  const Locals& l;
  const Decode& d;
  const Ctrl& ctrl;
  const Fabric& f;
  const Wload& wl;
};

// lstm_core's host ports: registers, weight and bias memory writes.
std::vector<Connection> core_host_ports(const TopSignals& t, int c) {
  const Ports& io = t.io;
  const Decode& d = t.d;
  const Expr me = io.host_we && eq(d.tgt, cast(t.l.target_w, c));
  const Expr me_re = io.host_re && eq(d.tgt, cast(t.l.target_w, c));
  const Expr slot_bits = lsbs(d.index, t.l.slot_w);
  return {{"reg_we_i", me && d.reg_ok},
          {"reg_re_i", me_re && d.reg_ok},
          {"reg_addr_i", lsbs(d.index, t.l.reg_addr_w)},
          {"reg_wdata_i", io.host_wdata},
          {"reg_rdata_o", flat_slot(t.ctrl.core_rdata, c, 32)},
          {"wmem_we_i", me && d.wrd_ok},
          {"wmem_re_i", me_re && d.wrd_ok},
          {"wmem_slot_i", slot_bits},
          {"wmem_addr_i", part(d.index, t.l.slot_w, t.l.waddr_w)},
          {"wmem_wdata_i", lsbs(io.host_wdata, t.p.ref("WeightW"))},
          {"bmem_we_i", me && d.brd_ok},
          {"bmem_re_i", me_re && d.brd_ok},
          {"bmem_slot_i", slot_bits},
          {"bmem_addr_i", part(d.index, t.l.slot_w, t.l.baddr_w)},
          {"bmem_wdata_i", lsbs(io.host_wdata, t.p.ref("BiasW"))},
          {"wrow_we_i", index(t.wl.w_we, c)},
          {"wrow_addr_i", t.wl.w_addr},
          {"wrow_data_i", t.wl.w_data},
          {"brow_we_i", index(t.wl.b_we, c)},
          {"brow_addr_i", t.wl.b_addr},
          {"brow_data_i", t.wl.b_data},
          {"st_we_i", me && d.st_ok},
          {"st_re_i", me_re && d.st_ok},
          {"st_c_i", d.st_c},
          {"st_addr_i", lsbs(d.index, t.p.ref("HAddrW"))},
          {"st_wdata_i", lsbs(io.host_wdata, t.p.ref("StateW"))}};
}

// Core c waits on at most one earlier core (lstm_mode_ctrl's CtrlWaitOne).
Expr waits_on_none(const TopSignals& t, int c) {
  return c == 0 ? bit(true) : !reduce_or(part(t.ctrl.wait, c * t.p.cores, c));
}

// The out_done core c's OUT_WAIT watches: its stage's first core's, else its
// own. The wait bits are one-hot or zero, so an AND-OR of the candidates
// (issue 10: as a chain of `?:` it was 6 LUT4 levels for core 7 of
// configs/octa.json, in front of the sequencer's issue).
Expr waited_out_done(const TopSignals& t, int c) {
  if (c == 0) return flat_slot(t.f.out_done, 0, 32);
  auto gated = [&](const Expr& on, int j) { return flat_slot(t.f.out_done, j, 32) & repl(32, on); };
  Expr out = gated(waits_on_none(t, c), c);
  for (int j = 0; j < c; ++j) out = out | gated(pair(t.p, t.ctrl.wait, c, j), j);
  return out;
}

// lstm_core's control, stream and h network ports.
std::vector<Connection> core_fabric_ports(const TopSignals& t, int c) {
  const Ctrl& ctrl = t.ctrl;
  const Fabric& f = t.f;
  const int dw = t.p.data_w, pw = t.p.pkt_w;
  return {{"start_i", index(ctrl.start, c)},
          {"started_o", index(ctrl.started, c)},
          {"busy_o", index(ctrl.busy, c)},
          {"done_o", index(ctrl.done, c)},
          {"error_o", index(ctrl.error, c)},
          {"in_valid_i", index(f.ci_valid, c)},
          {"in_ready_o", index(f.ci_ready, c)},
          {"in_data_i", flat_slot(f.ci_data, c, dw)},
          {"out_valid_o", index(f.co_valid, c)},
          {"out_ready_i", index(f.co_ready, c)},
          {"out_data_o", flat_slot(f.co_data, c, dw)},
          {"out_last_o", index(f.co_last, c)},
          {"out_seq_last_o", index(f.co_seq_last, c)},
          {"hw_valid_o", index(f.hw_valid, c)},
          {"hw_ready_i", index(f.hw_ready, c)},
          {"hw_data_o", flat_slot(f.hw_data, c, pw)},
          {"hin_valid_i", flat_slot(f.hin_valid, c, 2)},
          {"hin_data_i", flat_slot(f.hin_data, c, 2 * (pw - 1))},
          {"hdone_i", flat_slot(f.hdone, c, 32)},
          {"out_done_o", flat_slot(f.out_done, c, 32)},
          // In hc and hybrid a stage's output streamer is its first core's:
          // nobody in the stage may overwrite an h it has not sent yet.
          {"out_done_i", waited_out_done(t, c)},
          {"out_done_own_i", waits_on_none(t, c)}};
}

// lstm_core's parameters for the parts a config leaves out (config
// "features"); none for a config with every part, whose RTL is unchanged.
std::vector<Connection> core_params(const Features& f, const TopSignals& t) {
  std::vector<Connection> out;
  if (!f.row_loader) out.push_back({"RowWrites", lit(1, 0)});
  if (!f.counters) out.push_back({"Counters", lit(1, 0)});
  if (!f.weight_readback) out.push_back({"WeightRead", lit(1, 0)});
  if (f.batch) {
    // The batch entries of the host map exist in lstm_pkg only on a batch
    // design: lstm_core takes them as parameters from here.
    out.push_back({"Batch", lit(1, 1)});
    for (const char* n : {"ErrBatch", "LFlagXinBit", "LFlagOutBit", "LFlagFoldBit"})
      out.push_back({n, t.p.ref(n)});
  }
  if (f.lut_multipliers) out.push_back({"LutMul", lit(1, 1)});
  return out;
}

void add_core(Module& m, const TopSignals& t, int c) {
  m.add(Comment{fmt::format("Core {}", c)});
  std::vector<Connection> ports = {{"clk_i", t.io.clk}, {"rst_ni", t.io.rst_n}};
  for (auto* group : {&core_host_ports, &core_fabric_ports})
    for (Connection& k : group(t, c)) ports.push_back(std::move(k));
  m.add(Instance{.module = "lstm_core", .name = core_instance(c), .params = core_params(t.p.features, t),
                 .ports = ports});
  const Fabric& f = t.f;
  // A packet's bank: its unit's LSB, flipped by its step parity when
  // MaxHidden is odd (lstm_pkg::h_addr). The step counts' width only with
  // limits.max_steps (without it the merge's default, 32 bits).
  std::vector<Connection> merge_params = {{"Sources", t.l.cores},
                                          {"Width", t.l.pkt_w},
                                          {"Banks", t.p.ref("HBanks")},
                                          {"BankBit", t.l.data_w},
                                          {"FlipBit", t.l.data_w + t.p.ref("UnitW")},
                                          {"Flip", t.p.ref("MaxHidden") % 2}};
  if (t.p.value("MaxSteps") != 0) merge_params.push_back({"DoneW", t.p.ref("LStepW")});
  m.add(Instance{.module = "lstm_h_merge",
                 .name = fmt::format("u_merge{}", c),
                 .params = merge_params,
                 .ports = {{"clk_i", t.io.clk},
                           {"rst_ni", t.io.rst_n},
                           {"clear_i", index(t.ctrl.started, c)},
                           {"mask_i", f.fan[c]},
                           {"push_i", f.push[c]},
                           {"data_i", f.hw_data},
                           {"space_o", f.space[c]},
                           {"wr_valid_o", flat_slot(f.hin_valid, c, 2)},
                           {"wr_data_o", flat_slot(f.hin_data, c, 2 * (t.p.pkt_w - 1))},
                           {"done_o", flat_slot(f.hdone, c, 32)}}});
  m.add(Blank{});
}

void add_read_mux(Module& m, const TopSignals& t) {
  const Ports& io = t.io;
  m.add(Comment{"Host reads: the addressed block's registered read data, one cycle later."});
  const FfReg rtgt = m.reg("rtgt", ulogic(t.l.target_w), zeros());
  const Expr rvalid_q = m.logic("rvalid_q");
  const FfReg rok = m.reg("rok", {}, bit(false), "the read named something that exists");
  m.add(ContAssign{rtgt.d, cond(io.host_re, t.d.tgt, rtgt.q)});
  m.add(ContAssign{rok.d, cond(io.host_re, t.d.rd_ok, rok.q)});
  m.add(AlwaysFf{.regs = {rtgt, rok, {.q = rvalid_q, .d = io.host_re, .reset = bit(false)}},
                 .clk = io.clk,
                 .rst_n = io.rst_n});
  const Expr rdata = io.host_rdata;
  std::vector<CaseItem> items;
  items.push_back({{cast(t.l.target_w, t.p.ref("TargetGlobal"))}, {assign(rdata, t.ctrl.rdata)}});
  for (int c = 0; c < t.p.cores; ++c)
    items.push_back({{cast(t.l.target_w, c)}, {assign(rdata, flat_slot(t.ctrl.core_rdata, c, 32))}});
  m.add(AlwaysComb{.defaults = {assign(io.host_rdata, lit(32, 0))},
                   .body = {if_(rok.q, {case_(rtgt.q, std::move(items), {})})}});
  m.add(ContAssign{io.host_rvalid, rvalid_q});
  m.add(ContAssign{io.busy, reduce_or(t.ctrl.busy)});
}

}  // namespace

sv::Module emit_top(const HwConfig& c) {
  const TopParams p = top_params(c);
  Module m{.name = kTopName,
           .comment = fmt::format(
               "lstm_top: {} LSTM cores of {} lanes, the mode-select controller and the fabric.\n"
               "Register and memory map: docs/host-interface.md and manifest.json \"host_map\".",
               p.cores, p.lanes)};
  const Ports io = add_ports(m, p);
  const Locals l = add_localparams(m, p);
  const Decode d = add_host_decode(m, p, io, l);
  const Ctrl ctrl = add_controller(m, p, io, l, d);
  const Fabric f = add_fabric_signals(m, p, l);
  add_h_network(m, p, ctrl, f);
  add_streams(m, p, io, ctrl, f);
  const Wload wl = add_wload(m, p, io, l, ctrl);
  const TopSignals t{p, io, l, d, ctrl, f, wl};
  for (int k = 0; k < p.cores; ++k) add_core(m, t, k);
  add_read_mux(m, t);
  return m;
}

nlohmann::ordered_json host_map_json(const HwConfig& c) {
  using namespace hostmap;
  // Every number comes from the tables of host_map.hpp, as in lstm_pkg.
  auto names = [&c](std::span<const Entry> t) {
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    for (const Entry& e : t)
      if (present(e, c)) o[std::string(e.name)] = e.value;
    return o;
  };
  nlohmann::ordered_json j;
  j["address"] = names(kAddressTable);
  j["address"]["regions"] = names(kRegionTable);
  j["address"]["state_index"] = names(kStateTable);
  j["address"]["slot_bits"] = slot_bits(c);
  j["address"]["memory_index"] = fmt::format("(word << slot_bits) | (lane * {} + gate)", kGates);
  j["core_registers"] = names(kCoreRegTable);
  j["ctrl_bits"] = names(kCtrlTable);
  j["status_fields"] = names(kStatusTable);
  j["layer_fields"] = names(kLayerFieldTable);
  nlohmann::ordered_json flags;  // masks: OUT_EN = 1 << bit
  for (const Entry& e : kFlagTable) flags[std::string(e.name)] = 1u << e.value;
  j["flags"] = flags;
  if (c.features.batch) {
    nlohmann::ordered_json lflags;  // masks, as "flags"
    for (const Entry& e : kLFlagTable) lflags[std::string(e.name)] = 1u << e.value;
    j["layer_flags"] = lflags;
  }
  j["global_registers"] = names(kGlobalRegTable);
  j["global_status_bits"] = names(kGlobalStatusTable);
  j["irq_bits"] = names(kIrqTable);
  j["modes"] = names(kModeTable);
  nlohmann::ordered_json errors;  // code -> message, without kErrNone
  for (const Entry& e : kErrorTable)
    if (e.value != kErrNone && present(e, c)) errors[std::to_string(e.value)] = e.doc;
  j["error_codes"] = errors;
  j["memories"] = {{"weight_depth", c.limits.weight_depth}, {"bias_depth", bias_depth(c)},
                   {"slots", *package_ref(package_localparams(c), "Macs").value()}};
  return j;
}

}  // namespace lstm
