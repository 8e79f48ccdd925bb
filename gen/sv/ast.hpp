// A small SystemVerilog syntax tree: the only way emitters produce RTL. Build a
// Package or Module, then turn it into text with sv::print()
// (gen/sv/printer.hpp). No emitter writes raw text lines or expression text.
//
// Scope: the subset of /work/shared/TOOLCHAIN.md that Verilator 5.006, Yosys
// 0.23 and Icarus 11 all accept: no import, no '{...}, no return (functions
// assign to their name), parameters typed `int` (Icarus 11 rejects
// `int unsigned`), always_ff with asynchronous active-low reset holding only
// `q <= d`, always_comb with defaults first, unique case always with a default.
//
// Names, as in XLS's VAST: declaring a port, parameter, signal, register,
// localparam, function argument or local returns its reference (an sv::Expr),
// and later code builds expressions from those references, so a misspelt
// name is a C++ compile error rather than a lint error. Package numbers come
// from package_ref() (gen/emit_package.hpp) with their values. The string
// constructor Expr("...") takes only an atom: a name, a scoped name
// (`lstm_pkg::DataW`), a decimal number or a literal (`8'sd3`, `1'b1`, '0);
// anything else throws std::logic_error, so no expression text can slip in.
// print() also checks every name an expression uses against the declarations
// before it (ports, parameters, localparams, signals, genvars, function
// arguments and locals; scoped names are the package's business) and throws
// std::logic_error naming the module and the undeclared or twice-declared name.
//
// Expressions are rendered as they are built: each operator parenthesizes
// its operands where precedence (or a reader: shifts) needs it and folds
// constants whose value is known, so a port width stays `lstm_pkg::DataW *
// Lanes` in the text while its number is still available for manifest.json.
//
// Usage (a register that adds its input when mode_i is 1):
//
//   using namespace lstm::sv;
//   Module m{.name = "lstm_acc"};
//   const Expr w = package_ref(pkg, "AccW");   // lstm_pkg::AccW, value 48 (gen/emit_package.hpp)
//   const Expr clk = m.input("clk_i"), rst_n = m.input("rst_ni");
//   const Expr mode = m.input("mode_i", ulogic(2));
//   const Expr in = m.input("in_i", slogic(w));
//   const Expr out = m.output("sum_o", slogic(w));
//   const FfReg sum = m.reg("sum", slogic(w), zeros());   // sum_q, sum_d
//   m.add(AlwaysComb{.defaults = {assign(sum.d, sum.q)},
//                    .body = {case_(mode, {{{lit(2, 1)}, {assign(sum.d, sum.q + in)}}}, {})}});
//   m.add(AlwaysFf{.regs = {sum}, .clk = clk, .rst_n = rst_n});
//   m.add(ContAssign{out, sum.q});
//   const Expr hi = m.logic("hi", ulogic(8)), lo = m.logic("lo", ulogic(40));
//   m.add(ContAssign{concat({hi, lo}), in});   // assign {hi, lo} = in_i;
//   std::string text = print(m);               // checks the names, then prints
//
// tests/gen/sv_printer_test.cpp builds a module with every node and prints
// it (tests/gen/golden/lstm_demo.sv); gen/emit_top.cpp is the real user.
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

namespace detail {
struct ExprMaker;  // gen/sv/ast.cpp: the only code that builds non-atom text
}

// An expression: its text, how tightly it binds, and its value when known.
class Expr {
 public:
  Expr() = default;  // missing: text() and operand() throw std::logic_error
  // An atom: a name, a scoped name, a decimal number or a literal; anything
  // else throws std::logic_error.
  Expr(std::string atom);
  Expr(const char* atom) : Expr(std::string(atom)) {}
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  Expr(T v) : Expr(static_cast<std::int64_t>(v), 0) {}

  const std::string& text() const;
  Prec prec() const { return prec_; }
  // Value when every leaf was a number or a ref() with a value.
  const std::optional<std::int64_t>& value() const { return value_; }
  // Text, parenthesized if this binds more loosely than `ctx`.
  std::string operand(Prec ctx) const;

 private:
  friend struct detail::ExprMaker;
  Expr(std::int64_t v, int);
  Expr(std::string text, Prec prec, std::optional<std::int64_t> value)
      : text_(std::move(text)), prec_(prec), value_(value) {}
  std::string text_{};
  Prec prec_ = Prec::Atom;
  std::optional<std::int64_t> value_{};
};

// True for what Expr(std::string) accepts.
bool is_atom(const std::string& text);
// True for a plain or scoped name (`sum_q`, `lstm_pkg::DataW`).
bool is_name(const std::string& text);

// A name whose value the generator knows (a parameter, localparam, genvar).
Expr ref(std::string name, std::int64_t value);
// Sized literals: lit(8, 5) = 8'd5; slit(8, -5) = -8'sd5; slit(8, -128) = 8'sh80.
Expr lit(int width, std::uint64_t value);
Expr slit(int width, std::int64_t value);
Expr bit(bool v);  // 1'b1 or 1'b0
Expr zeros();      // '0
Expr ones();       // '1

// Binary operators fold known values (a division by zero does not fold).
Expr operator+(const Expr& a, const Expr& b);
Expr operator-(const Expr& a, const Expr& b);
Expr operator*(const Expr& a, const Expr& b);
Expr operator/(const Expr& a, const Expr& b);
Expr operator%(const Expr& a, const Expr& b);
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
Expr reduce_and(const Expr& x);          // &x
Expr reduce_or(const Expr& x);           // |x
Expr reduce_xor(const Expr& x);          // ^x
Expr cond(const Expr& c, const Expr& a, const Expr& b);  // c ? a : b
Expr index(const Expr& x, const Expr& i);                  // x[i]
Expr slice(const Expr& x, const Expr& msb, const Expr& lsb);  // x[msb:lsb]
// Element k of a vector flattened from w-bit elements: x[k] for w = 1, else
// x[(k+1)*w-1 : k*w] (the per-core ports of lstm_top and lstm_axi_top).
Expr flat_slot(const Expr& x, int k, int w);
Expr lsbs(const Expr& x, const Expr& width);               // x[width-1:0] (x[0] for 1)
Expr part(const Expr& x, const Expr& base, const Expr& width);  // x[base +: width]
Expr cast(const Expr& width, const Expr& x);               // width'(x), sign passes through
Expr to_signed(const Expr& x);                             // $signed(x)
Expr to_unsigned(const Expr& x);                           // $unsigned(x)
Expr concat(const std::vector<Expr>& parts);               // {a, b}: an lvalue of lvalues
Expr repl(const Expr& n, const Expr& x);                   // {n{x}}
Expr call(const std::string& fn, const std::vector<Expr>& args);  // fn(a, b); fn a name
Expr clog2(const Expr& x);                                 // $clog2(x)

// ---------------------------------------------------------------- types

// `logic [signed] [width-1:0]`; width 1 prints as plain `logic`.
struct DataType {
  Expr width = 1;
  bool is_signed = false;
};
inline DataType ulogic(Expr width) { return {std::move(width), false}; }
inline DataType slogic(Expr width) { return {std::move(width), true}; }
// `[W-1:0]` for a width (`[7:0]` when it is a number, `[X:0]` for `X + 1`),
// "" for a width of exactly 1.
std::string packed_range(const Expr& width);

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
  std::string var{};  // in scope in body: use Expr(var)
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

  Expr arg(std::string n, DataType t);    // appends an input, returns its reference
  Expr local(std::string n, DataType t);  // appends a local variable
  Expr result() const;                    // the function's name: assign it the result
};
// fn(a, b) for a function of the same package.
Expr call(const Function& fn, const std::vector<Expr>& args);

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
  Expr reset = zeros();
};
// always_ff @(posedge clk or negedge rst_n): reset values, else q <= d. Nothing else.
struct AlwaysFf {
  std::vector<FfReg> regs{};
  Expr clk = "clk_i";
  Expr rst_n = "rst_ni";
};

// always_comb begin <defaults> <body> end
struct AlwaysComb {
  Block defaults{};
  Block body{};
};

struct Connection {
  std::string name{};  // the instantiated module's parameter or port
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
  Expr genvar() const { return Expr(var); }  // in scope in items only
  Expr logic(Logic decl);                     // declares a signal local to the loop body
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

  // Declarations: each appends to the module and returns the reference that
  // later code uses (with the value, for parameters whose value is known).
  Expr parameter(std::string n, Expr value, std::string comment = {});
  Expr input(std::string n, DataType t = {}, std::string comment = {});
  Expr output(std::string n, DataType t = {}, std::string comment = {});
  Expr localparam(std::string n, Expr value, std::string comment = {});
  Expr logic(std::string n, DataType t = {}, std::string comment = {});
  Expr logic(Logic decl);
  // `<stem>_q` (with the comment) and `<stem>_d`, for an AlwaysFf.
  FfReg reg(const std::string& stem, DataType t, Expr reset, std::string comment = {});
};

inline void GenFor::add(ModuleItem item) { items.push_back(std::move(item)); }
inline void GenIf::add(ModuleItem item) { items.push_back(std::move(item)); }
inline void GenIf::add_else(ModuleItem item) { else_items.push_back(std::move(item)); }

}  // namespace lstm::sv
