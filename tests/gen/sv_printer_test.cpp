// The SystemVerilog syntax tree and its printer (gen/sv/): operators, the atom
// rule of Expr(std::string), declarations that return references, the name
// check of print(), and a module that uses every kind of node, compared with
// tests/gen/golden/lstm_demo.sv, linted, compiled by Yosys and simulated in Icarus.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "gen/sv/ast.hpp"
#include "gen/sv/names.hpp"
#include "gen/sv/printer.hpp"
#include "tests/gen/golden_file.hpp"

using namespace lstm::sv;

namespace {

// A module that uses every kind of node and every declaration once.
Module demo_module() {
  Module m{.name = "lstm_demo", .comment = "lstm_demo: printer golden test."};
  const Expr width = m.parameter("Width", 8);
  const Expr count = m.parameter("Count", 2);
  const Expr clk = m.input("clk_i"), rst_n = m.input("rst_ni");
  const Expr mode = m.input("mode_i", ulogic(2));
  const Expr a = m.input("a_i", slogic(width * count));
  const Expr sum_o = m.output("sum_o", slogic(width), "registered");
  const Expr flags = m.output("flags_o", ulogic(3), "{any, all, parity} of a_i");
  const Expr hi = m.output("hi_o", ulogic(width / 2));
  const Expr lo = m.output("lo_o", ulogic(width / 2));
  const Expr half = m.localparam("Half", width / 2);
  const Expr odd = m.localparam("Odd", width % 2);
  const FfReg sum = m.reg("sum", slogic(width), zeros());
  const Expr parts = m.logic(Logic{.name = "parts", .type = slogic(width), .unpacked = {count}});
  m.add(Blank{});
  GenFor loop{.label = "gen_part", .var = "p", .begin = 0, .end = count};
  const Expr p = loop.genvar();
  loop.add(Instance{.module = "lstm_demo_leaf",
                    .name = "u_leaf",
                    .params = {{"Width", width}},
                    .ports = {{"in_i", part(a, p * width, width)}, {"out_o", index(parts, p)}}});
  m.add(std::move(loop));
  GenIf wide{.cond = half > 2 && eq(odd, 0), .label = "gen_wide", .else_label = "gen_narrow"};
  wide.add(Comment{"nothing to do"});
  wide.add_else(Comment{"nothing either"});
  m.add(std::move(wide));
  m.add(AlwaysComb{
      .defaults = {assign(sum.d, sum.q)},
      .body = {case_(mode,
                     {{{lit(2, 1)}, {assign(sum.d, index(parts, 0) + index(parts, 1))}},
                      {{lit(2, 2), lit(2, 3)},
                       {if_(index(parts, 0) < slit(8, -100), {assign(sum.d, zeros())},
                            {if_(shr(lsbs(a, width), 1) < cast(width, half),
                                 {assign(sum.d, ones())})})}}},
                     {})}});
  m.add(AlwaysFf{.regs = {sum}, .clk = clk, .rst_n = rst_n});
  m.add(ContAssign{sum_o, sum.q});
  m.add(ContAssign{concat({hi, lo}), sum.q});
  m.add(ContAssign{flags, concat({reduce_or(a), reduce_and(a), reduce_xor(a)})});
  return m;
}

const char* kLeaf = R"(module lstm_demo_leaf #(
  parameter int Width = 8
) (
  input  logic signed [Width-1:0] in_i,
  output logic signed [Width-1:0] out_o
);
  assign out_o = in_i;
endmodule
)";

// Drives lstm_demo through each case arm and checks every output.
const char* kBench = R"(module tb;
  logic clk_i = 1'b0, rst_ni = 1'b0;
  logic [1:0] mode_i = 2'd0;
  logic signed [15:0] a_i = 16'sh0304;
  logic signed [7:0] sum_o;
  logic [2:0] flags_o;
  logic [3:0] hi_o, lo_o;
  int errors = 0;
  lstm_demo u_demo (.clk_i(clk_i), .rst_ni(rst_ni), .mode_i(mode_i), .a_i(a_i), .sum_o(sum_o),
                     .flags_o(flags_o), .hi_o(hi_o), .lo_o(lo_o));
  always #5 clk_i = ~clk_i;
  task automatic expect_sum(input logic signed [7:0] want);
    @(posedge clk_i);
    #1;
    if (sum_o !== want || {hi_o, lo_o} !== want) begin
      $display("FAIL: mode %0d sum %0d, want %0d", mode_i, sum_o, want);
      errors = errors + 1;
    end
  endtask
  initial begin
    #12 rst_ni = 1'b1;
    if (flags_o !== 3'b101) begin
      $display("FAIL: flags %b", flags_o);
      errors = errors + 1;
    end
    mode_i = 2'd1;
    expect_sum(8'sd7);   // parts[0] + parts[1] = 4 + 3
    mode_i = 2'd0;
    expect_sum(8'sd7);   // default: hold
    mode_i = 2'd2;
    expect_sum(-8'sd1);  // (4 >> 1) < Half: '1
    a_i = 16'sh0380;
    mode_i = 2'd3;
    expect_sum(8'sd0);   // parts[0] = -128 < -100: '0
    if (errors == 0) $display("PASS");
    $finish;
  end
endmodule
)";

std::filesystem::path scratch(const std::string& name) {
  std::filesystem::path d = std::filesystem::path(LSTM_BINARY_DIR) / "test_scratch" / name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

int run(const std::filesystem::path& dir, const std::string& cmd, const std::string& log) {
  return std::system(("cd " + dir.string() + " && " + cmd + " > " + log + " 2>&1").c_str());
}

// A message of the logic_error that f throws ("" if none).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_SUITE("sv_printer") {
  TEST_CASE("a hand-built module prints exactly as the golden file lstm_demo.sv") {
    CHECK(lstm_test::matches_golden("lstm_demo.sv", print(demo_module())));
  }

  TEST_CASE("the golden module lints with verilator -Wall, synthesizes in yosys, simulates in icarus") {
    const auto dir = scratch("sv_printer");
    write(dir / "lstm_demo.sv", lstm_test::read_text(lstm_test::golden_path("lstm_demo.sv")));
    write(dir / "lstm_demo_leaf.sv", kLeaf);
    write(dir / "tb.sv", kBench);
    CHECK(run(dir, "verilator --lint-only -Wall --top-module lstm_demo lstm_demo.sv lstm_demo_leaf.sv",
              "lint.log") == 0);
    CHECK(run(dir,
              "yosys -q -p 'read_verilog -sv lstm_demo.sv lstm_demo_leaf.sv; synth -top lstm_demo'",
              "yosys.log") == 0);
    REQUIRE(run(dir, "iverilog -g2012 -s tb -o demo.vvp tb.sv lstm_demo.sv lstm_demo_leaf.sv",
                "icarus.log") == 0);
    REQUIRE(run(dir, "vvp -n demo.vvp", "sim.log") == 0);
    const std::string sim = lstm_test::read_text(dir / "sim.log");
    CHECK_MESSAGE(sim.find("PASS") != std::string::npos, sim);
    CHECK_MESSAGE(sim.find("FAIL") == std::string::npos, sim);
  }

  TEST_CASE("operators add parentheses only where precedence needs them") {
    const Expr a("a"), b("b"), c("c");
    CHECK((a + b * c).text() == "a + b * c");
    CHECK(((a + b) * c).text() == "(a + b) * c");
    CHECK((a - (b - c)).text() == "a - (b - c)");
    CHECK((a - b - c).text() == "a - b - c");
    CHECK(ashr(a + b, 3).text() == "(a + b) >>> 3");
    CHECK(cond(a < b, a, cond(b < c, b, c)).text() == "a < b ? a : b < c ? b : c");
    CHECK(((a + b) * 2).text() == "(a + b) * 2");
    CHECK(cast(8, a + b).text() == "8'(a + b)");
    CHECK((-(-ref("S", 3))).text() == "S");
    CHECK((-(-(a + b))).text() == "-(-(a + b))");
    CHECK((a / (b * c)).text() == "a / (b * c)");
    CHECK((a % b + c).text() == "a % b + c");
    CHECK(((a + b) / c).text() == "(a + b) / c");
  }

  TEST_CASE("a shift is parenthesized wherever it is an operand, for the reader") {
    const Expr a("a"), b("b"), s("s");
    CHECK((shr(a, s) < b).text() == "(a >> s) < b");
    CHECK(eq(ashr(a, s), b).text() == "(a >>> s) == b");
    CHECK(((a << s) + b).text() == "(a << s) + b");
    CHECK(((a << s) & b).text() == "(a << s) & b");
    CHECK(shr(a << s, b).text() == "(a << s) >> b");
    CHECK(shr(a + b, s).text() == "(a + b) >> s");
  }

  TEST_CASE("reductions, low bits, unsigned casts and bit literals print as SystemVerilog") {
    const Expr x("x"), w = ref("W", 8);
    CHECK(reduce_or(x).text() == "|x");
    CHECK(reduce_and(index(x, 3)).text() == "&x[3]");
    CHECK(reduce_xor(x & Expr("y")).text() == "^(x & y)");
    CHECK((reduce_or(x) && Expr("y")).text() == "|x && y");
    CHECK(lsbs(x, w).text() == "x[W-1:0]");
    CHECK(lsbs(x, 8).text() == "x[7:0]");
    CHECK(lsbs(x, 1).text() == "x[0]");
    CHECK(lsbs(x, ref("K", 4) + 1).text() == "x[K:0]");
    CHECK(part(x, Expr("s"), w).text() == "x[s +: W]");
    CHECK(slice(x, 15, 8).text() == "x[15:8]");
    CHECK(to_unsigned(x + 1).text() == "$unsigned(x + 1)");
    CHECK(bit(true).text() == "1'b1");
    CHECK(bit(false).text() == "1'b0");
    CHECK(zeros().text() == "'0");
    CHECK(ones().text() == "'1");
    CHECK(repl(w, bit(true)).text() == "{W{1'b1}}");
  }

  TEST_CASE("known values fold through arithmetic while the text keeps the names") {
    const Expr w = ref("lstm_pkg::DataW", 16) * ref("Lanes", 4) + 1;
    CHECK(w.text() == "lstm_pkg::DataW * Lanes + 1");
    REQUIRE(w.value());
    CHECK(*w.value() == 65);
    CHECK_FALSE((Expr("x") + 1).value());
    CHECK(print_type(ulogic(ref("ActIndexBits", 5) + 1)) == "logic [ActIndexBits:0]");
    CHECK(print_type(slogic(16)) == "logic signed [15:0]");
    CHECK(print_type(ulogic(1)) == "logic");
  }

  TEST_CASE("division, remainder, comparisons and conditionals fold like SystemVerilog ints") {
    const Expr h = ref("H", 10), l = ref("L", 4);
    CHECK(((h + l - 1) / l).value() == 3);
    CHECK((h % l).value() == 2);
    CHECK_FALSE((h / 0).value());
    CHECK_FALSE((h % (l - 4)).value());
    CHECK((h > l).value() == 1);
    CHECK((h <= l).value() == 0);
    CHECK(eq(h, 10).value() == 1);
    CHECK(ne(h, 10).value() == 0);
    CHECK((h > l && l > 1).value() == 1);
    CHECK((!(h > l)).value() == 0);
    CHECK(cond(h > l, h, l).value() == 10);
    CHECK(cond(h < l, h, l).value() == 4);
    CHECK_FALSE(cond(Expr("x"), h, l).value());
    CHECK(clog2(cond(l > 1, l, 1)).value() == 2);
  }

  TEST_CASE("signed literals cover the whole range, the most negative one as a bit pattern") {
    CHECK(slit(8, 127).text() == "8'sd127");
    CHECK(slit(8, -5).text() == "-8'sd5");
    CHECK(slit(8, -128).text() == "8'sh80");
    CHECK_THROWS_AS(slit(8, 128), std::invalid_argument);
    CHECK(lit(3, 5).text() == "3'd5");
  }

  TEST_CASE("the string constructor takes atoms only and rejects expression text") {
    for (const char* ok : {"a_q", "lstm_pkg::DataW", "a::b::c", "x$1", "42", "8'sd3", "8'sh80",
                           "1'b1", "32'hFFFF", "'0", "'1", "4'bx01z"})
      CHECK_MESSAGE(Expr(ok).text() == ok, ok);
    for (const char* bad : {"", "a + b", "(index >> SlotW)", "index[SlotW +: WAddrW]",
                            "index[3:0]", "|c_busy", "-1", "(x)", "a.b", "8'", "'x", "W'(x)",
                            "{a, b}", "$clog2(x)", "1a", "a::", "::a", "a b", "8'q5"}) {
      CAPTURE(bad);
      CHECK_THROWS_AS(Expr{std::string(bad)}, std::logic_error);
    }
    CHECK(error_of([] { Expr("index >> SlotW"); }).find("not an atom") != std::string::npos);
    CHECK_THROWS_AS(ref("a + b", 1), std::logic_error);
    CHECK_THROWS_AS(call("f(x)", {}), std::logic_error);
  }

  TEST_CASE("declarations return references that carry the name and a known value") {
    Module m{.name = "lstm_decl"};
    const Expr w = m.parameter("Width", 8);
    CHECK(w.text() == "Width");
    CHECK(w.value() == 8);
    const Expr half = m.localparam("Half", w / 2);
    CHECK(half.text() == "Half");
    CHECK(half.value() == 4);
    CHECK_FALSE(m.localparam("Free", Expr("Width") + 1).value());
    CHECK(m.input("in_i", ulogic(w)).text() == "in_i");
    CHECK(m.output("out_o").text() == "out_o");
    const FfReg r = m.reg("cnt", ulogic(w), zeros(), "a counter");
    CHECK(r.q.text() == "cnt_q");
    CHECK(r.d.text() == "cnt_d");
    REQUIRE(m.ports.size() == 2);
    CHECK(m.ports[0].dir == PortDir::Input);
    CHECK(m.ports[1].dir == PortDir::Output);
    CHECK_THROWS_AS(m.logic("a b"), std::logic_error);
    CHECK_THROWS_AS(m.input("pkg::x"), std::logic_error);
    Function f{.name = "twice", .ret = ulogic(9)};
    const Expr x = f.arg("x", ulogic(8));
    const Expr t = f.local("t", ulogic(9));
    f.body = {assign(t, cast(9, x) << 1), assign(f.result(), t)};
    CHECK(call(f, {Expr("in_i")}).text() == "twice(in_i)");
    CHECK(f.result().text() == "twice");
  }

  TEST_CASE("a concatenation of references is an lvalue of a continuous assignment") {
    Module m{.name = "lstm_split"};
    const Expr addr = m.input("addr_i", ulogic(8));
    const Expr hi = m.logic("hi", ulogic(3)), lo = m.logic("lo", ulogic(5));
    m.add(ContAssign{concat({hi, lo}), addr});
    CHECK(print(m).find("  assign {hi, lo} = addr_i;\n") != std::string::npos);
    CHECK_THROWS_AS(concat({}), std::logic_error);
  }

  TEST_CASE("print refuses a name that is not declared before its use") {
    Module m{.name = "lstm_bad"};
    const Expr a = m.input("a_i");
    m.add(ContAssign{Expr("tgtt"), a});
    const std::string msg = error_of([&] { print(m); });
    CHECK(msg.find("module lstm_bad") != std::string::npos);
    CHECK(msg.find("\"tgtt\"") != std::string::npos);

    Module late{.name = "lstm_late"};
    late.add(ContAssign{Expr("x"), bit(true)});
    late.logic("x");
    CHECK(error_of([&] { print(late); }).find("\"x\"") != std::string::npos);
  }

  TEST_CASE("print refuses a name declared twice, a genvar outside its loop, a local of another function") {
    Module twice{.name = "lstm_twice"};
    twice.input("a_i");
    twice.logic("a_i");
    CHECK(error_of([&] { print(twice); }).find("declared twice") != std::string::npos);

    Module loop{.name = "lstm_loop"};
    const Expr v = loop.output("v_o", ulogic(4));
    GenFor g{.label = "gen_bit", .var = "i", .begin = 0, .end = 4};
    g.add(ContAssign{index(v, g.genvar()), bit(true)});
    loop.add(std::move(g));
    CHECK_NOTHROW(print(loop));
    loop.add(ContAssign{index(v, Expr("i")), bit(false)});
    CHECK(error_of([&] { print(loop); }).find("\"i\"") != std::string::npos);

    Package pkg{.name = "lstm_bad_pkg"};
    Function f{.name = "f", .ret = ulogic(4)};
    const Expr x = f.arg("x", ulogic(4));
    f.body = {assign(f.result(), x)};
    Function g2{.name = "g", .ret = ulogic(4)};
    g2.arg("y", ulogic(4));
    g2.body = {assign(g2.result(), x)};  // x is f's
    pkg.functions = {f, g2};
    CHECK(error_of([&] { print(pkg); }).find("\"x\"") != std::string::npos);
    pkg.functions = {f};
    CHECK_NOTHROW(print(pkg));
  }

  TEST_CASE("the register example of docs/generator.md builds and prints") {
    const int k = 3;
    Module m{.name = "lstm_regs"};
    const Expr clk = m.input("clk_i"), rst_n = m.input("rst_ni");
    const Expr we = m.input("we_i"), addr = m.input("addr_i", ulogic(4));
    const Expr wdata = m.input("wdata_i", ulogic(32));
    const Expr q_o = m.output("ctrl_o", ulogic(32));
    const FfReg ctrl = m.reg("ctrl", ulogic(32), zeros());
    m.add(AlwaysComb{.defaults = {assign(ctrl.d, ctrl.q)},
                     .body = {if_(we && eq(addr, lit(4, k)), {assign(ctrl.d, wdata)})}});
    m.add(AlwaysFf{.regs = {ctrl}, .clk = clk, .rst_n = rst_n});
    m.add(ContAssign{q_o, ctrl.q});
    const std::string text = print(m);
    CHECK(text.find("    if (we_i && addr_i == 4'd3) begin\n      ctrl_d = wdata_i;\n") !=
          std::string::npos);
    CHECK(text.find("      ctrl_q <= ctrl_d;\n") != std::string::npos);
  }

  TEST_CASE("plain_names skips scoped names, system functions, literals and casts' quotes") {
    const Expr e = cast(Expr("W"), ref("lstm_pkg::A", 1) + clog2(Expr("n"))) + slit(8, -128) +
                   lit(4, 9) + index(Expr("v"), Expr("'1"));
    CHECK(plain_names(e) == std::vector<std::string>{"W", "n", "v"});
  }

  TEST_CASE("a missing expression is an error, not empty text") {
    Module m{.name = "lstm_bad"};
    const Expr x = m.logic("x");
    m.add(ContAssign{.lhs = x});
    CHECK_THROWS_AS(print(m), std::logic_error);
  }
}
