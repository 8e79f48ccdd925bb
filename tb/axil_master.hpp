// axil_master.hpp: an AXI4-Lite master agent on lstm_axi_top's s_axil_*
// channels (through AccelDut), the host side of every register and memory
// access the driver makes.
//
//   AxilMaster& m = h.emplace<AxilMaster>(h.dut(), seed, AxilMaster::Stalls{...});
//   m.write(byte_addr, data);   // AW and W queued (posted: B comes later)
//   m.read(byte_addr);          // AR queued; the data arrives in responses()
//
// - AW, W and AR are driven independently, each from its own queue, as
//   StreamDriver drives a stream: before each request the channel idles
//   (VALID low, random payload bits) with its own probability; once VALID is
//   high, VALID and the payload hold until READY (AXI4 A3.2.1).
// - BREADY and RREADY are low with their own probabilities each cycle.
// - Every B and R response is checked: it must answer a request already
//   accepted (responses come in request order on each channel, so the k-th
//   response answers the k-th request), carry OKAY (unless expect_okay is
//   off), and hold VALID and its payload while READY is low. Violations are
//   collected in errors(), never thrown.
// - present_now() puts queued requests on their channels at once (between the
//   drive phase and the next edge, as a host that writes in this cycle), so a
//   driver that calls it after write() and read() loses no cycle.
//
// Randomness: one std::mt19937_64 through chance() (tb/stream.hpp), so a seed
// reproduces the stall pattern on every platform.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "tb/accel_dut.hpp"
#include "tb/harness.hpp"
#include "tb/stream.hpp"

namespace lstm::tb {

class AxilMaster : public Agent {
 public:
  // Probabilities of an idle cycle before a request (AW, W, AR) and of
  // READY low in a cycle (B, R).
  struct Stalls {
    double aw_idle = 0.0, w_idle = 0.0, ar_idle = 0.0;
    double b_backpressure = 0.0, r_backpressure = 0.0;
  };
  static constexpr unsigned kOkay = 0;

  struct ReadResponse {
    std::uint32_t data = 0;
    unsigned resp = 0;
  };

  AxilMaster(AccelDut& dut, std::uint64_t seed, Stalls stalls, bool expect_okay = true)
      : d_(dut), rng_(seed), stalls_(stalls), expect_okay_(expect_okay) {}

  // Queue a write (AW and W) or a read (AR) of a byte address.
  void write(std::uint32_t byte_addr, std::uint32_t data, unsigned strb = 0xF) {
    aw_.q.push_back(byte_addr);
    w_.q.push_back(std::uint64_t{data} | std::uint64_t{strb & 0xFu} << 32);
    ++writes_;
  }
  void read(std::uint32_t byte_addr) {
    ar_.q.push_back(byte_addr);
    ++reads_;
  }

  // Puts queued requests on channels that are free now (each after its idle
  // roll). The caller evaluates the model afterwards.
  void present_now() {
    each_request_channel([this](Channel& c, double idle, auto payload, auto valid) {
      offer(c, idle, payload, valid);
    });
  }

  // Writes whose AW or W the slave has not taken yet.
  std::size_t requests_waiting() const {
    return std::max(aw_.q.size(), w_.q.size());
  }
  std::size_t writes_open() const { return writes_ - bresps_; }  // no B yet
  std::size_t reads_open() const { return reads_ - rresps_; }     // no R yet
  bool idle() const { return writes_open() == 0 && reads_open() == 0; }

  // Read data in request order; the caller pops what it has used.
  std::deque<ReadResponse>& responses() { return rdata_; }
  // B responses in request order (BRESP), when kept (keep_bresp).
  std::deque<unsigned>& write_responses() { return bresp_; }
  void keep_bresp(bool keep) { keep_bresp_ = keep; }

  const std::vector<std::string>& errors() const { return errors_; }
  std::uint64_t writes() const { return writes_; }
  std::uint64_t reads() const { return reads_; }

  // Forget every request (a reset in the middle of a run drops them).
  void clear() {
    for (Channel* c : {&aw_, &w_, &ar_}) *c = Channel{};
    writes_ = reads_ = bresps_ = rresps_ = 0;
    rdata_.clear();
    bresp_.clear();
    b_stalled_ = r_stalled_ = false;
  }

  void on_reset() override {
    clear();
    d_.set_awvalid(false);
    d_.set_wvalid(false);
    d_.set_arvalid(false);
    d_.set_bready(false);
    d_.set_rready(false);
    d_.set_wstrb(0);
    bready_ = rready_ = false;
  }

  void sample(std::uint64_t cycle) override {
    // Requests taken at this edge.
    if (aw_.presenting && d_.awready()) accept(aw_);
    if (w_.presenting && d_.wready()) accept(w_);
    if (ar_.presenting && d_.arready()) accept(ar_);
    // Responses: held while stalled, one per accepted request, OKAY.
    const bool bvalid = d_.bvalid();
    if (b_stalled_ && (!bvalid || d_.bresp() != b_held_))
      error(cycle, "B: BVALID dropped or BRESP changed before BREADY");
    b_stalled_ = bvalid && !bready_;
    b_held_ = bvalid ? d_.bresp() : 0;
    if (bvalid && bready_) {
      if (bresps_ >= aw_.accepted || bresps_ >= w_.accepted)
        error(cycle, "B: a write response before the write's AW and W were accepted");
      if (expect_okay_ && d_.bresp() != kOkay)
        error(cycle, "B: BRESP " + std::to_string(d_.bresp()) + ", not OKAY");
      if (keep_bresp_) bresp_.push_back(d_.bresp());
      ++bresps_;
    }
    const bool rvalid = d_.rvalid();
    if (r_stalled_ && (!rvalid || d_.rdata() != r_held_.data || d_.rresp() != r_held_.resp))
      error(cycle, "R: RVALID dropped or RDATA/RRESP changed before RREADY");
    r_stalled_ = rvalid && !rready_;
    if (rvalid) r_held_ = ReadResponse{d_.rdata(), d_.rresp()};
    if (rvalid && rready_) {
      if (rresps_ >= ar_.accepted)
        error(cycle, "R: a read response before the read's AR was accepted");
      if (expect_okay_ && d_.rresp() != kOkay)
        error(cycle, "R: RRESP " + std::to_string(d_.rresp()) + ", not OKAY");
      rdata_.push_back(ReadResponse{d_.rdata(), d_.rresp()});
      ++rresps_;
    }
  }

  void drive(std::uint64_t /*cycle*/) override {
    each_request_channel([this](Channel& c, double idle, auto payload, auto valid) {
      drive_channel(c, idle, payload, valid);
    });
    bready_ = !chance(rng_, stalls_.b_backpressure);
    rready_ = !chance(rng_, stalls_.r_backpressure);
    d_.set_bready(bready_);
    d_.set_rready(rready_);
  }

 private:
  struct Channel {
    std::deque<std::uint64_t> q;  // requests not taken yet; front() is on the port if presenting
    bool presenting = false;
    std::uint64_t accepted = 0;
  };

  // step(channel, idle probability, payload setter, VALID setter) for AW, W
  // and AR, in that order (the order the random stalls are drawn in).
  template <class Step>
  void each_request_channel(Step step) {
    step(aw_, stalls_.aw_idle, [this](std::uint64_t a) { d_.set_awaddr(std::uint32_t(a)); },
         [this](bool v) { d_.set_awvalid(v); });
    step(w_, stalls_.w_idle, [this](std::uint64_t x) { drive_w(x); },
         [this](bool v) { d_.set_wvalid(v); });
    step(ar_, stalls_.ar_idle, [this](std::uint64_t a) { d_.set_araddr(std::uint32_t(a)); },
         [this](bool v) { d_.set_arvalid(v); });
  }

  void drive_w(std::uint64_t x) {
    d_.set_wdata(std::uint32_t(x));
    d_.set_wstrb(unsigned(x >> 32) & 0xFu);
  }

  static void accept(Channel& c) {
    c.q.pop_front();
    c.presenting = false;
    ++c.accepted;
  }

  // A free channel with a queued request presents it unless it idles.
  template <class Payload, class Valid>
  void offer(Channel& c, double idle, Payload payload, Valid valid) {
    if (c.presenting || c.q.empty() || chance(rng_, idle)) return;
    c.presenting = true;
    payload(c.q.front());
    valid(true);
  }

  template <class Payload, class Valid>
  void drive_channel(Channel& c, double idle, Payload payload, Valid valid) {
    if (c.presenting) return;  // VALID and the payload hold until READY
    offer(c, idle, payload, valid);
    if (c.presenting) return;
    valid(false);
    payload(rng_() & 0xFFFFFFFFull);  // idle: random bits a slave must ignore
  }

  void error(std::uint64_t cycle, const std::string& what) {
    if (errors_.size() < 100) errors_.push_back("axi4-lite: cycle " + std::to_string(cycle) + ": " + what);
  }

  AccelDut& d_;
  std::mt19937_64 rng_;
  Stalls stalls_;
  bool expect_okay_;
  Channel aw_, w_, ar_;
  std::uint64_t writes_ = 0, reads_ = 0, bresps_ = 0, rresps_ = 0;
  bool bready_ = false, rready_ = false;
  bool b_stalled_ = false, r_stalled_ = false;
  unsigned b_held_ = 0;
  ReadResponse r_held_;
  bool keep_bresp_ = false;
  std::deque<ReadResponse> rdata_;
  std::deque<unsigned> bresp_;
  std::vector<std::string> errors_;
};

}  // namespace lstm::tb
