#include "bench/svg.hpp"

#include <cctype>
#include <fmt/format.h>

namespace lstm::svg {

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

double text_width(std::string_view text, double font_size) {
  double em = 0;
  for (unsigned char c : text) em += std::isupper(c) ? 0.77 : c == ' ' ? 0.32 : 0.64;
  return em * font_size;
}

Box text_box(double x, double baseline, std::string_view text, double font_size, Anchor anchor) {
  const double w = text_width(text, font_size);
  const double x0 = anchor == Anchor::Start ? x : anchor == Anchor::Middle ? x - w / 2 : x - w;
  return {x0, baseline - 0.95 * font_size, x0 + w, baseline + 0.25 * font_size};
}

void Doc::rect(double x, double y, double w, double h, std::string_view fill,
               std::string_view tooltip) {
  body_ += fmt::format("<rect x=\"{:g}\" y=\"{:g}\" width=\"{:g}\" height=\"{:g}\" fill=\"{}\"", x, y,
                       w, h, fill);
  body_ += tooltip.empty() ? "/>\n" : fmt::format("><title>{}</title></rect>\n", escape(tooltip));
}

void Doc::line(double x1, double y1, double x2, double y2, std::string_view stroke,
               double stroke_width) {
  body_ += fmt::format("<line x1=\"{:g}\" y1=\"{:g}\" x2=\"{:g}\" y2=\"{:g}\" stroke=\"{}\" "
                       "stroke-width=\"{:g}\"/>\n",
                       x1, y1, x2, y2, stroke, stroke_width);
}

Box Doc::text(double x, double baseline, std::string_view s, double font_size, Anchor anchor,
              bool bold) {
  static constexpr const char* kAnchor[] = {"start", "middle", "end"};
  body_ += fmt::format("<text x=\"{:g}\" y=\"{:g}\" font-size=\"{:g}\" text-anchor=\"{}\"{}>{}</text>\n",
                       x, baseline, font_size, kAnchor[static_cast<int>(anchor)],
                       bold ? " font-weight=\"bold\"" : "", escape(s));
  texts_.push_back(text_box(x, baseline, s, font_size, anchor));
  return texts_.back();
}

std::string Doc::str(double width, double height) const {
  return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:g}\" height=\"{1:g}\" "
                     "viewBox=\"0 0 {0:g} {1:g}\" font-family=\"DejaVu Sans, sans-serif\">\n"
                     "<rect width=\"{0:g}\" height=\"{1:g}\" fill=\"white\"/>\n{2}</svg>\n",
                     width, height, body_);
}

}  // namespace lstm::svg
