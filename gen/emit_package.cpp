// Emitter of lstm_pkg. Every function mirrors docs/numerics.md step by step;
// intermediate widths are computed here so that no step can overflow, and every
// operand is sized explicitly (W'(x), sign passes through) before it meets
// another, so nothing depends on SystemVerilog's context-determined widths.
#include "gen/emit_package.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "sim/activation.hpp"
#include "spec/host_map.hpp"

namespace lstm {

namespace {

using sv::Block;
using sv::Expr;

std::int64_t max_of(int width) { return (std::int64_t{1} << (width - 1)) - 1; }
std::int64_t min_of(int width) { return -(std::int64_t{1} << (width - 1)); }

// Appends `target = saturate(x, out_w)` for a signed variable x of width xw.
void emit_saturate(Block& body, const Expr& x, int xw, int out_w, const Expr& target) {
  if (xw <= out_w) {
    body.push_back(sv::assign(target, xw == out_w ? x : sv::cast(out_w, x)));
    return;
  }
  body.push_back(sv::if_(x > sv::slit(xw, max_of(out_w)),
                         {sv::assign(target, sv::slit(out_w, max_of(out_w)))},
                         {sv::if_(x < sv::slit(xw, min_of(out_w)),
                                  {sv::assign(target, sv::slit(out_w, min_of(out_w)))},
                                  {sv::assign(target, sv::cast(out_w, x))})}));
}

// Appends to fn the locals and statements of `target = narrow(v, shift, out_w, r)`
// (docs/numerics.md) for a signed variable v of width in_w. `shift` is written
// with the package's names (so they are used) and must have a known value.
// Locals: rnd, shifted.
void emit_narrow(sv::Function& fn, Block& body, const Expr& v, int in_w, const Expr& shift_e,
                 int out_w, Rounding r, const Expr& target) {
  if (!shift_e.value()) throw std::logic_error("emit_narrow: shift without a known value");
  const int shift = static_cast<int>(*shift_e.value());
  const Expr shifted("shifted");
  if (shift > 0) {
    int ws = 0;
    if (r == Rounding::Nearest) {
      // v + 2^(shift-1) - (v < 0): one extra bit holds the largest sum.
      const int e = std::max(in_w, shift) + 1;
      const std::int64_t half = std::int64_t{1} << (shift - 1);
      const Expr rnd("rnd");
      fn.locals.push_back({"rnd", sv::slogic(e)});
      body.push_back(sv::comment(fmt::format(
          "round half away from zero: + 2^{} (- 1 when negative), then >>> {}", shift - 1,
          shift)));
      body.push_back(sv::assign(
          rnd, sv::cast(e, v) + sv::cond(sv::index(v, in_w - 1), sv::slit(e, half - 1),
                                         sv::slit(e, half))));
      ws = e - shift;
      fn.locals.push_back({"shifted", sv::slogic(ws)});
      body.push_back(sv::assign(shifted, sv::cast(ws, sv::ashr(rnd, shift_e))));
    } else {
      ws = std::max(in_w - shift, 1);
      fn.locals.push_back({"shifted", sv::slogic(ws)});
      body.push_back(sv::comment(fmt::format("round toward minus infinity: >>> {}", shift)));
      body.push_back(sv::assign(shifted, sv::cast(ws, sv::ashr(v, shift_e))));
    }
    emit_saturate(body, shifted, ws, out_w, target);
  } else if (shift < 0) {
    const int ws = in_w - shift;
    fn.locals.push_back({"shifted", sv::slogic(ws)});
    body.push_back(sv::assign(shifted, sv::cast(ws, v) << -shift_e));
    emit_saturate(body, shifted, ws, out_w, target);
  } else {
    emit_saturate(body, v, in_w, out_w, target);
  }
}

Expr width_ref(const char* name, int value) { return sv::ref(name, value); }

sv::Function bias_to_accum(const HwConfig& c) {
  sv::Function fn{.name = "bias_to_accum",
                  .ret = sv::slogic(width_ref("AccW", c.accum.width)),
                  .args = {{"b", sv::slogic(width_ref("BiasW", c.bias.width))}},
                  .comment = "bias (BiasW, BiasF) aligned to the accumulator: "
                             "narrow(b, BiasF - AccF, AccW)."};
  emit_narrow(fn, fn.body, Expr("b"), c.bias.width,
              -sv::ref("BiasShift", c.accum.frac - c.bias.frac), c.accum.width, c.rounding,
              Expr(fn.name));
  return fn;
}

sv::Function narrow_cell(const HwConfig& c) {
  const int gw = c.gate.width, gf = c.gate.frac, cw = c.cell.width, cf = c.cell.frac;
  const int fs = gf + std::max(cf, gf);  // CellSumF
  const int a1 = fs - gf - cf, a2 = fs - 2 * gf;
  const int p1 = gw + cw, p2 = 2 * gw;  // exact signed products
  const int sw = std::max(p1 + a1, p2 + a2) + 1;
  const Expr gate_w = width_ref("GateW", gw);
  sv::Function fn{
      .name = "narrow_cell",
      .ret = sv::slogic(width_ref("CellW", cw)),
      .args = {{"i", sv::slogic(gate_w)},
               {"f", sv::slogic(gate_w)},
               {"g", sv::slogic(gate_w)},
               {"c_prev", sv::slogic(width_ref("CellW", cw))}},
      .locals = {{"fc", sv::slogic(p1)}, {"ig", sv::slogic(p2)}, {"sum", sv::slogic(sw)}},
      .comment = "c_new = narrow((f * c_prev << (CellSumF - GateF - CellF))\n"
                 "               + (i * g << (CellSumF - 2 * GateF)), CellSumF - CellF, CellW)."};
  const Expr fc("fc"), ig("ig"), sum("sum");
  auto shl = [](const Expr& x, int k) { return k == 0 ? x : x << Expr(k); };
  fn.body.push_back(sv::assign(fc, sv::cast(p1, "f") * sv::cast(p1, "c_prev")));
  fn.body.push_back(sv::assign(ig, sv::cast(p2, "i") * sv::cast(p2, "g")));
  fn.body.push_back(sv::assign(sum, shl(sv::cast(sw, fc), a1) + shl(sv::cast(sw, ig), a2)));
  emit_narrow(fn, fn.body, sum, sw, sv::ref("CellSumF", fs) - sv::ref("CellF", cf), cw,
              c.rounding, Expr(fn.name));
  return fn;
}

sv::Function narrow_hidden(const HwConfig& c) {
  const int gw = c.gate.width, p = 2 * gw;
  const Expr gate_w = width_ref("GateW", gw);
  sv::Function fn{.name = "narrow_hidden",
                  .ret = sv::slogic(width_ref("DataW", c.data.width)),
                  .args = {{"o", sv::slogic(gate_w)}, {"tanh_c", sv::slogic(gate_w)}},
                  .locals = {{"prod", sv::slogic(p)}},
                  .comment = "h_new = narrow(o * tanh_c, 2 * GateF - DataF, DataW)."};
  const Expr prod("prod");
  fn.body.push_back(sv::assign(prod, sv::cast(p, "o") * sv::cast(p, "tanh_c")));
  emit_narrow(fn, fn.body, prod, p,
              Expr(2) * sv::ref("GateF", c.gate.frac) - sv::ref("DataF", c.data.frac),
              c.data.width, c.rounding, Expr(fn.name));
  return fn;
}

Expr index_ref(const HwConfig& c) {
  return sv::ref("ActIndexBits", c.activation.index_bits) + 1;
}

// name(idx): entry idx of the table (lstm::activation_table), 0 past its end.
sv::Function table_entry(const HwConfig& c, ActFunction f, const std::string& name) {
  const std::vector<std::int64_t> table = activation_table(c, f);
  const int k = c.activation.index_bits;
  sv::Function fn{.name = name,
                  .ret = sv::slogic(width_ref("GateW", c.gate.width)),
                  .args = {{"idx", sv::ulogic(index_ref(c))}},
                  .comment = fmt::format("{} table of lstm::activation_table ({} entries, "
                                         "GateW/GateF); 0 past the end.",
                                         f == ActFunction::Sigmoid ? "Sigmoid" : "Tanh",
                                         table.size())};
  std::vector<sv::CaseItem> items;
  for (std::size_t i = 0; i < table.size(); ++i)
    items.push_back({{sv::lit(k + 1, i)}, {sv::assign(name, sv::slit(c.gate.width, table[i]))}});
  fn.body.push_back(sv::case_("idx", std::move(items), {sv::assign(name, "'0")}));
  return fn;
}

// name(z): act_f(z, in_frac) of docs/numerics.md for z of width in_w.
sv::Function activation(const HwConfig& c, const std::string& name, const std::string& entry,
                        const char* in_w_name, int in_w, int in_frac, const char* shift_name) {
  const int k = c.activation.index_bits;
  const std::int64_t n = std::int64_t{1} << k, half = n / 2;
  const int s = activation_shift(c, in_frac);
  if (s < 0)
    throw std::invalid_argument(fmt::format("emit_package: {}: activation shift {} < 0", name, s));
  const bool pwl = c.activation.kind == ActivationKind::Pwl;
  const int gw = c.gate.width;
  const int tw = std::max(in_w - s, k + 1);  // t = z >>> s, wide enough to compare with N/2
  const Expr z("z"), t("t"), idx("idx"), target(name);
  const Expr shift = sv::ref(shift_name, s);

  sv::Function fn{
      .name = name,
      .ret = sv::slogic(width_ref("GateW", gw)),
      .args = {{"z", sv::slogic(width_ref(in_w_name, in_w))}},
      .locals = {{"t", sv::slogic(tw)}, {"idx", sv::ulogic(index_ref(c))}},
      .comment = fmt::format(
          "{}(z, in_frac) for z of width {} ({} = {}): t = z >>> s, idx = t + N/2,\n"
          "rem = z - (t << s); {}",
          name, in_w_name, shift_name, s,
          pwl ? "pwl: narrow(T[idx] * 2^s + (T[idx+1] - T[idx]) * rem, s, GateW); "
                "idx < 0 -> T[0], idx >= N -> T[N]."
              : "lut: T[clamp(idx, 0, N-1)].")};

  auto entry_at = [&](const Expr& i) { return sv::call(entry, {i}); };
  if (s == 0) {
    fn.body.push_back(sv::assign(t, tw == in_w ? z : sv::cast(tw, z)));
  } else {
    fn.body.push_back(sv::assign(t, sv::cast(tw, sv::ashr(z, shift))));
  }

  Block inside;
  inside.push_back(sv::assign(idx, sv::cast(k + 1, t + sv::slit(tw, half))));
  if (!pwl || s == 0) {
    // lut, or pwl with rem always 0: narrow(T[idx] * 1, 0, GateW) = T[idx].
    inside.push_back(sv::assign(target, entry_at(idx)));
  } else {
    const int iw = gw + s + 3;  // T*2^s: gw+s; (T1-T0)*rem: (gw+1)+(s+1); sum: +1
    const Expr lo("lo"), hi("hi"), rem("rem"), interp("interp");
    fn.locals.push_back({"lo", sv::slogic(width_ref("GateW", gw))});
    fn.locals.push_back({"hi", sv::slogic(width_ref("GateW", gw))});
    fn.locals.push_back({"rem", sv::ulogic(s)});
    fn.locals.push_back({"interp", sv::slogic(iw)});
    inside.push_back(sv::assign(lo, entry_at(idx)));
    inside.push_back(sv::assign(hi, entry_at(idx + sv::lit(k + 1, 1))));
    inside.push_back(sv::assign(rem, sv::slice(z, s - 1, 0)));
    inside.push_back(sv::assign(
        interp, (sv::cast(iw, lo) << shift) +
                    (sv::cast(iw, hi) - sv::cast(iw, lo)) *
                        sv::cast(iw, sv::to_signed(sv::concat({"1'b0", rem})))));
    emit_narrow(fn, inside, interp, iw, shift, gw, c.rounding, target);
  }

  fn.body.push_back(sv::if_(
      t < sv::slit(tw, -half), {sv::assign(target, entry_at(sv::lit(k + 1, 0)))},
      {sv::if_(t > sv::slit(tw, half - 1),
               // the last entry: T[N] for pwl, T[N-1] for lut
               {sv::assign(target, entry_at(sv::cast(k + 1, sv::ref("ActEntries", pwl ? n + 1 : n) - 1)))},
               std::move(inside))}));
  return fn;
}

sv::Param lp(std::string name, Expr value, std::string comment = {}) {
  return {.name = std::move(name), .value = std::move(value), .comment = std::move(comment)};
}

int clog2_at_least_1(std::int64_t v) { return v > 1 ? ceil_log2(v) : 1; }

// `(v > 1) ? $clog2(v) : 1`: address bits of a memory of v words.
Expr clog2_at_least_1(const Expr& v) { return sv::cond(v > 1, sv::clog2(v), 1); }

// Finds an earlier localparam by name and refers to it with its value.
Expr local_ref(const std::vector<sv::Param>& ps, std::string_view name) {
  for (const sv::Param& p : ps)
    if (p.name == name) return sv::ref(p.name, p.value.value().value());
  throw std::logic_error(fmt::format("emit_package: no localparam {}", name));
}

// The buffer layouts, shared by the writer and the readers of each buffer
// (lstm_core, lstm_core_seq, lstm_post) so they cannot disagree.
std::vector<sv::Function> buffer_address_functions(const std::vector<sv::Param>& ps) {
  auto r = [&](std::string_view name) { return local_ref(ps, name); };
  const Expr layer("layer"), parity("parity"), idx("idx"), unit("unit");
  const Expr max_hid = r("MaxHidden"), h_w = r("HAddrW"), x_w = r("XAddrW"), c_w = r("CAddrW");
  sv::Function h{.name = "h_addr",
                 .ret = sv::ulogic(h_w),
                 .args = {{"layer", sv::ulogic(r("LayerW"))},
                          {"parity", sv::ulogic(1)},
                          {"idx", sv::ulogic(r("VecW"))}},
                 .comment = "h buffer word: per layer two halves of MaxHidden, the half is the "
                            "step's parity."};
  h.body.push_back(sv::assign(
      Expr(h.name), sv::cast(h_w, sv::cast(32, layer) * 2 * max_hid +
                                      sv::cond(parity, max_hid, 0)) +
                        sv::cast(h_w, idx)));
  sv::Function x{.name = "x_addr",
                 .ret = sv::ulogic(x_w),
                 .args = {{"parity", sv::ulogic(1)}, {"idx", sv::ulogic(r("VecW"))}},
                 .comment = "x buffer word: two halves of MaxVec, the half is the step's parity."};
  x.body.push_back(sv::assign(
      Expr(x.name), sv::cast(x_w, sv::cond(parity, r("MaxVec"), 0)) + sv::cast(x_w, idx)));
  sv::Function cb{.name = "c_addr",
                  .ret = sv::ulogic(c_w),
                  .args = {{"layer", sv::ulogic(r("LayerW"))}, {"unit", sv::ulogic(r("UnitW"))}},
                  .comment = "c buffer word: a word per layer and unit."};
  cb.body.push_back(sv::assign(
      Expr(cb.name), sv::cast(c_w, sv::cast(32, layer) * max_hid) + sv::cast(c_w, unit)));
  return {h, x, cb};
}

}  // namespace

std::vector<sv::Param> package_localparams(const HwConfig& c) {
  const int k = c.activation.index_bits;
  const bool pwl = c.activation.kind == ActivationKind::Pwl;
  const int groups = (c.limits.max_hidden + c.lanes - 1) / c.lanes;
  // Derived values are written as expressions of the primary ones: the text
  // documents them and every primary name is used somewhere in the package.
  const Expr lanes = sv::ref("Lanes", c.lanes), max_in = sv::ref("MaxInput", c.limits.max_input),
             max_hid = sv::ref("MaxHidden", c.limits.max_hidden),
             max_layers = sv::ref("MaxLayers", c.limits.max_layers),
             groups_max = sv::ref("GroupsMax", groups), acc_f = sv::ref("AccF", c.accum.frac),
             bias_f = sv::ref("BiasF", c.bias.frac), gate_f = sv::ref("GateF", c.gate.frac),
             cell_f = sv::ref("CellF", c.cell.frac), kbits = sv::ref("ActIndexBits", k),
             act_pwl = sv::ref("ActPwl", pwl ? 1 : 0);
  auto valued = [](Expr e, std::int64_t v) { return Expr(e.text(), e.prec(), v); };
  std::vector<sv::Param> ps = {
      lp("Cores", c.cores, "accelerator cores"),
      lp("Lanes", c.lanes, "MAC lanes per core"),
      lp("DataW", c.data.width, "x and h"),
      lp("DataF", c.data.frac),
      lp("WeightW", c.weight.width, "W_ih and W_hh"),
      lp("WeightF", c.weight.frac),
      lp("BiasW", c.bias.width, "b_ih + b_hh"),
      lp("BiasF", c.bias.frac),
      lp("AccW", c.accum.width, "gate pre-activations"),
      c.accum.frac == c.data.frac + c.weight.frac  // always, for a validated config
          ? lp("AccF", sv::ref("DataF", c.data.frac) + sv::ref("WeightF", c.weight.frac),
               fmt::format("= {}", c.accum.frac))
          : lp("AccF", c.accum.frac),
      lp("GateW", c.gate.width, "sigmoid and tanh outputs"),
      lp("GateF", c.gate.frac),
      lp("CellW", c.cell.width, "cell state"),
      lp("CellF", c.cell.frac),
      lp("MaxInput", c.limits.max_input, "largest X of layer 0"),
      lp("MaxHidden", c.limits.max_hidden, "largest H of any layer"),
      lp("MaxLayers", c.limits.max_layers, "layers a core holds"),
      lp("WeightDepth", c.limits.weight_depth, "words per lane-gate weight memory"),
      lp("MaxVec", valued(sv::cond(max_in > max_hid, max_in, max_hid),
                          std::max(c.limits.max_input, c.limits.max_hidden)),
         fmt::format("= {}", std::max(c.limits.max_input, c.limits.max_hidden))),
      lp("GroupsMax", valued(sv::Expr(fmt::format("({}) / {}", (max_hid + lanes - 1).text(),
                                                  lanes.text())),
                             groups),
         fmt::format("= {}, ceil(MaxHidden / Lanes)", groups)),
      lp("BiasDepth", max_layers * groups_max, fmt::format("= {}", c.limits.max_layers * groups)),
      lp("ActIndexBits", k, "activation segments N = 2^ActIndexBits"),
      lp("ActPwl", pwl ? 1 : 0, "1: piecewise linear (N + 1 breakpoints), 0: lookup table"),
      lp("ActEntries", valued((Expr(1) << kbits) + act_pwl, (1 << k) + (pwl ? 1 : 0)),
         fmt::format("= {}", (1 << k) + (pwl ? 1 : 0))),
      lp("ActShiftAcc", activation_shift(c, c.accum.frac), "activation index shift for AccF"),
      lp("ActShiftCell", activation_shift(c, c.cell.frac), "activation index shift for CellF"),
      lp("BiasShift", acc_f - bias_f, fmt::format("= {}", c.accum.frac - c.bias.frac)),
      lp("CellSumF",
         valued(gate_f + sv::cond(cell_f > gate_f, cell_f, gate_f),
                c.gate.frac + std::max(c.cell.frac, c.gate.frac)),
         fmt::format("= {}, GateF + max(CellF, GateF)",
                     c.gate.frac + std::max(c.cell.frac, c.gate.frac))),
  };

  // The host map, entry for entry (spec/host_map.hpp).
  for (const hostmap::Table& t : hostmap::kTables)
    for (const hostmap::Entry& e : t.entries)
      ps.push_back(lp(std::string(e.sv), static_cast<std::int64_t>(e.value), std::string(e.doc)));

  // Sizes and widths the RTL shares, each derived here once.
  auto r = [&](std::string_view name) { return local_ref(ps, name); };
  // name = e. The syntax tree folds most expressions; for those it cannot
  // ($clog2 guards, conditionals) the generator's own value is given, and
  // where both exist they must agree.
  auto add = [&](std::string name, const Expr& e, const std::string& comment,
                 std::optional<std::int64_t> value = {}) {
    if (value && e.value() && *value != *e.value())
      throw std::logic_error(fmt::format("emit_package: {} = {} but the generator computes {}",
                                         name, *e.value(), *value));
    if (!value) value = e.value();
    if (!value) throw std::logic_error("emit_package: " + name + " has no known value");
    ps.push_back(lp(std::move(name), Expr(e.text(), e.prec(), *value),
                    comment.empty() ? fmt::format("= {}", *value)
                                    : fmt::format("= {}, {}", *value, comment)));
  };
  const std::int64_t ml = c.limits.max_layers;
  add("Macs", 4 * r("Lanes"), "MACs per core, slot lane * 4 + gate (i, f, g, o)");
  add("SlotW", sv::clog2(r("Macs")), "slot bits of a memory index", hostmap::slot_bits(c));
  add("WAddrW", clog2_at_least_1(r("WeightDepth")), "", clog2_at_least_1(c.limits.weight_depth));
  add("BAddrW", clog2_at_least_1(r("BiasDepth")), "", clog2_at_least_1(hostmap::bias_depth(c)));
  add("XDepth", 2 * r("MaxVec"), "x buffer: two halves of MaxVec");
  add("XAddrW", sv::clog2(r("XDepth")), "");
  add("HDepth", Expr(2) * r("MaxLayers") * r("MaxHidden"),
      "h buffer: per layer two halves of MaxHidden");
  add("HAddrW", sv::clog2(r("HDepth")), "");
  add("CDepth", r("MaxLayers") * r("MaxHidden"), "c buffer: a word per layer and unit");
  add("CAddrW", clog2_at_least_1(r("CDepth")), "", clog2_at_least_1(ml * c.limits.max_hidden));
  add("LayerW", clog2_at_least_1(r("MaxLayers")), "a local layer index", clog2_at_least_1(ml));
  add("VecW", sv::clog2(r("MaxVec") + 1), "0 .. MaxVec");
  add("UnitW", sv::clog2(r("MaxHidden") + 1), "0 .. MaxHidden");
  add("GroupW", sv::clog2(r("GroupsMax") + 1), "0 .. GroupsMax");
  add("LaneW", clog2_at_least_1(r("Lanes")), "a lane index", clog2_at_least_1(c.lanes));
  add("LaneCntW", sv::clog2(r("Lanes") + 1), "0 .. Lanes");
  add("MetaW", r("LayerW") + 1 + r("UnitW") + r("LaneCntW") + 2,
      "group metadata {layer, parity, first unit, lanes, last group, first step}");
  add("PktW", Expr(1) + r("LayerW") + 1 + r("UnitW") + r("DataW"),
      "h network packet {last, layer, parity, unit, h}");

  // Host decode, derived from the host map.
  add("TargetW", r("AddrW") - r("TargetShift"), "address target bits");
  add("RegionW", r("TargetShift") - r("RegionShift"), "address region bits");
  add("IndexW", r("RegionShift"), "address index bits");
  add("NumRegs", r("RegLayerBase") + r("RegLayerStride") * r("MaxLayers"), "core registers");
  add("RegAddrW", sv::clog2(r("NumRegs")), "");
  add("FieldW", sv::clog2(r("RegLayerStride")), "field bits of a descriptor address");
  add("FlagsW", r(hostmap::last_entry(hostmap::kFlagTable).sv) + 1, "bits of FLAGS");
  add("NumGRegs", r(hostmap::last_entry(hostmap::kGlobalRegTable).sv) + 1,
      "controller registers");
  add("GRegAddrW", sv::clog2(r("NumGRegs")), "");
  add("ModeW", sv::clog2(r(hostmap::last_entry(hostmap::kModeTable).sv) + 1), "bits of MODE");
  return ps;
}

Expr package_ref(const std::vector<sv::Param>& params, std::string_view name) {
  for (const sv::Param& p : params)
    if (p.name == name) {
      if (!p.value.value())
        throw std::logic_error(fmt::format("lstm_pkg::{} has no known value", name));
      return sv::ref("lstm_pkg::" + p.name, *p.value.value());
    }
  throw std::logic_error(fmt::format("lstm_pkg has no localparam {}", name));
}

sv::Package emit_package(const HwConfig& c) {
  sv::Package p{.name = "lstm_pkg",
                .comment = "lstm_pkg: numbers of the config, the host map (spec/host_map.hpp), the\n"
                           "sizes the RTL shares, and the fixed-point rules of docs/numerics.md.\n"
                           "Each function mirrors the C++ function of the same name "
                           "(sim/fixed_point.hpp, sim/activation.hpp)."};
  p.localparams = package_localparams(c);
  p.functions.push_back(bias_to_accum(c));
  p.functions.push_back(narrow_cell(c));
  p.functions.push_back(narrow_hidden(c));
  p.functions.push_back(table_entry(c, ActFunction::Sigmoid, "sigmoid_entry"));
  p.functions.push_back(table_entry(c, ActFunction::Tanh, "tanh_entry"));
  p.functions.push_back(activation(c, "act_sigmoid_acc", "sigmoid_entry", "AccW", c.accum.width,
                                   c.accum.frac, "ActShiftAcc"));
  p.functions.push_back(activation(c, "act_tanh_acc", "tanh_entry", "AccW", c.accum.width,
                                   c.accum.frac, "ActShiftAcc"));
  p.functions.push_back(activation(c, "act_tanh_cell", "tanh_entry", "CellW", c.cell.width,
                                   c.cell.frac, "ActShiftCell"));
  for (sv::Function& f : buffer_address_functions(p.localparams)) p.functions.push_back(std::move(f));
  return p;
}

}  // namespace lstm
