// A small SystemVerilog syntax tree: the only way emitters produce RTL. Build a
// Package or Module out of these plain structs, then turn it into text with
// sv::print() (gen/sv/printer.hpp). No emitter writes raw text lines.
//
// Scope: the subset of /work/shared/TOOLCHAIN.md that Verilator 5.006, Yosys
// 0.23 and Icarus 11 all accept: no import, no '{...}, no return (functions
// assign to their name), parameters typed `int` (Icarus 11 rejects
// `int unsigned`), always_ff with asynchronous active-low reset holding only
// `q <= d`, always_comb with defaults first, unique case always with a default.
//
// Expressions are typed strings (sv::Expr) built through helpers and operators
// that add parentheses where precedence needs them and fold constants whose
// value is known (so a port width stays `lstm_pkg::DataW * Lanes` in the text
// while its number is still available for manifest.json).
//
// Usage (all nodes are aggregates, so designated initializers read well):
//
//   using namespace lstm::sv;
//   Module m{.name = "lstm_acc"};
//   Expr w = ref("lstm_pkg::AccW", c.accum.width);      // known value: 48
//   m.params = {{.name = "Lanes", .value = 4}};
//   m.ports = {{PortDir::Input, "clk_i"}, {PortDir::Input, "rst_ni"},
//              {PortDir::Input, "in_i", slogic(w)},
//              {PortDir::Output, "sum_o", slogic(w)}};
//   m.add(Logic{.name = "sum_d", .type = slogic(w)});
//   m.add(Logic{.name = "sum_q", .type = slogic(w)});
//   m.add(AlwaysComb{.defaults = {assign("sum_d", "sum_q")},
//                    .body = {case_("mode_q", {{{"2'd1"}, {assign("sum_d", Expr("sum_q") + "in_i")}}},
//                                   {assign("sum_d", "'0")})}});
//   m.add(AlwaysFf{.regs = {{.q = "sum_q", .d = "sum_d", .reset = "'0"}}});
//   GenFor lanes{.label = "gen_lane", .var = "l", .begin = 0, .end = "Lanes"};
//   lanes.add(Instance{.module = "lstm_mac", .name = "u_mac",
//                      .params = {{"Width", w}},
//                      .ports = {{"clk_i", "clk_i"}, {"a_i", part("a", Expr("l") * w, w)}}});
//   m.add(std::move(lanes));
//   m.add(ContAssign{"sum_o", "sum_q"});
//   std::string text = print(m);
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace lstm::sv {

// ---------------------------------------------------------------- expressions

// Binding strength, tightest first (IEEE 1800-2017 table 11-2, simplified).
enum class Prec { Atom, Unary, Mul, Add, Shift, Compare, Equal, BitAnd, BitXor, BitOr,
                  LogAnd, LogOr, Cond };

// An expression: its text, how tightly it binds, and its value when known.
// A string that is a plain name, number or literal (`a_q`, `lstm_pkg::DataW`,
// `8'sd3`, `'0`) is an atom; any other string is treated as loosest (Cond) and
// gets parenthesized when used as an operand.
class Expr {
 public:
  Expr() = default;  // missing: text() and operand() throw std::logic_error
  Expr(std::string text);
  Expr(const char* text) : Expr(std::string(text)) {}
  template <std::integral T>
  Expr(T v) : Expr(static_cast<std::int64_t>(v), 0) {}
  Expr(std::string text, Prec prec, std::optional<std::int64_t> value = {})
      : text_(std::move(text)), prec_(prec), value_(value) {}

  const std::string& text() const;
  Prec prec() const { return prec_; }
  // Value when every leaf was a number or a ref() with a value.
  const std::optional<std::int64_t>& value() const { return value_; }
  // Text, parenthesized if this binds more loosely than `ctx`.
  std::string operand(Prec ctx) const;

 private:
  Expr(std::int64_t v, int);
  std::string text_{};
  Prec prec_ = Prec::Atom;
  std::optional<std::int64_t> value_{};
};

// A name whose value the generator knows (a parameter, localparam, genvar).
Expr ref(std::string name, std::int64_t value);
// Sized literals: lit(8, 5) = 8'd5; slit(8, -5) = -8'sd5; slit(8, -128) = 8'sh80.
Expr lit(int width, std::uint64_t value);
Expr slit(int width, std::int64_t value);

Expr operator+(const Expr& a, const Expr& b);
Expr operator-(const Expr& a, const Expr& b);
Expr operator*(const Expr& a, const Expr& b);
Expr operator<<(const Expr& a, const Expr& b);
Expr operator-(const Expr& a);
Expr operator!(const Expr& a);
Expr operator~(const Expr& a);
Expr operator&(const Expr& a, const Expr& b);
Expr operator|(const Expr& a, const Expr& b);
Expr operator^(const Expr& a, const Expr& b);
Expr operator&&(const Expr& a, const Expr& b);
Expr operator||(const Expr& a, const Expr& b);
Expr operator<(const Expr& a, const Expr& b);
Expr operator<=(const Expr& a, const Expr& b);
Expr operator>(const Expr& a, const Expr& b);
Expr operator>=(const Expr& a, const Expr& b);
Expr eq(const Expr& a, const Expr& b);   // a == b
Expr ne(const Expr& a, const Expr& b);   // a != b
Expr ashr(const Expr& a, const Expr& b); // a >>> b (arithmetic when a is signed)
Expr shr(const Expr& a, const Expr& b);  // a >> b
Expr cond(const Expr& c, const Expr& a, const Expr& b);  // c ? a : b
Expr index(const Expr& x, const Expr& i);                  // x[i]
Expr slice(const Expr& x, const Expr& msb, const Expr& lsb);  // x[msb:lsb]
Expr part(const Expr& x, const Expr& base, const Expr& width);  // x[base +: width]
Expr cast(const Expr& width, const Expr& x);               // width'(x), sign passes through
Expr to_signed(const Expr& x);                             // $signed(x)
Expr concat(const std::vector<Expr>& parts);               // {a, b}
Expr repl(const Expr& n, const Expr& x);                   // {n{x}}
Expr call(const std::string& fn, const std::vector<Expr>& args);  // fn(a, b)
Expr clog2(const Expr& x);                                 // $clog2(x)

// ---------------------------------------------------------------- types

// `logic [signed] [width-1:0]`; width 1 prints as plain `logic`.
struct DataType {
  Expr width = 1;
  bool is_signed = false;
};
inline DataType ulogic(Expr width) { return {std::move(width), false}; }
inline DataType slogic(Expr width) { return {std::move(width), true}; }

// `parameter <type> Name = value` in a module header, `localparam ...` in a
// body or package. `int` rather than `int unsigned`: Icarus 11 rejects the latter.
struct Param {
  std::string name{};
  Expr value = 0;
  std::string type = "int";
  std::string comment{};  // printed after the declaration
};

// ---------------------------------------------------------------- statements

struct Stmt;
using Block = std::vector<Stmt>;

struct Assign {  // lhs = rhs; or lhs <= rhs;
  Expr lhs{};
  Expr rhs{};
  bool nonblocking = false;
};
struct If {  // if (cond) begin ... end else begin ... end
  Expr cond{};
  Block then_body{};
  Block else_body{};  // a lone If here prints as `end else if`
};
struct CaseItem {
  std::vector<Expr> labels{};
  Block body{};
};
struct Case {  // unique case (subject) ... default: ... endcase
  Expr subject{};
  std::vector<CaseItem> items{};
  Block default_body;  // always printed, may be empty (`default: ;`)
};
struct For {  // for (int var = begin; var < end; var = var + 1) begin ... end
  std::string var{};
  Expr begin{};
  Expr end{};
  Block body{};
};
struct Comment {  // one `//` line per '\n'-separated line
  std::string text{};
};

struct Stmt {
  template <typename T>
    requires std::constructible_from<std::variant<Assign, If, Case, For, Comment>, T&&>
  Stmt(T&& n) : node(std::forward<T>(n)) {}
  std::variant<Assign, If, Case, For, Comment> node{};
};

Stmt assign(Expr lhs, Expr rhs);     // blocking
Stmt nb_assign(Expr lhs, Expr rhs);  // non-blocking
Stmt if_(Expr c, Block then_body, Block else_body = {});
Stmt case_(Expr subject, std::vector<CaseItem> items, Block default_body);
Stmt for_(std::string var, Expr begin, Expr end, Block body);
Stmt comment(std::string text);

// ---------------------------------------------------------------- package

struct Var {  // function argument (input) or local variable
  std::string name{};
  DataType type{};
};

// function automatic <ret> name(input <args>); <locals>; <body> endfunction
struct Function {
  std::string name{};
  DataType ret{};
  std::vector<Var> args{};
  std::vector<Var> locals{};
  Block body{};
  std::string comment{};  // printed above
};

struct Package {
  std::string name{};
  std::string comment{};  // printed above `package`
  std::vector<Param> localparams{};
  std::vector<Function> functions{};
};

// ---------------------------------------------------------------- module

enum class PortDir { Input, Output };

struct Port {
  PortDir dir{};
  std::string name{};
  DataType type{};
  std::string comment{};
};

// logic [signed] [W-1:0] name [d0][d1]...;
struct Logic {
  std::string name{};
  DataType type{};
  std::vector<Expr> unpacked{};  // sizes, printed as [N]
  std::string comment{};
};

struct ContAssign {  // assign lhs = rhs;
  Expr lhs{};
  Expr rhs{};
};

struct FfReg {
  Expr q{};
  Expr d{};
  Expr reset = "'0";
};
// always_ff @(posedge clk or negedge rst_n): reset values, else q <= d. Nothing else.
struct AlwaysFf {
  std::vector<FfReg> regs{};
  std::string clk = "clk_i";
  std::string rst_n = "rst_ni";
};

// always_comb begin <defaults> <body> end
struct AlwaysComb {
  Block defaults{};
  Block body{};
};

struct Connection {
  std::string name{};
  Expr expr{};
};
struct Instance {  // module #(.P(e), ...) name (.port(e), ...);
  std::string module{};
  std::string name{};  // u_...
  std::vector<Connection> params{};
  std::vector<Connection> ports{};
};

struct ModuleItem;
using Items = std::vector<ModuleItem>;

// for (genvar var = begin; var < end; var = var + 1) begin : label ... end
struct GenFor {
  std::string label{};  // gen_...
  std::string var{};
  Expr begin = 0;
  Expr end = 0;
  Items items{};
  void add(ModuleItem item);
};

// if (cond) begin : label ... end else begin : else_label ... end
struct GenIf {
  Expr cond{};
  std::string label{};  // gen_...
  Items items{};
  std::string else_label{};  // needed when else_items is not empty
  Items else_items{};
  void add(ModuleItem item);       // to the then-branch
  void add_else(ModuleItem item);  // to the else-branch
};

struct Blank {};  // an empty line between groups of items

struct ModuleItem {
  using Node = std::variant<Param, Logic, ContAssign, AlwaysFf, AlwaysComb, Instance, GenFor,
                            GenIf, Comment, Blank>;
  template <typename T>
    requires std::constructible_from<Node, T&&>
  ModuleItem(T&& n) : node(std::forward<T>(n)) {}
  Node node{};  // a Param here is a localparam
};

struct Module {
  std::string name{};
  std::string comment{};  // printed above `module`
  std::vector<Param> params{};
  std::vector<Port> ports{};
  Items items{};
  void add(ModuleItem item) { items.push_back(std::move(item)); }
};

inline void GenFor::add(ModuleItem item) { items.push_back(std::move(item)); }
inline void GenIf::add(ModuleItem item) { items.push_back(std::move(item)); }
inline void GenIf::add_else(ModuleItem item) { else_items.push_back(std::move(item)); }

}  // namespace lstm::sv
