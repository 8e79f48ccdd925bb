// harness.hpp: clocked harness around one Verilated model.
//
// The harness owns a VerilatedContext and the design (a Dut, tb/dut.hpp: the
// model behind ports clk_i and rst_ni, asynchronous active-low reset) and runs
// the clock. Each cycle:
//
//   1. sample: clk_i is low and every signal has settled. Every agent looks at
//      the signals and records what happens at the coming rising edge
//      (a transfer is valid && ready, seen here).
//   2. the rising edge is evaluated (time T).
//   3. drive: every agent updates what it drives for the next cycle; the model
//      is evaluated again (time T + 1, a small "clock-to-output" skew that keeps
//      traces readable).
//   4. the falling edge is evaluated (time T + half period).
//
// So agents drive just after one edge and sample just before the next, as a
// real testbench would: no races with the design's flops.
//
// Agents (drivers, monitors, checkers) derive from Agent and are owned by the
// harness (emplace<T>(...)) or by the caller (add(agent)). A failed Verilog
// assertion or $finish/$stop turns into a SimulationError thrown from step();
// run_until() throws TimeoutError instead of hanging.
//
// With a model compiled into the program (tests), ModelHarness<Vfoo> in
// tb/verilated_dut.hpp gives h->port access to the Verilated model itself.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tb/dut.hpp"

class VerilatedContext;

namespace lstm::tb {

class TimeoutError : public std::runtime_error {
 public:
  TimeoutError(uint64_t cycles, const std::string& what)
      : std::runtime_error("timeout after " + std::to_string(cycles) + " cycles waiting for " +
                           what),
        cycles_(cycles) {}
  uint64_t cycles() const { return cycles_; }

 private:
  uint64_t cycles_;
};

// The design stopped the simulation: a failed assertion, $stop, $finish or $fatal.
class SimulationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A testbench component called by the harness every cycle.
class Agent {
 public:
  virtual ~Agent() = default;
  // While reset is asserted (once per reset cycle): drive idle values.
  virtual void on_reset() {}
  // At the end of cycle `cycle`, before the rising edge; signals are settled.
  virtual void sample(uint64_t /*cycle*/) {}
  // Just after the rising edge that starts cycle `cycle`: set what this agent
  // drives during it.
  virtual void drive(uint64_t /*cycle*/) {}
};

// An agent made of lambdas, for small one-off checks.
class FunctionAgent : public Agent {
 public:
  std::function<void(uint64_t)> on_sample;
  std::function<void(uint64_t)> on_drive;
  std::function<void()> on_reset_fn;
  void on_reset() override {
    if (on_reset_fn) on_reset_fn();
  }
  void sample(uint64_t cycle) override {
    if (on_sample) on_sample(cycle);
  }
  void drive(uint64_t cycle) override {
    if (on_drive) on_drive(cycle);
  }
};

// The harness proper. It knows the design only as a Dut (tb/dut.hpp), so it is
// compiled once; DutHarness<D> and ModelHarness<Model> below give typed access.
class Harness {
 public:
  // Time units per clock period (in the model's time precision). The drive
  // skew is 1 unit; the falling edge is at half the period.
  static constexpr uint64_t kPeriod = 10;

  // Builds the design in the harness's context (Verilator models take the
  // context in their constructor).
  using Factory = std::function<std::unique_ptr<Dut>(VerilatedContext&)>;

  // `args` are plusargs for the model ($test$plusargs, +verilator+seed+...).
  explicit Harness(const Factory& make, std::vector<std::string> args = {});
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;
  virtual ~Harness();

  Dut& dut() { return *dut_; }
  VerilatedContext& context() { return *ctx_; }

  // Full clock cycles run so far (reset cycles included).
  uint64_t cycle() const { return cycle_; }

  // ---- agents --------------------------------------------------------------

  // Register an agent the caller keeps alive. Agents run in registration order.
  void add(Agent& agent) { agents_.push_back(&agent); }

  // Construct an agent owned by the harness; returns a reference to it.
  template <class A, class... Args>
  A& emplace(Args&&... args) {
    auto owned = std::make_unique<A>(std::forward<Args>(args)...);
    A& ref = *owned;
    owned_.push_back(std::move(owned));
    agents_.push_back(&ref);
    return ref;
  }

  // ---- trace ---------------------------------------------------------------

  // Start writing an FST trace of every signal (levels = hierarchy depth, 99 = all).
  void open_trace(const std::filesystem::path& path, int levels = 99);
  void close_trace();
  bool tracing() const { return static_cast<bool>(trace_); }

  // ---- running -------------------------------------------------------------

  // Assert rst_ni for `cycles` clock cycles (at least 1), then release it just
  // after a rising edge and let every agent drive its first values.
  void reset(int cycles = 2);

  // One clock cycle with every agent: sample, rising edge, drive, falling edge.
  void step() {
    for (Agent* a : agents_) a->sample(cycle_);
    rising_edge();
    drive_phase();
    falling_edge();
  }

  void run(uint64_t cycles) {
    for (uint64_t i = 0; i < cycles; ++i) step();
  }

  // Step until done() holds (checked before each cycle). Returns the number of
  // cycles run. Throws TimeoutError after max_cycles cycles.
  uint64_t run_until(const std::function<bool()>& done, uint64_t max_cycles,
                     const std::string& what);

  // Evaluate the model with the current inputs (no clock change). Call after
  // poking inputs by hand outside an agent.
  void eval();

 private:
  void dump();
  // Time layout of cycle c: it starts with the rising edge at c*P, inputs
  // change at c*P+1, the falling edge is at c*P+P/2, and sampling happens at
  // the end of the cycle, before the rising edge at (c+1)*P that starts c+1.
  void rising_edge();
  void drive_phase(bool agents_drive = true);
  void falling_edge();

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Dut> dut_;
  std::unique_ptr<VerilatedFstC> trace_;
  std::vector<Agent*> agents_;
  std::vector<std::unique_ptr<Agent>> owned_;
  uint64_t cycle_ = 0;
};

// A harness whose design has the interface D (a Dut): h->port_method().
template <class D>
class DutHarness : public Harness {
 public:
  explicit DutHarness(std::function<std::unique_ptr<D>(VerilatedContext&)> make,
                      std::vector<std::string> args = {})
      : Harness([&make](VerilatedContext& c) -> std::unique_ptr<Dut> { return make(c); },
                std::move(args)) {}
  D& dut() { return static_cast<D&>(Harness::dut()); }
  D* operator->() { return &dut(); }
};

}  // namespace lstm::tb
