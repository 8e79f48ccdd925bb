// Emitter of lstm_pkg. Every function mirrors docs/numerics.md step by step;
// intermediate widths are computed here so that no step can overflow, and every
// operand is sized explicitly (W'(x), sign passes through) before it meets
// another, so nothing depends on SystemVerilog's context-determined widths.
#include "gen/emit_package.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <stdexcept>

#include "gen/emit_regs.hpp"
#include "gen/memory_table.hpp"
#include "sim/activation.hpp"
#include "spec/host_map.hpp"
#include "spec/lstm_shape.hpp"

namespace lstm {

namespace {

using sv::Block;
using sv::Expr;

// The localparams of lstm_pkg as they are declared, in order. Each declaration
// returns the reference later ones are written with; an earlier one can also
// be found by name (the host map's, whose names come from its tables).
class Localparams {
 public:
  // name = value, with the comment as given.
  Expr add(std::string name, Expr value, std::string comment = {}) {
    if (!value.value()) throw std::logic_error("emit_package: " + name + " has no known value");
    const Expr r = sv::ref(name, *value.value());
    ps_.push_back(
        {.name = std::move(name), .value = std::move(value), .comment = std::move(comment)});
    return r;
  }
  // name = e, commented `= value[, comment]`. The syntax tree folds the value
  // of e; where the generator computes it too (`check`), both must agree.
  Expr derive(std::string name, const Expr& e, const std::string& comment,
              std::optional<std::int64_t> check = {}) {
    if (check && e.value() != check)
      throw std::logic_error(
          fmt::format("emit_package: {} folds to {} but the generator computes {}", name,
                      e.value() ? std::to_string(*e.value()) : "nothing", *check));
    if (!e.value()) throw std::logic_error("emit_package: " + name + " has no known value");
    const std::int64_t v = *e.value();
    return add(std::move(name), e,
               comment.empty() ? fmt::format("= {}", v) : fmt::format("= {}, {}", v, comment));
  }
  // An earlier localparam by name.
  Expr operator[](std::string_view name) const {
    for (const sv::Param& p : ps_)
      if (p.name == name) return sv::ref(p.name, *p.value.value());
    throw std::logic_error(fmt::format("emit_package: no localparam {}", name));
  }
  const std::vector<sv::Param>& params() const { return ps_; }

 private:
  std::vector<sv::Param> ps_;
};

std::int64_t max_of(int width) { return (std::int64_t{1} << (width - 1)) - 1; }
std::int64_t min_of(int width) { return -(std::int64_t{1} << (width - 1)); }

// For a signed variable x of width xw > out_w: x > max_of(out_w) and
// x < min_of(out_w) as bit tests (issue 10, area): x fits out_w bits when
// its bits from out_w - 1 up are all equal, so it is above the range when
// positive with one of them set and below it when negative with one clear.
// Yosys maps a compare with a constant to a carry chain over all of x (22
// LUT4 and 24 SB_CARRY for the two compares of an activation's index); these
// are a few LUT4s each, the same bits.
Expr above_max(const Expr& x, int xw, int out_w) {
  return !sv::index(x, xw - 1) && sv::reduce_or(sv::slice(x, xw - 2, out_w - 1));
}
Expr below_min(const Expr& x, int xw, int out_w) {
  return sv::index(x, xw - 1) && !sv::reduce_and(sv::slice(x, xw - 2, out_w - 1));
}

// Appends `target = saturate(x, out_w)` for a signed variable x of width xw.
void emit_saturate(Block& body, const Expr& x, int xw, int out_w, const Expr& target) {
  if (xw <= out_w) {
    body.push_back(sv::assign(target, xw == out_w ? x : sv::cast(out_w, x)));
    return;
  }
  body.push_back(sv::if_(above_max(x, xw, out_w),
                         {sv::assign(target, sv::slit(out_w, max_of(out_w)))},
                         {sv::if_(below_min(x, xw, out_w),
                                  {sv::assign(target, sv::slit(out_w, min_of(out_w)))},
                                  {sv::assign(target, sv::cast(out_w, x))})}));
}

// Appends `target = 1` when saturate(x, out_w) would clamp x (the flag of a
// `_sat` function), `target = 0` when it cannot.
// When x always fits (xw <= out_w) the comparisons are made one bit wider,
// where they are always false, so the flag still reads x (lint) and the
// function keeps the form of saturate.
void emit_saturates(Block& body, const Expr& x, int xw, int out_w, const Expr& target) {
  // (Compares, not above_max/below_min: a flag function reads x only here,
  // and the bit tests would leave its low bits unread.)
  const int w = std::max(xw, out_w + 1);
  const Expr xx = w == xw ? x : sv::cast(w, x);
  body.push_back(
      sv::assign(target, xx > sv::slit(w, max_of(out_w)) || xx < sv::slit(w, min_of(out_w))));
}

// Appends `shifted = round(v >>> shift)` (shift > 0) and returns the width of
// shifted. Locals: rnd (round to nearest only), shifted.
int emit_round_shift(sv::Function& fn, Block& body, const Expr& v, int in_w,
                     const Expr& shift_e, int shift, Rounding r, Expr& shifted) {
  if (r == Rounding::Nearest) {
    // v + 2^(shift-1) - (v < 0): one extra bit holds the largest sum.
    const int e = std::max(in_w, shift) + 1;
    const std::int64_t half = std::int64_t{1} << (shift - 1);
    const Expr rnd = fn.local("rnd", sv::slogic(e));
    body.push_back(sv::comment(fmt::format(
        "round half away from zero: + 2^{} (- 1 when negative), then >>> {}", shift - 1, shift)));
    body.push_back(sv::assign(
        rnd, sv::cast(e, v) + sv::cond(sv::index(v, in_w - 1), sv::slit(e, half - 1),
                                       sv::slit(e, half))));
    const int ws = e - shift;
    shifted = fn.local("shifted", sv::slogic(ws));
    body.push_back(sv::assign(shifted, sv::cast(ws, sv::ashr(rnd, shift_e))));
    return ws;
  }
  const int ws = std::max(in_w - shift, 1);
  shifted = fn.local("shifted", sv::slogic(ws));
  body.push_back(sv::comment(fmt::format("round toward minus infinity: >>> {}", shift)));
  body.push_back(sv::assign(shifted, sv::cast(ws, sv::ashr(v, shift_e))));
  return ws;
}

// Appends to fn the locals and statements of `target = narrow(v, shift, out_w, r)`
// (docs/numerics.md) for a signed variable v of width in_w. `shift` is written
// with the package's names (so they are used) and must have a known value.
// Locals: rnd, shifted.
// With `flag`, target is instead the narrowing's saturation flag: 1 when
// saturate changes the shifted value (docs/numerics.md, "Saturation events").
void emit_narrow(sv::Function& fn, Block& body, const Expr& v, int in_w, const Expr& shift_e,
                 int out_w, Rounding r, const Expr& target, bool flag = false) {
  if (!shift_e.value()) throw std::logic_error("emit_narrow: shift without a known value");
  const int shift = static_cast<int>(*shift_e.value());
  const auto last = [&](const Expr& x, int xw) {
    if (flag) emit_saturates(body, x, xw, out_w, target);
    else emit_saturate(body, x, xw, out_w, target);
  };
  if (shift > 0) {
    Expr shifted;
    const int ws = emit_round_shift(fn, body, v, in_w, shift_e, shift, r, shifted);
    last(shifted, ws);
  } else if (shift < 0) {
    const int ws = in_w - shift;
    const Expr shifted = fn.local("shifted", sv::slogic(ws));
    body.push_back(sv::assign(shifted, sv::cast(ws, v) << -shift_e));
    last(shifted, ws);
  } else {
    last(v, in_w);
  }
}

sv::Function bias_to_accum(const HwConfig& c, const Localparams& ps) {
  sv::Function fn{.name = "bias_to_accum",
                  .ret = sv::slogic(ps["AccW"]),
                  .comment = "bias (BiasW, BiasF) aligned to the accumulator: "
                             "narrow(b, BiasF - AccF, AccW)."};
  const Expr b = fn.arg("b", sv::slogic(ps["BiasW"]));
  emit_narrow(fn, fn.body, b, c.bias.width, -ps["BiasShift"], c.accum.width, c.rounding,
              fn.result());
  return fn;
}

// The widths of narrow_cell's steps (docs/numerics.md, "One LSTM layer-step").
struct CellSumWidths {
  int a1, a2;  // left shifts of f * c_prev and i * g to CellSumF
  int p1, p2;  // the exact signed products
  int sw;      // their aligned sum, exact
};
CellSumWidths cell_sum_widths(const HwConfig& c) {
  const int gw = c.gate.width, gf = c.gate.frac, cw = c.cell.width, cf = c.cell.frac;
  const int fs = gf + std::max(cf, gf);  // CellSumF
  CellSumWidths w{fs - gf - cf, fs - 2 * gf, gw + cw, 2 * gw, 0};
  w.sw = std::max(w.p1 + w.a1, w.p2 + w.a2) + 1;
  return w;
}

// Appends `sum = (f * c_prev << a1) + (i * g << a2)` with locals fc, ig.
void emit_cell_sum(sv::Function& fn, const CellSumWidths& w, const Expr& i, const Expr& f,
                   const Expr& g, const Expr& c_prev, const Expr& sum) {
  const Expr fc = fn.local("fc", sv::slogic(w.p1)), ig = fn.local("ig", sv::slogic(w.p2));
  auto shl = [](const Expr& x, int k) { return k == 0 ? x : x << Expr(k); };
  fn.body.push_back(sv::assign(fc, sv::cast(w.p1, f) * sv::cast(w.p1, c_prev)));
  fn.body.push_back(sv::assign(ig, sv::cast(w.p2, i) * sv::cast(w.p2, g)));
  fn.body.push_back(sv::assign(sum, shl(sv::cast(w.sw, fc), w.a1) + shl(sv::cast(w.sw, ig), w.a2)));
}

sv::Function narrow_cell(const HwConfig& c, const Localparams& ps) {
  const CellSumWidths w = cell_sum_widths(c);
  sv::Function fn{
      .name = "narrow_cell",
      .ret = sv::slogic(ps["CellW"]),
      .comment = "c_new = narrow((f * c_prev << (CellSumF - GateF - CellF))\n"
                 "               + (i * g << (CellSumF - 2 * GateF)), CellSumF - CellF, CellW)."};
  const Expr i = fn.arg("i", sv::slogic(ps["GateW"])), f = fn.arg("f", sv::slogic(ps["GateW"])),
             g = fn.arg("g", sv::slogic(ps["GateW"])),
             c_prev = fn.arg("c_prev", sv::slogic(ps["CellW"]));
  const Expr sum = fn.local("sum", sv::slogic(w.sw));
  emit_cell_sum(fn, w, i, f, g, c_prev, sum);
  emit_narrow(fn, fn.body, sum, w.sw, ps["CellSumF"] - ps["CellF"], c.cell.width, c.rounding,
              fn.result());
  return fn;
}

// narrow_cell in two steps, for a post unit that registers the sum between
// them: narrow_cell(i, f, g, c_prev) == narrow_cell_sum(cell_sum(i, f, g,
// c_prev)), bit for bit (the same statements, split).
sv::Function cell_sum(const HwConfig& c, const Localparams& ps) {
  const CellSumWidths w = cell_sum_widths(c);
  sv::Function fn{.name = "cell_sum",
                  .ret = sv::slogic(ps["CellSumW"]),
                  .comment = "narrow_cell's exact sum (f * c_prev << (CellSumF - GateF - CellF))\n"
                             "+ (i * g << (CellSumF - 2 * GateF)), in CellSumW bits."};
  const Expr i = fn.arg("i", sv::slogic(ps["GateW"])), f = fn.arg("f", sv::slogic(ps["GateW"])),
             g = fn.arg("g", sv::slogic(ps["GateW"])),
             c_prev = fn.arg("c_prev", sv::slogic(ps["CellW"]));
  emit_cell_sum(fn, w, i, f, g, c_prev, fn.result());
  return fn;
}

sv::Function narrow_cell_sum(const HwConfig& c, const Localparams& ps) {
  const CellSumWidths w = cell_sum_widths(c);
  sv::Function fn{.name = "narrow_cell_sum",
                  .ret = sv::slogic(ps["CellW"]),
                  .comment = "narrow_cell's narrowing of a cell_sum: "
                             "narrow(sum, CellSumF - CellF, CellW)."};
  const Expr sum = fn.arg("sum", sv::slogic(ps["CellSumW"]));
  emit_narrow(fn, fn.body, sum, w.sw, ps["CellSumF"] - ps["CellF"], c.cell.width, c.rounding,
              fn.result());
  return fn;
}

// narrow_cell's saturation flag, on a cell_sum: the golden model's
// Numerics::narrow_cell counts narrow_cell exactly when this is 1.
sv::Function narrow_cell_sum_sat(const HwConfig& c, const Localparams& ps) {
  const CellSumWidths w = cell_sum_widths(c);
  sv::Function fn{.name = "narrow_cell_sum_sat",
                  .ret = sv::ulogic(1),
                  .comment = "1 when narrow_cell_sum(sum) saturates (event narrow_cell)."};
  const Expr sum = fn.arg("sum", sv::slogic(ps["CellSumW"]));
  emit_narrow(fn, fn.body, sum, w.sw, ps["CellSumF"] - ps["CellF"], c.cell.width, c.rounding,
              fn.result(), true);
  return fn;
}

// narrow_hidden in two steps, for a post unit whose output FIFO holds the
// product and narrows it on the way out: narrow_hidden(o, tanh_c) ==
// narrow_hidden_prod(hidden_prod(o, tanh_c)), bit for bit (the same
// statements, split).
sv::Function hidden_prod(const HwConfig& c, const Localparams& ps) {
  const int p = 2 * c.gate.width;
  sv::Function fn{.name = "hidden_prod",
                  .ret = sv::slogic(ps["HidProdW"]),
                  .comment = "narrow_hidden's exact product o * tanh_c, in HidProdW bits."};
  const Expr o = fn.arg("o", sv::slogic(ps["GateW"]));
  const Expr tanh_c = fn.arg("tanh_c", sv::slogic(ps["GateW"]));
  fn.body.push_back(sv::assign(fn.result(), sv::cast(p, o) * sv::cast(p, tanh_c)));
  return fn;
}

sv::Function narrow_hidden_prod(const HwConfig& c, const Localparams& ps) {
  const int p = 2 * c.gate.width;
  sv::Function fn{.name = "narrow_hidden_prod",
                  .ret = sv::slogic(ps["DataW"]),
                  .comment = "narrow_hidden's narrowing of a hidden_prod: "
                             "narrow(prod, 2 * GateF - DataF, DataW)."};
  const Expr prod = fn.arg("prod", sv::slogic(ps["HidProdW"]));
  emit_narrow(fn, fn.body, prod, p, Expr(2) * ps["GateF"] - ps["DataF"], c.data.width,
              c.rounding, fn.result());
  return fn;
}

// narrow_hidden's saturation flag, on a hidden_prod: the golden model's
// Numerics::narrow_hidden counts narrow_hidden exactly when this is 1.
sv::Function narrow_hidden_prod_sat(const HwConfig& c, const Localparams& ps) {
  const int p = 2 * c.gate.width;
  sv::Function fn{.name = "narrow_hidden_prod_sat",
                  .ret = sv::ulogic(1),
                  .comment = "1 when narrow_hidden_prod(prod) saturates (event narrow_hidden)."};
  const Expr prod = fn.arg("prod", sv::slogic(ps["HidProdW"]));
  emit_narrow(fn, fn.body, prod, p, Expr(2) * ps["GateF"] - ps["DataF"], c.data.width,
              c.rounding, fn.result(), true);
  return fn;
}

sv::Function narrow_hidden(const HwConfig& c, const Localparams& ps) {
  const int p = 2 * c.gate.width;
  sv::Function fn{.name = "narrow_hidden",
                  .ret = sv::slogic(ps["DataW"]),
                  .comment = "h_new = narrow(o * tanh_c, 2 * GateF - DataF, DataW)."};
  const Expr o = fn.arg("o", sv::slogic(ps["GateW"]));
  const Expr tanh_c = fn.arg("tanh_c", sv::slogic(ps["GateW"]));
  const Expr prod = fn.local("prod", sv::slogic(p));
  fn.body.push_back(sv::assign(prod, sv::cast(p, o) * sv::cast(p, tanh_c)));
  emit_narrow(fn, fn.body, prod, p, Expr(2) * ps["GateF"] - ps["DataF"], c.data.width,
              c.rounding, fn.result());
  return fn;
}

// ---------------------------------------------------------------- GRU
// docs/numerics.md, "One GRU layer-step". The post unit runs narrow_reset in
// its two steps (reset_prod, then narrow_reset_prod, a stage apart) and
// narrow_gru_hidden in three (its products gru_keep_prod and gru_new_prod,
// their sum gru_hidden_sum_prods, narrowed by narrow_gru_hidden_sum, each a
// stage apart), like narrow_cell and narrow_hidden; the one-step functions
// are the golden model's, for tests.

sv::Function reset_prod(const HwConfig& c, const Localparams& ps) {
  const int p = c.gate.width + c.accum.width;
  sv::Function fn{.name = "reset_prod",
                  .ret = sv::slogic(ps["ResetProdW"]),
                  .comment = "narrow_reset's exact product r * a_nh, in ResetProdW bits."};
  const Expr r = fn.arg("r", sv::slogic(ps["GateW"]));
  const Expr a_nh = fn.arg("a_nh", sv::slogic(ps["AccW"]));
  fn.body.push_back(sv::assign(fn.result(), sv::cast(p, r) * sv::cast(p, a_nh)));
  return fn;
}

sv::Function narrow_reset_prod(const HwConfig& c, const Localparams& ps) {
  sv::Function fn{.name = "narrow_reset_prod",
                  .ret = sv::slogic(ps["AccW"]),
                  .comment = "narrow_reset's narrowing of a reset_prod: narrow(prod, GateF, AccW)."};
  const Expr prod = fn.arg("prod", sv::slogic(ps["ResetProdW"]));
  emit_narrow(fn, fn.body, prod, c.gate.width + c.accum.width, ps["GateF"], c.accum.width,
              c.rounding, fn.result());
  return fn;
}

sv::Function narrow_reset(const HwConfig& c, const Localparams& ps) {
  const int p = c.gate.width + c.accum.width;
  sv::Function fn{.name = "narrow_reset",
                  .ret = sv::slogic(ps["AccW"]),
                  .comment = "rn = narrow(r * a_nh, GateF, AccW)."};
  const Expr r = fn.arg("r", sv::slogic(ps["GateW"]));
  const Expr a_nh = fn.arg("a_nh", sv::slogic(ps["AccW"]));
  const Expr prod = fn.local("prod", sv::slogic(p));
  fn.body.push_back(sv::assign(prod, sv::cast(p, r) * sv::cast(p, a_nh)));
  emit_narrow(fn, fn.body, prod, p, ps["GateF"], c.accum.width, c.rounding, fn.result());
  return fn;
}

// narrow_candidate (flag: its saturation flag, event narrow_candidate).
sv::Function narrow_candidate(const HwConfig& c, const Localparams& ps, bool flag) {
  const int w = c.accum.width + 1;
  sv::Function fn{.name = flag ? "narrow_candidate_sat" : "narrow_candidate",
                  .ret = flag ? sv::ulogic(1) : sv::slogic(ps["AccW"]),
                  .comment = flag ? "1 when narrow_candidate(a_nx, rn) saturates "
                                    "(event narrow_candidate)."
                                  : "a_n = narrow(a_nx + rn, 0, AccW)."};
  const Expr a_nx = fn.arg("a_nx", sv::slogic(ps["AccW"]));
  const Expr rn = fn.arg("rn", sv::slogic(ps["AccW"]));
  const Expr sum = fn.local("sum", sv::slogic(w));
  fn.body.push_back(sv::assign(sum, sv::cast(w, a_nx) + sv::cast(w, rn)));
  emit_narrow(fn, fn.body, sum, w, Expr(0), c.accum.width, c.rounding, fn.result(), flag);
  return fn;
}

// The widths of narrow_gru_hidden's steps.
struct GruSumWidths {
  int a1, a2;  // left shifts of (1 - z) * n and z * h_prev to GruSumF
  int p1, p2;  // the exact signed products ((1 - z) takes GateW + 1 bits)
  int sw;      // their aligned sum, exact
};
GruSumWidths gru_sum_widths(const HwConfig& c) {
  const int gw = c.gate.width, gf = c.gate.frac, dw = c.data.width, df = c.data.frac;
  const int fs = gf + std::max(df, gf);  // GruSumF
  GruSumWidths w{fs - 2 * gf, fs - gf - df, 2 * gw + 1, gw + dw, 0};
  w.sw = std::max(w.p1 + w.a1, w.p2 + w.a2) + 1;
  return w;
}

// Appends `dest = (2^GateF - z) * n` (exact, w.p1 bits) with local omz.
void emit_gru_new_prod(sv::Function& fn, const HwConfig& c, const GruSumWidths& w, const Expr& z,
                       const Expr& n, const Expr& dest) {
  const int ow = c.gate.width + 1;
  const Expr omz = fn.local("omz", sv::slogic(ow));
  fn.body.push_back(sv::assign(omz, sv::slit(ow, std::int64_t{1} << c.gate.frac) - sv::cast(ow, z)));
  fn.body.push_back(sv::assign(dest, sv::cast(w.p1, omz) * sv::cast(w.p1, n)));
}

// Appends `sum = (zn << a1) + (zh << a2)`: the two products, aligned and added.
void emit_gru_sum_prods(sv::Function& fn, const GruSumWidths& w, const Expr& zn, const Expr& zh,
                        const Expr& sum) {
  auto shl = [](const Expr& x, int k) { return k == 0 ? x : x << Expr(k); };
  fn.body.push_back(sv::assign(sum, shl(sv::cast(w.sw, zn), w.a1) + shl(sv::cast(w.sw, zh), w.a2)));
}

// Appends `sum = ((2^GateF - z) * n << a1) + (z * h_prev << a2)` with locals zh, zn, omz.
void emit_gru_sum(sv::Function& fn, const HwConfig& c, const GruSumWidths& w, const Expr& z,
                  const Expr& n, const Expr& h_prev, const Expr& sum) {
  const Expr zh = fn.local("zh", sv::slogic(w.p2));
  fn.body.push_back(sv::assign(zh, sv::cast(w.p2, z) * sv::cast(w.p2, h_prev)));
  const Expr zn = fn.local("zn", sv::slogic(w.p1));
  emit_gru_new_prod(fn, c, w, z, n, zn);
  emit_gru_sum_prods(fn, w, zn, zh, sum);
}

// gru_hidden_sum's first product on its own (issue 10: the two products and
// their sum in one stage were 14 LUT4 levels on configs/small.json):
// gru_keep_prod(z, h_prev) = z * h_prev, in the stage before the other
// product (below).
sv::Function gru_keep_prod(const HwConfig& c, const Localparams& ps) {
  const GruSumWidths w = gru_sum_widths(c);
  sv::Function fn{.name = "gru_keep_prod",
                  .ret = sv::slogic(ps["GruKeepW"]),
                  .comment = "gru_hidden_sum's exact product z * h_prev, in GruKeepW bits."};
  const Expr z = fn.arg("z", sv::slogic(ps["GateW"]));
  const Expr h_prev = fn.arg("h_prev", sv::slogic(ps["DataW"]));
  fn.body.push_back(sv::assign(fn.result(), sv::cast(w.p2, z) * sv::cast(w.p2, h_prev)));
  return fn;
}

// The two products and their sum also a post stage apart (issue 10: the
// product (2^GateF - z) * n and the add in one stage were 13 LUT4 levels into
// the post FIFO): gru_new_prod(z, n) = (2^GateF - z) * n, then
// gru_hidden_sum_prods(zn, zh) = gru_hidden_sum(z, n, h_prev) for
// zh = gru_keep_prod(z, h_prev), bit for bit.
sv::Function gru_new_prod(const HwConfig& c, const Localparams& ps) {
  const GruSumWidths w = gru_sum_widths(c);
  sv::Function fn{.name = "gru_new_prod",
                  .ret = sv::slogic(ps["GruNewW"]),
                  .comment = "gru_hidden_sum's exact product (2^GateF - z) * n, in GruNewW bits."};
  const Expr z = fn.arg("z", sv::slogic(ps["GateW"])), n = fn.arg("n", sv::slogic(ps["GateW"]));
  emit_gru_new_prod(fn, c, w, z, n, fn.result());
  return fn;
}

sv::Function gru_hidden_sum_prods(const HwConfig& c, const Localparams& ps) {
  const GruSumWidths w = gru_sum_widths(c);
  sv::Function fn{.name = "gru_hidden_sum_prods",
                  .ret = sv::slogic(ps["GruSumW"]),
                  .comment = "gru_hidden_sum(z, n, h_prev) from zn = gru_new_prod(z, n) and\n"
                             "zh = gru_keep_prod(z, h_prev)."};
  const Expr zn = fn.arg("zn", sv::slogic(ps["GruNewW"])),
             zh = fn.arg("zh", sv::slogic(ps["GruKeepW"]));
  emit_gru_sum_prods(fn, w, zn, zh, fn.result());
  return fn;
}

sv::Function gru_hidden_sum(const HwConfig& c, const Localparams& ps) {
  const GruSumWidths w = gru_sum_widths(c);
  sv::Function fn{.name = "gru_hidden_sum",
                  .ret = sv::slogic(ps["GruSumW"]),
                  .comment = "narrow_gru_hidden's exact sum ((2^GateF - z) * n << (GruSumF - 2 * "
                             "GateF))\n+ (z * h_prev << (GruSumF - GateF - DataF)), in GruSumW bits."};
  const Expr z = fn.arg("z", sv::slogic(ps["GateW"])), n = fn.arg("n", sv::slogic(ps["GateW"])),
             h_prev = fn.arg("h_prev", sv::slogic(ps["DataW"]));
  emit_gru_sum(fn, c, w, z, n, h_prev, fn.result());
  return fn;
}

// narrow_gru_hidden_sum (flag: its saturation flag, event narrow_gru_hidden).
sv::Function narrow_gru_hidden_sum(const HwConfig& c, const Localparams& ps, bool flag) {
  const GruSumWidths w = gru_sum_widths(c);
  sv::Function fn{.name = flag ? "narrow_gru_hidden_sum_sat" : "narrow_gru_hidden_sum",
                  .ret = flag ? sv::ulogic(1) : sv::slogic(ps["DataW"]),
                  .comment = flag ? "1 when narrow_gru_hidden_sum(sum) saturates "
                                    "(event narrow_gru_hidden)."
                                  : "narrow_gru_hidden's narrowing of a gru_hidden_sum: "
                                    "narrow(sum, GruSumF - DataF, DataW)."};
  const Expr sum = fn.arg("sum", sv::slogic(ps["GruSumW"]));
  emit_narrow(fn, fn.body, sum, w.sw, ps["GruSumF"] - ps["DataF"], c.data.width, c.rounding,
              fn.result(), flag);
  return fn;
}

sv::Function narrow_gru_hidden(const HwConfig& c, const Localparams& ps) {
  const GruSumWidths w = gru_sum_widths(c);
  sv::Function fn{.name = "narrow_gru_hidden",
                  .ret = sv::slogic(ps["DataW"]),
                  .comment = "h_new = narrow(((2^GateF - z) * n << (GruSumF - 2 * GateF))\n"
                             "               + (z * h_prev << (GruSumF - GateF - DataF)), "
                             "GruSumF - DataF, DataW)."};
  const Expr z = fn.arg("z", sv::slogic(ps["GateW"])), n = fn.arg("n", sv::slogic(ps["GateW"])),
             h_prev = fn.arg("h_prev", sv::slogic(ps["DataW"]));
  const Expr sum = fn.local("sum", sv::slogic(w.sw));
  emit_gru_sum(fn, c, w, z, n, h_prev, sum);
  emit_narrow(fn, fn.body, sum, w.sw, ps["GruSumF"] - ps["DataF"], c.data.width, c.rounding,
              fn.result());
  return fn;
}

// Type of an activation table index: ActIndexBits + 1 bits.
sv::DataType index_type(const Localparams& ps) { return sv::ulogic(ps["ActIndexBits"] + 1); }

// name(idx): entry idx of the table (lstm::activation_table), 0 past its end.
sv::Function table_entry(const HwConfig& c, const Localparams& ps, ActFunction f,
                         const std::string& name) {
  const std::vector<std::int64_t> table = activation_table(c, f);
  const int k = c.activation.index_bits;
  sv::Function fn{.name = name,
                  .ret = sv::slogic(ps["GateW"]),
                  .comment = fmt::format("{} table of lstm::activation_table ({} entries, "
                                         "GateW/GateF); 0 past the end.",
                                         f == ActFunction::Sigmoid ? "Sigmoid" : "Tanh",
                                         table.size())};
  const Expr idx = fn.arg("idx", index_type(ps));
  std::vector<sv::CaseItem> items;
  for (std::size_t i = 0; i < table.size(); ++i)
    items.push_back(
        {{sv::lit(k + 1, i)}, {sv::assign(fn.result(), sv::slit(c.gate.width, table[i]))}});
  fn.body.push_back(sv::case_(idx, std::move(items), {sv::assign(fn.result(), sv::zeros())}));
  return fn;
}

// What an activation function is made of: its input and the names it uses.
struct ActivationSpec {
  std::string name;
  const sv::Function& entry;  // the table: sigmoid_entry or tanh_entry
  const char* in_w_name;      // AccW or CellW
  int in_w, in_frac;
  const char* shift_name;     // ActShiftAcc or ActShiftCell
};

// Inside the table's range, pwl: target = narrow(T[idx] * 2^s + (T[idx+1] -
// T[idx]) * rem, s, GateW) with rem = z[s-1:0]. Locals: lo, hi, rem, interp.
void emit_interpolate(const HwConfig& c, const Localparams& ps, sv::Function& fn, Block& inside,
                      const ActivationSpec& a, const Expr& z, const Expr& idx, int s) {
  const int k = c.activation.index_bits, gw = c.gate.width;
  const int iw = gw + s + 3;  // T*2^s: gw+s; (T1-T0)*rem: (gw+1)+(s+1); sum: +1
  const Expr shift = ps[a.shift_name];
  const Expr lo = fn.local("lo", sv::slogic(ps["GateW"]));
  const Expr hi = fn.local("hi", sv::slogic(ps["GateW"]));
  const Expr rem = fn.local("rem", sv::ulogic(s));
  const Expr interp = fn.local("interp", sv::slogic(iw));
  inside.push_back(sv::assign(lo, sv::call(a.entry, {idx})));
  inside.push_back(sv::assign(hi, sv::call(a.entry, {idx + sv::lit(k + 1, 1)})));
  inside.push_back(sv::assign(rem, sv::slice(z, s - 1, 0)));
  inside.push_back(sv::assign(
      interp, (sv::cast(iw, lo) << shift) +
                  (sv::cast(iw, hi) - sv::cast(iw, lo)) *
                      sv::cast(iw, sv::to_signed(sv::concat({sv::bit(false), rem})))));
  emit_narrow(fn, inside, interp, iw, shift, gw, c.rounding, fn.result());
}

// name(z): act_f(z, in_frac) of docs/numerics.md for z of width in_w.
sv::Function activation(const HwConfig& c, const Localparams& ps, const ActivationSpec& a) {
  const int k = c.activation.index_bits;
  const std::int64_t n = std::int64_t{1} << k, half = n / 2;
  const int s = activation_shift(c, a.in_frac);
  if (s < 0)
    throw std::invalid_argument(fmt::format("emit_package: {}: activation shift {} < 0", a.name, s));
  const bool pwl = c.activation.kind == ActivationKind::Pwl;
  const int tw = std::max(a.in_w - s, k + 1);  // t = z >>> s, wide enough to compare with N/2
  sv::Function fn{
      .name = a.name,
      .ret = sv::slogic(ps["GateW"]),
      .comment = fmt::format(
          "{}(z, in_frac) for z of width {} ({} = {}): t = z >>> s, idx = t + N/2,\n"
          "rem = z - (t << s); {}",
          a.name, a.in_w_name, a.shift_name, s,
          pwl ? "pwl: narrow(T[idx] * 2^s + (T[idx+1] - T[idx]) * rem, s, GateW); "
                "idx < 0 -> T[0], idx >= N -> T[N]."
              : "lut: T[clamp(idx, 0, N-1)].")};
  const Expr z = fn.arg("z", sv::slogic(ps[a.in_w_name]));
  const Expr t = fn.local("t", sv::slogic(tw)), idx = fn.local("idx", index_type(ps));
  auto entry_at = [&](const Expr& i) { return sv::call(a.entry, {i}); };
  fn.body.push_back(sv::assign(t, s == 0 ? (tw == a.in_w ? z : sv::cast(tw, z))
                                         : sv::cast(tw, sv::ashr(z, ps[a.shift_name]))));
  Block inside;
  inside.push_back(sv::assign(idx, sv::cast(k + 1, t + sv::slit(tw, half))));
  if (!pwl || s == 0) {
    // lut, or pwl with rem always 0: narrow(T[idx] * 1, 0, GateW) = T[idx].
    inside.push_back(sv::assign(fn.result(), entry_at(idx)));
  } else {
    emit_interpolate(c, ps, fn, inside, a, z, idx, s);
  }
  // t < -N/2 and t > N/2 - 1: t outside k bits (tw > k).
  fn.body.push_back(sv::if_(
      below_min(t, tw, k), {sv::assign(fn.result(), entry_at(sv::lit(k + 1, 0)))},
      {sv::if_(above_max(t, tw, k),
               // the last entry: T[N] for pwl, T[N-1] for lut
               {sv::assign(fn.result(), entry_at(sv::cast(k + 1, ps["ActEntries"] - 1)))},
               std::move(inside))}));
  return fn;
}

// name(idx): T[idx+1] - T[idx] of the pwl table (lstm::activation_table),
// 0 past its last segment: the slope act_*_read hands to act_*_mul.
sv::Function slope_entry(const HwConfig& c, const Localparams& ps, ActFunction f,
                         const std::string& name) {
  const std::vector<std::int64_t> table = activation_table(c, f);
  const int k = c.activation.index_bits;
  sv::Function fn{.name = name,
                  .ret = sv::slogic(ps["GateW"] + 1),
                  .comment = fmt::format("{} slopes T[idx+1] - T[idx] of lstm::activation_table "
                                         "({} segments, GateW + 1 bits); 0 past the end.",
                                         f == ActFunction::Sigmoid ? "Sigmoid" : "Tanh",
                                         table.size() - 1)};
  const Expr idx = fn.arg("idx", index_type(ps));
  std::vector<sv::CaseItem> items;
  for (std::size_t i = 0; i + 1 < table.size(); ++i)
    items.push_back({{sv::lit(k + 1, i)},
                     {sv::assign(fn.result(), sv::slit(c.gate.width + 1, table[i + 1] - table[i]))}});
  fn.body.push_back(sv::case_(idx, std::move(items), {sv::assign(fn.result(), sv::zeros())}));
  return fn;
}

// The names of one kind of activation input (Acc or Cell) in the three steps.
struct ActStepNames {
  std::string read_w, rem_w, prod_w, mul_w, shift;
};
ActStepNames step_names(const std::string& kind) {
  return {"ActRead" + kind + "W", "ActRem" + kind + "W", "ActProd" + kind + "W",
          "ActMul" + kind + "W", "ActShift" + kind};
}

// name_read(z), the first of the three steps of name(z) (Activation::read):
// {lo, slope, rem} with lo = T[idx], slope = T[idx+1] - T[idx] and rem = z's
// bits below the index inside the table's range (pwl); lo = T[0] or the last
// entry and slope = rem = 0 beyond it, and with lut (slope = rem = 0: lo is
// the result). The index and both table reads, no arithmetic.
sv::Function activation_read(const HwConfig& c, const Localparams& ps, const ActivationSpec& a,
                             const sv::Function* slope, const std::string& kind) {
  const int k = c.activation.index_bits;
  const std::int64_t half = (std::int64_t{1} << k) / 2;
  const int s = activation_shift(c, a.in_frac);
  const bool interp = c.activation.kind == ActivationKind::Pwl && s > 0;
  const int tw = std::max(a.in_w - s, k + 1);
  const ActStepNames n = step_names(kind);
  sv::Function fn{.name = a.name + "_read",
                  .ret = sv::ulogic(ps[n.read_w]),
                  .comment = fmt::format(
                      "{}'s first step: {{lo, slope, rem}} ({} bits); lo = T[idx], slope = "
                      "T[idx+1] - T[idx],\nrem = z[s-1:0] in the range (pwl); lo = T[0] or the "
                      "last entry, slope = rem = 0 beyond it (and for lut).",
                      a.name, n.read_w)};
  const Expr z = fn.arg("z", sv::slogic(ps[a.in_w_name]));
  const Expr t = fn.local("t", sv::slogic(tw)), idx = fn.local("idx", index_type(ps));
  const Expr lo = fn.local("lo", sv::slogic(ps["GateW"]));
  const Expr sl = fn.local("slope", sv::slogic(ps["GateW"] + 1));
  const Expr rem = fn.local("rem", sv::ulogic(ps[n.rem_w]));
  auto entry_at = [&](const Expr& i) { return sv::call(a.entry, {i}); };
  fn.body.push_back(sv::assign(t, s == 0 ? (tw == a.in_w ? z : sv::cast(tw, z))
                                         : sv::cast(tw, sv::ashr(z, ps[a.shift_name]))));
  fn.body.push_back(sv::assign(idx, sv::cast(k + 1, t + sv::slit(tw, half))));
  fn.body.push_back(sv::assign(sl, sv::zeros()));
  fn.body.push_back(sv::assign(rem, sv::zeros()));
  Block inside;
  inside.push_back(sv::assign(lo, entry_at(idx)));
  if (interp) {
    inside.push_back(sv::assign(sl, sv::call(*slope, {idx})));
    inside.push_back(sv::assign(rem, sv::slice(z, s - 1, 0)));
  }
  fn.body.push_back(sv::if_(
      t < sv::slit(tw, -half), {sv::assign(lo, entry_at(sv::lit(k + 1, 0)))},
      {sv::if_(t > sv::slit(tw, half - 1),
               {sv::assign(lo, entry_at(sv::cast(k + 1, ps["ActEntries"] - 1)))},
               std::move(inside))}));
  fn.body.push_back(sv::assign(fn.result(), sv::concat({lo, sl, rem})));
  return fn;
}

// act_<kind>_mul(rd), the second step (Activation::mul): {lo, slope * rem}.
sv::Function activation_mul(const HwConfig& c, const Localparams& ps, const std::string& kind) {
  const ActStepNames n = step_names(kind);
  const int gw = c.gate.width;
  const int rw = static_cast<int>(*ps[n.rem_w].value());
  const int read_w = 2 * gw + 1 + rw, pw = gw + rw + 2;
  std::string lower = kind;
  lower[0] = static_cast<char>(std::tolower(lower[0]));
  sv::Function fn{.name = "act_" + lower + "_mul",
                  .ret = sv::ulogic(ps[n.mul_w]),
                  .comment = fmt::format("The activations' second step for {} inputs: {{lo, slope * "
                                         "rem}} ({} bits) of an act_*_read word.",
                                         kind == "Acc" ? "AccW" : "CellW", n.mul_w)};
  const Expr rd = fn.arg("rd", sv::ulogic(ps[n.read_w]));
  const Expr lo = fn.local("lo", sv::slogic(ps["GateW"]));
  const Expr sl = fn.local("slope", sv::slogic(ps["GateW"] + 1));
  const Expr rem = fn.local("rem", sv::ulogic(ps[n.rem_w]));
  const Expr prod = fn.local("prod", sv::slogic(ps[n.prod_w]));
  fn.body.push_back(sv::assign(lo, sv::slice(rd, read_w - 1, read_w - gw)));
  fn.body.push_back(sv::assign(sl, sv::slice(rd, rw + gw, rw)));
  fn.body.push_back(sv::assign(rem, sv::slice(rd, rw - 1, 0)));
  fn.body.push_back(sv::assign(
      prod, sv::cast(pw, sl) * sv::cast(pw, sv::to_signed(sv::concat({sv::bit(false), rem})))));
  fn.body.push_back(sv::assign(fn.result(), sv::concat({lo, prod})));
  return fn;
}

// act_<kind>_fin(m), the last step (Activation::fin):
// narrow(lo * 2^s + slope * rem, s, GateW), which is the activation.
sv::Function activation_fin(const HwConfig& c, const Localparams& ps, const std::string& kind,
                            int in_frac) {
  const ActStepNames n = step_names(kind);
  const int gw = c.gate.width, s = activation_shift(c, in_frac);
  const int rw = static_cast<int>(*ps[n.rem_w].value());
  const int pw = gw + rw + 2, mul_w = gw + pw;
  const int iw = gw + s + 3;  // as emit_interpolate's interp
  std::string lower = kind;
  lower[0] = static_cast<char>(std::tolower(lower[0]));
  sv::Function fn{.name = "act_" + lower + "_fin",
                  .ret = sv::slogic(ps["GateW"]),
                  .comment = fmt::format("The activations' last step for {} inputs: narrow(lo * "
                                         "2^s + slope * rem, s, GateW) of an act_{}_mul word.",
                                         kind == "Acc" ? "AccW" : "CellW", lower)};
  const Expr m = fn.arg("m", sv::ulogic(ps[n.mul_w]));
  const Expr lo = fn.local("lo", sv::slogic(ps["GateW"]));
  const Expr prod = fn.local("prod", sv::slogic(ps[n.prod_w]));
  const Expr interp = fn.local("interp", sv::slogic(iw));
  const Expr shift = ps[n.shift];
  fn.body.push_back(sv::assign(lo, sv::slice(m, mul_w - 1, mul_w - gw)));
  fn.body.push_back(sv::assign(prod, sv::slice(m, pw - 1, 0)));
  fn.body.push_back(sv::assign(interp, (sv::cast(iw, lo) << shift) + sv::cast(iw, prod)));
  emit_narrow(fn, fn.body, interp, iw, shift, gw, c.rounding, fn.result());
  return fn;
}

// name_sat(z): 1 when act_f(z) takes a table end because z is beyond the
// table's range (t < -N/2 or t > N/2 - 1: the branches of `activation`), the
// event the golden model's GateActivations::name counts.
sv::Function activation_sat(const HwConfig& c, const Localparams& ps, const ActivationSpec& a) {
  const int k = c.activation.index_bits;
  const int s = activation_shift(c, a.in_frac);
  const int tw = std::max(a.in_w - s, k + 1);
  sv::Function fn{.name = a.name + "_sat",
                  .ret = sv::ulogic(1),
                  .comment = fmt::format("1 when {}(z) is beyond the table range: t = z >>> {} "
                                         "< -N/2 or > N/2 - 1 (event {}).",
                                         a.name, a.shift_name, a.name)};
  const Expr z = fn.arg("z", sv::slogic(ps[a.in_w_name]));
  const Expr t = fn.local("t", sv::slogic(tw));
  fn.body.push_back(sv::assign(t, s == 0 ? (tw == a.in_w ? z : sv::cast(tw, z))
                                         : sv::cast(tw, sv::ashr(z, ps[a.shift_name]))));
  const std::int64_t half = (std::int64_t{1} << k) / 2;
  // (Compares: the bit tests of `activation` would leave t's low bits unread here.)
  fn.body.push_back(
      sv::assign(fn.result(), t < sv::slit(tw, -half) || t > sv::slit(tw, half - 1)));
  return fn;
}

int clog2_at_least_1(std::int64_t v) { return v > 1 ? ceil_log2(v) : 1; }

// `(v > 1) ? $clog2(v) : 1`: address bits of a memory of v words.
Expr clog2_at_least_1(const Expr& v) { return sv::cond(v > 1, sv::clog2(v), 1); }

// The buffer layouts, shared by the writer and the readers of each buffer
// (lstm_core, lstm_core_seq, lstm_post) so they cannot disagree.
sv::Function h_addr(const Localparams& ps) {
  const Expr max_hid = ps["MaxHidden"], h_w = ps["HAddrW"];
  sv::Function h{.name = "h_addr",
                 .ret = sv::ulogic(h_w),
                 .comment = "h buffer word: per layer two halves of MaxHidden, the half is the "
                            "step's parity."};
  const Expr layer = h.arg("layer", sv::ulogic(ps["LayerW"]));
  const Expr parity = h.arg("parity", sv::ulogic(1));
  const Expr idx = h.arg("idx", sv::ulogic(ps["VecW"]));
  h.body.push_back(sv::assign(
      h.result(),
      sv::cast(h_w, sv::cast(32, layer) * 2 * max_hid + sv::cond(parity, max_hid, 0)) +
          sv::cast(h_w, idx)));
  return h;
}

sv::Function x_addr(const Localparams& ps) {
  const Expr x_w = ps["XAddrW"];
  sv::Function x{.name = "x_addr",
                 .ret = sv::ulogic(x_w),
                 .comment = "x buffer word: two halves of MaxVec, the half is the step's parity."};
  const Expr parity = x.arg("parity", sv::ulogic(1));
  const Expr idx = x.arg("idx", sv::ulogic(ps["VecW"]));
  x.body.push_back(sv::assign(
      x.result(), sv::cast(x_w, sv::cond(parity, ps["MaxVec"], 0)) + sv::cast(x_w, idx)));
  return x;
}

sv::Function c_addr(const Localparams& ps) {
  const Expr c_w = ps["CAddrW"];
  sv::Function cb{.name = "c_addr",
                  .ret = sv::ulogic(c_w),
                  .comment = "c buffer word: a word per layer and unit."};
  const Expr layer = cb.arg("layer", sv::ulogic(ps["LayerW"]));
  const Expr unit = cb.arg("unit", sv::ulogic(ps["UnitW"]));
  cb.body.push_back(sv::assign(
      // Summed at 32 bits, then narrowed: with one layer and a power-of-two MaxHidden,
      // CAddrW is one bit narrower than UnitW (which counts to MaxHidden inclusive).
      cb.result(), sv::cast(c_w, sv::cast(32, layer) * ps["MaxHidden"] + sv::cast(32, unit))));
  return cb;
}

// ---------------------------------------------------------------- localparams

// The config's formats, with AccF written as DataF + WeightF when it is.
void add_formats(Localparams& ps, const HwConfig& c) {
  const Expr data_w = ps.add("DataW", c.data.width, "x and h");
  ps.derive("AxisDataW", (data_w + 7) / 8 * 8,
            "AXI4-Stream TDATA of x and h: DataW in whole bytes, sign-extended",
            (c.data.width + 7) / 8 * 8);
  const Expr data_f = ps.add("DataF", c.data.frac);
  ps.add("WeightW", c.weight.width, "W_ih and W_hh");
  const Expr weight_f = ps.add("WeightF", c.weight.frac);
  ps.add("BiasW", c.bias.width, "b_ih + b_hh");
  ps.add("BiasF", c.bias.frac);
  ps.add("AccW", c.accum.width, "gate pre-activations");
  if (c.accum.frac == c.data.frac + c.weight.frac)  // always, for a validated config
    ps.derive("AccF", data_f + weight_f, "");
  else
    ps.add("AccF", c.accum.frac);
  ps.add("GateW", c.gate.width, "sigmoid and tanh outputs");
  ps.add("GateF", c.gate.frac);
  ps.add("CellW", c.cell.width, "cell state");
  ps.add("CellF", c.cell.frac);
}

// The config's limits and activation, and what follows from them directly.
void add_limits(Localparams& ps, const HwConfig& c) {
  const Expr max_in = ps.add("MaxInput", c.limits.max_input, "largest X of layer 0");
  const Expr max_hid = ps.add("MaxHidden", c.limits.max_hidden, "largest H of any layer");
  const Expr max_layers = ps.add("MaxLayers", c.limits.max_layers, "layers a core holds");
  ps.add("WeightDepth", c.limits.weight_depth, "words per lane-gate weight memory");
  // Step counters (issue 10): sized from limits.max_steps, 32 bits without it.
  // Numbers, not expressions: MaxSteps * MaxLayers may not fit an int.
  const std::int64_t ms = c.limits.max_steps;
  const auto bits_for = [](std::int64_t v) { return static_cast<int>(std::min<std::int64_t>(32, ceil_log2(v))); };
  ps.add("MaxSteps", c.limits.max_steps, "largest NUM_STEPS (limits.max_steps); 0: no limit but 32 bits");
  ps.add("StepW", ms != 0 ? bits_for(ms + 1) : 32, "bits of a step count, 0 .. MaxSteps");
  ps.add("LStepW", ms != 0 ? bits_for(ms * c.limits.max_layers + 1) : 32,
         "bits of a layer-step count, 0 .. MaxSteps * MaxLayers (at most 32)");
  // NUM_STEPS as the other program registers (add_host_decode), all ones
  // above MaxSteps; 32 bits without a limit.
  ps.add("NumStepsRegW", ms != 0 ? ceil_log2(ms + 2) : 32,
         "bits of NUM_STEPS: all ones is above MaxSteps (32 without a limit)");
  ps.derive("MaxVec", sv::cond(max_in > max_hid, max_in, max_hid), "",
            std::max(c.limits.max_input, c.limits.max_hidden));
  const Expr lanes = ps["Lanes"];
  const Expr groups = ps.derive("GroupsMax", (max_hid + lanes - 1) / lanes,
                                "ceil(MaxHidden / Lanes)",
                                groups_of(c.limits.max_hidden, c.lanes));
  ps.derive("BiasDepth", max_layers * groups, "");
  const int k = c.activation.index_bits;
  const bool pwl = c.activation.kind == ActivationKind::Pwl;
  const Expr kbits = ps.add("ActIndexBits", k, "activation segments N = 2^ActIndexBits");
  const Expr act_pwl =
      ps.add("ActPwl", pwl ? 1 : 0, "1: piecewise linear (N + 1 breakpoints), 0: lookup table");
  ps.derive("ActEntries", (Expr(1) << kbits) + act_pwl, "", (1 << k) + (pwl ? 1 : 0));
  ps.derive("PostPwlStages", Expr(post_pwl_stages(c)) * act_pwl,
            "pipeline stages the post unit adds for pwl activations (A1, A2, X1..X3)",
            post_pwl_stages(c));
  ps.add("ActShiftAcc", activation_shift(c, c.accum.frac), "activation index shift for AccF");
  ps.add("ActShiftCell", activation_shift(c, c.cell.frac), "activation index shift for CellF");
  // The activation in three steps (act_*_read, act_*_mul, act_*_fin; the post
  // unit registers between them on pwl designs): the packed words they pass on.
  for (const auto& [kind, frac] : {std::pair{"Acc", c.accum.frac}, std::pair{"Cell", c.cell.frac}}) {
    const int s = activation_shift(c, frac);
    const Expr shift = ps[fmt::format("ActShift{}", kind)];
    const Expr rem_w = ps.derive(fmt::format("ActRem{}W", kind), sv::cond(shift > 0, shift, 1),
                                 "bits of rem, z's bits below the index (at least 1)",
                                 std::max(s, 1));
    const Expr gw = ps["GateW"];
    ps.derive(fmt::format("ActRead{}W", kind), Expr(2) * gw + 1 + rem_w,
              "act_*_read's word {lo, slope, rem}", 2 * c.gate.width + 1 + std::max(s, 1));
    const Expr prod_w =
        ps.derive(fmt::format("ActProd{}W", kind), gw + rem_w + 2, "bits of slope * rem",
                  c.gate.width + std::max(s, 1) + 2);
    ps.derive(fmt::format("ActMul{}W", kind), gw + prod_w, "act_*_mul's word {lo, slope * rem}",
              2 * c.gate.width + std::max(s, 1) + 2);
  }
  ps.derive("BiasShift", ps["AccF"] - ps["BiasF"], "");
  const Expr gate_f = ps["GateF"], cell_f = ps["CellF"];
  ps.derive("CellSumF", gate_f + sv::cond(cell_f > gate_f, cell_f, gate_f),
            "GateF + max(CellF, GateF)", c.gate.frac + std::max(c.cell.frac, c.gate.frac));
  ps.add("CellSumW", cell_sum_widths(c).sw, "bits of cell_sum, narrow_cell's exact sum");
  const Expr hid_prod_w = ps.derive("HidProdW", Expr(2) * ps["GateW"],
                                    "bits of hidden_prod, narrow_hidden's exact product",
                                    2 * c.gate.width);
  const Expr data_f = ps["DataF"];
  ps.derive("GruSumF", gate_f + sv::cond(data_f > gate_f, data_f, gate_f),
            "GateF + max(DataF, GateF)", c.gate.frac + std::max(c.data.frac, c.gate.frac));
  ps.add("GruSumW", gru_sum_widths(c).sw, "bits of gru_hidden_sum, narrow_gru_hidden's exact sum");
  ps.add("GruKeepW", gru_sum_widths(c).p2, "bits of gru_keep_prod, gru_hidden_sum's z * h_prev");
  ps.add("GruNewW", gru_sum_widths(c).p1,
         "bits of gru_new_prod, gru_hidden_sum's (2^GateF - z) * n");
  ps.derive("ResetProdW", ps["GateW"] + ps["AccW"], "bits of reset_prod, narrow_reset's exact product",
            c.gate.width + c.accum.width);
  // The post FIFO holds a hidden_prod, or with GRU a GRU unit's h and its
  // narrow_gru_hidden flag {sat, h} (the post unit narrows a GRU's h itself).
  const int post_val = c.cells.gru ? std::max(2 * c.gate.width, c.data.width + 1)
                                   : 2 * c.gate.width;
  const Expr gru_val_w = ps["DataW"] + Expr(1);
  ps.derive("PostValW",
            c.cells.gru ? sv::cond(gru_val_w > hid_prod_w, gru_val_w, hid_prod_w) : hid_prod_w,
            c.cells.gru ? "the wider of HidProdW and DataW + 1 (a GRU unit's {sat, h})"
                        : "HidProdW (no GRU)",
            post_val);
}

// Sizes and widths the RTL shares, each derived here once.
void add_sizes(Localparams& ps, const HwConfig& c) {
  const std::int64_t ml = c.limits.max_layers;
  const Expr max_vec = ps["MaxVec"], max_hid = ps["MaxHidden"], max_layers = ps["MaxLayers"];
  const Expr lanes = ps["Lanes"];
  const Expr macs =
      ps.derive("Macs", ps["Gates"] * lanes, "MACs per core, slot lane * Gates + gate");
  ps.derive("SlotW", sv::clog2(macs), "slot bits of a memory index", hostmap::slot_bits(c));
  const Expr wb_w = sv::cond(ps["WeightW"] > ps["BiasW"], ps["WeightW"], ps["BiasW"]);
  const Expr row_slot_w = ps.derive("WRowSlotW", (wb_w + 7) / 8 * 8,
                                    "bits of a slot in a row beat: max(WeightW, BiasW) in bytes",
                                    hostmap::row_slot_width(c));
  ps.derive("WRowW", macs * row_slot_w, "bits of a weight/bias row beat (a word per slot)",
            hostmap::row_slot_width(c) * kGates * c.lanes);
  ps.derive("WAddrW", clog2_at_least_1(ps["WeightDepth"]), "",
            clog2_at_least_1(c.limits.weight_depth));
  ps.derive("BAddrW", clog2_at_least_1(ps["BiasDepth"]), "",
            clog2_at_least_1(hostmap::bias_depth(c)));
  const Expr x_depth = ps.derive("XDepth", 2 * max_vec, "x buffer: two halves of MaxVec");
  ps.derive("XAddrW", sv::clog2(x_depth), "");
  const Expr h_depth = ps.derive("HDepth", Expr(2) * max_layers * max_hid,
                                 "h buffer: per layer two halves of MaxHidden");
  ps.derive("HAddrW", sv::clog2(h_depth), "");
  const Expr h_banks = ps.derive("HBanks", sv::cond(ps["Cores"] > 1, 2, 1),
                                 "h buffer banks by address parity (lstm_hbuf): two writes per "
                                 "cycle when several cores share h (hc)");
  ps.derive("HBankDepth", (h_depth + h_banks - 1) / h_banks, "h buffer: words per bank");
  const Expr c_depth =
      ps.derive("CDepth", max_layers * max_hid, "c buffer: a word per layer and unit");
  ps.derive("CAddrW", clog2_at_least_1(c_depth), "", clog2_at_least_1(ml * c.limits.max_hidden));
  const Expr data_w = ps["DataW"], cell_w = ps["CellW"];
  const Expr state_wide = sv::cond(cell_w > data_w, cell_w, data_w);
  ps.derive("StateW", sv::cond(state_wide > 32, 32, state_wide),
            "bits of a state region word the host writes (the wider of h and c, at most 32)",
            std::min(32, std::max(c.data.width, c.cell.width)));
  const Expr layer_w =
      ps.derive("LayerW", clog2_at_least_1(max_layers), "a local layer index", clog2_at_least_1(ml));
  ps.derive("VecW", sv::clog2(max_vec + 1), "0 .. MaxVec");
  const Expr unit_w = ps.derive("UnitW", sv::clog2(max_hid + 1), "0 .. MaxHidden");
  ps.derive("GroupW", sv::clog2(ps["GroupsMax"] + 1), "0 .. GroupsMax");
  ps.derive("LaneW", clog2_at_least_1(lanes), "a lane index", clog2_at_least_1(c.lanes));
  const Expr lane_cnt_w = ps.derive("LaneCntW", sv::clog2(lanes + 1), "0 .. Lanes");
  ps.derive("MetaW", layer_w + 1 + unit_w + lane_cnt_w + 2,
            "group metadata {layer, parity, first unit, lanes, last group, first step}");
  ps.derive("PktW", Expr(1) + layer_w + 1 + unit_w + ps["DataW"],
            "h network packet {last, layer, parity, unit, h}");
  ps.derive("PostPktW", ps["PktW"] - ps["DataW"] + ps["PostValW"],
            "post FIFO entry {last, layer, parity, unit, hidden_prod or a GRU's {sat, h}}");
}

// Host decode, derived from the host map's entries.
void add_host_decode(Localparams& ps) {
  using hostmap::last_entry;
  ps.derive("TargetW", ps["AddrW"] - ps["TargetShift"], "address target bits");
  ps.derive("RegionW", ps["TargetShift"] - ps["RegionShift"], "address region bits");
  ps.derive("IndexW", ps["RegionShift"], "address index bits");
  const Expr num_regs = ps.derive(
      "NumRegs", ps["RegLayerBase"] + ps["RegLayerStride"] * ps["MaxLayers"], "core registers");
  ps.derive("RegAddrW", sv::clog2(num_regs), "");
  ps.derive("FieldW", sv::clog2(ps["RegLayerStride"]), "field bits of a descriptor address");
  ps.derive("FlagsW", ps[last_entry(hostmap::kFlagTable).sv] + 1, "bits of FLAGS");
  // Program registers hold what their limit needs (issue 10): W bits with
  // 2^W - 1 > limit, so that a larger value, held as all ones (hostmap's
  // `saturate`), still fails the same test with the same error code.
  const auto reg_w = [&](const char* name, const char* limit, const char* what) {
    ps.derive(name, sv::clog2(ps[limit] + 2), fmt::format("bits of {}: all ones is above {}", what, limit));
  };
  reg_w("NumLayersRegW", "MaxLayers", "NUM_LAYERS");
  reg_w("InSizeRegW", "MaxVec", "IN_SIZE");
  reg_w("HiddenRegW", "MaxHidden", "HIDDEN, UNIT_LO and UNIT_CNT");
  reg_w("WBaseRegW", "WeightDepth", "WBASE");
  reg_w("BBaseRegW", "BiasDepth", "BBASE");
  const Expr num_gregs = ps.derive("NumGRegs", ps[last_entry(hostmap::kGlobalRegTable).sv] + 1,
                                   "controller registers");
  ps.derive("GRegAddrW", sv::clog2(num_gregs), "");
  ps.derive("ModeW", sv::clog2(ps[last_entry(hostmap::kModeTable).sv] + 1), "bits of MODE");
  ps.derive("IrqW", ps[last_entry(hostmap::kIrqTable).sv] + 1, "bits of IRQ_ENABLE and IRQ_STATUS");
  // ACTIVE as the program registers: all ones is above Cores (issue 10).
  ps.derive("ActiveRegW", sv::clog2(ps["Cores"] + 2), "bits of ACTIVE: all ones is above Cores");
  // lstm_mode_ctrl resets what it derives from MODE and ACTIVE to match them.
  for (const hostmap::Entry& e : hostmap::kGlobalRegTable)
    if (std::ranges::find(kCtrlNextOf, e.name) != std::end(kCtrlNextOf))
      ps.add(std::string(e.sv) + "Reset", e.reset, std::string(e.name) + "'s value after reset");
}

// manifest.json's memory list (gen/memory_table.hpp) names the package's
// width and depth of each RAM: they must be the sizes the RTL gets.
void check_memories(const Localparams& ps, const HwConfig& c) {
  for (const CoreMemory& m : core_memories(c))
    if (ps[m.width_param].value() != m.width || ps[m.depth_param].value() != m.depth)
      throw std::logic_error(fmt::format(
          "emit_package: memory {} is {} x {} in gen/memory_table.cpp but {} x {} in lstm_pkg",
          m.instance, m.depth, m.width, ps[m.depth_param].value().value_or(-1),
          ps[m.width_param].value().value_or(-1)));
}

Localparams localparams(const HwConfig& c) {
  Localparams ps;
  ps.add("Cores", c.cores, "accelerator cores");
  ps.add("Lanes", c.lanes, "MAC lanes per core");
  ps.add("Gates", kGates, "gates of an LSTM cell (i, f, g, o): one MAC each per lane");
  ps.add("HasLstm", c.cells.lstm ? 1 : 0, "1: the cores run LSTM layers (config /cells)");
  ps.add("HasGru", c.cells.gru ? 1 : 0,
         "1: the cores run GRU layers (FLAGS.GRU; config /cells), sums r, z, a_nx, a_nh");
  add_formats(ps, c);
  add_limits(ps, c);
  // The host map, entry for entry (spec/host_map.hpp).
  for (const hostmap::Table& t : hostmap::kTables)
    for (const hostmap::Entry& e : t.entries)
      if (hostmap::present(e, c))
        ps.add(std::string(e.sv), static_cast<std::int64_t>(e.value), std::string(e.doc));
  add_sizes(ps, c);
  add_host_decode(ps);
  check_memories(ps, c);
  return ps;
}

}  // namespace

std::vector<sv::Param> package_localparams(const HwConfig& c) { return localparams(c).params(); }

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
  const Localparams ps = localparams(c);
  sv::Package p{.name = "lstm_pkg",
                .comment = "lstm_pkg: numbers of the config, the host map (spec/host_map.hpp), the\n"
                           "sizes the RTL shares, and the fixed-point rules of docs/numerics.md.\n"
                           "Each function mirrors the C++ function of the same name "
                           "(sim/fixed_point.hpp, sim/activation.hpp).",
                .localparams = ps.params()};
  p.functions.push_back(bias_to_accum(c, ps));
  p.functions.push_back(narrow_cell(c, ps));
  p.functions.push_back(cell_sum(c, ps));
  p.functions.push_back(narrow_cell_sum(c, ps));
  p.functions.push_back(narrow_cell_sum_sat(c, ps));
  p.functions.push_back(narrow_hidden(c, ps));
  p.functions.push_back(hidden_prod(c, ps));
  p.functions.push_back(narrow_hidden_prod(c, ps));
  p.functions.push_back(narrow_hidden_prod_sat(c, ps));
  p.functions.push_back(reset_prod(c, ps));
  p.functions.push_back(narrow_reset_prod(c, ps));
  p.functions.push_back(narrow_reset(c, ps));
  p.functions.push_back(narrow_candidate(c, ps, false));
  p.functions.push_back(narrow_candidate(c, ps, true));
  p.functions.push_back(gru_hidden_sum(c, ps));
  p.functions.push_back(gru_keep_prod(c, ps));
  p.functions.push_back(gru_new_prod(c, ps));
  p.functions.push_back(gru_hidden_sum_prods(c, ps));
  p.functions.push_back(narrow_gru_hidden_sum(c, ps, false));
  p.functions.push_back(narrow_gru_hidden_sum(c, ps, true));
  p.functions.push_back(narrow_gru_hidden(c, ps));
  const sv::Function sigmoid_table = table_entry(c, ps, ActFunction::Sigmoid, "sigmoid_entry");
  const sv::Function tanh_table = table_entry(c, ps, ActFunction::Tanh, "tanh_entry");
  p.functions.push_back(sigmoid_table);
  p.functions.push_back(tanh_table);
  const ActivationSpec acts[] = {
      {"act_sigmoid_acc", sigmoid_table, "AccW", c.accum.width, c.accum.frac, "ActShiftAcc"},
      {"act_tanh_acc", tanh_table, "AccW", c.accum.width, c.accum.frac, "ActShiftAcc"},
      {"act_tanh_cell", tanh_table, "CellW", c.cell.width, c.cell.frac, "ActShiftCell"}};
  for (const ActivationSpec& a : acts) p.functions.push_back(activation(c, ps, a));
  for (const ActivationSpec& a : acts) p.functions.push_back(activation_sat(c, ps, a));
  // The activations in three steps (the post unit's stages on pwl designs).
  const bool pwl = c.activation.kind == ActivationKind::Pwl;
  const sv::Function sigmoid_slope = slope_entry(c, ps, ActFunction::Sigmoid, "sigmoid_slope");
  const sv::Function tanh_slope = slope_entry(c, ps, ActFunction::Tanh, "tanh_slope");
  if (pwl) {
    p.functions.push_back(sigmoid_slope);
    p.functions.push_back(tanh_slope);
  }
  p.functions.push_back(activation_read(c, ps, acts[0], &sigmoid_slope, "Acc"));
  p.functions.push_back(activation_read(c, ps, acts[1], &tanh_slope, "Acc"));
  p.functions.push_back(activation_read(c, ps, acts[2], &tanh_slope, "Cell"));
  p.functions.push_back(activation_mul(c, ps, "Acc"));
  p.functions.push_back(activation_mul(c, ps, "Cell"));
  p.functions.push_back(activation_fin(c, ps, "Acc", c.accum.frac));
  p.functions.push_back(activation_fin(c, ps, "Cell", c.cell.frac));
  p.functions.push_back(h_addr(ps));
  p.functions.push_back(x_addr(ps));
  p.functions.push_back(c_addr(ps));
  return p;
}

}  // namespace lstm
