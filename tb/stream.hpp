// stream.hpp: valid/ready stream driver and monitor agents.
//
// Both are generic over accessor lambdas, so they work with any port names and
// with one core's slice of a flattened vector port:
//
//   auto& drv = h.emplace<StreamDriver>(StreamDriver::Ports{
//       .valid = [&](bool v) { h->in_valid_i = v; },
//       .ready = [&] { return h->in_ready_o != 0; },
//       .data  = [&](uint64_t d) { set_port(h->in_data_i, 40, d); }},
//       seed, /*idle_probability=*/0.3);
//   auto& mon = h.emplace<StreamMonitor>(StreamMonitor::Ports{
//       .valid = [&] { return h->out_valid_o != 0; },
//       .ready = [&](bool r) { h->out_ready_i = r; },
//       .data  = [&] { return get_port(h->out_data_o, 40); }},
//       seed + 1, /*backpressure_probability=*/0.5);
//
// Randomness comes from a seeded std::mt19937_64, whose output sequence the
// C++ standard fixes, through chance() below (no std distributions: their
// results differ between standard libraries), so a seed reproduces a run on
// any platform.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "tb/harness.hpp"

namespace lstm::tb {

// True with probability p (p <= 0: never, p >= 1: always). Uses the top 53
// bits of one draw, so the result is the same on every platform.
inline bool chance(std::mt19937_64& rng, double p) {
  const uint64_t r = rng() >> 11;  // 53 bits
  return static_cast<double>(r) * 0x1.0p-53 < p;
}

// One word on a stream, with its optional last and user flags (AXI4-Stream
// TLAST, TUSER[0]) and the cycle it moved in.
struct Beat {
  uint64_t data = 0;
  bool last = false;
  uint64_t cycle = 0;
  bool user = false;
  bool operator==(const Beat& o) const {
    return data == o.data && last == o.last && user == o.user;
  }
};

// Drives one input stream of the design from a queue of words.
// - between transfers it idles (valid low) with probability idle_probability
//   per cycle;
// - valid never waits on ready; once valid is high, valid and data hold until
//   the transfer (valid && ready at a rising edge);
// - while idle, data carries random bits so a design that reads data without
//   valid shows up.
class StreamDriver : public Agent {
 public:
  struct Ports {
    std::function<void(bool)> valid;
    std::function<bool()> ready;
    std::function<void(uint64_t)> data;
    std::function<void(bool)> last = {};  // optional
  };

  StreamDriver(Ports ports, uint64_t seed, double idle_probability = 0.0)
      : ports_(std::move(ports)), rng_(seed), idle_probability_(idle_probability) {}

  void push(uint64_t data, bool last = false) { queue_.push_back(Beat{data, last, 0}); }
  template <class Range>
  void push_all(const Range& words) {
    for (auto w : words) push(static_cast<uint64_t>(w));
  }

  void set_idle_probability(double p) { idle_probability_ = p; }

  // Drop every word not yet transferred (after a reset in the middle of a run).
  void clear() {
    queue_.clear();
    presenting_ = false;
  }

  // Words handed to the design so far / still waiting (including one on the port).
  uint64_t sent() const { return sent_; }
  std::size_t pending() const { return queue_.size(); }
  bool idle() const { return queue_.empty(); }

  void on_reset() override {
    presenting_ = false;
    ports_.valid(false);
    ports_.data(0);
    if (ports_.last) ports_.last(false);
  }

  void sample(uint64_t /*cycle*/) override {
    if (presenting_ && ports_.ready()) {
      queue_.pop_front();
      presenting_ = false;
      ++sent_;
    }
  }

  void drive(uint64_t /*cycle*/) override {
    if (presenting_) return;  // valid and data hold until the transfer
    if (!queue_.empty() && !chance(rng_, idle_probability_)) {
      presenting_ = true;
      ports_.valid(true);
      ports_.data(queue_.front().data);
      if (ports_.last) ports_.last(queue_.front().last);
    } else {
      ports_.valid(false);
      ports_.data(rng_());
      if (ports_.last) ports_.last(false);
    }
  }

 private:
  Ports ports_;
  std::mt19937_64 rng_;
  double idle_probability_;
  std::deque<Beat> queue_;
  bool presenting_ = false;
  uint64_t sent_ = 0;
};

// Receives one output stream of the design.
// - deasserts ready with probability backpressure_probability per cycle;
// - records every transfer (valid && ready before a rising edge) with its
//   cycle, and hands it to on_beat if set (a scoreboard hook);
// - checks the design keeps the stream rules: once valid is high it stays
//   high, with the same data, last and user, until the transfer. Violations are
//   collected in errors(), never thrown or exit()ed from here.
class StreamMonitor : public Agent {
 public:
  struct Ports {
    std::function<bool()> valid;
    std::function<void(bool)> ready;
    std::function<uint64_t()> data;
    std::function<bool()> last = {};  // optional
    std::function<bool()> user = {};  // optional
  };

  StreamMonitor(Ports ports, uint64_t seed, double backpressure_probability = 0.0,
                std::string name = "stream")
      : ports_(std::move(ports)),
        rng_(seed),
        backpressure_(backpressure_probability),
        name_(std::move(name)) {}

  std::function<void(const Beat&)> on_beat;

  const std::vector<Beat>& received() const { return received_; }
  std::vector<uint64_t> words() const {
    std::vector<uint64_t> w;
    w.reserve(received_.size());
    for (const auto& b : received_) w.push_back(b.data);
    return w;
  }
  std::size_t count() const { return received_.size(); }
  void clear() { received_.clear(); }

  const std::vector<std::string>& errors() const { return errors_; }
  void set_backpressure_probability(double p) { backpressure_ = p; }

  void on_reset() override {
    ready_ = false;
    stalled_ = false;
    ports_.ready(false);
  }

  void sample(uint64_t cycle) override {
    const bool valid = ports_.valid();
    if (stalled_) {
      // Last cycle valid was high and ready low: the word must still be there.
      if (!valid) {
        error(cycle, "valid dropped before the transfer");
      } else {
        const uint64_t d = ports_.data();
        if (d != held_.data) error(cycle, "data changed while valid and not ready");
        if (ports_.last && ports_.last() != held_.last) {
          error(cycle, "last changed while valid and not ready");
        }
        if (ports_.user && ports_.user() != held_.user) {
          error(cycle, "user changed while valid and not ready");
        }
      }
    }
    stalled_ = false;
    if (!valid) return;
    Beat b{ports_.data(), ports_.last ? ports_.last() : false, cycle,
           ports_.user ? ports_.user() : false};
    if (ready_) {
      received_.push_back(b);
      if (on_beat) on_beat(received_.back());
    } else {
      stalled_ = true;
      held_ = b;
    }
  }

  void drive(uint64_t /*cycle*/) override {
    ready_ = !chance(rng_, backpressure_);
    ports_.ready(ready_);
  }

 private:
  void error(uint64_t cycle, const std::string& what) {
    if (errors_.size() < 100) {
      errors_.push_back(name_ + ": cycle " + std::to_string(cycle) + ": " + what);
    }
  }

  Ports ports_;
  std::mt19937_64 rng_;
  double backpressure_;
  std::string name_;
  bool ready_ = false;
  bool stalled_ = false;
  Beat held_;
  std::vector<Beat> received_;
  std::vector<std::string> errors_;
};

}  // namespace lstm::tb
