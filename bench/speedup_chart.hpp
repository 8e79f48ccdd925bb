// The bench report's chart (speedup.svg): speedup over one core per workload,
// one bar per mode, each bar's value above it, the paper's figure for the
// mode as a black mark across the bar, and the legend under the plot. The
// canvas grows to hold every text: nothing is clipped, no two texts overlap.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/svg.hpp"

namespace lstm {

struct ChartBar {
  std::string group;                // the workload
  std::string series;               // the mode; one colour each, in order of appearance
  double value = 0;                 // the measured speedup
  std::optional<double> reference;  // the paper's figure, drawn as a mark
};

struct SpeedupChart {
  svg::Doc doc;
  double width = 0, height = 0;
  std::string str() const { return doc.str(width, height); }
};

SpeedupChart speedup_chart(std::string_view title, const std::vector<ChartBar>& bars,
                           std::string_view reference_label);

}  // namespace lstm
