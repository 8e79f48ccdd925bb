// lstm_axi_top: see gen/emit_axi_top.hpp.
#include "gen/emit_axi_top.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "gen/emit_package.hpp"

namespace lstm {

namespace {

using namespace sv;

bool is_host_port(const std::string& n) { return n.starts_with("host_"); }

// lstm_top's weight/bias row stream is AXI4-Stream as it is: on lstm_axi_top
// its ports take the AXI names (wl_valid_i -> s_axis_w_tvalid_i).
std::string axi_name(const std::string& n) {
  if (!n.starts_with("wl_")) return n;
  return "s_axis_w_t" + n.substr(3);
}

// The x and h stream ports of lstm_top, which the AXI4-Stream adapters replace.
bool is_stream_port(const std::string& n) { return n.starts_with("in_") || n.starts_with("out_"); }

// AXI4-Stream x inputs and h outputs, one lstm_axis_in / lstm_axis_out per
// core port, between the ports and lstm_top's native streams (their wires are
// appended to `inner`, lstm_top's connections).
void add_axis_streams(Module& m, const std::vector<Param>& pkg, const Expr& clk,
                      const Expr& rst_n, std::vector<Connection>& inner) {
  const Expr cores = package_ref(pkg, "Cores"), dw = package_ref(pkg, "DataW");
  const Expr aw = package_ref(pkg, "AxisDataW");
  const int n = static_cast<int>(*cores.value()), d = static_cast<int>(*dw.value());
  const int a = static_cast<int>(*aw.value());
  const Expr x_valid = m.input("s_axis_x_tvalid_i", ulogic(cores), "AXI4-Stream x, per core port");
  const Expr x_ready = m.output("s_axis_x_tready_o", ulogic(cores));
  const Expr x_data = m.input("s_axis_x_tdata_i", ulogic(cores * aw),
                              "x_t[j] in whole bytes (low DataW bits read)");
  const Expr h_valid = m.output("m_axis_h_tvalid_o", ulogic(cores), "AXI4-Stream h, per core port");
  const Expr h_ready = m.input("m_axis_h_tready_i", ulogic(cores));
  const Expr h_data = m.output("m_axis_h_tdata_o", ulogic(cores * aw), "h_t[j], sign-extended");
  const Expr h_last = m.output("m_axis_h_tlast_o", ulogic(cores), "last element of an h_t");
  const Expr h_user = m.output("m_axis_h_tuser_o", ulogic(cores), "last element of a run");
  // lstm_top's native streams.
  struct Wire {
    const char* port;  // lstm_top's
    Expr width;
  };
  const Wire wires[] = {{"in_valid_i", cores},     {"in_ready_o", cores}, {"in_data_i", cores * dw},
                        {"out_valid_o", cores},    {"out_ready_i", cores}, {"out_data_o", cores * dw},
                        {"out_last_o", cores},     {"out_seq_last_o", cores}};
  std::vector<Expr> w;
  for (const Wire& k : wires) {
    const std::string port = k.port;
    w.push_back(m.logic(port.substr(0, port.size() - 2), ulogic(k.width)));
    inner.push_back({port, w.back()});
  }
  for (int c = 0; c < n; ++c) {
    m.add(Instance{.module = "lstm_axis_in",
                   .name = fmt::format("u_axis_x{}", c),
                   .ports = {{"clk_i", clk},
                             {"rst_ni", rst_n},
                             {"s_axis_tvalid_i", index(x_valid, c)},
                             {"s_axis_tready_o", index(x_ready, c)},
                             {"s_axis_tdata_i", flat_slot(x_data, c, a)},
                             {"out_valid_o", index(w[0], c)},
                             {"out_ready_i", index(w[1], c)},
                             {"out_data_o", flat_slot(w[2], c, d)}}});
    m.add(Instance{.module = "lstm_axis_out",
                   .name = fmt::format("u_axis_h{}", c),
                   .ports = {{"clk_i", clk},
                             {"rst_ni", rst_n},
                             {"in_valid_i", index(w[3], c)},
                             {"in_ready_o", index(w[4], c)},
                             {"in_data_i", flat_slot(w[5], c, d)},
                             {"in_last_i", index(w[6], c)},
                             {"in_seq_last_i", index(w[7], c)},
                             {"m_axis_tvalid_o", index(h_valid, c)},
                             {"m_axis_tready_i", index(h_ready, c)},
                             {"m_axis_tdata_o", flat_slot(h_data, c, a)},
                             {"m_axis_tlast_o", index(h_last, c)},
                             {"m_axis_tuser_o", index(h_user, c)}}});
  }
}

}  // namespace

Module emit_axi_top(const HwConfig& c, const Module& top) {
  const std::vector<Param> pkg = package_localparams(c);
  Module m{.name = kAxiTopName,
           .comment = "lstm_axi_top: lstm_top with an AXI4-Lite slave for its host registers and\n"
                      "memories (byte address = word address << lstm_pkg::ByteShift), and\n"
                      "AXI4-Stream x inputs and h outputs (lstm_axis_in, lstm_axis_out).\n"
                      "Ports, register and memory map: docs/host-interface.md."};
  const Expr clk = m.input("clk_i", {}, "clock");
  const Expr rst_n = m.input("rst_ni", {}, "asynchronous reset, active low");
  const Expr axi_w = package_ref(pkg, "AddrW") + package_ref(pkg, "ByteShift");
  std::vector<Connection> slave = {{"clk_i", clk}, {"rst_ni", rst_n}};
  // AXI4-Lite channels: name, direction (true: input), width.
  struct AxiPort {
    const char* name;
    bool in;
    Expr width;
  };
  const AxiPort axi[] = {
      {"awvalid", true, 1}, {"awready", false, 1}, {"awaddr", true, axi_w},
      {"wvalid", true, 1},  {"wready", false, 1},  {"wdata", true, 32},
      {"wstrb", true, 4},   {"bvalid", false, 1},  {"bready", true, 1},
      {"bresp", false, 2},  {"arvalid", true, 1},  {"arready", false, 1},
      {"araddr", true, axi_w}, {"rvalid", false, 1}, {"rready", true, 1},
      {"rdata", false, 32}, {"rresp", false, 2}};
  for (const AxiPort& a : axi) {
    const std::string n = std::string("s_axil_") + a.name + (a.in ? "_i" : "_o");
    const DataType t = ulogic(a.width);
    slave.push_back({n, a.in ? m.input(n, t) : m.output(n, t)});
  }
  // The streams through the AXI4-Stream adapters; lstm_top's other ports
  // (busy_o, irq_o, the row stream) pass through, under their AXI names.
  std::vector<Connection> inner = {{"clk_i", clk}, {"rst_ni", rst_n}};
  add_axis_streams(m, pkg, clk, rst_n, inner);
  for (const Port& p : top.ports) {
    if (p.name == "clk_i" || p.name == "rst_ni" || is_host_port(p.name)) continue;
    if (is_stream_port(p.name)) {  // every one must have its adapter's wire
      bool wired = false;
      for (const Connection& k : inner) wired = wired || k.name == p.name;
      if (!wired) throw std::logic_error("emit_axi_top: no AXI4-Stream adapter for " + p.name);
      continue;
    }
    const std::string n = axi_name(p.name);
    inner.push_back({p.name, p.dir == PortDir::Input ? m.input(n, p.type, p.comment)
                                                    : m.output(n, p.type, p.comment)});
  }
  // The native host port between them.
  for (const Port& p : top.ports) {
    if (!is_host_port(p.name)) continue;
    const std::string wire = p.name.substr(0, p.name.size() - 2);  // host_we_i -> host_we
    const Expr w = m.logic(wire, p.type);
    inner.push_back({p.name, w});
    // The slave's side has the opposite direction: host_we_o, host_rdata_i.
    slave.push_back({wire + (p.dir == PortDir::Input ? "_o" : "_i"), w});
  }
  m.add(Instance{.module = "lstm_axil_slave", .name = "u_axil", .ports = slave});
  m.add(Instance{.module = top.name, .name = "u_top", .ports = inner});
  return m;
}

}  // namespace lstm
