// A small SVG writer for the bench's charts. It records the box each text
// takes (estimated from its length), so a chart can keep its text inside the
// canvas and apart, and a test can check that it did.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lstm::svg {

struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  bool inside(double width, double height) const {
    return x0 >= 0 && y0 >= 0 && x1 <= width && y1 <= height;
  }
};

enum class Anchor { Start, Middle, End };

std::string escape(std::string_view s);

// Width of a text line in the renderer's sans-serif font, on the wide side:
// DejaVu Sans (librsvg's and most browsers' fallback on Linux) averages about
// 0.6 em per character over digits and lower case, capitals up to 0.77 em.
double text_width(std::string_view text, double font_size);

// The box of a text drawn at (x, baseline) with the given anchor: from the
// ascent (0.95 em above the baseline) to the descent (0.25 em below).
Box text_box(double x, double baseline, std::string_view text, double font_size, Anchor anchor);

class Doc {
 public:
  void rect(double x, double y, double w, double h, std::string_view fill,
            std::string_view tooltip = {});
  void line(double x1, double y1, double x2, double y2, std::string_view stroke,
            double stroke_width = 1.0);
  // Returns the box the text takes.
  Box text(double x, double baseline, std::string_view s, double font_size,
           Anchor anchor = Anchor::Start, bool bold = false);

  const std::vector<Box>& text_boxes() const { return texts_; }
  // The document, width x height, on a white background.
  std::string str(double width, double height) const;

 private:
  std::string body_;
  std::vector<Box> texts_;
};

}  // namespace lstm::svg
