// The bench report's resources and clock (bench/bench_hardware.hpp) and the
// results table's time column, from figures shaped as the synthesis cache
// returns them (no Yosys here: tools/synth.sh and tools/impl.sh have tests).
#include <doctest/doctest.h>

#include <string>

#include "bench/bench_hardware.hpp"
#include "bench/benchmark.hpp"

namespace {

using nlohmann::ordered_json;
using namespace lstm;

BenchOptions ice40_options(bool placed) {
  BenchOptions o;
  o.config.name = "ice40";
  o.config.cores = 1;
  o.config.lanes = 1;
  o.suite = "quick";
  o.synth = true;
  if (placed) o.impl = ImplRequest{"hx8k", 3, 50, 1800};
  return o;
}

ConfigFigures figures(bool placed, bool fits = true) {
  ConfigFigures f;
  f.synthesis["generic"] = {{"cells", 9000}, {"luts", nullptr}, {"flip_flops", 2500},
                            {"dsps", 0}, {"block_rams", 0}, {"ram_bits", 19072}};
  f.synthesis["ice40"] = {{"cells", 8700}, {"luts", 5200}, {"flip_flops", 2190}, {"dsps", 0},
                          {"block_rams", 12}, {"ram_bits", 19072}};
  f.synthesis["depth"] = {{"cells", 8700}, {"luts", 5214}, {"flip_flops", 2190},
                          {"lut_levels", 11},
                          {"deepest_path", {{"lut_levels", 11}, {"start", "u_core0.u_post.q3_sum_q[22]"},
                                            {"end", "u_core0.u_post.q4_th_q[7]"}}}};
  if (placed && fits)
    f.impl = {{"device", "hx8k"}, {"target_mhz", 50}, {"median_fmax_mhz", 54.11}, {"met", true},
              {"logic_cells", 6046}, {"logic_cells_available", 7680}, {"block_rams", 12},
              {"block_rams_available", 32}, {"dsps", 0}, {"fits", true}};
  if (placed && !fits)
    f.impl = {{"device", "hx8k"}, {"fits", false},
              {"problem", "the design does not fit the hx8k: 9001 of 7680 logic cells"}};
  return f;
}

BenchRow row(std::uint64_t cycles) {
  BenchRow r;
  r.workload = "w";
  r.cores = r.cores_used = r.lanes = 1;
  r.cycles = r.predicted = cycles;
  r.speedup = 1.0;
  r.bit_exact = true;
  return r;
}

}  // namespace

TEST_CASE("the resources section lists every flow, the LUT4 levels and the deepest path") {
  const std::string md = hardware_markdown(ice40_options(false), figures(false));
  CHECK(md.find("| generic | 9000 | - | 2500 | 0 | 0 | 19072 | - |") != std::string::npos);
  CHECK(md.find("| ice40 | 8700 | 5200 | 2190 | 0 | 12 | 19072 | - |") != std::string::npos);
  CHECK(md.find("| depth | 8700 | 5214 | 2190 | - | - | - | 11 |") != std::string::npos);
  CHECK(md.find("11 LUT4 levels, `u_core0.u_post.q3_sum_q[22]` -> `u_core0.u_post.q4_th_q[7]`") !=
        std::string::npos);
  CHECK(md.find("Placed and routed") == std::string::npos);
  CHECK_FALSE(placed_fmax_mhz(figures(false)).has_value());
}

TEST_CASE("a placed design adds its clock, and each run's time is cycles / clock") {
  const ConfigFigures f = figures(true);
  const std::string md = hardware_markdown(ice40_options(true), f);
  CHECK(md.find("6046 of 7680 logic cells") != std::string::npos);
  CHECK(md.find("**54.11 MHz** (target 50 MHz met)") != std::string::npos);
  REQUIRE(placed_fmax_mhz(f).has_value());
  const std::string table = bench_markdown(ice40_options(true), {row(5411)}, placed_fmax_mhz(f));
  CHECK(table.find("| cycles | µs at 54.11 MHz |") != std::string::npos);
  CHECK(table.find("| 5411 | 100.0 |") != std::string::npos);  // 5411 cycles at 54.11 MHz
  const std::string plain = bench_markdown(ice40_options(false), {row(5411)});
  CHECK(plain.find("µs") == std::string::npos);
}

TEST_CASE("a design that does not fit the device says so and has no clock") {
  const ConfigFigures f = figures(true, false);
  CHECK(hardware_markdown(ice40_options(true), f).find("does not fit the hx8k: 9001 of 7680") !=
        std::string::npos);
  CHECK_FALSE(placed_fmax_mhz(f).has_value());
  CHECK(hardware_json(f)["impl"]["fits"] == false);
}

TEST_CASE("the results table shows each run's load cycles and its end-to-end latency, load + run") {
  BenchRow r = row(5411);
  r.load_cycles = 300;
  const std::string table = bench_markdown(ice40_options(false), {r});
  CHECK(table.find("| cycles | load | load + run |") != std::string::npos);
  CHECK(table.find("| 5411 | 300 | 5711 |") != std::string::npos);
}

TEST_CASE("a batched run is labelled with its batch and meets its utilization target; auto names the batch it ran") {
  BenchRow plain = row(16816);
  plain.mac_utilization = 0.381;
  BenchRow batched = row(6527);
  batched.batch = 8;
  batched.mac_utilization = 0.981;
  batched.speedup = 2.576;
  batched.target = 0.90;
  BenchRow low = batched;
  low.workload = "v";
  low.mac_utilization = 0.85;
  BenchRow chosen = batched;
  chosen.automatic = true;
  chosen.target = std::nullopt;
  const std::string table = bench_markdown(ice40_options(false), {plain, batched, low, chosen});
  CHECK(table.find("| w | single --batch 8 | 1 | 6527 |") != std::string::npos);
  CHECK(table.find("| 0.981 | - | 0.90 | yes |") != std::string::npos);
  CHECK(table.find("| 0.850 | - | 0.90 | NO |") != std::string::npos);
  CHECK(table.find("| w | auto (single --batch 8) | 1 | 6527 |") != std::string::npos);
  CHECK(table.find("best +1% | yes |") != std::string::npos);
}
