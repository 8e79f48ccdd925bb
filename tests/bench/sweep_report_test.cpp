// Merging sweep results: result files, the Pareto front, the budget, the
// report and a plot that stays inside its canvas.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "bench/sweep_plot.hpp"
#include "bench/sweep_report.hpp"
#include "bench/sweep_result.hpp"
#include "bench/synth_cache.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace lstm;

SweepSpec spec_with(const std::string& extra = "") {
  const json j = json::parse(R"({"name": "r", "base": {"name": "t"},
    "axes": [{"path": "/lanes", "values": [16, 17, 18, 19, 20, 21]}], "modes": ["single"],
    "workloads": [{"name": "w", "input_size": 4, "hidden_size": 4, "layers": 1, "steps": 3}])" +
                             extra + "}");
  const SweepParse p = parse_sweep(j, "/tmp/r.json");
  REQUIRE_MESSAGE(p.ok(), sweep_errors_text(p));
  return p.spec;
}

PointResult ok_point(int index, double luts, std::uint64_t cycles, double error) {
  PointResult p;
  p.index = index;
  p.key = "k";
  p.label = "lanes=" + std::to_string(index + 1);
  p.mode = "single";
  p.cycles = cycles;
  p.error_max_abs = error;
  p.synthesis["ice40"] = {{"cells", luts * 2}, {"luts", luts}, {"flip_flops", luts / 2},
                          {"dsps", 0}, {"block_rams", 4}};
  p.runs.push_back({"w", "single", cycles, cycles, 1, 0.5, true, error, error / 2});
  return p;
}

// Six points: 0, 1 and 3 on the front; 2 is beaten by 1; 4 is beaten by 3
// in everything; 5 is invalid.
std::vector<PointResult> points() {
  std::vector<PointResult> v{ok_point(0, 1000, 900, 0.01), ok_point(1, 2000, 500, 0.01),
                             ok_point(2, 2500, 600, 0.01), ok_point(3, 4000, 200, 0.01),
                             ok_point(4, 4000, 250, 0.02), PointResult{}};
  v[5].index = 5;
  v[5].status = PointStatus::Invalid;
  v[5].label = "lanes=6";
  v[5].mode = "single";
  v[5].problems = {"config /lanes: must be between 1 and 256, got 0"};
  return v;
}

// What tools/impl.sh wrote for a config that placed and routed (impl.json,
// recorded from configs/ice40.json, with the fmax changed), and what the
// sweep's cache records for one that does not fit.
nlohmann::ordered_json placed(double fmax) {
  auto j = nlohmann::ordered_json::parse(R"({"device": "hx8k", "target_mhz": 50,
    "median_fmax_mhz": 38.09, "median_seed": 1, "met": false, "logic_cells": 6845,
    "logic_cells_available": 7680, "block_rams": 12, "block_rams_available": 32, "dsps": 0,
    "dsps_available": 0, "io": 5, "shell_flip_flops": 121, "synth_seconds": 344,
    "seeds": [{"seed": 1, "fmax_mhz": 38.09, "critical_path": {"start": "a", "end": "b",
      "end_cell": "c", "delay_ns": 26.25, "logic_ns": 15.5, "luts": 7}, "seconds": 313}],
    "fits": true})");
  j["median_fmax_mhz"] = fmax;
  j["seeds"][0]["fmax_mhz"] = fmax;
  return impl_figures(j);
}
nlohmann::ordered_json not_placed() {
  // nextpnr's utilization lines for configs/ice40.json with 3 layers.
  return impl_no_fit("Info: Device utilisation:\nInfo: \t         ICESTORM_LC:  7939/ 7680   103%\n"
                     "Info: \t        ICESTORM_RAM:    12/   32    37%\n",
                     "hx8k");
}

// points() placed and routed: p0 900 cycles at 45 MHz = 20 us, p1 500 at 20 MHz
// = 25 us (now beaten by p0), p2 600 at 50 MHz = 12 us, p3 200 at 40 MHz = 5 us,
// p4 does not fit; and LUT levels from target depth.
std::vector<PointResult> placed_points() {
  auto v = points();
  const double fmax[] = {45, 20, 50, 40};
  for (int i = 0; i < 4; ++i) v[i].impl = placed(fmax[i]);
  v[4].impl = not_placed();
  for (int i = 0; i < 5; ++i) v[i].synthesis["depth"] = {{"luts", 3000}, {"lut_levels", 12 + i}};
  return v;
}

}  // namespace

TEST_SUITE("sweep_report") {
  TEST_CASE("the Pareto-optimal points are those no other measured point beats") {
    const auto s = spec_with();
    auto v = points();
    CHECK(pareto_optimal(s, v) == std::vector<std::size_t>{0, 1, 3});
    CHECK(resource_latency_front(s, v) == std::vector<std::size_t>{0, 1, 3});
    // A smaller error keeps a point that is slower for the same LUTs.
    v[4].error_max_abs = 0.001;
    CHECK(pareto_optimal(s, v) == std::vector<std::size_t>{0, 1, 3, 4});
    CHECK(resource_latency_front(s, v) == std::vector<std::size_t>{0, 1, 3});
    // Equal points are both optimal.
    v[2] = ok_point(2, 2000, 500, 0.01);
    CHECK(pareto_optimal(s, v) == std::vector<std::size_t>{0, 1, 2, 3, 4});
  }

  TEST_CASE("without synthesis the front is over cycles and error") {
    const auto s = spec_with(R"(, "synthesis": false)");
    const auto v = points();
    CHECK(pareto_optimal(s, v) == std::vector<std::size_t>{3});
    CHECK(resource_latency_front(s, v).empty());
  }

  TEST_CASE("the budget picks the fastest point within every limit") {
    auto s = spec_with(R"(, "budget": {"max_luts": 2600, "max_error": 0.05})");
    const auto v = points();
    CHECK(best_within_budget(s, v) == std::optional<std::size_t>{1});
    s = spec_with(R"(, "budget": {"max_cycles": 100})");
    CHECK_FALSE(best_within_budget(s, v).has_value());
    s = spec_with(R"(, "budget": {"max_flip_flops": 2000, "max_error": 0.015})");
    CHECK(best_within_budget(s, v) == std::optional<std::size_t>{3});
    CHECK(sweep_summary_markdown(s, v).find("Best within the budget (fewest cycles): p3") !=
          std::string::npos);
    CHECK_FALSE(best_within_budget(spec_with(), v).has_value());  // no budget
  }

  TEST_CASE("the report lists every point, the invalid ones with their problems") {
    const auto s = spec_with(R"(, "budget": {"max_cycles": 100})");
    const auto v = points();
    const std::string md = sweep_markdown(s, v);
    CHECK(md.find("6 points; 5 ok, 1 invalid") != std::string::npos);
    CHECK(md.find("| p5 | lanes=6 | single | invalid | config /lanes: must be between 1 and 256, got 0 |") !=
          std::string::npos);
    CHECK(md.find("| p2 | lanes=3 | single | 0 | 600 | 2500 |") != std::string::npos);
    CHECK(md.find("No measured point is within the budget.") != std::string::npos);
    const auto j = sweep_json(s, v);
    CHECK(j["points"].size() == 6);
    CHECK(j["pareto"] == json::array({0, 1, 3}));
    CHECK(j["points"][5]["status"] == "invalid");
  }

  TEST_CASE("a point result survives its file, and a file of another point is not taken") {
    const fs::path dir = fs::temp_directory_path() / "lstm-sweep-report-test";
    fs::remove_all(dir);
    fs::create_directories(dir / "points");
    const PointResult p = points()[3];
    SweepPoint sp{3, 3, "single", "k"};
    write_point(dir, sp, p);
    const auto back = read_point(dir, sp);
    REQUIRE(back.has_value());
    CHECK(point_to_json(*back) == point_to_json(p));
    sp.key = "other";
    CHECK_FALSE(read_point(dir, sp).has_value());
    std::ofstream(dir / "points" / SweepPoint{4, 4, "single", "k"}.file_name()) << "{\"index\": 4";
    CHECK_FALSE(read_point(dir, SweepPoint{4, 4, "single", "k"}).has_value());
  }

  TEST_CASE("the plot keeps every mark, label and the legend inside its canvas") {
    const auto s = spec_with();
    const std::string svg = pareto_svg(s, points());
    std::smatch m;
    REQUIRE(std::regex_search(svg, m, std::regex("width=\"(\\d+)\" height=\"(\\d+)\"")));
    const double w = std::stod(m[1]), h = std::stod(m[2]);
    // Every coordinate attribute and every polygon point.
    const std::regex coord("\\b(x|y|cx|cy|x1|x2|y1|y2)=\"(-?[0-9.]+)\"");
    int checked = 0;
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), coord); it != std::sregex_iterator(); ++it) {
      const double v = std::stod((*it)[2]);
      const bool horizontal = (*it)[1].str()[0] == 'x' || (*it)[1].str() == "cx";
      CHECK_MESSAGE(v >= 0, it->str());
      CHECK_MESSAGE(v <= (horizontal ? w : h), it->str());
      ++checked;
    }
    CHECK(checked > 50);
    // Texts: estimated at 6.5 px a character (11-12 px sans-serif), they end inside.
    const std::regex label("<text x=\"([0-9.]+)\" y=\"[0-9.]+\"[^>]*>([^<]*)</text>");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), label); it != std::sregex_iterator(); ++it)
      CHECK_MESSAGE(std::stod((*it)[1]) + 6.5 * static_cast<double>((*it)[2].length()) <= w, it->str());
    for (const char* text : {"Pareto-optimal", "error vs float", "p0 lanes=1", "p3 lanes=4",
                             "LUTs (ice40)", "cycles"})
      CHECK_MESSAGE(svg.find(text) != std::string::npos, text);
    CHECK(svg.find("p2 lanes=3<") == std::string::npos);  // not optimal: not labelled
  }

  TEST_CASE("a plot without measured points says so") {
    std::vector<PointResult> v{points()[5]};
    const std::string svg = pareto_svg(spec_with(), v);
    CHECK(svg.find("No measured points.") != std::string::npos);
    CHECK(svg.find("</svg>") != std::string::npos);
  }

  TEST_CASE("with place and route the latency is time: cycles over nextpnr's clock, none without one") {
    const auto s = spec_with(R"(, "synthesis": {"targets": ["ice40", "depth"]},
                                 "impl": {"device": "hx8k", "seeds": 1},
                                 "budget": {"max_luts": 3000})");
    const auto v = placed_points();
    CHECK(point_latency(s, v[0]) == doctest::Approx(20.0));
    CHECK(point_latency(s, v[2]) == doctest::Approx(12.0));
    CHECK_FALSE(point_latency(s, v[4]).has_value());  // does not fit: no clock
    CHECK(point_latency(spec_with(), v[1]) == doctest::Approx(500.0));  // cycles without impl
    // In time, p1 (500 cycles at 20 MHz) is slower than p0 and larger: off the front.
    CHECK(pareto_optimal(s, v) == std::vector<std::size_t>{0, 2, 3});
    CHECK(resource_latency_front(s, v) == std::vector<std::size_t>{0, 2, 3});
    CHECK(best_within_budget(s, v) == std::optional<std::size_t>{2});  // 12 us within 3000 LUTs
    // In time: p3 (5 us) is within 6 us, p0 (20 us) is the only one within 1000 LUTs, 20 us.
    auto in_time = spec_with(R"(, "impl": {}, "budget": {"max_time_us": 6})");
    CHECK(best_within_budget(in_time, v) == std::optional<std::size_t>{3});
    in_time = spec_with(R"(, "impl": {}, "budget": {"max_time_us": 20, "max_luts": 1000})");
    CHECK(best_within_budget(in_time, v) == std::optional<std::size_t>{0});
    CHECK(sweep_summary_markdown(in_time, v).find("Budget: LUTs <= 1000, time <= 20 us.") !=
          std::string::npos);
    const std::string md = sweep_markdown(s, v);
    CHECK(md.find("| point | config | mode | cores | cycles | time (us) | fmax (MHz, hx8k) | "
                  "LUTs (ice40) | flip-flops | DSPs | block RAMs | LUT levels | error |") !=
          std::string::npos);
    CHECK(md.find("| p2 | lanes=3 | single | 0 | 600 | 12.0 | 50.00 | 2500 | 1250 | 0 | 4 | 14 | 0.01 |") !=
          std::string::npos);
    CHECK(md.find("| p4 | lanes=5 | single | 0 | 250 | - | - | 4000 |") != std::string::npos);
    CHECK(md.find("- p4 lanes=5: the design does not fit the hx8k: 7939 of 7680 logic cells") !=
          std::string::npos);
    CHECK(md.find("Best within the budget (least time): p2") != std::string::npos);
    const auto j = sweep_json(s, v);
    CHECK(j["latency"] == "time_us");
    CHECK(j["impl"]["device"] == "hx8k");
    CHECK(j["points"][3]["time_us"] == doctest::Approx(5.0));
    CHECK(j["points"][4]["time_us"].is_null());
    CHECK(j["points"][4]["impl"]["fits"] == false);
    CHECK(j["points"][4]["impl"]["logic_cells"] == 7939);
    CHECK(j["points"][2]["lut_levels"] == 14);
    CHECK(j["points"][2]["lut_levels"].is_number_integer());
    CHECK(j["points"][2]["impl"]["median_fmax_mhz"] == 50);
    CHECK_FALSE(j["points"][2]["impl"].contains("synth_seconds"));  // run times are not results
    CHECK_FALSE(j["points"][2]["impl"]["seeds"][0].contains("seconds"));
    const std::string svg = pareto_svg(s, v);
    CHECK(svg.find("time per run in us (less is faster)") != std::string::npos);
    CHECK(svg.find("600 cycles, 50.00 MHz, 12.0 us") != std::string::npos);
  }

  TEST_CASE("an auto point names the modes it ran and keeps its measured cycles") {
    const auto s = spec_with(R"(, "modes": ["single", "auto"])");
    auto v = points();
    v[1].mode = "auto";
    v[1].runs[0].mode = "mt";
    v[1].runs.push_back(v[1].runs[0]);
    v[1].runs[1].mode = "hc";
    const std::string md = sweep_markdown(s, v);
    CHECK(md.find("| p1 | lanes=2 | auto (mt, hc) | 0 | 500 |") != std::string::npos);
    CHECK(md.find("Mode **auto** runs each workload") != std::string::npos);
    CHECK(pareto_optimal(s, v) == std::vector<std::size_t>{0, 1, 3});
    const std::string svg = pareto_svg(s, v);
    CHECK(svg.find("p1 lanes=2 auto (mt, hc): 500 cycles") != std::string::npos);
    CHECK(svg.find(">auto</text>") != std::string::npos);  // in the legend
  }
}
