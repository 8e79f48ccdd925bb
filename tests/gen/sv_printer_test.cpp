// The SystemVerilog syntax tree and its printer (gen/sv/).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "gen/sv/ast.hpp"
#include "gen/sv/printer.hpp"

using namespace lstm::sv;

namespace {

// A module that uses every kind of node once.
Module small_module() {
  Module m{.name = "lstm_demo", .comment = "lstm_demo: printer golden test."};
  const Expr width = ref("Width", 8);
  m.params = {{.name = "Width", .value = 8}, {.name = "Count", .value = 2}};
  m.ports = {{PortDir::Input, "clk_i", {}},
             {PortDir::Input, "rst_ni", {}},
             {PortDir::Input, "mode_i", ulogic(2)},
             {PortDir::Input, "a_i", slogic(width * "Count")},
             {PortDir::Output, "sum_o", slogic(width), "registered"}};
  m.add(Param{.name = "Half", .value = width - 4});
  m.add(Logic{.name = "sum_d", .type = slogic(width)});
  m.add(Logic{.name = "sum_q", .type = slogic(width)});
  m.add(Logic{.name = "parts", .type = slogic(width), .unpacked = {"Count"}});
  m.add(Blank{});
  GenFor loop{.label = "gen_part", .var = "p", .begin = 0, .end = "Count"};
  loop.add(Instance{.module = "lstm_demo_leaf",
                    .name = "u_leaf",
                    .params = {{"Width", width}},
                    .ports = {{"in_i", part("a_i", Expr("p") * width, width)},
                              {"out_o", index("parts", "p")}}});
  m.add(std::move(loop));
  GenIf wide{.cond = Expr("Half") > 2, .label = "gen_wide", .else_label = "gen_narrow"};
  wide.add(Comment{"nothing to do"});
  wide.add_else(Comment{"nothing either"});
  m.add(std::move(wide));
  m.add(AlwaysComb{
      .defaults = {assign("sum_d", "sum_q")},
      .body = {case_("mode_i",
                     {{{lit(2, 1)}, {assign("sum_d", index("parts", 0) + index("parts", 1))}},
                      {{lit(2, 2), lit(2, 3)},
                       {if_(index("parts", 0) < slit(8, -128), {assign("sum_d", "'0")},
                            {if_(!Expr("rst_ni"), {assign("sum_d", "'1")})})}}},
                     {})}});
  m.add(AlwaysFf{.regs = {{.q = "sum_q", .d = "sum_d"}}});
  m.add(ContAssign{"sum_o", "sum_q"});
  return m;
}

const char* kGolden = R"(// lstm_demo: printer golden test.
module lstm_demo #(
  parameter int Width = 8,
  parameter int Count = 2
) (
  input  logic                            clk_i,
  input  logic                            rst_ni,
  input  logic [1:0]                      mode_i,
  input  logic signed [Width * Count-1:0] a_i,
  output logic signed [Width-1:0]         sum_o  // registered
);
  localparam int Half = Width - 4;
  logic signed [Width-1:0] sum_d;
  logic signed [Width-1:0] sum_q;
  logic signed [Width-1:0] parts [Count];

  for (genvar p = 0; p < Count; p = p + 1) begin : gen_part
    lstm_demo_leaf #(
      .Width (Width)
    ) u_leaf (
      .in_i  (a_i[p * Width +: Width]),
      .out_o (parts[p])
    );
  end
  if (Half > 2) begin : gen_wide
    // nothing to do
  end else begin : gen_narrow
    // nothing either
  end
  always_comb begin
    sum_d = sum_q;
    unique case (mode_i)
      2'd1: sum_d = parts[0] + parts[1];
      2'd2, 2'd3: begin
        if (parts[0] < 8'sh80) begin
          sum_d = '0;
        end else if (!rst_ni) begin
          sum_d = '1;
        end
      end
      default: ;
    endcase
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sum_q <= '0;
    end else begin
      sum_q <= sum_d;
    end
  end
  assign sum_o = sum_q;
endmodule
)";

const char* kLeaf = R"(module lstm_demo_leaf #(
  parameter int Width = 8
) (
  input  logic signed [Width-1:0] in_i,
  output logic signed [Width-1:0] out_o
);
  assign out_o = in_i;
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

}  // namespace

TEST_SUITE("sv_printer") {
  TEST_CASE("a hand-built module prints exactly as the golden text") {
    CHECK(print(small_module()) == std::string(kGolden));
  }

  TEST_CASE("the golden module lints with verilator -Wall and compiles in icarus and yosys") {
    const auto dir = scratch("sv_printer");
    write(dir / "lstm_demo.sv", print(small_module()));
    write(dir / "lstm_demo_leaf.sv", kLeaf);
    const std::string d = dir.string();
    CHECK(std::system(("cd " + d +
                       " && verilator --lint-only -Wall --top-module lstm_demo lstm_demo.sv "
                       "lstm_demo_leaf.sv > lint.log 2>&1")
                          .c_str()) == 0);
    CHECK(std::system(("cd " + d +
                       " && iverilog -g2012 -o demo.vvp lstm_demo.sv lstm_demo_leaf.sv "
                       "> icarus.log 2>&1")
                          .c_str()) == 0);
    CHECK(std::system(("cd " + d +
                       " && yosys -q -p 'read_verilog -sv lstm_demo.sv lstm_demo_leaf.sv; "
                       "synth -top lstm_demo' > yosys.log 2>&1")
                          .c_str()) == 0);
  }

  TEST_CASE("operators add parentheses only where precedence needs them") {
    const Expr a("a"), b("b"), c("c");
    CHECK((a + b * c).text() == "a + b * c");
    CHECK(((a + b) * c).text() == "(a + b) * c");
    CHECK((a - (b - c)).text() == "a - (b - c)");
    CHECK((a - b - c).text() == "a - b - c");
    CHECK(ashr(a + b, 3).text() == "(a + b) >>> 3");
    CHECK(cond(a < b, a, cond(b < c, b, c)).text() == "a < b ? a : b < c ? b : c");
    CHECK((Expr("x + y") * 2).text() == "(x + y) * 2");
    CHECK(cast(8, a + b).text() == "8'(a + b)");
    CHECK((-(-ref("S", 3))).text() == "S");
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

  TEST_CASE("signed literals cover the whole range, the most negative one as a bit pattern") {
    CHECK(slit(8, 127).text() == "8'sd127");
    CHECK(slit(8, -5).text() == "-8'sd5");
    CHECK(slit(8, -128).text() == "8'sh80");
    CHECK_THROWS_AS(slit(8, 128), std::invalid_argument);
    CHECK(lit(3, 5).text() == "3'd5");
  }

  TEST_CASE("a missing expression is an error, not empty text") {
    Module m{.name = "lstm_bad"};
    m.add(ContAssign{.lhs = "x"});
    CHECK_THROWS_AS(print(m), std::logic_error);
  }
}
