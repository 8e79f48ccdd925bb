// Name check of the SystemVerilog syntax tree: declarations before uses.
#include "gen/sv/names.hpp"

#include <fmt/format.h>

#include <set>
#include <stdexcept>

#include "gen/sv/overloaded.hpp"

namespace lstm::sv {

namespace {

bool word_start(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '$';
}
bool word_char(char ch) { return word_start(ch) || (ch >= '0' && ch <= '9'); }

// Nested scopes of one module or package, innermost last.
class Scopes {
 public:
  explicit Scopes(std::string unit) : unit_(std::move(unit)) { push(); }
  void push() { stack_.emplace_back(); }
  void pop() { stack_.pop_back(); }

  void declare(const std::string& n) {
    for (const auto& s : stack_)
      if (s.contains(n))
        throw std::logic_error(fmt::format("sv: {}: \"{}\" is declared twice", unit_, n));
    stack_.back().insert(n);
  }
  void use(const Expr& e) const {
    for (const std::string& n : plain_names(e))
      if (!visible(n))
        throw std::logic_error(fmt::format(
            "sv: {}: \"{}\" is used in `{}` but not declared before it", unit_, n, e.text()));
  }
  void use(const DataType& t) const { use(t.width); }

 private:
  bool visible(const std::string& n) const {
    for (const auto& s : stack_)
      if (s.contains(n)) return true;
    return false;
  }
  std::string unit_;
  std::vector<std::set<std::string>> stack_;
};

void check_block(Scopes& s, const Block& b);

void check_stmt(Scopes& s, const Stmt& st) {
  std::visit(Overloaded{
                 [&](const Assign& a) {
                   s.use(a.lhs);
                   s.use(a.rhs);
                 },
                 [&](const If& i) {
                   s.use(i.cond);
                   check_block(s, i.then_body);
                   check_block(s, i.else_body);
                 },
                 [&](const Case& c) {
                   s.use(c.subject);
                   for (const CaseItem& item : c.items) {
                     for (const Expr& l : item.labels) s.use(l);
                     check_block(s, item.body);
                   }
                   check_block(s, c.default_body);
                 },
                 [&](const For& f) {
                   s.use(f.begin);
                   s.use(f.end);
                   s.push();
                   s.declare(f.var);
                   check_block(s, f.body);
                   s.pop();
                 },
                 [](const Comment&) {},
             },
             st.node);
}

void check_block(Scopes& s, const Block& b) {
  for (const Stmt& st : b) check_stmt(s, st);
}

void check_param(Scopes& s, const Param& p) {
  s.use(p.value);
  s.declare(p.name);
}

void check_items(Scopes& s, const Items& items);

void check_gen_for(Scopes& s, const GenFor& g) {
  s.declare(g.label);
  s.use(g.begin);
  s.use(g.end);
  s.push();
  s.declare(g.var);
  check_items(s, g.items);
  s.pop();
}

void check_gen_if(Scopes& s, const GenIf& g) {
  s.use(g.cond);
  s.declare(g.label);
  if (!g.else_label.empty() && g.else_label != g.label) s.declare(g.else_label);
  for (const Items* branch : {&g.items, &g.else_items}) {
    s.push();
    check_items(s, *branch);
    s.pop();
  }
}

void check_item(Scopes& s, const ModuleItem& it) {
  std::visit(Overloaded{
                 [&](const Param& p) { check_param(s, p); },
                 [&](const Logic& l) {
                   s.use(l.type);
                   for (const Expr& d : l.unpacked) s.use(d);
                   s.declare(l.name);
                 },
                 [&](const ContAssign& a) {
                   s.use(a.lhs);
                   s.use(a.rhs);
                 },
                 [&](const AlwaysFf& ff) {
                   s.use(ff.clk);
                   s.use(ff.rst_n);
                   for (const FfReg& r : ff.regs) {
                     s.use(r.q);
                     s.use(r.d);
                     s.use(r.reset);
                   }
                 },
                 [&](const AlwaysComb& ac) {
                   check_block(s, ac.defaults);
                   check_block(s, ac.body);
                 },
                 [&](const Instance& inst) {
                   for (const Connection& c : inst.params) s.use(c.expr);
                   for (const Connection& c : inst.ports) s.use(c.expr);
                   s.declare(inst.name);
                 },
                 [&](const GenFor& g) { check_gen_for(s, g); },
                 [&](const GenIf& g) { check_gen_if(s, g); },
                 [](const Comment&) {},
                 [](const Blank&) {},
             },
             it.node);
}

void check_items(Scopes& s, const Items& items) {
  for (const ModuleItem& it : items) check_item(s, it);
}

void check_function(Scopes& s, const Function& f) {
  s.use(f.ret);
  s.declare(f.name);
  s.push();
  for (const Var& v : f.args) {
    s.use(v.type);
    s.declare(v.name);
  }
  for (const Var& v : f.locals) {
    s.use(v.type);
    s.declare(v.name);
  }
  check_block(s, f.body);
  s.pop();
}

}  // namespace

std::vector<std::string> plain_names(const Expr& e) {
  const std::string& t = e.text();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < t.size();) {
    if (word_start(t[i])) {
      const std::size_t b = i;
      while (i < t.size() && word_char(t[i])) ++i;
      bool scoped = false;
      while (t.compare(i, 2, "::") == 0) {
        scoped = true;
        for (i += 2; i < t.size() && word_char(t[i]);) ++i;
      }
      if (!scoped && t[b] != '$') out.push_back(t.substr(b, i - b));
    } else if (t[i] == '\'') {
      // A cast W'(x), or a literal's [s]base and digits (8'sh80, '0).
      if (++i < t.size() && t[i] == '(') continue;
      while (i < t.size() && word_char(t[i])) ++i;
    } else if (word_char(t[i])) {  // a number
      while (i < t.size() && word_char(t[i])) ++i;
    } else {
      ++i;
    }
  }
  return out;
}

void check_names(const Module& m) {
  Scopes s("module " + m.name);
  for (const Param& p : m.params) check_param(s, p);
  for (const Port& p : m.ports) {
    s.use(p.type);
    s.declare(p.name);
  }
  check_items(s, m.items);
}

void check_names(const Package& p) {
  Scopes s("package " + p.name);
  for (const Param& lp : p.localparams) check_param(s, lp);
  for (const Function& f : p.functions) check_function(s, f);
}

}  // namespace lstm::sv
