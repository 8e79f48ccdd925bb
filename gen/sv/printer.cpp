// The one printer of the SystemVerilog syntax tree.
#include "gen/sv/printer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "gen/sv/names.hpp"
#include "gen/sv/overloaded.hpp"

namespace lstm::sv {

namespace {

std::string with_comment(std::string line, const std::string& comment) {
  if (!comment.empty()) line += "  // " + comment;
  return line;
}

class Printer {
 public:
  std::string take() { return std::move(out_); }

  void line(const std::string& s) {
    if (s.empty()) {
      out_ += '\n';
      return;
    }
    out_.append(static_cast<std::size_t>(indent_) * 2, ' ');
    out_ += s;
    out_ += '\n';
  }
  void comment_lines(const std::string& text) {
    std::size_t start = 0;
    while (true) {
      const std::size_t nl = text.find('\n', start);
      const std::string l = text.substr(start, nl == std::string::npos ? nl : nl - start);
      line(l.empty() ? "//" : "// " + l);
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }

  // ------------------------------------------------------------ statements
  void block(const Block& b) {
    for (const Stmt& s : b) stmt(s);
  }
  void indented(const Block& b) {
    ++indent_;
    block(b);
    --indent_;
  }

  void stmt(const Stmt& s) {
    std::visit(Overloaded{
                   [&](const Assign& a) { line(assign_text(a)); },
                   [&](const If& i) { if_stmt(i, ""); },
                   [&](const Case& c) { case_stmt(c); },
                   [&](const For& f) {
                     line(fmt::format("for (int {0} = {1}; {0} < {2}; {0} = {0} + 1) begin",
                                      f.var, f.begin.text(), f.end.text()));
                     indented(f.body);
                     line("end");
                   },
                   [&](const Comment& c) { comment_lines(c.text); },
               },
               s.node);
  }

  static std::string assign_text(const Assign& a) {
    return fmt::format("{} {} {};", a.lhs.text(), a.nonblocking ? "<=" : "=", a.rhs.text());
  }

  void if_stmt(const If& i, const std::string& prefix) {
    line(fmt::format("{}if ({}) begin", prefix, i.cond.text()));
    indented(i.then_body);
    if (i.else_body.size() == 1 && std::holds_alternative<If>(i.else_body.front().node)) {
      if_stmt(std::get<If>(i.else_body.front().node), "end else ");
      return;
    }
    if (!i.else_body.empty()) {
      line("end else begin");
      indented(i.else_body);
    }
    line("end");
  }

  void case_item(const std::string& label, const Block& body) {
    if (body.empty()) {
      line(label + ": ;");
    } else if (body.size() == 1 && std::holds_alternative<Assign>(body.front().node)) {
      line(fmt::format("{}: {}", label, assign_text(std::get<Assign>(body.front().node))));
    } else {
      line(label + ": begin");
      indented(body);
      line("end");
    }
  }

  void case_stmt(const Case& c) {
    line(fmt::format("unique case ({})", c.subject.text()));
    ++indent_;
    for (const CaseItem& item : c.items) {
      if (item.labels.empty()) throw std::invalid_argument("sv: case item without a label");
      std::string label;
      for (const Expr& l : item.labels) label += (label.empty() ? "" : ", ") + l.text();
      case_item(label, item.body);
    }
    case_item("default", c.default_body);
    --indent_;
    line("endcase");
  }

  // ------------------------------------------------------------ package
  void param(const Param& p, const char* kw, const char* end) {
    line(with_comment(fmt::format("{} {} {} = {}{}", kw, p.type, p.name, p.value.text(), end),
                      p.comment));
  }

  void function(const Function& f) {
    if (!f.comment.empty()) comment_lines(f.comment);
    const std::string head =
        fmt::format("function automatic {} {}(", print_type(f.ret), f.name);
    if (f.args.size() <= 1) {
      line(f.args.empty() ? head + ");"
                          : fmt::format("{}input {} {});", head, print_type(f.args[0].type),
                                        f.args[0].name));
    } else {
      line(head);
      ++indent_;
      for (std::size_t i = 0; i < f.args.size(); ++i)
        line(fmt::format("input {} {}{}", print_type(f.args[i].type), f.args[i].name,
                         i + 1 < f.args.size() ? "," : ""));
      --indent_;
      line(");");
    }
    ++indent_;
    for (const Var& v : f.locals) line(fmt::format("{} {};", print_type(v.type), v.name));
    block(f.body);
    --indent_;
    line("endfunction");
  }

  void package(const Package& p) {
    if (!p.comment.empty()) comment_lines(p.comment);
    line(fmt::format("package {};", p.name));
    ++indent_;
    for (const Param& lp : p.localparams) param(lp, "localparam", ";");
    for (const Function& f : p.functions) {
      line("");
      function(f);
    }
    --indent_;
    line("endpackage");
  }

  // ------------------------------------------------------------ module
  void items(const Items& its) {
    for (const ModuleItem& it : its) item(it);
  }

  void item(const ModuleItem& it) {
    std::visit(Overloaded{
                   [&](const Param& p) { param(p, "localparam", ";"); },
                   [&](const Logic& l) { logic(l); },
                   [&](const ContAssign& a) {
                     line(fmt::format("assign {} = {};", a.lhs.text(), a.rhs.text()));
                   },
                   [&](const AlwaysFf& ff) { always_ff(ff); },
                   [&](const AlwaysComb& ac) {
                     line("always_comb begin");
                     indented(ac.defaults);
                     indented(ac.body);
                     line("end");
                   },
                   [&](const Instance& inst) { instance(inst); },
                   [&](const GenFor& g) { gen_for(g); },
                   [&](const GenIf& g) { gen_if(g); },
                   [&](const Comment& c) { comment_lines(c.text); },
                   [&](const Blank&) { line(""); },
               },
               it.node);
  }

  void logic(const Logic& l) {
    std::string dims;
    for (const Expr& d : l.unpacked) dims += fmt::format(" [{}]", d.text());
    line(with_comment(fmt::format("{} {}{};", print_type(l.type), l.name, dims), l.comment));
  }

  void indented_items(const Items& its) {
    ++indent_;
    items(its);
    --indent_;
  }

  void gen_for(const GenFor& g) {
    line(fmt::format("for (genvar {0} = {1}; {0} < {2}; {0} = {0} + 1) begin : {3}", g.var,
                     g.begin.text(), g.end.text(), g.label));
    indented_items(g.items);
    line("end");
  }

  void gen_if(const GenIf& g) {
    line(fmt::format("if ({}) begin : {}", g.cond.text(), g.label));
    indented_items(g.items);
    if (!g.else_items.empty()) {
      if (g.else_label.empty())
        throw std::invalid_argument("sv: if-generate else branch needs a label");
      line(fmt::format("end else begin : {}", g.else_label));
      indented_items(g.else_items);
    }
    line("end");
  }

  void always_ff(const AlwaysFf& ff) {
    line(fmt::format("always_ff @(posedge {} or negedge {}) begin", ff.clk.text(),
                     ff.rst_n.text()));
    ++indent_;
    line(fmt::format("if (!{}) begin", ff.rst_n.text()));
    ++indent_;
    for (const FfReg& r : ff.regs) line(fmt::format("{} <= {};", r.q.text(), r.reset.text()));
    --indent_;
    line("end else begin");
    ++indent_;
    for (const FfReg& r : ff.regs) line(fmt::format("{} <= {};", r.q.text(), r.d.text()));
    --indent_;
    line("end");
    --indent_;
    line("end");
  }

  void connections(const std::vector<Connection>& cs) {
    std::size_t w = 0;
    for (const Connection& c : cs) w = std::max(w, c.name.size());
    ++indent_;
    for (std::size_t i = 0; i < cs.size(); ++i)
      line(fmt::format(".{:<{}} ({}){}", cs[i].name, w, cs[i].expr.text(),
                       i + 1 < cs.size() ? "," : ""));
    --indent_;
  }

  void instance(const Instance& inst) {
    if (inst.params.empty()) {
      line(fmt::format("{} {} (", inst.module, inst.name));
    } else {
      line(fmt::format("{} #(", inst.module));
      connections(inst.params);
      line(fmt::format(") {} (", inst.name));
    }
    connections(inst.ports);
    line(");");
  }

  // Ports aligned in columns: direction and type, name, comment.
  void ports(const std::vector<Port>& ps) {
    std::vector<std::string> heads;
    std::size_t w = 0;
    for (const Port& p : ps) {
      heads.push_back(fmt::format("{} {}", p.dir == PortDir::Input ? "input " : "output",
                                  print_type(p.type)));
      w = std::max(w, heads.back().size());
    }
    ++indent_;
    for (std::size_t i = 0; i < ps.size(); ++i)
      line(with_comment(
          fmt::format("{:<{}} {}{}", heads[i], w, ps[i].name, i + 1 < ps.size() ? "," : ""),
          ps[i].comment));
    --indent_;
    line(");");
  }

  void module(const Module& m) {
    if (!m.comment.empty()) comment_lines(m.comment);
    if (m.params.empty()) {
      line(fmt::format("module {}{}", m.name, m.ports.empty() ? ";" : " ("));
    } else {
      line(fmt::format("module {} #(", m.name));
      ++indent_;
      for (std::size_t i = 0; i < m.params.size(); ++i)
        param(m.params[i], "parameter", i + 1 < m.params.size() ? "," : "");
      --indent_;
      line(m.ports.empty() ? ");" : ") (");
    }
    if (!m.ports.empty()) ports(m.ports);
    indented_items(m.items);
    line("endmodule");
  }

 private:
  std::string out_;
  int indent_ = 0;
};

}  // namespace

std::string print_type(const DataType& t) {
  std::string s = t.is_signed ? "logic signed" : "logic";
  const std::string r = packed_range(t.width);
  if (!r.empty()) s += " " + r;
  return s;
}

std::string print_comment(const std::string& text) {
  Printer p;
  p.comment_lines(text);
  return p.take();
}

std::string print(const Module& m) {
  check_names(m);
  Printer p;
  p.module(m);
  return p.take();
}

std::string print(const Package& pkg) {
  check_names(pkg);
  Printer p;
  p.package(pkg);
  return p.take();
}

}  // namespace lstm::sv
