// x_stream_main: simulator main around a generated lstm_top, built at test
// time by rtl_stress_test.cpp to show that lstm_core's x-input assertion fires.
//
//   rtlsim hold|drop|change
//
// After reset the cores are idle, so in_ready_o stays low. The harness offers
// an x element on port 0 for three cycles, then (drop) lowers valid or
// (change) changes the data before any transfer, or (hold) keeps both.
// Exits 0 when the design ran on, 3 when it stopped on a failed assertion,
// 2 on bad arguments.
#include <iostream>
#include <string>

#include "Vlstm_top.h"
#include "tb/harness.hpp"

int main(int argc, char** argv) {
  using lstm::tb::Harness;
  const std::string how = argc == 2 ? argv[1] : "";
  if (how != "hold" && how != "drop" && how != "change") {
    std::cerr << "usage: rtlsim hold|drop|change\n";
    return 2;
  }
  Harness<Vlstm_top> h;
  h->in_valid_i = 0;
  h->out_ready_i = 0;
  h.reset(4);
  try {
    h->in_valid_i = 1;
    h->in_data_i = 0x0123;
    for (int i = 0; i < 3; ++i) h.step();
    if (h->in_ready_o & 1) {
      std::cerr << "x_stream: port 0 took the element; the check needs an idle core\n";
      return 1;
    }
    if (how == "drop") h->in_valid_i = 0;
    if (how == "change") h->in_data_i = 0x0456;
    for (int i = 0; i < 3; ++i) h.step();
  } catch (const lstm::tb::SimulationError& e) {
    std::cout << "x_stream: " << how << ": stopped: " << e.what() << "\n";
    return 3;
  }
  std::cout << "x_stream: " << how << ": ran on\n";
  return 0;
}
