// Expression helpers of the SystemVerilog syntax tree (gen/sv/ast.hpp).
#include "gen/sv/ast.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace lstm::sv {

namespace {

// A plain name, scoped name, number, sized literal or '0/'1: no operator at top level.
bool is_atom_text(const std::string& s) {
  if (s.empty()) return false;
  for (char ch : s) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == ':' || ch == '\'' ||
                    ch == '$' || ch == '.' || ch == '[' || ch == ']';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::int64_t> fold(const Expr& a, const Expr& b, auto op) {
  if (a.value() && b.value()) return op(*a.value(), *b.value());
  return std::nullopt;
}

Expr binary(const Expr& a, const char* op, const Expr& b, Prec p,
            std::optional<std::int64_t> value = {}) {
  // Shifts: operands other than atoms get parentheses for the reader's sake.
  const Prec ctx = p == Prec::Shift ? Prec::Unary : p;
  // Left-associative: the right operand needs parentheses at equal precedence.
  std::string rhs = b.prec() >= p || b.prec() > ctx ? fmt::format("({})", b.text()) : b.text();
  return Expr(fmt::format("{} {} {}", a.operand(ctx), op, rhs), p, value);
}

std::string join(const std::vector<Expr>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += ", ";
    out += parts[i].text();
  }
  return out;
}

}  // namespace

Expr::Expr(std::string text) : text_(std::move(text)) {
  prec_ = is_atom_text(text_) ? Prec::Atom : Prec::Cond;
  if (text_.empty()) throw std::invalid_argument("sv::Expr: empty expression");
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
  return Expr(std::move(name), Prec::Atom, value);
}

Expr lit(int width, std::uint64_t value) {
  return Expr(fmt::format("{}'d{}", width, value), Prec::Atom);
}

Expr slit(int width, std::int64_t value) {
  if (width < 1 || width > 64) throw std::invalid_argument("sv::slit: width out of range");
  const std::int64_t min = width == 64 ? INT64_MIN : -(std::int64_t{1} << (width - 1));
  const std::int64_t max = width == 64 ? INT64_MAX : (std::int64_t{1} << (width - 1)) - 1;
  if (value < min || value > max)
    throw std::invalid_argument(fmt::format("sv::slit: {} does not fit {} bits", value, width));
  if (value >= 0) return Expr(fmt::format("{}'sd{}", width, value), Prec::Atom);
  if (value == min)  // the magnitude does not fit: spell the bit pattern
    return Expr(fmt::format("{}'sh{:x}", width, std::uint64_t{1} << (width - 1)), Prec::Atom);
  return Expr(fmt::format("-{}'sd{}", width, -value), Prec::Unary);
}

Expr operator+(const Expr& a, const Expr& b) {
  return binary(a, "+", b, Prec::Add, fold(a, b, [](auto x, auto y) { return x + y; }));
}
Expr operator-(const Expr& a, const Expr& b) {
  return binary(a, "-", b, Prec::Add, fold(a, b, [](auto x, auto y) { return x - y; }));
}
Expr operator*(const Expr& a, const Expr& b) {
  return binary(a, "*", b, Prec::Mul, fold(a, b, [](auto x, auto y) { return x * y; }));
}
Expr operator<<(const Expr& a, const Expr& b) {
  return binary(a, "<<", b, Prec::Shift, fold(a, b, [](auto x, auto y) { return x << y; }));
}
// A unary operator's text. Built with append rather than `"-" + str`, which
// g++ 12 at -O3 flags with a false -Wrestrict.
static std::string prefixed(char op, const Expr& a) {
  std::string s(1, op);
  s += a.operand(Prec::Atom);
  return s;
}

Expr operator-(const Expr& a) {
  std::optional<std::int64_t> v;
  if (a.value()) v = -*a.value();
  if (a.prec() == Prec::Unary && a.text().front() == '-') {  // -(-x) is x
    const Expr inner(a.text().substr(1));
    return Expr(inner.text(), inner.prec(), v);
  }
  return Expr(prefixed('-', a), Prec::Unary, v);
}
Expr operator!(const Expr& a) { return Expr(prefixed('!', a), Prec::Unary); }
Expr operator~(const Expr& a) { return Expr(prefixed('~', a), Prec::Unary); }
Expr operator&(const Expr& a, const Expr& b) { return binary(a, "&", b, Prec::BitAnd); }
Expr operator|(const Expr& a, const Expr& b) { return binary(a, "|", b, Prec::BitOr); }
Expr operator^(const Expr& a, const Expr& b) { return binary(a, "^", b, Prec::BitXor); }
Expr operator&&(const Expr& a, const Expr& b) { return binary(a, "&&", b, Prec::LogAnd); }
Expr operator||(const Expr& a, const Expr& b) { return binary(a, "||", b, Prec::LogOr); }
Expr operator<(const Expr& a, const Expr& b) { return binary(a, "<", b, Prec::Compare); }
Expr operator<=(const Expr& a, const Expr& b) { return binary(a, "<=", b, Prec::Compare); }
Expr operator>(const Expr& a, const Expr& b) { return binary(a, ">", b, Prec::Compare); }
Expr operator>=(const Expr& a, const Expr& b) { return binary(a, ">=", b, Prec::Compare); }
Expr eq(const Expr& a, const Expr& b) { return binary(a, "==", b, Prec::Equal); }
Expr ne(const Expr& a, const Expr& b) { return binary(a, "!=", b, Prec::Equal); }
Expr ashr(const Expr& a, const Expr& b) { return binary(a, ">>>", b, Prec::Shift); }
Expr shr(const Expr& a, const Expr& b) { return binary(a, ">>", b, Prec::Shift); }

Expr cond(const Expr& c, const Expr& a, const Expr& b) {
  // Right-associative: a nested conditional in the else arm needs no parentheses.
  return Expr(fmt::format("{} ? {} : {}", c.operand(Prec::LogOr), a.operand(Prec::LogOr),
                          b.operand(Prec::Cond)),
              Prec::Cond);
}
Expr index(const Expr& x, const Expr& i) {
  return Expr(fmt::format("{}[{}]", x.operand(Prec::Atom), i.text()), Prec::Atom);
}
Expr slice(const Expr& x, const Expr& msb, const Expr& lsb) {
  return Expr(fmt::format("{}[{}:{}]", x.operand(Prec::Atom), msb.text(), lsb.text()),
              Prec::Atom);
}
Expr part(const Expr& x, const Expr& base, const Expr& width) {
  return Expr(fmt::format("{}[{} +: {}]", x.operand(Prec::Atom), base.text(), width.text()),
              Prec::Atom);
}
Expr cast(const Expr& width, const Expr& x) {
  return Expr(fmt::format("{}'({})", width.operand(Prec::Atom), x.text()), Prec::Atom);
}
Expr to_signed(const Expr& x) { return Expr(fmt::format("$signed({})", x.text()), Prec::Atom); }
Expr concat(const std::vector<Expr>& parts) {
  return Expr(fmt::format("{{{}}}", join(parts)), Prec::Atom);
}
Expr repl(const Expr& n, const Expr& x) {
  return Expr(fmt::format("{{{}{{{}}}}}", n.text(), x.text()), Prec::Atom);
}
Expr call(const std::string& fn, const std::vector<Expr>& args) {
  return Expr(fmt::format("{}({})", fn, join(args)), Prec::Atom);
}
Expr clog2(const Expr& x) {
  std::optional<std::int64_t> v;
  if (x.value() && *x.value() >= 1) {
    std::int64_t b = 0;
    while ((std::int64_t{1} << b) < *x.value()) ++b;
    v = b;
  }
  return Expr(fmt::format("$clog2({})", x.text()), Prec::Atom, v);
}

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

}  // namespace lstm::sv
