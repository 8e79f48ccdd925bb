// verilated_dut.hpp: the Dut interface (tb/dut.hpp) implemented on a Verilated
// model class. Included only where the model's header is: in a model plugin's
// adapter (tb/lstm_axi_top_dut.cpp) and in tests with models compiled in.
//
//   class MyDut final : public VerilatedDut<Vmy_top, MyPorts> { ... };  // MyPorts: a Dut
//   ModelHarness<Vlstm_fifo> h;   // a harness with h->in_valid_i access to the model
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <verilated.h>
#include <verilated_fst_c.h>

#include "tb/dut.hpp"
#include "tb/harness.hpp"

namespace lstm::tb {

// Owns one Model (heap: models with memories are large) named "TOP" in the
// harness's context. Base is Dut or an interface derived from it.
template <class Model, class Base = Dut>
class VerilatedDut : public Base {
 public:
  explicit VerilatedDut(VerilatedContext& ctx) : model_(std::make_unique<Model>(&ctx, "TOP")) {}

  Model& model() { return *model_; }
  const Model& model() const { return *model_; }

  void set_clock(bool high) override { model_->clk_i = high; }
  void set_reset_n(bool high) override { model_->rst_ni = high; }
  void eval() override { model_->eval(); }
  void final() override { model_->final(); }
  void trace(VerilatedFstC& fst, int levels) override {
    if constexpr (requires(Model& m) { m.trace(&fst, levels); }) {
      model_->trace(&fst, levels);
    } else {
      throw std::logic_error(std::string("the model ") + model_->modelName() +
                             " was verilated without tracing (TRACE_FST)");
    }
  }

 private:
  std::unique_ptr<Model> model_;
};

// A harness around a model compiled into the program: h->port reaches the
// Verilated model's ports directly, h.top() is the model.
template <class Model>
class ModelHarness : public DutHarness<VerilatedDut<Model>> {
 public:
  explicit ModelHarness(std::vector<std::string> args = {})
      : DutHarness<VerilatedDut<Model>>(
            [](VerilatedContext& c) { return std::make_unique<VerilatedDut<Model>>(c); },
            std::move(args)) {}
  Model& top() { return DutHarness<VerilatedDut<Model>>::dut().model(); }
  Model* operator->() { return &top(); }
};

}  // namespace lstm::tb
