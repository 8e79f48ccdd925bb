// lstm_axi_top: see gen/emit_axi_top.hpp.
#include "gen/emit_axi_top.hpp"

#include <string>
#include <vector>

#include "gen/emit_package.hpp"

namespace lstm {

namespace {

using namespace sv;

bool is_host_port(const std::string& n) { return n.starts_with("host_"); }

}  // namespace

Module emit_axi_top(const HwConfig& c, const Module& top) {
  const std::vector<Param> pkg = package_localparams(c);
  Module m{.name = kAxiTopName,
           .comment = "lstm_axi_top: lstm_top with an AXI4-Lite slave for its host registers and\n"
                      "memories (byte address = word address << lstm_pkg::ByteShift).\n"
                      "Register and memory map: docs/host-interface.md."};
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
  // The stream ports of lstm_top, unchanged.
  std::vector<Connection> inner = {{"clk_i", clk}, {"rst_ni", rst_n}};
  for (const Port& p : top.ports) {
    if (p.name == "clk_i" || p.name == "rst_ni" || is_host_port(p.name)) continue;
    inner.push_back({p.name, p.dir == PortDir::Input ? m.input(p.name, p.type, p.comment)
                                                    : m.output(p.name, p.type, p.comment)});
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
