// accel_dut.hpp: the ports of the generated lstm_top as a Dut interface.
//
// The driver (tb/accel_driver.hpp) and rtlsim use lstm_top only through this
// class; tb/lstm_top_dut.cpp implements it on Vlstm_top and is compiled into
// each config's model plugin. Stream ports are flattened vectors with one
// element per core port (lstm_top.sv); `port` below is that element's index.
// Word widths are the config's: the adapter checks them against the model.
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
  // ---- host port: one write or read strobe per cycle
  virtual void set_host_write(bool we) = 0;   // host_we_i
  virtual void set_host_read(bool re) = 0;    // host_re_i
  virtual void set_host_addr(std::uint32_t addr) = 0;
  virtual void set_host_wdata(std::uint32_t data) = 0;
  virtual std::uint32_t host_rdata() const = 0;
  virtual bool host_rvalid() const = 0;

  // ---- x streams into the cores
  virtual void set_in_valid(unsigned port, bool valid) = 0;
  virtual bool in_ready(unsigned port) const = 0;
  virtual void set_in_data(unsigned port, std::uint64_t word) = 0;

  // ---- h streams out of the cores
  virtual bool out_valid(unsigned port) const = 0;
  virtual void set_out_ready(unsigned port, bool ready) = 0;
  virtual std::uint64_t out_data(unsigned port) const = 0;
  virtual bool out_last(unsigned port) const = 0;

  virtual bool busy() const = 0;  // busy_o: any core busy

  // ---- weight/bias row stream (docs/host-interface.md, "Loading weights by
  // rows"): a beat writes one memory word of all 4 * lanes slots of the cores
  // of WLOAD_MASK. The beat's bits as 32-bit words, bit 0 of words[0] first
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
inline constexpr unsigned kAccelDutAbi = 3;

// The plugin's entry points (extern "C", defined in tb/lstm_top_dut.cpp).
// make: a new lstm_top in ctx for a config of `cores` core ports and
// `data_width`-bit stream words; throws std::invalid_argument if the model's
// ports do not fit them.
using MakeAccelDutFn = AccelDut* (*)(VerilatedContext* ctx, unsigned cores, unsigned data_width);
using AccelDutAbiFn = unsigned (*)();
using ConfigHashFn = const char* (*)();  // the config the plugin was built for
inline constexpr const char* kMakeAccelDutSymbol = "lstm_tb_make_accel_dut";
inline constexpr const char* kAccelDutAbiSymbol = "lstm_tb_accel_dut_abi";
inline constexpr const char* kConfigHashSymbol = "lstm_tb_config_hash";

// Makes lstm_top models from a loaded plugin, for a DutHarness<AccelDut>.
// Throws std::runtime_error if the plugin implements another AccelDut version
// or was built for another config than `config_hash`.
using AccelDutFactory = std::function<std::unique_ptr<AccelDut>(VerilatedContext&)>;
AccelDutFactory accel_dut_factory(const ModelLibrary& lib, const std::string& config_hash,
                                  unsigned cores, unsigned data_width);

}  // namespace lstm::tb
