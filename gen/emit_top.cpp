// The multicore top: N cores, the mode-select controller, host address
// decode, the stream routing of each mode and the h network. The generator
// knows N, so the fabric is emitted unrolled: each core's routing is spelled
// out with its own neighbours, which keeps the text readable and lets Yosys
// see plain wires.
#include "gen/emit_top.hpp"

#include <fmt/format.h>

#include <span>
#include <string>

#include "gen/emit_package.hpp"
#include "spec/host_map.hpp"

namespace lstm {

namespace {

using namespace sv;

// The package's numbers the top uses, by name, with their values (the values
// size the unrolled per-core slices). Nothing here is computed again.
struct TopParams {
  std::vector<Param> pkg;
  int cores = 0, lanes = 0, data_w = 0, pkt_w = 0;
  Expr ref(std::string_view name) const { return package_ref(pkg, name); }
  int value(std::string_view name) const { return static_cast<int>(*ref(name).value()); }
};

TopParams top_params(const HwConfig& c) {
  TopParams p{.pkg = package_localparams(c)};
  p.cores = p.value("Cores");
  p.lanes = p.value("Lanes");
  p.data_w = p.value("DataW");
  p.pkt_w = p.value("PktW");
  return p;
}

// Bit c of a per-core vector, or the core's slice of a flattened one.
Expr bit(const std::string& v, int c) { return fmt::format("{}[{}]", v, c); }
Expr slc(const std::string& v, int c, int w) {
  return w == 1 ? bit(v, c) : Expr(fmt::format("{}[{}:{}]", v, (c + 1) * w - 1, c * w));
}

void add_ports(Module& m, const TopParams& p) {
  // Port widths name the package: the module's own localparams come later.
  const Expr cores = p.ref("Cores");
  const Expr data_w = p.ref("DataW");
  m.ports = {
      {PortDir::Input, "clk_i", {}, "clock"},
      {PortDir::Input, "rst_ni", {}, "asynchronous reset, active low"},
      {PortDir::Input, "host_we_i", {}, "host write strobe"},
      {PortDir::Input, "host_re_i", {}, "host read strobe (data one cycle later)"},
      {PortDir::Input, "host_addr_i", ulogic(p.ref("AddrW")),
       "{target, region, index} (lstm_pkg::TargetShift, RegionShift)"},
      {PortDir::Input, "host_wdata_i", ulogic(32), {}},
      {PortDir::Output, "host_rdata_o", ulogic(32), {}},
      {PortDir::Output, "host_rvalid_o", {}, {}},
      {PortDir::Input, "in_valid_i", ulogic(cores), "x stream per core port"},
      {PortDir::Output, "in_ready_o", ulogic(cores), {}},
      {PortDir::Input, "in_data_i", ulogic(cores * data_w), {}},
      {PortDir::Output, "out_valid_o", ulogic(cores), "h stream per core port"},
      {PortDir::Input, "out_ready_i", ulogic(cores), {}},
      {PortDir::Output, "out_data_o", ulogic(cores * data_w), {}},
      {PortDir::Output, "out_last_o", ulogic(cores), "last element of an h vector"},
      {PortDir::Output, "busy_o", {}, "any core busy"},
  };
}

// Short names for the package's numbers used most (each one is used).
void add_localparams(Module& m, const TopParams& p) {
  for (const char* n : {"Cores", "DataW", "TargetW", "RegionW", "IndexW", "RegAddrW",
                        "SlotW", "WAddrW", "BAddrW", "PktW"})
    m.add(Param{.name = n, .value = p.ref(n)});
  m.add(Blank{});
}

// A package number as a value of `width` bits, e.g. RegionW'(lstm_pkg::RegionWeights).
Expr sized(const char* width, const TopParams& p, std::string_view name) {
  return cast(width, p.ref(name));
}

void add_host_decode(Module& m, const TopParams& p) {
  m.add(Comment{"Host address decode: target core (or the controller), region, index."});
  m.add(Logic{.name = "tgt", .type = ulogic("TargetW")});
  m.add(Logic{.name = "region", .type = ulogic("RegionW")});
  m.add(Logic{.name = "index", .type = ulogic("IndexW")});
  m.add(Logic{.name = "is_global"});
  m.add(Logic{.name = "reg_ok", .comment = "a core register that exists"});
  m.add(Logic{.name = "greg_ok", .comment = "a controller register that exists"});
  m.add(Logic{.name = "wmem_ok", .comment = "a weight word that exists"});
  m.add(Logic{.name = "bmem_ok", .comment = "a bias word that exists"});
  m.add(Logic{.name = "rd_ok", .comment = "a read of something that exists"});
  m.add(ContAssign{"{tgt, region, index}", "host_addr_i"});
  m.add(ContAssign{"is_global", eq("tgt", sized("TargetW", p, "TargetGlobal"))});
  const Expr regs = eq("region", sized("RegionW", p, "RegionRegs"));
  m.add(ContAssign{"reg_ok", regs && (Expr("index") < sized("IndexW", p, "NumRegs"))});
  m.add(ContAssign{"greg_ok", regs && (Expr("index") < sized("IndexW", p, "NumGRegs"))});
  // Words past the depth (not only past the address width) are ignored.
  m.add(ContAssign{"wmem_ok", Expr("(index >> SlotW)") < sized("IndexW", p, "WeightDepth")});
  m.add(ContAssign{"bmem_ok", Expr("(index >> SlotW)") < sized("IndexW", p, "BiasDepth")});
  m.add(ContAssign{"rd_ok", cond("is_global", "greg_ok", Expr("reg_ok") && (Expr("tgt") < cast("TargetW", "Cores")))});
  m.add(Blank{});
}

void add_controller(Module& m) {
  for (const char* v : {"c_busy", "c_done", "c_error", "c_start", "c_started", "chain", "group"})
    m.add(Logic{.name = v, .type = ulogic("Cores")});
  m.add(Logic{.name = "c_rdata", .type = ulogic(Expr("Cores") * 32)});
  m.add(Logic{.name = "g_rdata", .type = ulogic(32)});
  m.add(Instance{.module = "lstm_mode_ctrl",
                 .name = "u_ctrl",
                 .ports = {{"clk_i", "clk_i"},
                           {"rst_ni", "rst_ni"},
                           {"reg_we_i", Expr("host_we_i") && "is_global" && "greg_ok"},
                           {"reg_re_i", Expr("host_re_i") && "is_global" && "greg_ok"},
                           {"reg_addr_i", "index[lstm_pkg::GRegAddrW-1:0]"},
                           {"reg_wdata_i", "host_wdata_i"},
                           {"reg_rdata_o", "g_rdata"},
                           {"core_busy_i", "c_busy"},
                           {"core_done_i", "c_done"},
                           {"core_error_i", "c_error"},
                           {"start_o", "c_start"},
                           {"chain_o", "chain"},
                           {"group_o", "group"}}});
  m.add(Blank{});
}

// Streams and h network signals, per core.
void add_fabric_signals(Module& m, const TopParams& p) {
  for (const char* v : {"ci_valid", "ci_ready", "co_valid", "co_ready", "co_last", "hw_valid",
                        "hw_ready", "hin_valid"})
    m.add(Logic{.name = v, .type = ulogic("Cores")});
  m.add(Logic{.name = "ci_data", .type = ulogic(Expr("Cores") * "DataW")});
  m.add(Logic{.name = "co_data", .type = ulogic(Expr("Cores") * "DataW")});
  m.add(Logic{.name = "hw_data", .type = ulogic(Expr("Cores") * "PktW")});
  m.add(Logic{.name = "hin_data", .type = ulogic(Expr("Cores") * (Expr("PktW") - 1))});
  m.add(Logic{.name = "hdone", .type = ulogic(Expr("Cores") * 32)});
  m.add(Logic{.name = "out_done", .type = ulogic(Expr("Cores") * 32)});
  for (int d = 0; d < p.cores; ++d) {
    for (const char* v : {"fan", "push", "space"})
      m.add(Logic{.name = fmt::format("{}_d{}", v, d), .type = ulogic("Cores"),
                  .comment = std::string(v) == "fan" ? fmt::format("sources that write core {}'s h buffer", d)
                                                     : std::string{}});
  }
  m.add(Blank{});
}

// h network: a core's packets go to its own buffer, and in helper-core mode
// to every member of the group. A source sends when all its targets have room.
void add_h_network(Module& m, const TopParams& p) {
  m.add(Comment{"h network: own buffer always; every group member's in helper-core mode."});
  for (int d = 0; d < p.cores; ++d)
    for (int s = 0; s < p.cores; ++s)
      m.add(ContAssign{bit(fmt::format("fan_d{}", d), s),
                       s == d ? Expr("1'b1") : bit("group", s) && bit("group", d)});
  for (int s = 0; s < p.cores; ++s) {
    Expr ready = bit(fmt::format("space_d{}", s), s);
    for (int d = 0; d < p.cores; ++d)
      if (d != s)
        ready = ready && (!bit(fmt::format("fan_d{}", d), s) || bit(fmt::format("space_d{}", d), s));
    m.add(ContAssign{bit("hw_ready", s), ready});
  }
  for (int d = 0; d < p.cores; ++d)
    for (int s = 0; s < p.cores; ++s)
      m.add(ContAssign{bit(fmt::format("push_d{}", d), s),
                       bit("hw_valid", s) && bit("hw_ready", s) && bit(fmt::format("fan_d{}", d), s)});
  m.add(Blank{});
}

// x streams: own port; in mt, the previous core's h stream; in hc, port 0
// broadcast to the group (a transfer needs every member ready).
void add_streams(Module& m, const TopParams& p) {
  m.add(Comment{"Streams: own ports; mt chains core c's h into core c+1; hc broadcasts port 0."});
  m.add(Logic{.name = "grp_ready", .comment = "every helper-core group member takes x"});
  Expr all = "1'b1";
  for (int c = 0; c < p.cores; ++c) all = all && (!bit("group", c) || bit("ci_ready", c));
  m.add(ContAssign{"grp_ready", all});
  const int w = p.data_w;
  for (int c = 0; c < p.cores; ++c) {
    if (c == 0) {
      m.add(ContAssign{bit("ci_valid", 0), bit("in_valid_i", 0) && (!bit("group", 0) || Expr("grp_ready"))});
      m.add(ContAssign{slc("ci_data", 0, w), slc("in_data_i", 0, w)});
      m.add(ContAssign{bit("in_ready_o", 0), cond(bit("group", 0), "grp_ready", bit("ci_ready", 0))});
    } else {
      m.add(ContAssign{bit("ci_valid", c),
                       cond(bit("chain", c - 1), bit("co_valid", c - 1),
                            cond(bit("group", c), bit("in_valid_i", 0) && Expr("grp_ready"),
                                 bit("in_valid_i", c)))});
      m.add(ContAssign{slc("ci_data", c, w),
                       cond(bit("chain", c - 1), slc("co_data", c - 1, w),
                            cond(bit("group", c), slc("in_data_i", 0, w), slc("in_data_i", c, w)))});
      m.add(ContAssign{bit("in_ready_o", c),
                       !(bit("chain", c - 1) || bit("group", c)) && bit("ci_ready", c)});
    }
    m.add(ContAssign{bit("co_ready", c),
                     c + 1 < p.cores ? cond(bit("chain", c), bit("ci_ready", c + 1), bit("out_ready_i", c))
                                     : bit("out_ready_i", c)});
    m.add(ContAssign{bit("out_valid_o", c), bit("co_valid", c) && !bit("chain", c)});
    m.add(ContAssign{slc("out_data_o", c, w), slc("co_data", c, w)});
    m.add(ContAssign{bit("out_last_o", c), bit("co_last", c)});
  }
  m.add(Blank{});
}

void add_core(Module& m, const TopParams& p, int c) {
  const Expr me = eq("tgt", cast("TargetW", c));
  m.add(Comment{fmt::format("Core {}", c)});
  const std::string d = fmt::format("_d{}", c);
  m.add(Instance{
      .module = "lstm_core",
      .name = fmt::format("u_core{}", c),
      .ports = {
          {"clk_i", "clk_i"},
          {"rst_ni", "rst_ni"},
          {"reg_we_i", Expr("host_we_i") && me && "reg_ok"},
          {"reg_re_i", Expr("host_re_i") && me && "reg_ok"},
          {"reg_addr_i", "index[RegAddrW-1:0]"},
          {"reg_wdata_i", "host_wdata_i"},
          {"reg_rdata_o", slc("c_rdata", c, 32)},
          {"wmem_we_i", Expr("host_we_i") && me && eq("region", sized("RegionW", p, "RegionWeights")) && "wmem_ok"},
          {"wmem_slot_i", "index[SlotW-1:0]"},
          {"wmem_addr_i", "index[SlotW +: WAddrW]"},
          {"wmem_wdata_i", "host_wdata_i[lstm_pkg::WeightW-1:0]"},
          {"bmem_we_i", Expr("host_we_i") && me && eq("region", sized("RegionW", p, "RegionBiases")) && "bmem_ok"},
          {"bmem_slot_i", "index[SlotW-1:0]"},
          {"bmem_addr_i", "index[SlotW +: BAddrW]"},
          {"bmem_wdata_i", "host_wdata_i[lstm_pkg::BiasW-1:0]"},
          {"start_i", bit("c_start", c)},
          {"started_o", bit("c_started", c)},
          {"busy_o", bit("c_busy", c)},
          {"done_o", bit("c_done", c)},
          {"error_o", bit("c_error", c)},
          {"in_valid_i", bit("ci_valid", c)},
          {"in_ready_o", bit("ci_ready", c)},
          {"in_data_i", slc("ci_data", c, p.data_w)},
          {"out_valid_o", bit("co_valid", c)},
          {"out_ready_i", bit("co_ready", c)},
          {"out_data_o", slc("co_data", c, p.data_w)},
          {"out_last_o", bit("co_last", c)},
          {"hw_valid_o", bit("hw_valid", c)},
          {"hw_ready_i", bit("hw_ready", c)},
          {"hw_data_o", slc("hw_data", c, p.pkt_w)},
          {"hin_valid_i", bit("hin_valid", c)},
          {"hin_data_i", slc("hin_data", c, p.pkt_w - 1)},
          {"hdone_i", slc("hdone", c, 32)},
          {"out_done_o", slc("out_done", c, 32)},
          // In hc the group's output streamer is core 0's: nobody may
          // overwrite an h it has not sent yet.
          {"out_done_i", c == 0 ? slc("out_done", 0, 32)
                                : cond(bit("group", c), slc("out_done", 0, 32), slc("out_done", c, 32))},
          {"out_done_own_i", c == 0 ? Expr("1'b1") : !bit("group", c)},
      }});
  m.add(Instance{.module = "lstm_h_merge",
                 .name = fmt::format("u_merge{}", c),
                 .params = {{"Sources", "Cores"}, {"Width", "PktW"}},
                 .ports = {{"clk_i", "clk_i"},
                           {"rst_ni", "rst_ni"},
                           {"clear_i", bit("c_started", c)},
                           {"mask_i", "fan" + d},
                           {"push_i", "push" + d},
                           {"data_i", "hw_data"},
                           {"space_o", "space" + d},
                           {"wr_valid_o", bit("hin_valid", c)},
                           {"wr_data_o", slc("hin_data", c, p.pkt_w - 1)},
                           {"done_o", slc("hdone", c, 32)}}});
  m.add(Blank{});
}

void add_read_mux(Module& m, const TopParams& p) {
  m.add(Comment{"Host reads: the addressed block's registered read data, one cycle later."});
  m.add(Logic{.name = "rtgt_q", .type = ulogic("TargetW")});
  m.add(Logic{.name = "rtgt_d", .type = ulogic("TargetW")});
  m.add(Logic{.name = "rvalid_q"});
  m.add(Logic{.name = "rok_q", .comment = "the read named something that exists"});
  m.add(Logic{.name = "rok_d"});
  m.add(ContAssign{"rtgt_d", cond("host_re_i", "tgt", "rtgt_q")});
  m.add(ContAssign{"rok_d", cond("host_re_i", "rd_ok", "rok_q")});
  m.add(AlwaysFf{.regs = {{.q = "rtgt_q", .d = "rtgt_d", .reset = "'0"},
                          {.q = "rok_q", .d = "rok_d", .reset = "1'b0"},
                          {.q = "rvalid_q", .d = "host_re_i", .reset = "1'b0"}}});
  std::vector<CaseItem> items;
  items.push_back({{sized("TargetW", p, "TargetGlobal")}, {assign("host_rdata_o", "g_rdata")}});
  for (int c = 0; c < p.cores; ++c)
    items.push_back({{cast("TargetW", c)}, {assign("host_rdata_o", slc("c_rdata", c, 32))}});
  m.add(AlwaysComb{.defaults = {assign("host_rdata_o", lit(32, 0))},
                   .body = {if_("rok_q", {case_("rtgt_q", std::move(items), {})})}});
  m.add(ContAssign{"host_rvalid_o", "rvalid_q"});
  m.add(ContAssign{"busy_o", "|c_busy"});
}

}  // namespace

sv::Module emit_top(const HwConfig& c) {
  const TopParams p = top_params(c);
  Module m{.name = kTopName,
           .comment = fmt::format(
               "lstm_top: {} LSTM cores of {} lanes, the mode-select controller and the fabric.\n"
               "Register and memory map: docs/host-interface.md and manifest.json \"host_map\".",
               p.cores, p.lanes)};
  add_ports(m, p);
  add_localparams(m, p);
  add_host_decode(m, p);
  add_controller(m);
  add_fabric_signals(m, p);
  add_h_network(m, p);
  add_streams(m, p);
  for (int k = 0; k < p.cores; ++k) add_core(m, p, k);
  add_read_mux(m, p);
  return m;
}

nlohmann::ordered_json host_map_json(const HwConfig& c) {
  using namespace hostmap;
  // Every number comes from the tables of host_map.hpp, as in lstm_pkg.
  auto names = [](std::span<const Entry> t) {
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    for (const Entry& e : t) o[std::string(e.name)] = e.value;
    return o;
  };
  nlohmann::ordered_json j;
  j["address"] = names(kAddressTable);
  j["address"]["regions"] = names(kRegionTable);
  j["address"]["slot_bits"] = slot_bits(c);
  j["address"]["memory_index"] = "(word << slot_bits) | (lane * 4 + gate)";
  j["core_registers"] = names(kCoreRegTable);
  j["ctrl_bits"] = names(kCtrlTable);
  j["status_fields"] = names(kStatusTable);
  j["layer_fields"] = names(kLayerFieldTable);
  nlohmann::ordered_json flags;  // masks: OUT_EN = 1 << bit
  for (const Entry& e : kFlagTable) flags[std::string(e.name)] = 1u << e.value;
  j["flags"] = flags;
  j["global_registers"] = names(kGlobalRegTable);
  j["global_status_bits"] = names(kGlobalStatusTable);
  j["modes"] = names(kModeTable);
  nlohmann::ordered_json errors;  // code -> message, without kErrNone
  for (const Entry& e : kErrorTable)
    if (e.value != kErrNone) errors[std::to_string(e.value)] = e.doc;
  j["error_codes"] = errors;
  j["memories"] = {{"weight_depth", c.limits.weight_depth}, {"bias_depth", bias_depth(c)},
                   {"slots", *package_ref(package_localparams(c), "Macs").value()}};
  return j;
}

}  // namespace lstm
