#include "bench/sweep_plot.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "bench/svg.hpp"
#include "bench/sweep_report.hpp"
#include "spec/host_map.hpp"

namespace lstm {

namespace {

using svg::Box;
using svg::escape;

// Canvas and plot area (pixels). The legend has its own column on the right.
constexpr int kWidth = 980, kHeight = 600;
constexpr int kLeft = 100, kRight = 720, kTop = 70, kBottom = 515;
constexpr int kLegendX = 745;

// Green (small error) to red (large error).
constexpr const char* kStops[] = {"#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"};

struct PlotAxis {
  double lo = 0, hi = 1, step = 1;
  bool log = false;
};

// Ticks at 1, 2 or 5 times a power of ten; the axis spans whole ticks.
PlotAxis nice_axis(double lo, double hi) {
  if (hi <= lo) {
    const double pad = lo == 0 ? 1.0 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / 5.0;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag) {
      step = m * mag;
      break;
    }
  PlotAxis a;
  a.step = step;
  a.lo = std::floor(lo / step) * step;
  a.hi = std::ceil(hi / step) * step;
  if (a.lo < 0 && lo >= 0) a.lo = 0;
  return a;
}

std::string tick_text(double v) {
  if (v != 0 && (std::abs(v) >= 1e6 || std::abs(v) < 1e-3)) return fmt::format("{:.2g}", v);
  return fmt::format("{:g}", v);
}

// Colour of an error between lo and hi (log scale when they span a decade).
std::string colour(double e, double lo, double hi) {
  double t = 0.0;
  if (hi > lo) {
    t = (lo > 0 && hi / lo > 10) ? std::log(e / lo) / std::log(hi / lo) : (e - lo) / (hi - lo);
  }
  t = std::clamp(t, 0.0, 1.0) * 4.0;
  const int i = std::min(3, static_cast<int>(t));
  const double f = t - i;
  auto channel = [&](int shift) {
    const auto a = static_cast<int>(std::stoul(kStops[i] + 1, nullptr, 16) >> shift & 0xff);
    const auto b = static_cast<int>(std::stoul(kStops[i + 1] + 1, nullptr, 16) >> shift & 0xff);
    return static_cast<int>(std::lround(a + (b - a) * f));
  };
  return fmt::format("#{:02x}{:02x}{:02x}", channel(16), channel(8), channel(0));
}

std::string marker(const std::string& mode, double x, double y, const std::string& fill,
                   bool outlined, const std::string& title) {
  const std::string stroke = outlined ? "stroke=\"#000\" stroke-width=\"2\""
                                      : "stroke=\"#444\" stroke-width=\"0.8\"";
  const std::string t = "<title>" + escape(title) + "</title>";
  // One shape per mode of the host map; auto (and a name nothing knows, which
  // the sweep file's check keeps out) gets a triangle down.
  if (const auto m = hostmap::parse_mode(mode)) {
    switch (*m) {
      case hostmap::Mode::Single:
        return fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"6\" fill=\"{}\" {}>{}</circle>\n",
                           x, y, fill, stroke, t);
      case hostmap::Mode::Mp:
        return fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"11\" height=\"11\" fill=\"{}\" {}>{}</rect>\n",
                           x - 5.5, y - 5.5, fill, stroke, t);
      case hostmap::Mode::Mt:
        return fmt::format("<polygon points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}\" fill=\"{}\" {}>{}</polygon>\n",
                           x, y - 7, x - 6.5, y + 5, x + 6.5, y + 5, fill, stroke, t);
      case hostmap::Mode::Hc:
        return fmt::format("<polygon points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}\" fill=\"{}\" {}>{}</polygon>\n",
                           x, y - 7.5, x + 7.5, y, x, y + 7.5, x - 7.5, y, fill, stroke, t);
      case hostmap::Mode::Hybrid:  // a hexagon
        return fmt::format("<polygon points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}\" fill=\"{}\" {}>{}</polygon>\n",
                           x - 3.5, y - 6.5, x + 3.5, y - 6.5, x + 7, y, x + 3.5, y + 6.5,
                           x - 3.5, y + 6.5, x - 7, y, fill, stroke, t);
    }
  }
  return fmt::format("<polygon points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}\" fill=\"{}\" {}>{}</polygon>\n",
                     x, y + 7, x - 6.5, y - 5, x + 6.5, y - 5, fill, stroke, t);
}

// A label beside its point, moved down or up until it overlaps no other
// label, flipped to the left near the right edge, kept inside the plot.
std::string place_label(const std::string& text, double x, double y, std::vector<Box>& taken) {
  const double w = 6.2 * static_cast<double>(text.size()), h = 12;
  const bool left = x + 10 + w > kRight;
  const double x0 = left ? x - 10 - w : x + 10;
  for (int k = 0; k < 12; ++k) {
    const double dy = (k % 2 ? -1 : 1) * 13.0 * ((k + 1) / 2);
    Box b{x0, y - 8 + dy, x0 + w, y - 8 + dy + h};
    if (b.y0 < kTop || b.y1 > kBottom) continue;
    if (std::none_of(taken.begin(), taken.end(), [&](const Box& o) { return o.overlaps(b); })) {
      taken.push_back(b);
      return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\">{}</text>\n", b.x0,
                         b.y1 - 2, escape(text));
    }
  }
  return {};  // no room: the point's tooltip and sweep.md still name it
}

std::string legend(const SweepSpec& s, double elo, double ehi, bool any) {
  std::string svg = fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fafafa\" stroke=\"#ccc\"/>\n",
      kLegendX - 10, kTop, kWidth - kLegendX - 5, kBottom - kTop);
  int y = kTop + 22;
  svg += fmt::format("<text x=\"{}\" y=\"{}\" font-weight=\"bold\">mode</text>\n", kLegendX, y);
  for (const auto& m : s.modes) {
    y += 22;
    svg += marker(m, kLegendX + 8, y - 4, "#bbbbbb", false, m);
    svg += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", kLegendX + 24, y, escape(m));
  }
  y += 36;
  svg += fmt::format("<text x=\"{}\" y=\"{}\" font-weight=\"bold\">error vs float</text>\n", kLegendX, y);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\">max |h golden - h float|</text>\n",
                     kLegendX, y + 14);
  const int bar = y + 24, bar_h = 100;
  svg += "<defs><linearGradient id=\"err\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">";
  for (int i = 0; i < 5; ++i)
    svg += fmt::format("<stop offset=\"{}\" stop-color=\"{}\"/>", i * 0.25, kStops[i]);
  svg += "</linearGradient></defs>\n";
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"16\" height=\"{}\" fill=\"url(#err)\" stroke=\"#444\" stroke-width=\"0.5\"/>\n",
                     kLegendX, bar, bar_h);
  if (any && ehi <= elo) {
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">all {:.3g}</text>\n",
                       kLegendX + 22, bar + bar_h, elo);
  } else if (any) {
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">{:.3g}</text>\n", kLegendX + 22,
                       bar + 9, ehi);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">{:.3g}{}</text>\n", kLegendX + 22,
                       bar + bar_h, elo,
                       elo > 0 && ehi / elo > 10 ? " (log scale)" : "");
  }
  y = bar + bar_h + 34;
  svg += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"#bbbbbb\" stroke=\"#000\" stroke-width=\"2\"/>\n",
                     kLegendX + 8, y - 4);
  svg += fmt::format("<text x=\"{}\" y=\"{}\">Pareto-optimal</text>\n", kLegendX + 24, y);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\">(outlined, labelled)</text>\n",
                     kLegendX + 24, y + 13);
  if (!s.synth_targets.empty()) {
    y += 36;
    svg += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#666\" stroke-dasharray=\"5,3\" stroke-width=\"1.5\"/>\n",
                       kLegendX, kLegendX + 18, y - 4, y - 4);
    svg += fmt::format("<text x=\"{}\" y=\"{}\">front: {}</text>\n", kLegendX + 24, y,
                       s.impl ? "least time" : "fewest cycles");
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\">for the resources</text>\n",
                       kLegendX + 24, y + 13);
  }
  return svg;
}

// A point's tooltip: what it is and what was measured.
std::string point_title(const SweepSpec& s, const PointResult& p) {
  std::string t = fmt::format("p{} {} {}: {} cycles", p.index, p.label, p.mode_text(), p.cycles);
  if (s.impl && p.fmax_mhz())
    t += fmt::format(", {:.2f} MHz, {:.1f} us", *p.fmax_mhz(), *point_latency(s, p));
  return t + fmt::format(", error {:.3g}", p.error_max_abs);
}

}  // namespace

std::string pareto_svg(const SweepSpec& s, const std::vector<PointResult>& points) {
  const bool synth = !s.synth_targets.empty();
  std::vector<std::size_t> shown;
  double xlo = 1e300, xhi = -1e300, ylo = 1e300, yhi = -1e300, elo = 1e300, ehi = -1e300;
  auto xval = [&](const PointResult& p) {
    return synth ? point_resource(s, p).value_or(0.0) : p.error_max_abs;
  };
  auto yval = [&](const PointResult& p) { return point_latency(s, p).value_or(0.0); };
  for (std::size_t i = 0; i < points.size(); ++i) {
    const PointResult& p = points[i];
    if (p.status != PointStatus::Ok || (synth && !point_resource(s, p)) || !point_latency(s, p))
      continue;
    shown.push_back(i);
    xlo = std::min(xlo, xval(p));
    xhi = std::max(xhi, xval(p));
    ylo = std::min(ylo, yval(p));
    yhi = std::max(yhi, yval(p));
    elo = std::min(elo, p.error_max_abs);
    ehi = std::max(ehi, p.error_max_abs);
  }
  const std::string xtitle = synth ? resource_title(s) : "error vs float (no synthesis)";
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n",
      kWidth, kHeight);
  svg += fmt::format("<text x=\"{}\" y=\"26\" font-size=\"15\" font-weight=\"bold\">Sweep {}: {} "
                     "against {}</text>\n",
                     kLeft, escape(s.name), escape(xtitle), s.impl ? "time" : "cycles");
  svg += fmt::format("<text x=\"{}\" y=\"46\" font-size=\"11\">{} measured points of {}; cycles: "
                     "{}, measured on the RTL{}; colour: error of the config's formats</text>\n",
                     kLeft, shown.size(), points.size(),
                     s.workloads.size() == 1 ? "of the one workload"
                                             : fmt::format("sum over {} workloads", s.workloads.size()),
                     s.impl ? fmt::format("; time: cycles / nextpnr's fmax ({})", s.impl->device)
                            : std::string());
  if (shown.empty()) {
    svg += fmt::format("<text x=\"{}\" y=\"{}\">No measured points.</text>\n", kLeft + 20,
                       (kTop + kBottom) / 2);
    return svg + legend(s, 0, 0, false) + "</svg>\n";
  }
  const PlotAxis ax = nice_axis(xlo, xhi), ay = nice_axis(ylo, yhi);
  auto px = [&](double v) { return kLeft + (v - ax.lo) / (ax.hi - ax.lo) * (kRight - kLeft); };
  auto py = [&](double v) { return kBottom - (v - ay.lo) / (ay.hi - ay.lo) * (kBottom - kTop); };
  for (double t = ax.lo; t <= ax.hi + ax.step / 2; t += ax.step)
    svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#e4e4e4\"/>"
                       "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                       px(t), kTop, kBottom, kBottom + 18, tick_text(t));
  for (double t = ay.lo; t <= ay.hi + ay.step / 2; t += ay.step)
    svg += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#e4e4e4\"/>"
                       "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
                       kLeft, kRight, py(t), kLeft - 6, py(t) + 4, tick_text(t));
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888\"/>\n",
                     kLeft, kTop, kRight - kLeft, kBottom - kTop);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                     (kLeft + kRight) / 2, kBottom + 42, escape(xtitle));
  svg += fmt::format("<text transform=\"translate({},{}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                     28, (kTop + kBottom) / 2,
                     s.impl ? "time per run in us (less is faster)" : "cycles (fewer is faster)");
  // The front as a staircase: from each point, right to the next one's
  // resource, then down to its cycles.
  const auto front = resource_latency_front(s, points);
  if (front.size() > 1) {
    std::string d = fmt::format("M{:.1f},{:.1f}", px(xval(points[front[0]])),
                                py(yval(points[front[0]])));
    for (std::size_t k = 1; k < front.size(); ++k)
      d += fmt::format(" H{:.1f} V{:.1f}", px(xval(points[front[k]])), py(yval(points[front[k]])));
    svg += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"#666\" stroke-dasharray=\"5,3\" stroke-width=\"1.5\"/>\n", d);
  }
  const auto optimal = pareto_optimal(s, points);
  auto is_optimal = [&](std::size_t i) {
    return std::find(optimal.begin(), optimal.end(), i) != optimal.end();
  };
  std::vector<Box> labels;
  for (std::size_t i : shown) {  // plain points first, the optimal ones on top
    if (is_optimal(i)) continue;
    const PointResult& p = points[i];
    svg += marker(p.mode, px(xval(p)), py(yval(p)), colour(p.error_max_abs, elo, ehi), false,
                  point_title(s, p));
  }
  for (std::size_t i : optimal) {
    const PointResult& p = points[i];
    const double x = px(xval(p)), y = py(yval(p));
    svg += marker(p.mode, x, y, colour(p.error_max_abs, elo, ehi), true, point_title(s, p));
    std::string text = fmt::format("p{} {}", p.index, p.label);
    if (text.size() > 26) text = text.substr(0, 25) + "~";
    svg += place_label(text, x, y, labels);
  }
  return svg + legend(s, elo, ehi, true) + "</svg>\n";
}

}  // namespace lstm
