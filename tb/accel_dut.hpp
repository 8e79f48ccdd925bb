// accel_dut.hpp: the ports of the generated lstm_axi_top as a Dut interface.
//
// The driver (tb/accel_driver.hpp), rtlsim and the RTL tests use the design
// only through this class; tb/lstm_axi_top_dut.cpp implements it on
// Vlstm_axi_top (the top users take: AXI4-Lite registers, AXI4-Stream x, h and
// weight rows; docs/host-interface.md) and is compiled into each config's
// model plugin. Stream ports are flattened vectors with one element per core
// port (lstm_axi_top.sv); `port` below is that element's index. Word widths
// are the config's (AccelDutShape): the adapter checks them against the model.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "tb/dut.hpp"
#include "tb/model_library.hpp"

class VerilatedContext;

namespace lstm::tb {

class AccelDut : public Dut {
 public:
  // ---- AXI4-Lite slave (s_axil_*): byte addresses, word address << ByteShift
  virtual void set_awvalid(bool v) = 0;
  virtual bool awready() const = 0;
  virtual void set_awaddr(std::uint32_t a) = 0;
  virtual void set_wvalid(bool v) = 0;
  virtual bool wready() const = 0;
  virtual void set_wdata(std::uint32_t d) = 0;
  virtual void set_wstrb(unsigned s) = 0;
  virtual bool bvalid() const = 0;
  virtual void set_bready(bool r) = 0;
  virtual unsigned bresp() const = 0;
  virtual void set_arvalid(bool v) = 0;
  virtual bool arready() const = 0;
  virtual void set_araddr(std::uint32_t a) = 0;
  virtual bool rvalid() const = 0;
  virtual void set_rready(bool r) = 0;
  virtual std::uint32_t rdata() const = 0;
  virtual unsigned rresp() const = 0;

  // ---- AXI4-Stream x into the cores (s_axis_x_*): TDATA of AxisDataW bits
  virtual void set_x_tvalid(unsigned port, bool valid) = 0;
  virtual bool x_tready(unsigned port) const = 0;
  virtual void set_x_tdata(unsigned port, std::uint64_t word) = 0;

  // ---- AXI4-Stream h out of the cores (m_axis_h_*): TDATA sign-extended to
  // AxisDataW; TLAST ends each h_t, TUSER marks the run's last element.
  virtual bool h_tvalid(unsigned port) const = 0;
  virtual void set_h_tready(unsigned port, bool ready) = 0;
  virtual std::uint64_t h_tdata(unsigned port) const = 0;
  virtual bool h_tlast(unsigned port) const = 0;
  virtual bool h_tuser(unsigned port) const = 0;

  virtual bool busy() const = 0;  // busy_o: any core busy
  virtual bool irq() const = 0;   // irq_o

  // ---- AXI4-Stream weight/bias rows (s_axis_w_*; docs/host-interface.md,
  // "Loading weights by rows"): a beat writes one memory word of all 4 * lanes
  // slots (slot s at TDATA[s * WRowSlotW +: WRowSlotW]) of the cores of
  // WLOAD_MASK. The beat's bits as 32-bit words, bit 0 of words[0] first
  // (row_beat_words in host/row_load.hpp packs them); throws
  // std::invalid_argument if words.size() is not the port's word count.
  virtual void set_row_valid(bool valid) = 0;
  virtual bool row_ready() const = 0;
  virtual void set_row_data(std::span<const std::uint32_t> words) = 0;

  // ---- backdoor: a core's weight and bias memories read and written
  // directly, with no clock cycle. `slot` is the MAC (lane * 4 + gate, as in
  // hostmap::mem_addr), `word` the memory address. The plugin is verilated
  // with tb/lstm_top_backdoor.vlt, which makes the memories visible. Throws
  // std::out_of_range for a core, slot or word the design does not have.
  enum class Memory { Weights, Biases };
  virtual void backdoor_write(unsigned core, Memory m, unsigned slot, std::uint32_t word,
                              std::uint64_t value) = 0;
  virtual std::uint64_t backdoor_read(unsigned core, Memory m, unsigned slot,
                                      std::uint32_t word) const = 0;
  virtual std::uint32_t memory_depth(Memory m) const = 0;
};

// Bumped whenever AccelDut or the plugin's entry points change, so rtlsim
// refuses a plugin built against another version (tb/model_library.hpp).
// 3: the weight row stream; 4: lstm_axi_top (AXI4-Lite, AXI4-Stream) instead of
// lstm_top's native ports.
inline constexpr unsigned kAccelDutAbi = 4;

// The config's port widths the adapter checks the model against.
struct AccelDutShape {
  unsigned cores = 0;           // core ports
  unsigned data_width = 0;      // DataW; TDATA of x and h is that in whole bytes
  unsigned slots = 0;           // 4 * lanes: slots of a weight row beat
  unsigned row_slot_width = 0;  // lstm_pkg::WRowSlotW (hostmap::row_slot_width)
};

// The plugin's entry points (extern "C", defined in tb/lstm_axi_top_dut.cpp).
// make: a new lstm_axi_top in ctx of that shape; throws
// std::invalid_argument if the model's ports do not fit it.
using MakeAccelDutFn = AccelDut* (*)(VerilatedContext* ctx, const AccelDutShape* shape);
using AccelDutAbiFn = unsigned (*)();
using ConfigHashFn = const char* (*)();  // the config the plugin was built for
inline constexpr const char* kMakeAccelDutSymbol = "lstm_tb_make_accel_dut";
inline constexpr const char* kAccelDutAbiSymbol = "lstm_tb_accel_dut_abi";
inline constexpr const char* kConfigHashSymbol = "lstm_tb_config_hash";

// Makes lstm_axi_top models from a loaded plugin, for a DutHarness<AccelDut>.
// Throws std::runtime_error if the plugin implements another AccelDut version
// or was built for another config than `config_hash`.
using AccelDutFactory = std::function<std::unique_ptr<AccelDut>(VerilatedContext&)>;
AccelDutFactory accel_dut_factory(const ModelLibrary& lib, const std::string& config_hash,
                                  const AccelDutShape& shape);

}  // namespace lstm::tb
