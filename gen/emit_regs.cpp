// Register blocks from the host map's tables: see gen/emit_regs.hpp.
#include "gen/emit_regs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "gen/emit_package.hpp"
#include "spec/host_map.hpp"

namespace lstm {

namespace {

using namespace sv;
using hostmap::Access;
using hostmap::Entry;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// What a block is built from.
struct BlockSpec {
  std::string module, comment;
  std::span<const Entry> regs;
  std::string addr_w;                   // package localparam: register number bits
  std::span<const Entry> layer_fields;  // empty: no layer registers
  std::string lock_doc;
  std::vector<std::string_view> next_of;  // RW registers that also output their next value
};

// A register's hardware: storage (RW), an input (R) or a strobe (W).
struct RegHw {
  const Entry* e = nullptr;
  Expr width = 32;  // storage width (RW)
  FfReg store{};    // RW, W1C
  Expr port{};      // RW, W1C: <name>_o, R: <name>_i, W: <name>_wr_o
  Expr set{};       // W1C: <name>_set_i
  Expr next{};      // RW named in next_of: <name>_next_o
  bool has_next = false;
  Expr wdata{};     // RW: the value a write stores (reg_wdata_i's low bits, or saturated)
};

bool stored(const RegHw& r) { return r.e->access == Access::RW || r.e->access == Access::W1C; }

struct Common {
  std::vector<Param> pkg;
  Expr ref(std::string_view n) const { return package_ref(pkg, n); }
  Expr clk{}, rst_n{}, we{}, re{}, addr{}, wdata{}, rdata{}, lock{};
  Expr addr_w{};
};

Common add_host_ports(Module& m, const BlockSpec& s, const HwConfig& c) {
  Common k{.pkg = package_localparams(c)};
  k.addr_w = k.ref(s.addr_w);
  k.clk = m.input("clk_i");
  k.rst_n = m.input("rst_ni");
  k.we = m.input("reg_we_i", {}, "write reg_wdata_i to register reg_addr_i");
  k.re = m.input("reg_re_i", {}, "read register reg_addr_i; data on reg_rdata_o next cycle");
  k.addr = m.input("reg_addr_i", ulogic(k.addr_w));
  k.wdata = m.input("reg_wdata_i", ulogic(32));
  k.rdata = m.output("reg_rdata_o", ulogic(32));
  k.lock = m.input("lock_i", {}, s.lock_doc);
  return k;
}

std::vector<RegHw> add_reg_ports(Module& m, const Common& k, const HwConfig& c,
                                 std::span<const Entry> regs, const Expr& words,
                                 std::span<const std::string_view> next_of = {}) {
  std::vector<RegHw> out;
  for (const Entry& e : regs) {
    if (e.access == Access::None) continue;
    if (!hostmap::present(e, c)) {
      // A batch register on a design without batching: its output exists (so
      // lstm_core connects the same ports on every design) and reads as 0;
      // no storage, no address.
      if (e.access == Access::RW) {
        const Expr w = e.width.empty() ? Expr(32) : k.ref(e.width);
        const Expr port = m.output(lower(e.name) + "_o", ulogic(w * words),
                                   std::string(e.doc) + " (absent: 0)");
        m.add(ContAssign{port, zeros()});
      }
      continue;
    }
    RegHw r{.e = &e};
    const std::string n = lower(e.name);
    const std::string doc{e.doc};
    if (e.access == Access::RW || e.access == Access::W1C) {
      r.width = e.width.empty() ? Expr(32) : k.ref(e.width);
      r.port = m.output(n + "_o", ulogic(r.width * words), doc);
      if (e.access == Access::W1C)
        r.set = m.input(n + "_set_i", ulogic(r.width * words), "bits to set this cycle");
      if (e.access == Access::RW &&
          std::find(next_of.begin(), next_of.end(), e.name) != next_of.end()) {
        r.has_next = true;
        r.next = m.output(n + "_next_o", ulogic(r.width * words),
                          "the value " + std::string(e.name) + " holds from the next clock edge on");
      }
    } else if (e.access == Access::R) {
      r.port = m.input(n + "_i", ulogic(Expr(32) * words), doc);
    } else {
      r.port = m.output(n + "_wr_o", {}, doc);
    }
    out.push_back(r);
  }
  return out;
}

// What a write stores in each RW register: reg_wdata_i's low bits, or for a
// saturating one (hostmap's `saturate`) all ones when the value does not fit,
// one wire per register shared by every layer's copy.
void add_write_data(Module& m, const Common& k, std::vector<RegHw>& regs) {
  for (RegHw& r : regs) {
    if (r.e->access != Access::RW) continue;
    if (!r.e->saturate) {
      r.wdata = lsbs(k.wdata, r.width);
      continue;
    }
    r.wdata = m.logic(lower(r.e->name) + "_wdata", ulogic(r.width),
                      "the value written, all ones when it does not fit");
    m.add(ContAssign{r.wdata, cond(ne(shr(k.wdata, r.width), lit(32, 0)), ones(),
                                   lsbs(k.wdata, r.width))});
  }
}

void add_storage(Module& m, std::vector<RegHw>& regs, const Expr& words) {
  for (RegHw& r : regs)
    if (stored(r))
      r.store = m.reg(lower(r.e->name), ulogic(r.width * words),
                      r.e->reset == 0 ? zeros() : cast(r.width * words, lit(32, r.e->reset)));
}

// The layer part of an address: layer l, field f of RegLayerBase + RegLayerStride * l + f.
struct LayerDecode {
  Expr idx, field, is_layer, field_w;
};

LayerDecode add_layer_decode(Module& m, const Common& k) {
  LayerDecode d;
  d.field_w = k.ref("FieldW");
  const Expr off = m.logic("layer_off", ulogic(k.addr_w));
  d.idx = m.logic("layer_idx", ulogic(k.addr_w - d.field_w));
  d.field = m.logic("field", ulogic(d.field_w));
  d.is_layer = m.logic("is_layer_reg", {}, "a layer register of a layer that exists");
  const Expr base = cast(k.addr_w, k.ref("RegLayerBase"));
  m.add(ContAssign{off, k.addr - base});
  m.add(ContAssign{d.idx, slice(off, k.addr_w - 1, d.field_w)});
  m.add(ContAssign{d.field, lsbs(off, d.field_w)});
  m.add(ContAssign{d.is_layer, k.addr >= base && cast(32, d.idx) < k.ref("MaxLayers")});
  return d;
}

// for (int l = 0; l < MaxLayers; l++) body(l): a layer's register picked by a
// compare with each constant layer, not by a part-select at layer_idx * 32,
// which Yosys maps to a barrel shifter over every layer's word (issue 10:
// 1,114 -> 793 LUT4 for configs/ice40.json's core registers). A read ORs the
// selected word into rdata_d, which the case item's default set to 0.
template <typename F>
Stmt for_layers(const Common& k, F body) {
  return for_("l", 0, k.ref("MaxLayers"), {body(Expr("l"))});
}

Expr label(const Expr& w, const Entry& e, const Common& k) { return cast(w, k.ref(e.sv)); }
Expr word32(const Expr& x, const Expr& w) { return w.value() == 32 ? x : cast(32, x); }

// Writes of RW registers (plain, or a layer's slice; locked ones unless
// lock_i) and clears of W1C bits (never locked); a W1C bit's set wins over a
// clear in the same cycle, so that no event is lost.
std::vector<CaseItem> plain_writes(const Common& k, const std::vector<RegHw>& regs, bool locked) {
  std::vector<CaseItem> items;
  for (const RegHw& r : regs) {
    if (r.e->access == Access::RW && r.e->locked == locked)
      items.push_back({{label(k.addr_w, *r.e, k)}, {assign(r.store.d, r.wdata)}});
    if (r.e->access == Access::W1C && !locked)
      items.push_back({{label(k.addr_w, *r.e, k)},
                       {assign(r.store.d, (r.store.q & ~lsbs(k.wdata, r.width)) | r.set)}});
  }
  return items;
}

void add_write_logic(Module& m, const Common& k, const std::vector<RegHw>& regs,
                     const std::vector<RegHw>& fields, const LayerDecode* ld) {
  Block defaults;
  for (const auto* group : {&regs, &fields})
    for (const RegHw& r : *group)
      if (stored(r))
        defaults.push_back(
            assign(r.store.d, r.e->access == Access::W1C ? r.store.q | r.set : r.store.q));
  std::vector<CaseItem> layer;
  for (const RegHw& r : fields)
    if (r.e->access == Access::RW)
      layer.push_back({{label(ld->field_w, *r.e, k)}, {for_layers(k, [&](const Expr& l) {
                         return if_(eq(cast(32, ld->idx), l),
                                    {assign(part(r.store.d, l * r.width, r.width), r.wdata)});
                       })}});
  Block body = {case_(k.addr, plain_writes(k, regs, true), {})};
  if (ld) body = {if_(ld->is_layer, {case_(ld->field, std::move(layer), {})}, std::move(body))};
  Block all = {if_(k.we && !k.lock, body)};
  std::vector<CaseItem> free = plain_writes(k, regs, false);
  if (!free.empty()) all.push_back(if_(k.we, {case_(k.addr, std::move(free), {})}));
  m.add(AlwaysComb{.defaults = std::move(defaults), .body = std::move(all)});
}

void add_read_logic(Module& m, const Common& k, const FfReg& rdata,
                    const std::vector<RegHw>& regs, const std::vector<RegHw>& fields,
                    const LayerDecode* ld) {
  std::vector<CaseItem> plain, layer;
  for (const RegHw& r : regs) {
    if (stored(r))
      plain.push_back({{label(k.addr_w, *r.e, k)}, {assign(rdata.d, word32(r.store.q, r.width))}});
    if (r.e->access == Access::R)
      plain.push_back({{label(k.addr_w, *r.e, k)}, {assign(rdata.d, r.port)}});
  }
  for (const RegHw& r : fields) {
    const bool rw = r.e->access == Access::RW;
    const Expr src = rw ? r.store.q : r.port;
    const Expr w = rw ? r.width : Expr(32);
    if (r.e->access != Access::W)
      layer.push_back({{label(ld->field_w, *r.e, k)}, {for_layers(k, [&](const Expr& l) {
                         return assign(rdata.d, rdata.d | cond(eq(cast(32, ld->idx), l),
                                                                word32(part(src, l * w, w), w),
                                                                lit(32, 0)));
                       })}});
  }
  const Block zero = {assign(rdata.d, lit(32, 0))};
  Block body = {case_(k.addr, std::move(plain), zero)};
  if (ld) body = {if_(ld->is_layer, {case_(ld->field, std::move(layer), zero)}, std::move(body))};
  Block then = zero;
  then.insert(then.end(), body.begin(), body.end());
  m.add(AlwaysComb{.defaults = {assign(rdata.d, rdata.q)}, .body = {if_(k.re, then)}});
}

Module emit_block(const BlockSpec& s, const HwConfig& c) {
  Module m{.name = s.module, .comment = s.comment};
  const Common k = add_host_ports(m, s, c);
  std::vector<RegHw> regs = add_reg_ports(m, k, c, s.regs, 1, s.next_of);
  for (std::string_view n : s.next_of)
    if (std::none_of(regs.begin(), regs.end(), [&](const RegHw& r) { return r.e->name == n && r.has_next; }))
      throw std::logic_error(fmt::format("emit_regs: {} has no RW register {}", s.module, n));
  const Expr layers = k.ref("MaxLayers");
  std::vector<RegHw> fields = add_reg_ports(m, k, c, s.layer_fields, layers);
  add_storage(m, regs, 1);
  add_storage(m, fields, layers);
  const FfReg rdata = m.reg("rdata", ulogic(32), zeros());
  m.add(Blank{});
  LayerDecode ld;
  if (!s.layer_fields.empty()) {
    m.add(Comment{"Layer registers: RegLayerBase + RegLayerStride * layer + field."});
    ld = add_layer_decode(m, k);
    m.add(Blank{});
  }
  const LayerDecode* ldp = s.layer_fields.empty() ? nullptr : &ld;
  add_write_data(m, k, regs);
  add_write_data(m, k, fields);
  m.add(Comment{"Write strobes of W registers (not locked)."});
  for (const RegHw& r : regs)
    if (r.e->access == Access::W)
      m.add(ContAssign{r.port, k.we && eq(k.addr, label(k.addr_w, *r.e, k))});
  m.add(Comment{"RW registers: written (most unless lock_i); W1C bits: set by _set_i, cleared by 1s."});
  add_write_logic(m, k, regs, fields, ldp);
  m.add(Comment{"Reads: registered, 0 for registers that do not exist."});
  add_read_logic(m, k, rdata, regs, fields, ldp);
  std::vector<FfReg> ffs;
  for (const auto* group : {&regs, &fields})
    for (const RegHw& r : *group)
      if (stored(r)) ffs.push_back(r.store);
  ffs.push_back(rdata);
  m.add(AlwaysFf{.regs = ffs, .clk = k.clk, .rst_n = k.rst_n});
  m.add(Blank{});
  for (const auto* group : {&regs, &fields})
    for (const RegHw& r : *group)
      if (stored(r)) m.add(ContAssign{r.port, r.store.q});
  for (const RegHw& r : regs)
    if (r.has_next) m.add(ContAssign{r.next, r.store.d});
  m.add(ContAssign{k.rdata, rdata.q});
  return m;
}

}  // namespace

Module emit_core_regs(const HwConfig& c) {
  return emit_block(
      {.module = "lstm_core_regs",
       .comment = "lstm_core_regs: a core's host registers, emitted from the tables kCoreRegTable\n"
                  "and kLayerFieldTable of spec/host_map.hpp (gen/emit_regs.hpp says how).\n"
                  "docs/host-interface.md explains each register.",
       .regs = hostmap::kCoreRegTable,
       .addr_w = "RegAddrW",
       .layer_fields = hostmap::kLayerFieldTable,
       .lock_doc = "the core is busy: program registers ignore writes",
       .next_of = {}},
      c);
}

Module emit_ctrl_regs(const HwConfig& c) {
  return emit_block(
      {.module = "lstm_ctrl_regs",
       .comment = "lstm_ctrl_regs: the mode-select controller's host registers, emitted from\n"
                  "kGlobalRegTable of spec/host_map.hpp (gen/emit_regs.hpp says how).\n"
                  "docs/host-interface.md explains each register.",
       .regs = hostmap::kGlobalRegTable,
       .addr_w = "GRegAddrW",
       .layer_fields = {},
       .lock_doc = "a run is in progress: MODE and ACTIVE ignore writes",
       // lstm_mode_ctrl registers the routing it derives from them (issue 10:
       // a 32-bit compare of ACTIVE had been on the start path into every core).
       .next_of = {std::begin(kCtrlNextOf), std::end(kCtrlNextOf)}},
      c);
}

}  // namespace lstm
