// The bench report's chart: every text inside the canvas and apart from the
// others, bars as tall as their values, the paper's marks where its figures are.
#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

#include "bench/speedup_chart.hpp"

namespace {

using namespace lstm;

void check_texts_fit(const SpeedupChart& c) {
  const auto& boxes = c.doc.text_boxes();
  REQUIRE(!boxes.empty());
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    INFO("text " << i << " at x " << boxes[i].x0 << ".." << boxes[i].x1 << ", y " << boxes[i].y0
                 << ".." << boxes[i].y1 << " in " << c.width << " x " << c.height);
    CHECK(boxes[i].inside(c.width, c.height));
    for (std::size_t j = i + 1; j < boxes.size(); ++j) {
      INFO("and text " << j);
      CHECK_FALSE(boxes[i].overlaps(boxes[j]));
    }
  }
}

// Heights of the bars, by their tooltips' "group series" prefix.
double bar_height(const std::string& svg, const std::string& name) {
  const std::regex re("height=\"([0-9.]+)\" fill=\"[^\"]+\"><title>" + name + ":");
  std::smatch m;
  REQUIRE_MESSAGE(std::regex_search(svg, m, re), name);
  return std::stod(m[1]);
}

}  // namespace

TEST_SUITE("speedup_chart") {

TEST_CASE("the quick suite's chart keeps its long title, its legend and its value labels inside and apart") {
  const std::vector<ChartBar> bars{
      {"quick-2layer", "mp", 1.972, 1.98}, {"quick-2layer", "mt", 1.766, 1.91},
      {"quick-2layer", "hc", 1.917, 1.88}, {"quick-1layer", "mp", 1.914, 1.98},
      {"quick-1layer", "mt", 1.0, 1.91},   {"quick-1layer", "hc", 1.384, 1.88}};
  const auto c = speedup_chart(
      "Speedup over one core: config small, 2 cores x 4 lanes (RTL cycles, Verilator)", bars,
      "paper's figure (2 cores)");
  check_texts_fit(c);
  const std::string svg = c.str();
  CHECK(svg.find("paper&apos;s") == std::string::npos);
  CHECK(svg.find("paper's figure (2 cores)</text>") != std::string::npos);
}

TEST_CASE("sixteen-core speedups, long workload names and a fourth mode still fit") {
  std::vector<ChartBar> bars;
  for (const char* g : {"speech-recognition-5L", "caption-decoder", "x"})
    for (const char* s : {"mp", "mt", "hc", "auto"}) bars.push_back({g, s, 15.61, std::nullopt});
  bars.push_back({"x", "hybrid mt x hc", 12.5, 16.0});
  check_texts_fit(speedup_chart("t", bars, "target"));
}

TEST_CASE("a bar is as tall as its value and the paper's mark sits at the paper's figure") {
  const auto c = speedup_chart("t", {{"w", "mp", 2.0, 1.5}, {"w", "mt", 1.0, std::nullopt}}, "paper");
  const std::string svg = c.str();
  CHECK(bar_height(svg, "w mp") == doctest::Approx(2 * bar_height(svg, "w mt")));
  // The mark is a line across the mp bar, three quarters of its height up.
  const std::regex bar("<rect x=\"[0-9.]+\" y=\"([0-9.]+)\" width=\"[0-9.]+\" height=\"([0-9.]+)\" "
                       "fill=\"[^\"]+\"><title>w mp:");
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, bar));
  const double top = std::stod(m[1]), height = std::stod(m[2]);
  const std::string mark_y = std::to_string(static_cast<int>(top + height / 4));
  CHECK(std::regex_search(svg, std::regex("<line [^>]*y1=\"" + mark_y + "(\\.[0-9]+)?\" [^>]*stroke=\"#000\"")));
  CHECK(svg.find("w mp: 2.000x (paper 1.50x)") != std::string::npos);
}

}  // TEST_SUITE
