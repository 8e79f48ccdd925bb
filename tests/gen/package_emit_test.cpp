// lstm_pkg (gen/emit_package.*): lint-clean in Verilator, accepted by Yosys and
// Icarus, and bit-exact against the golden model's functions of the same names.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sim/activation.hpp"
#include "spec/config.hpp"
#include "gen/emit_package.hpp"
#include "sim/fixed_point.hpp"
#include "sim/saturation.hpp"
#include "spec/host_map.hpp"
#include "gen/sv/printer.hpp"

namespace fs = std::filesystem;
using lstm::HwConfig;

namespace {

HwConfig small_config() {
  HwConfig c;
  c.name = "small";
  c.cores = 2;
  c.lanes = 4;
  c.data = {8, 5};
  c.weight = {8, 6};
  c.bias = {8, 6};
  c.accum = {24, 11};
  c.gate = {10, 8};
  c.cell = {12, 8};
  c.activation = {lstm::ActivationKind::Lut, 5, 4};
  c.limits = {16, 16, 3, 256};
  return c;
}

// The two reference configs plus their other activation kind and rounding mode.
std::vector<HwConfig> configs() {
  HwConfig d;  // default struct values = default config
  HwConfig d2 = d;
  d2.name = "default_lut_floor";
  d2.activation.kind = lstm::ActivationKind::Lut;
  d2.rounding = lstm::Rounding::Floor;
  HwConfig s = small_config();
  HwConfig s2 = s;
  s2.name = "small_pwl_floor";
  s2.activation.kind = lstm::ActivationKind::Pwl;
  s2.rounding = lstm::Rounding::Floor;
  return {d, s, d2, s2};
}

fs::path scratch(const std::string& name) {
  fs::path d = fs::path(LSTM_BINARY_DIR) / "test_scratch" / "package" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `cmd` in dir with output to dir/log; returns the exit status.
int run(const fs::path& dir, const std::string& cmd, const std::string& log) {
  const int rc = std::system(fmt::format("cd '{}' && {} > {} 2>&1", dir.string(), cmd, log).c_str());
  if (rc != 0) MESSAGE(fmt::format("`{}` failed; {}:\n{}", cmd, log, read(dir / log)));
  return rc;
}

// One argument or result of a package function.
struct Slot {
  std::string name;
  lstm::sv::DataType type;
  int width;
};

struct FnSpec {
  std::string name;
  std::vector<Slot> args;
  Slot ret;
};

// Bits of cell_sum: (f * c_prev << a1) + (i * g << a2), exact (docs/numerics.md).
int cell_sum_width(const HwConfig& c) {
  const int fs = c.gate.frac + std::max(c.cell.frac, c.gate.frac);
  return std::max(c.gate.width + c.cell.width + fs - c.gate.frac - c.cell.frac,
                  2 * c.gate.width + fs - 2 * c.gate.frac) + 1;
}

// cell_sum as docs/numerics.md defines the sum narrow_cell narrows.
std::int64_t cell_sum_of(const HwConfig& c, std::int64_t i, std::int64_t f, std::int64_t g,
                         std::int64_t cp) {
  const int fs = c.gate.frac + std::max(c.cell.frac, c.gate.frac);
  return (f * cp) * (std::int64_t{1} << (fs - c.gate.frac - c.cell.frac)) +
         (i * g) * (std::int64_t{1} << (fs - 2 * c.gate.frac));
}

// Bits of gru_hidden_sum: ((2^gf - z) * n << a1) + (z * h_prev << a2), exact.
int gru_sum_width(const HwConfig& c) {
  const int fs = c.gate.frac + std::max(c.data.frac, c.gate.frac);
  return std::max(2 * c.gate.width + 1 + fs - 2 * c.gate.frac,
                  c.gate.width + c.data.width + fs - c.gate.frac - c.data.frac) + 1;
}

std::int64_t gru_sum_of(const HwConfig& c, std::int64_t z, std::int64_t n, std::int64_t h) {
  const int fs = c.gate.frac + std::max(c.data.frac, c.gate.frac);
  return (((std::int64_t{1} << c.gate.frac) - z) * n) * (std::int64_t{1} << (fs - 2 * c.gate.frac)) +
         (z * h) * (std::int64_t{1} << (fs - c.gate.frac - c.data.frac));
}

// Bits of rem, of act_*_read's word {lo, slope, rem} and of act_*_mul's {lo, slope * rem}.
int rem_w(const HwConfig& c, int frac) { return std::max(lstm::activation_shift(c, frac), 1); }
int read_w(const HwConfig& c, int frac) { return 2 * c.gate.width + 1 + rem_w(c, frac); }
int mul_w(const HwConfig& c, int frac) { return 2 * c.gate.width + rem_w(c, frac) + 2; }

std::vector<FnSpec> fn_specs(const HwConfig& c) {
  using lstm::sv::ref;
  using lstm::sv::slogic;
  auto s = [](const char* n, const char* w, int width) {
    return Slot{n, slogic(ref(fmt::format("lstm_pkg::{}", w), width)), width};
  };
  const Slot idx{"idx",
                 lstm::sv::ulogic(ref("lstm_pkg::ActIndexBits", c.activation.index_bits) + 1),
                 c.activation.index_bits + 1};
  const int gw = c.gate.width, aw = c.accum.width, dw = c.data.width;
  const Slot flag{"r", lstm::sv::ulogic(1), 1};
  struct U {
    Slot operator()(const char* n, const char* w, int width) const {
      return Slot{n, lstm::sv::ulogic(ref(fmt::format("lstm_pkg::{}", w), width)), width};
    }
    Slot operator()(const char* w, int width) const { return (*this)("r", w, width); }
  } u;
  std::vector<FnSpec> specs = {
      {"bias_to_accum", {s("b", "BiasW", c.bias.width)}, s("r", "AccW", c.accum.width)},
      {"narrow_cell",
       {s("i", "GateW", gw), s("f", "GateW", gw), s("g", "GateW", gw),
        s("c_prev", "CellW", c.cell.width)},
       s("r", "CellW", c.cell.width)},
      {"cell_sum",
       {s("i", "GateW", gw), s("f", "GateW", gw), s("g", "GateW", gw),
        s("c_prev", "CellW", c.cell.width)},
       s("r", "CellSumW", cell_sum_width(c))},
      {"narrow_cell_sum", {s("sum", "CellSumW", cell_sum_width(c))}, s("r", "CellW", c.cell.width)},
      {"narrow_hidden", {s("o", "GateW", gw), s("tanh_c", "GateW", gw)},
       s("r", "DataW", c.data.width)},
      {"hidden_prod", {s("o", "GateW", gw), s("tanh_c", "GateW", gw)},
       s("r", "HidProdW", 2 * gw)},
      {"narrow_hidden_prod", {s("prod", "HidProdW", 2 * gw)}, s("r", "DataW", c.data.width)},
      {"sigmoid_entry", {idx}, s("r", "GateW", gw)},
      {"tanh_entry", {idx}, s("r", "GateW", gw)},
      {"act_sigmoid_acc", {s("z", "AccW", c.accum.width)}, s("r", "GateW", gw)},
      {"act_tanh_acc", {s("z", "AccW", c.accum.width)}, s("r", "GateW", gw)},
      {"act_tanh_cell", {s("z", "CellW", c.cell.width)}, s("r", "GateW", gw)},
      // The saturation flags: 1 exactly when the golden function of the same
      // name (without _sat, or without _sum/_prod) counts its event.
      {"narrow_cell_sum_sat", {s("sum", "CellSumW", cell_sum_width(c))}, flag},
      {"narrow_hidden_prod_sat", {s("prod", "HidProdW", 2 * gw)}, flag},
      {"act_sigmoid_acc_sat", {s("z", "AccW", c.accum.width)}, flag},
      {"act_tanh_acc_sat", {s("z", "AccW", c.accum.width)}, flag},
      {"act_tanh_cell_sat", {s("z", "CellW", c.cell.width)}, flag},
      // The activations in three steps (the post unit's stages on pwl designs).
      {"act_sigmoid_acc_read", {s("z", "AccW", c.accum.width)}, u("ActReadAccW", read_w(c, c.accum.frac))},
      {"act_tanh_acc_read", {s("z", "AccW", c.accum.width)}, u("ActReadAccW", read_w(c, c.accum.frac))},
      {"act_tanh_cell_read", {s("z", "CellW", c.cell.width)}, u("ActReadCellW", read_w(c, c.cell.frac))},
      {"act_acc_mul", {u("rd", "ActReadAccW", read_w(c, c.accum.frac))}, u("ActMulAccW", mul_w(c, c.accum.frac))},
      {"act_cell_mul", {u("rd", "ActReadCellW", read_w(c, c.cell.frac))}, u("ActMulCellW", mul_w(c, c.cell.frac))},
      {"act_acc_fin", {u("m", "ActMulAccW", mul_w(c, c.accum.frac))}, s("r", "GateW", gw)},
      {"act_cell_fin", {u("m", "ActMulCellW", mul_w(c, c.cell.frac))}, s("r", "GateW", gw)},
      // GRU (docs/numerics.md, "One GRU layer-step").
      {"reset_prod", {s("r", "GateW", gw), s("a_nh", "AccW", aw)}, s("r", "ResetProdW", gw + aw)},
      {"narrow_reset_prod", {s("prod", "ResetProdW", gw + aw)}, s("r", "AccW", aw)},
      {"narrow_reset", {s("r", "GateW", gw), s("a_nh", "AccW", aw)}, s("r", "AccW", aw)},
      {"narrow_candidate", {s("a_nx", "AccW", aw), s("rn", "AccW", aw)}, s("r", "AccW", aw)},
      {"narrow_candidate_sat", {s("a_nx", "AccW", aw), s("rn", "AccW", aw)}, flag},
      {"gru_hidden_sum", {s("z", "GateW", gw), s("n", "GateW", gw), s("h_prev", "DataW", dw)},
       s("r", "GruSumW", gru_sum_width(c))},
      {"gru_keep_prod", {s("z", "GateW", gw), s("h_prev", "DataW", dw)}, s("r", "GruKeepW", gw + dw)},
      {"gru_new_prod", {s("z", "GateW", gw), s("n", "GateW", gw)}, s("r", "GruNewW", 2 * gw + 1)},
      {"gru_hidden_sum_prods", {s("zn", "GruNewW", 2 * gw + 1), s("zh", "GruKeepW", gw + dw)},
       s("r", "GruSumW", gru_sum_width(c))},
      {"narrow_gru_hidden", {s("z", "GateW", gw), s("n", "GateW", gw), s("h_prev", "DataW", dw)},
       s("r", "DataW", dw)},
      {"narrow_gru_hidden_sum", {s("sum", "GruSumW", gru_sum_width(c))}, s("r", "DataW", dw)},
      {"narrow_gru_hidden_sum_sat", {s("sum", "GruSumW", gru_sum_width(c))}, flag},
  };
  if (c.activation.kind == lstm::ActivationKind::Pwl) {
    const Slot slope{"r", lstm::sv::slogic(ref("lstm_pkg::GateW", gw) + 1), gw + 1};
    specs.push_back({"sigmoid_slope", {idx}, slope});
    specs.push_back({"tanh_slope", {idx}, slope});
  }
  return specs;
}

// module wrapper: one input per argument and one output per function, each
// output driven by its function; params_o uses every localparam. Built with
// the syntax tree like every emitted module.
std::string wrapper_sv(const HwConfig& c) {
  using namespace lstm::sv;
  Module m{.name = "wrapper"};
  const lstm::sv::Package pkg = lstm::emit_package(c);
  std::vector<Expr> params;
  for (const Param& p : pkg.localparams) params.push_back(cast(32, "lstm_pkg::" + p.name));
  m.ports.push_back({PortDir::Output, "params_o",
                     ulogic(static_cast<std::int64_t>(32 * params.size()))});
  m.add(ContAssign{"params_o", concat(params)});
  for (const FnSpec& f : fn_specs(c)) {
    std::vector<Expr> args;
    for (const Slot& a : f.args) {
      m.ports.push_back({PortDir::Input, f.name + "_" + a.name + "_i", a.type});
      args.push_back(f.name + "_" + a.name + "_i");
    }
    m.ports.push_back({PortDir::Output, f.name + "_o", f.ret.type});
    m.add(ContAssign{f.name + "_o", call("lstm_pkg::" + f.name, args)});
  }
  return print(m);
}

fs::path write_pkg_and_wrapper(const HwConfig& c, const std::string& tag) {
  const fs::path dir = scratch(c.name + "_" + tag);
  write(dir / "lstm_pkg.sv", lstm::sv::print(lstm::emit_package(c)));
  write(dir / "wrapper.sv", wrapper_sv(c));
  return dir;
}

// ------------------------------------------------------------ equivalence

std::int64_t min_of(int w) { return -(std::int64_t{1} << (w - 1)); }
std::int64_t max_of(int w) { return (std::int64_t{1} << (w - 1)) - 1; }

std::string hex(std::int64_t v, int w) {
  const std::uint64_t mask = w >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << w) - 1;
  return fmt::format("{:x}", static_cast<std::uint64_t>(v) & mask);
}

using Vectors = std::vector<std::vector<std::int64_t>>;  // args..., expected

constexpr std::size_t kMinVectors = 2000;

// Interesting values of a signed width-bit input.
std::vector<std::int64_t> edges(int w) {
  return {min_of(w), min_of(w) + 1, -1, 0, 1, max_of(w) - 1, max_of(w)};
}

// Inputs of an activation: extremes, +-range, every segment boundary with its
// neighbours and midpoint, random values in and around the range and anywhere.
std::vector<std::int64_t> activation_inputs(const HwConfig& c, int w, int frac, std::mt19937_64& rng) {
  const int s = lstm::activation_shift(c, frac);
  const std::int64_t n = std::int64_t{1} << c.activation.index_bits;
  const std::int64_t r = std::int64_t{c.activation.range} << frac;
  std::vector<std::int64_t> z = edges(w);
  for (std::int64_t v : {r, -r, r - 1, -r - 1, r + 1, -r + 1}) z.push_back(v);
  for (std::int64_t j = -n / 2 - 2; j <= n / 2 + 2; ++j) {
    const std::int64_t b = j * (std::int64_t{1} << s);
    for (std::int64_t d : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1}}) z.push_back(b + d);
    if (s > 0) z.push_back(b + (std::int64_t{1} << (s - 1)));  // mid-segment
  }
  std::uniform_int_distribution<std::int64_t> near(-2 * r, 2 * r), any(min_of(w), max_of(w));
  for (int i = 0; i < 2500; ++i) z.push_back(near(rng));
  for (int i = 0; i < 500; ++i) z.push_back(any(rng));
  for (std::int64_t& v : z) v = std::clamp(v, min_of(w), max_of(w));
  return z;
}

// The GRU functions: r and z over the gate range (0..1.0 as the sigmoid gives
// them, and the format's edges), sums over the accumulator, h over data.
void add_gru_vectors(const HwConfig& c, std::map<std::string, Vectors>& v, std::mt19937_64& rng) {
  auto uni = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  const lstm::Numerics num(c);
  const int gw = c.gate.width, aw = c.accum.width, dw = c.data.width;
  const std::int64_t one = std::int64_t{1} << c.gate.frac;
  std::vector<std::int64_t> gates = edges(gw), accs = edges(aw), datas = edges(dw);
  for (std::int64_t g : {one, one - 1, one / 2, one + 1}) gates.push_back(g);
  auto add_reset = [&](std::int64_t r, std::int64_t a) {
    const std::int64_t rn = num.narrow_reset(r, a);
    v["reset_prod"].push_back({r, a, r * a});
    v["narrow_reset_prod"].push_back({r * a, rn});
    v["narrow_reset"].push_back({r, a, rn});
  };
  auto add_cand = [&](std::int64_t a, std::int64_t rn) {
    lstm::SatCounts sat;
    const std::int64_t an = num.narrow_candidate(a, rn, &sat);
    v["narrow_candidate"].push_back({a, rn, an});
    v["narrow_candidate_sat"].push_back({a, rn, static_cast<std::int64_t>(sat.total())});
  };
  auto add_hidden = [&](std::int64_t z, std::int64_t n, std::int64_t h) {
    lstm::SatCounts sat;
    const std::int64_t hn = num.narrow_gru_hidden(z, n, h, &sat), sum = gru_sum_of(c, z, n, h);
    v["gru_hidden_sum"].push_back({z, n, h, sum});
    v["gru_keep_prod"].push_back({z, h, z * h});
    v["gru_new_prod"].push_back({z, n, (one - z) * n});
    v["gru_hidden_sum_prods"].push_back({(one - z) * n, z * h, sum});
    v["narrow_gru_hidden"].push_back({z, n, h, hn});
    v["narrow_gru_hidden_sum"].push_back({sum, hn});
    v["narrow_gru_hidden_sum_sat"].push_back({sum, static_cast<std::int64_t>(sat.total())});
  };
  for (auto r : gates)
    for (auto a : accs) add_reset(r, a);
  for (auto a : accs)
    for (auto b : accs) add_cand(a, b);
  for (auto z : gates)
    for (auto n : gates)
      for (auto h : datas) add_hidden(z, n, h);
  for (int k = 0; k < 3000; ++k) {
    add_reset(uni(0, one), uni(min_of(aw), max_of(aw)));
    add_reset(uni(min_of(gw), max_of(gw)), uni(min_of(aw), max_of(aw)));
    add_cand(uni(min_of(aw), max_of(aw)), uni(min_of(aw), max_of(aw)));
    add_hidden(uni(0, one), uni(-one, one), uni(min_of(dw), max_of(dw)));
    add_hidden(uni(min_of(gw), max_of(gw)), uni(min_of(gw), max_of(gw)), uni(min_of(dw), max_of(dw)));
  }
}

std::map<std::string, Vectors> make_vectors(const HwConfig& c) {
  std::mt19937_64 rng(0x15f3a11 + static_cast<unsigned>(c.gate.width));
  auto uni = [&](int w) { return std::uniform_int_distribution<std::int64_t>(min_of(w), max_of(w))(rng); };
  const lstm::Numerics num(c);
  const lstm::Activation sig(c, lstm::ActFunction::Sigmoid), tnh(c, lstm::ActFunction::Tanh);
  const int gw = c.gate.width, cw = c.cell.width, bw = c.bias.width;
  std::map<std::string, Vectors> v;

  {  // bias_to_accum: exhaustive for narrow biases, else edges and random
    Vectors& out = v["bias_to_accum"];
    if (bw <= 16) {
      for (std::int64_t b = min_of(bw); b <= max_of(bw); ++b) out.push_back({b, num.bias_to_accum(b)});
    }
    for (std::int64_t b : edges(bw)) out.push_back({b, num.bias_to_accum(b)});
    while (out.size() < kMinVectors) {
      const std::int64_t b = uni(bw);
      out.push_back({b, num.bias_to_accum(b)});
    }
  }
  {
    std::vector<std::int64_t> ge = edges(gw);
    ge.push_back(std::int64_t{1} << c.gate.frac);  // 1.0
    ge.push_back(-(std::int64_t{1} << c.gate.frac));
    Vectors& cell = v["narrow_cell"];
    Vectors& sum = v["cell_sum"];
    Vectors& cell_of_sum = v["narrow_cell_sum"];
    // narrow_cell, and its two steps: the sum, and that sum narrowed to the same c.
    Vectors& cell_sat = v["narrow_cell_sum_sat"];
    auto add_cell = [&](std::int64_t i, std::int64_t f, std::int64_t g, std::int64_t cp) {
      lstm::SatCounts sat;
      const std::int64_t c_new = num.narrow_cell(i, f, g, cp, &sat), s = cell_sum_of(c, i, f, g, cp);
      cell.push_back({i, f, g, cp, c_new});
      sum.push_back({i, f, g, cp, s});
      cell_of_sum.push_back({s, c_new});
      cell_sat.push_back({s, static_cast<std::int64_t>(sat[lstm::SatEvent::NarrowCell])});
    };
    for (auto i : ge)
      for (auto f : ge)
        for (auto g : ge)
          for (auto cp : edges(cw)) add_cell(i, f, g, cp);
    for (int k = 0; k < 3000; ++k) add_cell(uni(gw), uni(gw), uni(gw), uni(cw));
    Vectors& hid = v["narrow_hidden"];
    Vectors& prod = v["hidden_prod"];
    Vectors& hid_of_prod = v["narrow_hidden_prod"];
    // narrow_hidden, and its two steps: the exact product o * tanh_c, and
    // that product narrowed to the same h.
    Vectors& hid_sat = v["narrow_hidden_prod_sat"];
    auto add_hid = [&](std::int64_t o, std::int64_t t) {
      lstm::SatCounts sat;
      const std::int64_t h = num.narrow_hidden(o, t, &sat);
      hid.push_back({o, t, h});
      prod.push_back({o, t, o * t});
      hid_of_prod.push_back({o * t, h});
      hid_sat.push_back({o * t, static_cast<std::int64_t>(sat[lstm::SatEvent::NarrowHidden])});
    };
    for (auto o : ge)
      for (auto t : ge) add_hid(o, t);
    for (int k = 0; k < 3000; ++k) add_hid(uni(gw), uni(gw));
  }
  add_gru_vectors(c, v, rng);
  {  // table entries: every index (0 past the end), repeated to the minimum count
    const std::int64_t span = std::int64_t{1} << (c.activation.index_bits + 1);
    for (const auto& [name, act] : {std::pair{"sigmoid_entry", &sig}, std::pair{"tanh_entry", &tnh}}) {
      Vectors& out = v[name];
      const auto& t = act->table();
      while (out.size() < kMinVectors)
        for (std::int64_t i = 0; i < span; ++i)
          out.push_back({i, i < static_cast<std::int64_t>(t.size()) ? t[static_cast<std::size_t>(i)] : 0});
    }
  }
  const lstm::GateActivations gates(c);
  // The number of events the golden function counts for one evaluation (0 or 1).
  auto flag = [](auto&& fn, std::int64_t z) {
    lstm::SatCounts sat;
    fn(z, &sat);
    return static_cast<std::int64_t>(sat.total());
  };
  for (std::int64_t z : activation_inputs(c, c.accum.width, c.accum.frac, rng)) {
    v["act_sigmoid_acc"].push_back({z, sig(z, c.accum.frac)});
    v["act_tanh_acc"].push_back({z, tnh(z, c.accum.frac)});
    v["act_sigmoid_acc_sat"].push_back(
        {z, flag([&](std::int64_t x, lstm::SatCounts* k) { return gates.act_sigmoid_acc(x, k); }, z)});
    v["act_tanh_acc_sat"].push_back(
        {z, flag([&](std::int64_t x, lstm::SatCounts* k) { return gates.act_tanh_acc(x, k); }, z)});
  }
  // The three steps: each against Activation::read / mul / fin (packed as
  // lstm_pkg packs them), and the three composed against the activation.
  auto add_steps = [&](const lstm::Activation& act, const std::string& read_name,
                       const std::string& kind, int frac, std::int64_t z, std::int64_t expected) {
    const int rw = rem_w(c, frac), pw = gw + rw + 2;
    REQUIRE(read_w(c, frac) <= 63);
    REQUIRE(mul_w(c, frac) <= 63);
    const auto bits = [](std::int64_t v, int w) {
      return static_cast<std::uint64_t>(v) & ((std::uint64_t{1} << w) - 1);
    };
    const lstm::Activation::Read r = act.read(z, frac);
    const std::int64_t prod = lstm::Activation::mul(r);
    const auto rd = static_cast<std::int64_t>((bits(r.lo, gw) << (gw + 1 + rw)) |
                                              (bits(r.slope, gw + 1) << rw) | bits(r.rem, rw));
    const auto m = static_cast<std::int64_t>((bits(r.lo, gw) << pw) | bits(prod, pw));
    const std::int64_t y = act.fin(r.lo, prod, frac);
    CHECK_MESSAGE(y == expected, read_name, " z=", z);
    v[read_name].push_back({z, rd});
    v["act_" + kind + "_mul"].push_back({rd, m});
    v["act_" + kind + "_fin"].push_back({m, y});
  };
  for (std::int64_t z : activation_inputs(c, c.accum.width, c.accum.frac, rng)) {
    add_steps(sig, "act_sigmoid_acc_read", "acc", c.accum.frac, z, sig(z, c.accum.frac));
    add_steps(tnh, "act_tanh_acc_read", "acc", c.accum.frac, z, tnh(z, c.accum.frac));
  }
  for (std::int64_t z : activation_inputs(c, cw, c.cell.frac, rng))
    add_steps(tnh, "act_tanh_cell_read", "cell", c.cell.frac, z, tnh(z, c.cell.frac));
  if (c.activation.kind == lstm::ActivationKind::Pwl) {  // slopes: every index, 0 past the end
    const std::int64_t span = std::int64_t{1} << (c.activation.index_bits + 1);
    for (const auto& [name, act] : {std::pair{"sigmoid_slope", &sig}, std::pair{"tanh_slope", &tnh}}) {
      Vectors& out = v[name];
      const auto& t = act->table();
      while (out.size() < kMinVectors)
        for (std::int64_t i = 0; i < span; ++i)
          out.push_back({i, i + 1 < static_cast<std::int64_t>(t.size())
                                ? t[static_cast<std::size_t>(i) + 1] - t[static_cast<std::size_t>(i)]
                                : 0});
    }
  }
  for (std::int64_t z : activation_inputs(c, cw, c.cell.frac, rng)) {
    v["act_tanh_cell"].push_back({z, tnh(z, c.cell.frac)});
    v["act_tanh_cell_sat"].push_back(
        {z, flag([&](std::int64_t x, lstm::SatCounts* k) { return gates.act_tanh_cell(x, k); }, z)});
  }
  return v;
}

// Writes one vector file per function and a testbench that checks them all.
void write_equivalence(const HwConfig& c, const fs::path& dir) {
  const std::map<std::string, Vectors> vectors = make_vectors(c);
  std::string decls, body;
  for (const FnSpec& f : fn_specs(c)) {
    const Vectors& vs = vectors.at(f.name);
    std::string file;
    for (const auto& row : vs) {
      for (std::size_t i = 0; i < f.args.size(); ++i) file += hex(row[i], f.args[i].width) + " ";
      file += hex(row.back(), f.ret.width) + "\n";
    }
    write(dir / (f.name + ".hex"), file);
    std::string fmt_str, scan_args, call_args, show;
    for (const Slot& a : f.args) {
      decls += fmt::format("  {} {}_{};\n", lstm::sv::print_type(a.type), f.name, a.name);
      fmt_str += "%h ";
      scan_args += fmt::format("{}_{}, ", f.name, a.name);
      call_args += fmt::format("{}{}_{}", call_args.empty() ? "" : ", ", f.name, a.name);
      show += fmt::format(" {}=%0d", a.name);
    }
    decls += fmt::format("  {0} {1}_exp;\n  {0} {1}_got;\n", lstm::sv::print_type(f.ret.type), f.name);
    body += fmt::format(R"(
    count = 0;
    fd = $fopen("{0}.hex", "r");
    if (fd == 0) $display("CANNOT OPEN {0}.hex");
    else begin
      while ($fscanf(fd, "{1}%h\n", {2}{0}_exp) == {3}) begin
        {0}_got = lstm_pkg::{0}({4});
        count = count + 1;
        if ({0}_got !== {0}_exp) begin
          errors = errors + 1;
          if (errors < 20) $display("MISMATCH {0}{5} got=%0d expected=%0d", {4}, {0}_got, {0}_exp);
        end
      end
      $fclose(fd);
    end
    $display("COUNT {0} %0d", count);
)",
                        f.name, fmt_str, scan_args, f.args.size() + 1, call_args, show);
  }
  write(dir / "tb.sv", fmt::format(R"(module tb;
  integer fd;
  integer count;
  integer errors;
{}  initial begin
    errors = 0;{}    $display("ERRORS %0d", errors);
    $finish;
  end
endmodule
)",
                                   decls, body));
}

// Checks a testbench log: every function saw enough vectors and none mismatched.
void check_log(const HwConfig& c, const std::string& log) {
  for (const FnSpec& f : fn_specs(c)) {
    const std::string key = "COUNT " + f.name + " ";
    const auto pos = log.find(key);
    REQUIRE_MESSAGE(pos != std::string::npos, f.name, " did not run:\n", log);
    CHECK_MESSAGE(std::stoul(log.substr(pos + key.size())) >= kMinVectors, f.name);
  }
  CHECK_MESSAGE(log.find("ERRORS 0\n") != std::string::npos, log.substr(0, 4000));
}

}  // namespace

TEST_SUITE("package_emit") {
  TEST_CASE("lstm_pkg has every required localparam with the config's value") {
    const HwConfig c = small_config();
    std::map<std::string, std::int64_t> got;
    for (const auto& p : lstm::emit_package(c).localparams) got[p.name] = p.value.value().value();
    CHECK(got.at("MaxVec") == 16);
    CHECK(got.at("GroupsMax") == 4);
    CHECK(got.at("BiasDepth") == 12);
    CHECK(got.at("ActEntries") == 32);
    CHECK(got.at("ActPwl") == 0);
    CHECK(got.at("ActShiftAcc") == lstm::activation_shift(c, 11));
    CHECK(got.at("ActShiftCell") == lstm::activation_shift(c, 8));
    CHECK(got.at("BiasShift") == 5);
    CHECK(got.at("CellSumF") == 16);
    // Shared sizes and widths, each derived once in the package.
    CHECK(got.at("Macs") == 16);
    CHECK(got.at("SlotW") == lstm::hostmap::slot_bits(c));
    CHECK(got.at("WRowSlotW") == 8);  // 8-bit weights and biases
    CHECK(got.at("WRowW") == 16 * 8);
    CHECK(got.at("AxisDataW") == 8);
    CHECK(got.at("WAddrW") == 8);
    CHECK(got.at("BAddrW") == 4);
    CHECK(got.at("XDepth") == 32);
    CHECK(got.at("XAddrW") == 5);
    CHECK(got.at("HDepth") == 96);
    CHECK(got.at("HAddrW") == 7);
    CHECK(got.at("CDepth") == 48);
    CHECK(got.at("CAddrW") == 6);
    CHECK(got.at("LayerW") == 2);
    CHECK(got.at("VecW") == 5);
    CHECK(got.at("UnitW") == 5);
    CHECK(got.at("GroupW") == 3);
    CHECK(got.at("LaneW") == 2);
    CHECK(got.at("LaneCntW") == 3);
    CHECK(got.at("MetaW") == 2 + 1 + 5 + 3 + 2);
    CHECK(got.at("PktW") == 1 + 2 + 1 + 5 + 8);
    CHECK(got.at("HidProdW") == 2 * c.gate.width);
    // GRU (small config: both cells): gru_hidden_sum is (2 * 10 + 1) + 0 or
    // (10 + 8) + 3 bits, plus one; the FIFO holds hidden_prod, or a GRU's
    // {sat, h} (DataW + 1 = 9 bits, narrower).
    CHECK(got.at("HasLstm") == 1);
    CHECK(got.at("HasGru") == 1);
    CHECK(got.at("GruSumF") == 16);
    CHECK(got.at("GruSumW") == 22);
    CHECK(got.at("ResetProdW") == c.gate.width + c.accum.width);
    CHECK(got.at("GruNewW") == 2 * c.gate.width + 1);
    CHECK(got.at("GruKeepW") == c.gate.width + c.data.width);
    CHECK(got.at("PostValW") == 2 * c.gate.width);
    CHECK(got.at("PostPktW") == 1 + 2 + 1 + 5 + 2 * c.gate.width);
    CHECK(got.at("TargetW") == 5);  // 16 cores and the controller
    CHECK(got.at("RegionW") == 2);
    CHECK(got.at("IndexW") == 23);
    CHECK(got.at("NumRegs") == 16 + 16 * 3);  // descriptors of 16 fields (SAT_* at 8..12)
    CHECK(got.at("RegAddrW") == 6);
    CHECK(got.at("FieldW") == 4);
    CHECK(got.at("FlagsW") == 5);  // OUT_EN, OUT_WAIT, STATE_IN, H_HALF, GRU
    CHECK(got.at("StateW") == std::min(32, std::max(c.data.width, c.cell.width)));
    CHECK(got.at("NumGRegs") == 16);  // ... IRQ_STATUS, WLOAD_MASK, WLOAD_ADDR, WLOAD_NEXT, STAGES
    CHECK(got.at("GRegAddrW") == 4);
    CHECK(got.at("ModeW") == 3);  // single, mp, mt, hc, hybrid
    CHECK(got.at("IrqW") == 2);  // DONE, ERROR
  }

  TEST_CASE("lstm_pkg holds every entry of the host map with its value, and nothing twice") {
    const auto params = lstm::package_localparams(small_config());
    std::map<std::string, std::int64_t> got;
    for (const auto& p : params) {
      CHECK_MESSAGE(!got.contains(p.name), p.name);
      got[p.name] = p.value.value().value();
    }
    // A batch entry only on a batch design (spec/host_map.hpp, Entry::batch).
    lstm::HwConfig batch_config = small_config();
    batch_config.features.batch = true;
    const auto batch_params = lstm::package_localparams(batch_config);
    std::size_t entries = 0;
    for (const auto& t : lstm::hostmap::kTables)
      for (const auto& e : t.entries) {
        CAPTURE(e.sv);
        if (e.batch) {
          CHECK_FALSE(got.contains(std::string(e.sv)));
          CHECK(lstm::package_ref(batch_params, e.sv).value() == e.value);
          continue;
        }
        ++entries;
        REQUIRE(got.contains(std::string(e.sv)));
        CHECK(got.at(std::string(e.sv)) == e.value);
        CHECK(lstm::package_ref(params, e.sv).text() == "lstm_pkg::" + std::string(e.sv));
      }
    using namespace lstm::hostmap;
    CHECK(got.at("RegLayerBase") == kLayerBase);
    CHECK(got.at("ErrOutWait") == kErrOutWait);
    CHECK(got.at("ModeHc") == static_cast<int>(Mode::Hc));
    CHECK(got.at("GRegLanes") == kLanes);
    CHECK(got.at("FlagOutWaitBit") == kFlagOutWaitBit);
    CHECK(got.at("TargetGlobal") == kGlobal);
    CHECK(got.at("RegionBiases") == static_cast<int>(Region::Biases));
    CHECK(entries > 60);
    CHECK_THROWS_AS(lstm::package_ref(params, "NoSuchName"), std::logic_error);
  }

  TEST_CASE("every lstm_pkg localparam has in Icarus the value the generator gives it") {
    for (const HwConfig& c : configs()) {
      CAPTURE(c.name);
      const fs::path dir = scratch(c.name + "_values");
      const lstm::sv::Package pkg = lstm::emit_package(c);
      write(dir / "lstm_pkg.sv", lstm::sv::print(pkg));
      std::string body, expected;
      for (const auto& p : pkg.localparams) {
        body += fmt::format("    $display(\"{0} %0d\", lstm_pkg::{0});\n", p.name);
        expected += fmt::format("{} {}\n", p.name, p.value.value().value());
      }
      write(dir / "tb.sv", "module tb;\n  initial begin\n" + body + "  end\nendmodule\n");
      REQUIRE(run(dir, "iverilog -g2012 -o tb.vvp lstm_pkg.sv tb.sv", "build.log") == 0);
      REQUIRE(run(dir, "vvp -n tb.vvp", "sim.log") == 0);
      CHECK(read(dir / "sim.log") == expected);
    }
  }

  TEST_CASE("the tables in lstm_pkg are lstm::activation_table entry for entry") {
    for (const HwConfig& c : configs()) {
      const std::string text = lstm::sv::print(lstm::emit_package(c));
      const int k1 = c.activation.index_bits + 1;
      for (auto [fn, name] : {std::pair{lstm::ActFunction::Sigmoid, "sigmoid_entry"},
                              std::pair{lstm::ActFunction::Tanh, "tanh_entry"}}) {
        const auto t = lstm::activation_table(c, fn);
        for (std::size_t i = 0; i < t.size(); ++i)
          CHECK(text.find(fmt::format("{}'d{}: {} = {};", k1, i, name,
                                      lstm::sv::slit(c.gate.width, t[i]).text())) !=
                std::string::npos);
      }
    }
  }

  TEST_CASE("lstm_pkg lints with verilator -Wall with no warning for every config") {
    for (const HwConfig& c : configs()) {
      CAPTURE(c.name);
      const fs::path dir = write_pkg_and_wrapper(c, "lint");
      CHECK(run(dir, "verilator --lint-only -Wall --top-module wrapper lstm_pkg.sv wrapper.sv",
                "lint.log") == 0);
      CHECK(read(dir / "lint.log").empty());
    }
  }

  TEST_CASE("lstm_pkg compiles in Icarus for every config") {
    for (const HwConfig& c : configs()) {
      CAPTURE(c.name);
      const fs::path dir = write_pkg_and_wrapper(c, "icarus");
      CHECK(run(dir, "iverilog -g2012 -o wrapper.vvp lstm_pkg.sv wrapper.sv", "icarus.log") == 0);
    }
  }

  TEST_CASE("Yosys synthesizes lstm_pkg for the default and small configs") {
    for (const HwConfig& c : {HwConfig{}, small_config()}) {
      CAPTURE(c.name);
      const fs::path dir = write_pkg_and_wrapper(c, "yosys");
      CHECK(run(dir, "yosys -q -p 'read_verilog -sv lstm_pkg.sv wrapper.sv; synth -top wrapper'",
                "yosys.log") == 0);
    }
  }

  TEST_CASE("every lstm_pkg function matches the golden model bit for bit in Icarus") {
    for (const HwConfig& c : configs()) {
      CAPTURE(c.name);
      const fs::path dir = write_pkg_and_wrapper(c, "equiv_icarus");
      write_equivalence(c, dir);
      REQUIRE(run(dir, "iverilog -g2012 -o tb.vvp lstm_pkg.sv tb.sv", "build.log") == 0);
      REQUIRE(run(dir, "vvp -n tb.vvp", "sim.log") == 0);
      check_log(c, read(dir / "sim.log"));
    }
  }

  TEST_CASE("every lstm_pkg function matches the golden model bit for bit in Verilator") {
    for (const HwConfig& c : {HwConfig{}, small_config()}) {
      CAPTURE(c.name);
      const fs::path dir = write_pkg_and_wrapper(c, "equiv_verilator");
      write_equivalence(c, dir);
      REQUIRE(run(dir,
                  "verilator --binary -Wno-fatal -Wno-lint -Wno-style --top-module tb -Mdir obj "
                  "lstm_pkg.sv tb.sv",
                  "build.log") == 0);
      REQUIRE(run(dir, "obj/Vtb", "sim.log") == 0);
      check_log(c, read(dir / "sim.log"));
    }
  }
}
