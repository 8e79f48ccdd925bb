// harness.cpp: see harness.hpp.
#include "tb/harness.hpp"

#include <verilated.h>
#include <verilated_fst_c.h>

namespace lstm::tb {

Harness::Harness(const Factory& make, std::vector<std::string> args)
    : ctx_(std::make_unique<VerilatedContext>()) {
  ctx_->traceEverOn(true);    // must precede the model; the cost is small
  ctx_->fatalOnError(false);  // failed assertions -> SimulationError, not abort()
  if (!args.empty()) {
    std::vector<const char*> argv{"harness"};
    for (const auto& a : args) argv.push_back(a.c_str());
    ctx_->commandArgs(static_cast<int>(argv.size()), argv.data());
  }
  dut_ = make(*ctx_);
  if (!dut_) throw std::invalid_argument("harness: the design factory returned nothing");
  dut_->set_clock(false);
  dut_->set_reset_n(true);
  eval();
}

Harness::~Harness() {
  try {
    Verilated::threadContextp(ctx_.get());
    dut_->final();
  } catch (...) {
  }
  close_trace();
}

void Harness::open_trace(const std::filesystem::path& path, int levels) {
  close_trace();
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  trace_ = std::make_unique<VerilatedFstC>();
  dut_->trace(*trace_, levels);
  trace_->open(path.c_str());
  if (!trace_->isOpen()) {
    trace_.reset();
    throw std::runtime_error("cannot open trace file " + path.string());
  }
  dump();
}

void Harness::close_trace() {
  if (trace_) {
    trace_->close();
    trace_.reset();
  }
}

void Harness::reset(int cycles) {
  if (cycles < 1) cycles = 1;
  for (Agent* a : agents_) a->on_reset();
  ctx_->time(cycle_ * kPeriod + kPeriod / 2 + 1);
  dut_->set_reset_n(false);
  eval();
  dump();
  for (int i = 0; i < cycles; ++i) {
    for (Agent* a : agents_) a->on_reset();
    rising_edge();
    const bool last = (i + 1 == cycles);
    if (last) dut_->set_reset_n(true);
    drive_phase(/*agents_drive=*/last);
    falling_edge();
  }
}

uint64_t Harness::run_until(const std::function<bool()>& done, uint64_t max_cycles,
                            const std::string& what) {
  uint64_t n = 0;
  while (!done()) {
    if (n >= max_cycles) throw TimeoutError(n, what);
    step();
    ++n;
  }
  return n;
}

void Harness::eval() {
  Verilated::threadContextp(ctx_.get());  // $stop and assertions land here
  dut_->eval();
  if (ctx_->gotFinish()) {
    const bool error = ctx_->gotError();
    close_trace();
    throw SimulationError(std::string(error ? "design stopped with an error"
                                            : "design called $finish") +
                          " at cycle " + std::to_string(cycle_) + " (time " +
                          std::to_string(ctx_->time()) + ")");
  }
}

void Harness::dump() {
  if (trace_) trace_->dump(ctx_->time());
}

void Harness::rising_edge() {
  ++cycle_;
  ctx_->time(cycle_ * kPeriod);
  dut_->set_clock(true);
  eval();
  dump();
}

void Harness::drive_phase(bool agents_drive) {
  ctx_->time(cycle_ * kPeriod + 1);
  if (agents_drive) {
    for (Agent* a : agents_) a->drive(cycle_);
  }
  eval();
  dump();
}

void Harness::falling_edge() {
  ctx_->time(cycle_ * kPeriod + kPeriod / 2);
  dut_->set_clock(false);
  eval();
  dump();
}

}  // namespace lstm::tb
