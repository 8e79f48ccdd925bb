// Saturation in lstmsim's messages and output file (docs/numerics.md).
#include "sim/saturation_report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/model_io.hpp"

namespace lstm {

namespace {

std::string range_of(const HwConfig& c) {
  return fmt::format("[-{0}, {0})", c.activation.range);
}

// What an event means, for a person reading a warning.
std::string meaning(SatEvent e, const HwConfig& c) {
  switch (e) {
    case SatEvent::ActSigmoidAcc:
    case SatEvent::ActTanhAcc:
      return fmt::format("gate pre-activations beyond the activation range {}", range_of(c));
    case SatEvent::ActTanhCell:
      return fmt::format("cell states beyond the activation range {}", range_of(c));
    case SatEvent::NarrowCell:
      return fmt::format("cell states saturated to the cell format {}", q_name(c.cell));
    case SatEvent::NarrowHidden:
    case SatEvent::NarrowGruHidden:
      return fmt::format("h saturated to the data format {}", q_name(c.data));
    case SatEvent::NarrowCandidate:
      return fmt::format("candidate pre-activations saturated to the accumulator {}",
                         q_name(c.accum));
  }
  return "?";
}

std::string row_name(const RunSetup& run, std::size_t row) {
  const auto dirs = static_cast<std::size_t>(run.model.directions());
  return dirs == 1 ? fmt::format("layer {}", row)
                   : fmt::format("layer {}{}", row / dirs, row % dirs == 1 ? " (reverse)" : "");
}

void append_lines(std::vector<std::string>& out, const std::string& file,
                  const LoadSaturation& tensors) {
  for (const TensorSaturation& t : tensors) out.push_back(fmt::format("{}: {}", file, describe(t)));
}

}  // namespace

std::vector<SatEvent> events_of(CellType cell) {
  if (cell == CellType::Gru)
    return {SatEvent::ActSigmoidAcc, SatEvent::ActTanhAcc, SatEvent::NarrowCandidate,
            SatEvent::NarrowGruHidden};
  return {SatEvent::ActSigmoidAcc, SatEvent::ActTanhAcc, SatEvent::NarrowCell,
          SatEvent::ActTanhCell, SatEvent::NarrowHidden};
}

std::vector<std::string> load_saturation_lines(const RunSetup& run) {
  std::vector<std::string> out;
  append_lines(out, run.files.model, run.model_saturation);
  append_lines(out, run.files.input, run.input_saturation);
  return out;
}

std::vector<std::string> runtime_saturation_lines(const RunSetup& run,
                                                  const LayerSatCounts& counts,
                                                  const std::string& output) {
  std::vector<std::string> out;
  for (std::size_t row = 0; row < counts.size(); ++row) {
    std::string events;
    for (SatEvent e : events_of(run.model.cell)) {
      if (counts[row][e] == 0) continue;
      events += fmt::format("{}{} {} ({})", events.empty() ? "" : ", ", counts[row][e],
                            kSatEventNames[static_cast<std::size_t>(e)], meaning(e, run.config));
    }
    if (events.empty()) continue;
    out.push_back(fmt::format("{}: {}: at run time {}{}", run.files.model, row_name(run, row),
                              events,
                              output.empty() ? ""
                                             : fmt::format("; counts in {} under /saturation",
                                                           output)));
  }
  return out;
}

void refuse_saturation(const RunSetup& run, const LayerSatCounts* runtime) {
  std::vector<std::string> lines = load_saturation_lines(run);
  if (runtime) {
    const std::vector<std::string> more = runtime_saturation_lines(run, *runtime, "");
    lines.insert(lines.end(), more.begin(), more.end());
  }
  if (lines.empty()) return;
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  text += fmt::format(
      "--strict: nothing written, because values saturate in the formats of {} "
      "(`lstmsim formats` proposes formats that fit; docs/models.md)",
      run.files.config.value_or("the default config"));
  throw FileError(text);
}

nlohmann::json saturation_json(const RunSetup& run, const LayerSatCounts& counts) {
  nlohmann::json layers = nlohmann::json::array();
  const auto dirs = static_cast<std::size_t>(run.model.directions());
  for (std::size_t row = 0; row < counts.size(); ++row) {
    nlohmann::json l;
    l["layer"] = row / dirs;
    if (dirs > 1) l["direction"] = row % dirs;
    for (SatEvent e : events_of(run.model.cell))
      l[std::string(kSatEventNames[static_cast<std::size_t>(e)])] = counts[row][e];
    layers.push_back(std::move(l));
  }
  nlohmann::json load = nlohmann::json::array();
  auto add = [&](const std::string& file, const LoadSaturation& tensors) {
    for (const TensorSaturation& t : tensors)
      load.push_back({{"file", file},
                      {"tensor", t.tensor},
                      {"format", t.format_name},
                      {"count", t.count},
                      {"of", t.total},
                      {"first", t.first_pointer},
                      {"largest", t.largest_pointer}});
  };
  add(run.files.model, run.model_saturation);
  add(run.files.input, run.input_saturation);
  nlohmann::json j;
  j["total"] = total(counts);
  j["layers"] = std::move(layers);
  j["load"] = std::move(load);
  return j;
}

}  // namespace lstm
