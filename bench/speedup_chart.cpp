#include "bench/speedup_chart.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace lstm {

namespace {

using svg::Anchor;

constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759",
                                    "#76b7b2", "#edc948", "#b07aa1", "#9c755f"};
constexpr double kFont = 12, kSmall = 10, kMargin = 12, kPlotHeight = 260;

template <class Key>
std::vector<std::string> distinct(const std::vector<ChartBar>& bars, Key key) {
  std::vector<std::string> out;
  for (const auto& b : bars)
    if (std::find(out.begin(), out.end(), key(b)) == out.end()) out.push_back(key(b));
  return out;
}

// Grid step for an axis up to `top`: about four to six lines.
double tick_step(double top) { return top <= 2.5 ? 0.5 : top <= 6 ? 1 : top <= 12 ? 2 : 4; }

std::string value_text(double v) { return fmt::format("{:.2f}", v); }

// Lays out the legend items in rows no wider than `width` (a row holds at
// least one item); returns the baseline of the last row.
double legend(svg::Doc& doc, double x0, double baseline, double width,
              const std::vector<std::string>& series, std::string_view reference_label) {
  double x = x0;
  auto place = [&](double item_w) {
    if (x > x0 && x + item_w > width - kMargin) {
      x = x0;
      baseline += kFont * 1.6;
    }
    const double at = x;
    x += item_w + 18;
    return at;
  };
  for (std::size_t i = 0; i < series.size(); ++i) {
    const double at = place(16 + svg::text_width(series[i], kFont));
    doc.rect(at, baseline - 10, 12, 12, kPalette[i % std::size(kPalette)]);
    doc.text(at + 16, baseline, series[i], kFont);
  }
  if (!reference_label.empty()) {
    const double at = place(18 + svg::text_width(reference_label, kFont));
    doc.line(at, baseline - 4, at + 14, baseline - 4, "#000", 2.5);
    doc.text(at + 18, baseline, reference_label, kFont);
  }
  return baseline;
}

}  // namespace

SpeedupChart speedup_chart(std::string_view title, const std::vector<ChartBar>& bars,
                           std::string_view reference_label) {
  const auto groups = distinct(bars, [](const ChartBar& b) { return b.group; });
  const auto series = distinct(bars, [](const ChartBar& b) { return b.series; });
  const bool any_reference =
      std::any_of(bars.begin(), bars.end(), [](const ChartBar& b) { return b.reference.has_value(); });

  double top = 1.0, widest_value = 0, widest_group = 0;
  for (const auto& b : bars) {
    top = std::max({top, b.value, b.reference.value_or(0.0)});
    widest_value = std::max(widest_value, svg::text_width(value_text(b.value), kSmall));
  }
  for (const auto& g : groups) widest_group = std::max(widest_group, svg::text_width(g, kFont));
  const double step = tick_step(top);
  const double axis = std::ceil(top / step) * step;
  const int ticks = static_cast<int>(std::lround(axis / step));

  double widest_tick = 0;
  for (int t = 0; t <= ticks; ++t)
    widest_tick = std::max(widest_tick, svg::text_width(fmt::format("{:g}x", t * step), kFont));
  const double left = kMargin + widest_tick + 6;
  const double bar_w = std::max(28.0, widest_value + 6);
  const double group_w = std::max(static_cast<double>(series.size()) * bar_w, widest_group) + 24;
  const double right = left + static_cast<double>(groups.size()) * group_w;
  // The title's line, then room for the value labels over the tallest bar.
  const double plot_top = kMargin + kFont * 1.25 + 8 + kSmall * 1.2 + 4;
  auto y = [&](double v) { return plot_top + kPlotHeight * (1.0 - v / axis); };
  const double base = y(0);

  SpeedupChart c;
  svg::Doc& doc = c.doc;
  const svg::Box title_box = doc.text(kMargin, kMargin + kFont, title, kFont, Anchor::Start, true);
  for (int t = 0; t <= ticks; ++t) {
    doc.line(left, y(t * step), right, y(t * step), t == 0 ? "#888" : "#ddd");
    doc.text(left - 6, y(t * step) + 4, fmt::format("{:g}x", t * step), kFont, Anchor::End);
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const double gx = left + static_cast<double>(g) * group_w +
                      (group_w - static_cast<double>(series.size()) * bar_w) / 2;
    for (const auto& b : bars) {
      if (b.group != groups[g]) continue;
      const auto s = static_cast<std::size_t>(
          std::find(series.begin(), series.end(), b.series) - series.begin());
      const double x = gx + static_cast<double>(s) * bar_w;
      const std::string tip =
          fmt::format("{} {}: {:.3f}x{}", b.group, b.series, b.value,
                      b.reference ? fmt::format(" ({} {:.2f}x)", reference_label, *b.reference) : "");
      doc.rect(x + 2, y(b.value), bar_w - 4, base - y(b.value), kPalette[s % std::size(kPalette)], tip);
      double label_at = y(b.value);
      if (b.reference) {
        doc.line(x + 1, y(*b.reference), x + bar_w - 1, y(*b.reference), "#000", 2.5);
        label_at = std::min(label_at, y(*b.reference) - 1);
      }
      doc.text(x + bar_w / 2, label_at - 3, value_text(b.value), kSmall, Anchor::Middle);
    }
    doc.text(left + (static_cast<double>(g) + 0.5) * group_w, base + kFont + 6, groups[g], kFont,
             Anchor::Middle);
  }
  const double goal = std::max(right, title_box.x1) + kMargin;
  const double last = legend(doc, left, base + kFont + 6 + kFont * 2.2, goal, series,
                             any_reference ? reference_label : std::string_view{});
  c.width = goal;
  for (const auto& b : doc.text_boxes()) c.width = std::max(c.width, std::ceil(b.x1 + kMargin));
  c.height = std::ceil(last + 0.25 * kFont + kMargin);
  return c;
}

}  // namespace lstm
