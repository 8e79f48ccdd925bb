// lstm_axi_top_dut.cpp: the one C++ file compiled per config. The rtl engine
// builds it with the verilated lstm_axi_top into the config's model plugin
// (tb/rtl_engine.cpp, tb/rtl_build.hpp); rtlsim loads the plugin and reaches
// the design only through AccelDut (tb/accel_dut.hpp). All packing of numbers
// into the model's port types goes through tb/port_pack.hpp.
#include <cstring>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>

#include "Vlstm_axi_top.h"
#include <verilated_syms.h>
#include "tb/accel_dut.hpp"
#include "tb/port_pack.hpp"
#include "tb/verilated_dut.hpp"

// The config hash this plugin's RTL was generated from (passed by the rtl
// engine's build request): rtlsim refuses a plugin of another config.
#ifndef LSTM_TB_CONFIG_HASH
#error "build lstm_axi_top_dut.cpp with -DLSTM_TB_CONFIG_HASH=\"<config hash>\""
#endif

namespace lstm::tb {
namespace {

class LstmAxiTopDut final : public VerilatedDut<Vlstm_axi_top, AccelDut> {
 public:
  LstmAxiTopDut(VerilatedContext& ctx, const AccelDutShape& s)
      : VerilatedDut(ctx), ctx_(ctx), cores_(s.cores), aw_((s.data_width + 7) / 8 * 8),
        rw_(s.row_slot_width) {
    if (s.data_width == 0 || aw_ > 64)
      throw std::invalid_argument("lstm_axi_top plugin: data width " +
                                  std::to_string(s.data_width) + " is not in 1..64");
    if (rw_ == 0 || rw_ > 32)
      throw std::invalid_argument("lstm_axi_top plugin: row slot width " + std::to_string(rw_) +
                                  " is not in 1..32");
    const Vlstm_axi_top& t = model();
    check_fits("s_axis_x_tvalid_i", sizeof(t.s_axis_x_tvalid_i), s.cores);
    check_fits("s_axis_x_tdata_i", sizeof(t.s_axis_x_tdata_i), s.cores * aw_);
    check_fits("m_axis_h_tdata_o", sizeof(t.m_axis_h_tdata_o), s.cores * aw_);
    check_fits("s_axis_w_tdata_i", sizeof(t.s_axis_w_tdata_i), s.slots * rw_);
  }

  void set_awvalid(bool v) override { model().s_axil_awvalid_i = v; }
  bool awready() const override { return model().s_axil_awready_o != 0; }
  void set_awaddr(std::uint32_t a) override { model().s_axil_awaddr_i = a; }
  void set_wvalid(bool v) override { model().s_axil_wvalid_i = v; }
  bool wready() const override { return model().s_axil_wready_o != 0; }
  void set_wdata(std::uint32_t d) override { model().s_axil_wdata_i = d; }
  void set_wstrb(unsigned s) override { model().s_axil_wstrb_i = s & 0xF; }
  bool bvalid() const override { return model().s_axil_bvalid_o != 0; }
  void set_bready(bool r) override { model().s_axil_bready_i = r; }
  unsigned bresp() const override { return model().s_axil_bresp_o; }
  void set_arvalid(bool v) override { model().s_axil_arvalid_i = v; }
  bool arready() const override { return model().s_axil_arready_o != 0; }
  void set_araddr(std::uint32_t a) override { model().s_axil_araddr_i = a; }
  bool rvalid() const override { return model().s_axil_rvalid_o != 0; }
  void set_rready(bool r) override { model().s_axil_rready_i = r; }
  std::uint32_t rdata() const override { return model().s_axil_rdata_o; }
  unsigned rresp() const override { return model().s_axil_rresp_o; }

  void set_x_tvalid(unsigned p, bool v) override { set_slice(model().s_axis_x_tvalid_i, p, 1, v); }
  bool x_tready(unsigned p) const override { return get_slice(model().s_axis_x_tready_o, p, 1) != 0; }
  void set_x_tdata(unsigned p, std::uint64_t d) override {
    set_slice(model().s_axis_x_tdata_i, p, aw_, d);
  }
  bool h_tvalid(unsigned p) const override { return get_slice(model().m_axis_h_tvalid_o, p, 1) != 0; }
  void set_h_tready(unsigned p, bool r) override { set_slice(model().m_axis_h_tready_i, p, 1, r); }
  std::uint64_t h_tdata(unsigned p) const override { return get_slice(model().m_axis_h_tdata_o, p, aw_); }
  bool h_tlast(unsigned p) const override { return get_slice(model().m_axis_h_tlast_o, p, 1) != 0; }
  bool h_tuser(unsigned p) const override { return get_slice(model().m_axis_h_tuser_o, p, 1) != 0; }


  bool busy() const override { return model().busy_o != 0; }
  bool irq() const override { return model().irq_o != 0; }

  void set_row_valid(bool v) override { model().s_axis_w_tvalid_i = v; }
  bool row_ready() const override { return model().s_axis_w_tready_o != 0; }
  void set_row_data(std::span<const std::uint32_t> words) override {
    set_words(model().s_axis_w_tdata_i, words);
  }

  void backdoor_write(unsigned core, Memory m, unsigned slot, std::uint32_t word,
                      std::uint64_t value) override {
    const Ram& r = ram(core, m, slot);
    check_word(r, word);
    value &= low_mask(r.width);
    std::memcpy(r.data + std::size_t{word} * r.bytes, &value, r.bytes);  // little endian
  }
  std::uint64_t backdoor_read(unsigned core, Memory m, unsigned slot,
                              std::uint32_t word) const override {
    const Ram& r = ram(core, m, slot);
    check_word(r, word);
    std::uint64_t v = 0;
    std::memcpy(&v, r.data + std::size_t{word} * r.bytes, r.bytes);
    return v;
  }
  std::uint32_t memory_depth(Memory m) const override { return ram(0, m, 0).depth; }

 private:
  // The C++ port type must hold the bits the config says the port has.
  static void check_fits(const char* port, std::size_t bytes, unsigned bits) {
    if (bits > bytes * 8)
      throw std::invalid_argument(std::string("lstm_axi_top plugin: port ") + port + " holds " +
                                  std::to_string(bytes * 8) + " bits, the config needs " +
                                  std::to_string(bits) + " (plugin built for another config?)");
  }

  // One lstm_ram_1r1w's mem_q array, found by its instance path. The paths
  // are the RTL's: u_top (lstm_top) in lstm_axi_top (gen/emit_axi_top.cpp),
  // u_core<c> in lstm_top (gen/emit_top.cpp) and gen_wmem[<slot>].u_wram /
  // u_bram in rtl/lstm_core.sv.
  struct Ram {
    unsigned char* data = nullptr;
    std::size_t bytes = 0;   // per word (Verilator's CData..QData)
    unsigned width = 0;
    std::uint32_t depth = 0;
  };

  const Ram& ram(unsigned core, Memory m, unsigned slot) const {
    const auto key = std::make_tuple(core, m, slot);
    if (auto it = rams_.find(key); it != rams_.end()) return it->second;
    if (core >= cores_) throw std::out_of_range("backdoor: no core " + std::to_string(core));
    const std::string path = "TOP.lstm_axi_top.u_top.u_core" + std::to_string(core) +
                             ".gen_wmem[" + std::to_string(slot) + "]." +
                             (m == Memory::Weights ? "u_wram" : "u_bram");
    const VerilatedScope* scope = ctx_.scopeFind(path.c_str());
    const VerilatedVar* var = scope ? scope->varFind("mem_q") : nullptr;
    if (!var)
      throw std::out_of_range("backdoor: no memory " + path + ".mem_q (slot out of range, or a "
                              "plugin verilated without tb/lstm_top_backdoor.vlt)");
    Ram r{static_cast<unsigned char*>(var->datap()), static_cast<std::size_t>(var->entSize()),
          static_cast<unsigned>(var->packed().elements()),
          static_cast<std::uint32_t>(var->unpacked().elements())};
    if (r.bytes == 0 || r.bytes > 8 || r.width > 64)
      throw std::out_of_range("backdoor: " + path + ".mem_q words are wider than 64 bits");
    return rams_.emplace(key, r).first->second;
  }

  static void check_word(const Ram& r, std::uint32_t word) {
    if (word >= r.depth)
      throw std::out_of_range("backdoor: word " + std::to_string(word) + " of a " +
                              std::to_string(r.depth) + "-word memory");
  }

  VerilatedContext& ctx_;
  unsigned cores_;
  unsigned aw_;  // AxisDataW: TDATA of x and h
  unsigned rw_;  // WRowSlotW: a slot of a weight row beat
  mutable std::map<std::tuple<unsigned, Memory, unsigned>, Ram> rams_;
};

}  // namespace
}  // namespace lstm::tb

extern "C" lstm::tb::AccelDut* lstm_tb_make_accel_dut(VerilatedContext* ctx,
                                                      const lstm::tb::AccelDutShape* shape) {
#ifdef LSTM_TB_VERILATOR_THREADS
  // A model verilated with --threads N needs a context with N threads, set
  // before the model is built.
  if (ctx->threads() < LSTM_TB_VERILATOR_THREADS) ctx->threads(LSTM_TB_VERILATOR_THREADS);
#endif
  return new lstm::tb::LstmAxiTopDut(*ctx, *shape);
}

extern "C" unsigned lstm_tb_accel_dut_abi() { return lstm::tb::kAccelDutAbi; }

extern "C" const char* lstm_tb_config_hash() { return LSTM_TB_CONFIG_HASH; }
