// lstm_top_dut.cpp: the one C++ file compiled per config. The rtl engine
// builds it with the verilated lstm_top into the config's model plugin
// (tb/rtl_engine.cpp, tb/rtl_build.hpp); rtlsim loads the plugin and reaches
// the design only through AccelDut (tb/accel_dut.hpp). All packing of numbers
// into the model's port types goes through tb/port_pack.hpp.
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>

#include "Vlstm_top.h"
#include <verilated_syms.h>
#include "spec/host_map.hpp"
#include "tb/accel_dut.hpp"
#include "tb/port_pack.hpp"
#include "tb/verilated_dut.hpp"

// The config hash this plugin's RTL was generated from (passed by the rtl
// engine's build request): rtlsim refuses a plugin of another config.
#ifndef LSTM_TB_CONFIG_HASH
#error "build lstm_top_dut.cpp with -DLSTM_TB_CONFIG_HASH=\"<config hash>\""
#endif

namespace lstm::tb {
namespace {

class LstmTopDut final : public VerilatedDut<Vlstm_top, AccelDut> {
 public:
  LstmTopDut(VerilatedContext& ctx, unsigned cores, unsigned data_width)
      : VerilatedDut(ctx), ctx_(ctx), cores_(cores), dw_(data_width) {
    const Vlstm_top& t = model();
    check_fits("in_valid_i", sizeof(t.in_valid_i), cores);
    check_fits("in_data_i", sizeof(t.in_data_i), cores * data_width);
    check_fits("out_data_o", sizeof(t.out_data_o), cores * data_width);
    if (data_width == 0 || data_width > 64)
      throw std::invalid_argument("lstm_top plugin: data width " + std::to_string(data_width) +
                                  " is not in 1..64");
  }

  void set_host_write(bool we) override { model().host_we_i = we; }
  void set_host_read(bool re) override { model().host_re_i = re; }
  void set_host_addr(std::uint32_t a) override { set_port(model().host_addr_i, hostmap::kAddrBits, a); }
  void set_host_wdata(std::uint32_t d) override { set_port(model().host_wdata_i, 32, d); }
  std::uint32_t host_rdata() const override {
    return static_cast<std::uint32_t>(get_port(model().host_rdata_o, 32));
  }
  bool host_rvalid() const override { return model().host_rvalid_o != 0; }

  void set_in_valid(unsigned p, bool v) override { set_slice(model().in_valid_i, p, 1, v); }
  bool in_ready(unsigned p) const override { return get_slice(model().in_ready_o, p, 1) != 0; }
  void set_in_data(unsigned p, std::uint64_t w) override { set_slice(model().in_data_i, p, dw_, w); }

  bool out_valid(unsigned p) const override { return get_slice(model().out_valid_o, p, 1) != 0; }
  void set_out_ready(unsigned p, bool r) override { set_slice(model().out_ready_i, p, 1, r); }
  std::uint64_t out_data(unsigned p) const override { return get_slice(model().out_data_o, p, dw_); }
  bool out_last(unsigned p) const override { return get_slice(model().out_last_o, p, 1) != 0; }

  bool busy() const override { return model().busy_o != 0; }

  void set_row_valid(bool v) override { model().wl_valid_i = v; }
  bool row_ready() const override { return model().wl_ready_o != 0; }
  void set_row_data(std::span<const std::uint32_t> words) override {
    set_words(model().wl_data_i, words);
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
      throw std::invalid_argument(std::string("lstm_top plugin: port ") + port + " holds " +
                                  std::to_string(bytes * 8) + " bits, the config needs " +
                                  std::to_string(bits) + " (plugin built for another config?)");
  }

  // One lstm_ram_1r1w's mem_q array, found by its instance path. The paths
  // are the RTL's: u_core<c> in lstm_top (gen/emit_top.cpp) and
  // gen_wmem[<slot>].u_wram / u_bram in rtl/lstm_core.sv.
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
    const std::string path = "TOP.lstm_top.u_core" + std::to_string(core) + ".gen_wmem[" +
                             std::to_string(slot) + "]." + (m == Memory::Weights ? "u_wram" : "u_bram");
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
  unsigned dw_;
  mutable std::map<std::tuple<unsigned, Memory, unsigned>, Ram> rams_;
};

}  // namespace
}  // namespace lstm::tb

extern "C" lstm::tb::AccelDut* lstm_tb_make_accel_dut(VerilatedContext* ctx, unsigned cores,
                                                      unsigned data_width) {
#ifdef LSTM_TB_VERILATOR_THREADS
  // A model verilated with --threads N needs a context with N threads, set
  // before the model is built.
  if (ctx->threads() < LSTM_TB_VERILATOR_THREADS) ctx->threads(LSTM_TB_VERILATOR_THREADS);
#endif
  return new lstm::tb::LstmTopDut(*ctx, cores, data_width);
}

extern "C" unsigned lstm_tb_accel_dut_abi() { return lstm::tb::kAccelDutAbi; }

extern "C" const char* lstm_tb_config_hash() { return LSTM_TB_CONFIG_HASH; }
