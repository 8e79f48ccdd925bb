// Expressions and declarations of the SystemVerilog syntax tree (gen/sv/ast.hpp).
#include "gen/sv/ast.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace lstm::sv {

namespace detail {
// Builds non-atom text; only the operators and helpers of this file use it.
struct ExprMaker {
  static Expr make(std::string text, Prec p, std::optional<std::int64_t> value = {}) {
    return Expr(std::move(text), p, value);
  }
};
}  // namespace detail

namespace {

using detail::ExprMaker;

bool is_alpha(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_'; }
bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

// [A-Za-z_][A-Za-z0-9_$]*
bool is_identifier(std::string_view s) {
  if (s.empty() || !is_alpha(s.front())) return false;
  for (char ch : s)
    if (!is_alpha(ch) && !is_digit(ch) && ch != '$') return false;
  return true;
}

// [size]'[s](d|h|b|o)digits, or '0 / '1.
bool is_literal(std::string_view s) {
  const std::size_t q = s.find('\'');
  if (q == std::string_view::npos || q + 1 >= s.size()) return false;
  for (std::size_t i = 0; i < q; ++i)
    if (!is_digit(s[i])) return false;
  std::string_view rest = s.substr(q + 1);
  if (q == 0 && (rest == "0" || rest == "1")) return true;
  if (rest.front() == 's' || rest.front() == 'S') rest.remove_prefix(1);
  if (rest.size() < 2) return false;
  const std::string_view digits = std::string_view("dDhHbBoO").find(rest.front()) !=
                                          std::string_view::npos
                                      ? rest.substr(1)
                                      : std::string_view{};
  if (digits.empty()) return false;
  for (char ch : digits)
    if (!is_digit(ch) && !is_alpha(ch)) return false;  // hex digits, x, z, _
  return true;
}

std::optional<std::int64_t> fold(const Expr& a, const Expr& b, auto op) {
  if (a.value() && b.value()) return op(*a.value(), *b.value());
  return std::nullopt;
}

Expr binary(const Expr& a, const char* op, const Expr& b, Prec p,
            std::optional<std::int64_t> value = {}) {
  // Shifts: operands other than atoms get parentheses for the reader's sake,
  // and so does a shift that is itself an operand (`(a >> s) < b`).
  const Prec ctx = p == Prec::Shift ? Prec::Unary : p;
  auto side = [&](const Expr& e, bool right) {
    // Left-associative: the right operand needs parentheses at equal precedence.
    const bool paren = e.prec() > ctx || (right && e.prec() >= p) ||
                       (e.prec() == Prec::Shift && p != Prec::Shift);
    return paren ? fmt::format("({})", e.text()) : e.text();
  };
  return ExprMaker::make(fmt::format("{} {} {}", side(a, false), op, side(b, true)), p, value);
}

std::string join(const std::vector<Expr>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += ", ";
    out += parts[i].text();
  }
  return out;
}

// A unary operator's text. Built with append rather than `"-" + str`, which
// g++ 12 at -O3 flags with a false -Wrestrict.
std::string prefixed(char op, const Expr& a) {
  std::string s(1, op);
  s += a.operand(Prec::Atom);
  return s;
}

void require_name(const std::string& s, const char* what) {
  if (!is_name(s))
    throw std::logic_error(fmt::format("sv::{}: \"{}\" is not a name", what, s));
}

// The reference to a name being declared: a plain identifier.
Expr declared(const std::string& n, const char* what) {
  if (!is_identifier(n))
    throw std::logic_error(fmt::format("sv::{}: \"{}\" is not an identifier", what, n));
  return Expr(n);
}

}  // namespace

bool is_name(const std::string& text) {
  std::string_view s = text;
  while (true) {
    const std::size_t sep = s.find("::");
    if (!is_identifier(s.substr(0, sep))) return false;
    if (sep == std::string_view::npos) return true;
    s.remove_prefix(sep + 2);
  }
}

bool is_atom(const std::string& text) {
  if (text.empty()) return false;
  if (is_name(text) || is_literal(text)) return true;
  for (char ch : text)
    if (!is_digit(ch)) return false;
  return true;
}

Expr::Expr(std::string atom) : text_(std::move(atom)) {
  if (!is_atom(text_))
    throw std::logic_error(fmt::format(
        "sv::Expr: \"{}\" is not an atom (a name, a scoped name, a number or a literal); "
        "build it from references with the operators of gen/sv/ast.hpp",
        text_));
}

Expr::Expr(std::int64_t v, int)
    : text_(std::to_string(v)), prec_(v < 0 ? Prec::Unary : Prec::Atom), value_(v) {}

const std::string& Expr::text() const {
  if (text_.empty()) throw std::logic_error("sv::Expr: expression missing (default-constructed)");
  return text_;
}

std::string Expr::operand(Prec ctx) const {
  return prec_ > ctx ? fmt::format("({})", text()) : text();
}

Expr ref(std::string name, std::int64_t value) {
  require_name(name, "ref");
  return ExprMaker::make(std::move(name), Prec::Atom, value);
}

Expr lit(int width, std::uint64_t value) {
  return ExprMaker::make(fmt::format("{}'d{}", width, value), Prec::Atom);
}

Expr slit(int width, std::int64_t value) {
  // Wider than 64 bits (a GRU's reset product rounded: GateW + AccW + 1) any
  // int64 value fits.
  if (width < 1 || width > 1024) throw std::invalid_argument("sv::slit: width out of range");
  const bool wide = width >= 64;
  const std::int64_t min = wide ? INT64_MIN : -(std::int64_t{1} << (width - 1));
  const std::int64_t max = wide ? INT64_MAX : (std::int64_t{1} << (width - 1)) - 1;
  if (value < min || value > max)
    throw std::invalid_argument(fmt::format("sv::slit: {} does not fit {} bits", value, width));
  if (value >= 0) return ExprMaker::make(fmt::format("{}'sd{}", width, value), Prec::Atom);
  if (width <= 64 && value == min)  // the magnitude does not fit: spell the bit pattern
    return ExprMaker::make(fmt::format("{}'sh{:x}", width, std::uint64_t{1} << (width - 1)),
                           Prec::Atom);
  const std::uint64_t magnitude = static_cast<std::uint64_t>(-(value + 1)) + 1;
  return ExprMaker::make(fmt::format("-{}'sd{}", width, magnitude), Prec::Unary);
}

Expr bit(bool v) { return Expr(v ? "1'b1" : "1'b0"); }
Expr zeros() { return Expr("'0"); }
Expr ones() { return Expr("'1"); }

Expr operator+(const Expr& a, const Expr& b) {
  return binary(a, "+", b, Prec::Add, fold(a, b, [](auto x, auto y) { return x + y; }));
}
Expr operator-(const Expr& a, const Expr& b) {
  return binary(a, "-", b, Prec::Add, fold(a, b, [](auto x, auto y) { return x - y; }));
}
Expr operator*(const Expr& a, const Expr& b) {
  return binary(a, "*", b, Prec::Mul, fold(a, b, [](auto x, auto y) { return x * y; }));
}
Expr operator/(const Expr& a, const Expr& b) {
  std::optional<std::int64_t> v;
  if (b.value() != 0) v = fold(a, b, [](auto x, auto y) { return x / y; });
  return binary(a, "/", b, Prec::Mul, v);
}
Expr operator%(const Expr& a, const Expr& b) {
  std::optional<std::int64_t> v;
  if (b.value() != 0) v = fold(a, b, [](auto x, auto y) { return x % y; });
  return binary(a, "%", b, Prec::Mul, v);
}
Expr operator<<(const Expr& a, const Expr& b) {
  return binary(a, "<<", b, Prec::Shift, fold(a, b, [](auto x, auto y) { return x << y; }));
}

Expr operator-(const Expr& a) {
  std::optional<std::int64_t> v;
  if (a.value()) v = -*a.value();
  if (a.prec() == Prec::Unary && a.text().front() == '-' && a.text()[1] != '(') {
    // -(-x) is x; x is an atom here (a negative number or literal)
    return ExprMaker::make(a.text().substr(1), Prec::Atom, v);
  }
  return ExprMaker::make(prefixed('-', a), Prec::Unary, v);
}
Expr operator!(const Expr& a) {
  std::optional<std::int64_t> v;
  if (a.value()) v = *a.value() == 0 ? 1 : 0;
  return ExprMaker::make(prefixed('!', a), Prec::Unary, v);
}
Expr operator~(const Expr& a) { return ExprMaker::make(prefixed('~', a), Prec::Unary); }
Expr reduce_and(const Expr& x) { return ExprMaker::make(prefixed('&', x), Prec::Unary); }
Expr reduce_or(const Expr& x) { return ExprMaker::make(prefixed('|', x), Prec::Unary); }
Expr reduce_xor(const Expr& x) { return ExprMaker::make(prefixed('^', x), Prec::Unary); }

Expr operator&(const Expr& a, const Expr& b) { return binary(a, "&", b, Prec::BitAnd); }
Expr operator|(const Expr& a, const Expr& b) { return binary(a, "|", b, Prec::BitOr); }
Expr operator^(const Expr& a, const Expr& b) { return binary(a, "^", b, Prec::BitXor); }
Expr operator&&(const Expr& a, const Expr& b) {
  return binary(a, "&&", b, Prec::LogAnd, fold(a, b, [](auto x, auto y) { return x && y; }));
}
Expr operator||(const Expr& a, const Expr& b) {
  return binary(a, "||", b, Prec::LogOr, fold(a, b, [](auto x, auto y) { return x || y; }));
}
Expr operator<(const Expr& a, const Expr& b) {
  return binary(a, "<", b, Prec::Compare, fold(a, b, [](auto x, auto y) { return x < y; }));
}
Expr operator<=(const Expr& a, const Expr& b) {
  return binary(a, "<=", b, Prec::Compare, fold(a, b, [](auto x, auto y) { return x <= y; }));
}
Expr operator>(const Expr& a, const Expr& b) {
  return binary(a, ">", b, Prec::Compare, fold(a, b, [](auto x, auto y) { return x > y; }));
}
Expr operator>=(const Expr& a, const Expr& b) {
  return binary(a, ">=", b, Prec::Compare, fold(a, b, [](auto x, auto y) { return x >= y; }));
}
Expr eq(const Expr& a, const Expr& b) {
  return binary(a, "==", b, Prec::Equal, fold(a, b, [](auto x, auto y) { return x == y; }));
}
Expr ne(const Expr& a, const Expr& b) {
  return binary(a, "!=", b, Prec::Equal, fold(a, b, [](auto x, auto y) { return x != y; }));
}
Expr ashr(const Expr& a, const Expr& b) { return binary(a, ">>>", b, Prec::Shift); }
Expr shr(const Expr& a, const Expr& b) { return binary(a, ">>", b, Prec::Shift); }

Expr cond(const Expr& c, const Expr& a, const Expr& b) {
  std::optional<std::int64_t> v;
  if (c.value()) v = *c.value() ? a.value() : b.value();
  // Right-associative: a nested conditional in the else arm needs no parentheses.
  return ExprMaker::make(fmt::format("{} ? {} : {}", c.operand(Prec::LogOr),
                                     a.operand(Prec::LogOr), b.operand(Prec::Cond)),
                         Prec::Cond, v);
}
Expr index(const Expr& x, const Expr& i) {
  return ExprMaker::make(fmt::format("{}[{}]", x.operand(Prec::Atom), i.text()), Prec::Atom);
}
Expr slice(const Expr& x, const Expr& msb, const Expr& lsb) {
  return ExprMaker::make(fmt::format("{}[{}:{}]", x.operand(Prec::Atom), msb.text(), lsb.text()),
                         Prec::Atom);
}
Expr flat_slot(const Expr& x, int k, int w) {
  return w == 1 ? index(x, k) : slice(x, (k + 1) * w - 1, k * w);
}
Expr lsbs(const Expr& x, const Expr& width) {
  const std::string r = packed_range(width);
  return r.empty() ? index(x, 0) : ExprMaker::make(x.operand(Prec::Atom) + r, Prec::Atom);
}
Expr part(const Expr& x, const Expr& base, const Expr& width) {
  return ExprMaker::make(
      fmt::format("{}[{} +: {}]", x.operand(Prec::Atom), base.text(), width.text()), Prec::Atom);
}
Expr cast(const Expr& width, const Expr& x) {
  return ExprMaker::make(fmt::format("{}'({})", width.operand(Prec::Atom), x.text()), Prec::Atom);
}
Expr to_signed(const Expr& x) {
  return ExprMaker::make(fmt::format("$signed({})", x.text()), Prec::Atom);
}
Expr to_unsigned(const Expr& x) {
  return ExprMaker::make(fmt::format("$unsigned({})", x.text()), Prec::Atom);
}
Expr concat(const std::vector<Expr>& parts) {
  if (parts.empty()) throw std::logic_error("sv::concat: nothing to concatenate");
  return ExprMaker::make(fmt::format("{{{}}}", join(parts)), Prec::Atom);
}
Expr repl(const Expr& n, const Expr& x) {
  return ExprMaker::make(fmt::format("{{{}{{{}}}}}", n.text(), x.text()), Prec::Atom);
}
Expr call(const std::string& fn, const std::vector<Expr>& args) {
  require_name(fn, "call");
  return ExprMaker::make(fmt::format("{}({})", fn, join(args)), Prec::Atom);
}
Expr call(const Function& fn, const std::vector<Expr>& args) { return call(fn.name, args); }
Expr clog2(const Expr& x) {
  std::optional<std::int64_t> v;
  if (x.value() && *x.value() >= 1) {
    std::int64_t b = 0;
    while ((std::int64_t{1} << b) < *x.value()) ++b;
    v = b;
  }
  return ExprMaker::make(fmt::format("$clog2({})", x.text()), Prec::Atom, v);
}

std::string packed_range(const Expr& w) {
  const std::string& t = w.text();
  if (w.value() && t.find_first_not_of("0123456789") == std::string::npos) {
    if (*w.value() < 1) throw std::invalid_argument("sv: width must be >= 1");
    return *w.value() == 1 ? "" : fmt::format("[{}:0]", *w.value() - 1);
  }
  const std::string plus1 = " + 1";
  if (w.prec() == Prec::Add && t.size() > plus1.size() &&
      t.compare(t.size() - plus1.size(), plus1.size(), plus1) == 0)
    return fmt::format("[{}:0]", t.substr(0, t.size() - plus1.size()));
  return fmt::format("[{}-1:0]", w.operand(Prec::Add));
}

// ---------------------------------------------------------------- statements

Stmt assign(Expr lhs, Expr rhs) { return Assign{std::move(lhs), std::move(rhs), false}; }
Stmt nb_assign(Expr lhs, Expr rhs) { return Assign{std::move(lhs), std::move(rhs), true}; }
Stmt if_(Expr c, Block then_body, Block else_body) {
  return If{std::move(c), std::move(then_body), std::move(else_body)};
}
Stmt case_(Expr subject, std::vector<CaseItem> items, Block default_body) {
  return Case{std::move(subject), std::move(items), std::move(default_body)};
}
Stmt for_(std::string var, Expr begin, Expr end, Block body) {
  return For{std::move(var), std::move(begin), std::move(end), std::move(body)};
}
Stmt comment(std::string text) { return Comment{std::move(text)}; }

// ---------------------------------------------------------------- declarations

Expr Function::arg(std::string n, DataType t) {
  Expr r = declared(n, "Function::arg");
  args.push_back({std::move(n), std::move(t)});
  return r;
}
Expr Function::local(std::string n, DataType t) {
  Expr r = declared(n, "Function::local");
  locals.push_back({std::move(n), std::move(t)});
  return r;
}
Expr Function::result() const { return Expr(name); }

Expr GenFor::logic(Logic decl) {
  Expr r = declared(decl.name, "GenFor::logic");
  add(std::move(decl));
  return r;
}

Expr Module::parameter(std::string n, Expr value, std::string comment) {
  declared(n, "Module::parameter");
  const Expr r = value.value() ? ref(n, *value.value()) : Expr(n);
  params.push_back({.name = std::move(n), .value = std::move(value), .comment = std::move(comment)});
  return r;
}
Expr Module::input(std::string n, DataType t, std::string comment) {
  Expr r = declared(n, "Module::input");
  ports.push_back({PortDir::Input, std::move(n), std::move(t), std::move(comment)});
  return r;
}
Expr Module::output(std::string n, DataType t, std::string comment) {
  Expr r = declared(n, "Module::output");
  ports.push_back({PortDir::Output, std::move(n), std::move(t), std::move(comment)});
  return r;
}
Expr Module::localparam(std::string n, Expr value, std::string comment) {
  declared(n, "Module::localparam");
  const Expr r = value.value() ? ref(n, *value.value()) : Expr(n);
  add(Param{.name = std::move(n), .value = std::move(value), .comment = std::move(comment)});
  return r;
}
Expr Module::logic(std::string n, DataType t, std::string comment) {
  return logic(Logic{.name = std::move(n), .type = std::move(t), .comment = std::move(comment)});
}
Expr Module::logic(Logic decl) {
  Expr r = declared(decl.name, "Module::logic");
  add(std::move(decl));
  return r;
}
FfReg Module::reg(const std::string& stem, DataType t, Expr reset, std::string comment) {
  const Expr q = logic(stem + "_q", t, std::move(comment));
  const Expr d = logic(stem + "_d", std::move(t));
  return {.q = q, .d = d, .reset = std::move(reset)};
}

}  // namespace lstm::sv
