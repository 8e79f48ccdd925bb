// The sweep's plot: every measured point by resource (x) and cycles (y),
// coloured by its error against the float model, shaped by mode; the
// resource-against-cycles front as a line, Pareto-optimal points outlined and
// labelled. Everything (title, labels, legend) lies inside the canvas.
#pragma once

#include <string>
#include <vector>

#include "bench/sweep_result.hpp"
#include "bench/sweep_spec.hpp"

namespace lstm {

std::string pareto_svg(const SweepSpec& s, const std::vector<PointResult>& points);

}  // namespace lstm
