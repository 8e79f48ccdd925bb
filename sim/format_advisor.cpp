// The format advisor (docs/models.md, "Choosing formats"). Fraction widths are
// kept from the base config, so the proposal has its precision; widths are cut
// or grown to the narrowest that holds the measured ranges; the golden model
// then checks the proposal and widens what still saturates.
#include "sim/format_advisor.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/engines.hpp"
#include "sim/fixed_point.hpp"
#include "sim/load_saturation.hpp"
#include "sim/model_io.hpp"

namespace lstm {

namespace {

constexpr int kMaxActivationRange = 64;  // the validator's bound on activation.range
constexpr int kMaxIndexBits = 12;        // and on activation.index_bits
constexpr int kMaxRounds = 16;           // golden checks before the advisor gives up

void add_all(ValueRange& r, const std::vector<double>& v) {
  for (double x : v) r.add(x);
}

// Every bias as the hardware holds it (sim/lstm_model.cpp, quantize_layer).
void add_biases(ValueRange& r, const FloatLayer& l, CellType cell) {
  const auto h = static_cast<std::size_t>(l.hidden_size);
  const std::size_t summed = cell == CellType::Gru ? 2 * h : l.b_ih.size();
  for (std::size_t k = 0; k < l.b_ih.size(); ++k) {
    if (k < summed) {
      r.add(l.b_ih[k] + l.b_hh[k]);
    } else {
      r.add(l.b_ih[k]);
      r.add(l.b_hh[k]);
    }
  }
}

// The ranges, and the float outputs the checks compare with.
MeasuredRanges measure(const FloatModel& m, const SequenceSet& inputs,
                       const std::vector<FloatState>& initial, SequenceSet& float_outputs) {
  MeasuredRanges r;
  for (const auto* layers : {&m.layers, &m.reverse})
    for (const FloatLayer& l : *layers) {
      add_all(r.weight, l.w_ih);
      add_all(r.weight, l.w_hh);
      add_biases(r.bias, l, m.cell);
    }
  FloatRanges run;
  for (std::size_t s = 0; s < inputs.size(); ++s) {
    for (const Vector& x : inputs[s]) add_all(r.data, x);
    const FloatState start = initial.empty() ? FloatState{} : initial[s];
    for (const Vector& h : start.h) add_all(r.data, h);
    for (const Vector& c : start.c) add_all(r.cell, c);
    float_outputs.push_back(run_float_model(m, inputs[s], start, &run).outputs);
  }
  r.data.add(run.h);
  r.cell.add(run.cell);
  r.preact.add(run.preact);
  r.preact.add(run.cell);  // tanh(c) reads the same tables
  return r;
}

// The narrowest width with `frac` fraction bits that holds [lo, hi] after
// rounding; 0 if none up to 62.
int width_for(const ValueRange& r, int frac) {
  for (int w = std::max(2, frac + 1); w <= 62; ++w) {
    const FixedFormat f{w, frac};
    if (!quantize_checked(r.lo, f).saturated && !quantize_checked(r.hi, f).saturated) return w;
  }
  return 0;
}

// Fits f to r: the base's frac, the narrowest width; if that is beyond the
// format's widest width, fewer fraction bits at the widest width.
void fit(FixedFormat& f, const ValueRange& r, const char* kind, std::vector<std::string>& notes) {
  if (r.empty) return;
  const int max_w = max_format_width(kind);
  const int base_frac = f.frac;
  for (int frac = f.frac; frac >= 0; --frac) {
    const int w = width_for(r, frac);
    if (w != 0 && w <= max_w) {
      if (frac < base_frac)
        notes.push_back(fmt::format(
            "{} values reach {}: the {}-bit {} format holds them only with {} fraction bits "
            "instead of {}", kind, short_number(std::max(std::fabs(r.lo), std::fabs(r.hi))),
            max_w, kind, frac, base_frac));
      f = {w, frac};
      return;
    }
  }
  throw FileError(fmt::format(
      "{} values reach {}, beyond any {} format (at most {} bits, docs/configuration.md)",
      kind, short_number(std::max(std::fabs(r.lo), std::fabs(r.hi))), kind, max_w));
}

// The narrowest accumulator the validator's capacity check accepts.
void narrowest_accum(HwConfig& c, int extra) {
  c.accum.frac = c.data.frac + c.weight.frac;
  for (int w = c.accum.frac + 1; w <= max_format_width("accum"); ++w) {
    c.accum.width = w;
    bool too_narrow = false;
    for (const ConfigError& e : validate_config(c)) too_narrow |= e.path == "/formats/accum/width";
    if (!too_narrow) break;
  }
  c.accum.width = std::min(c.accum.width + extra, max_format_width("accum"));
}

// Doubles the activation range, with one more index bit so that the segments
// keep their width while the tables allow it. False at the validator's bound.
bool double_activation_range(HwConfig& c, std::vector<std::string>& notes) {
  if (c.activation.range >= kMaxActivationRange) return false;
  c.activation.range *= 2;
  if (c.activation.index_bits < kMaxIndexBits) {
    ++c.activation.index_bits;
    return true;
  }
  const std::string note = fmt::format(
      "activation.index_bits is at its largest, {}: the activation segments are wider than "
      "the config's", kMaxIndexBits);
  if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
  return true;
}

// The smallest range (the base's, doubled) that holds every measured
// pre-activation and cell state: -R <= v < R.
void fit_activation(HwConfig& c, const ValueRange& r, std::vector<std::string>& notes) {
  if (r.empty) return;
  while ((r.hi >= c.activation.range || r.lo < -c.activation.range) &&
         double_activation_range(c, notes)) {
  }
  if (r.hi >= c.activation.range || r.lo < -c.activation.range)
    notes.push_back(fmt::format(
        "pre-activations or cell states reach {}, beyond the largest activation range {}: "
        "those inputs read the tables' ends (act_* events)",
        short_number(std::max(std::fabs(r.lo), std::fabs(r.hi))), kMaxActivationRange));
}

// What saturates with config c, by kind, from one golden run.
struct Saturations {
  FormatCheck check;
  bool weight = false, bias = false, data = false, cell = false, accum = false, act = false;
};

Saturations check(const HwConfig& c, const FloatModel& m, const SequenceSet& inputs,
                  const std::vector<FloatState>& initial, const SequenceSet& float_outputs) {
  Saturations s;
  LoadSaturation load;
  quantize_model(m, c, &load);
  const LoadSaturation in = input_saturation(inputs, initial, c);
  load.insert(load.end(), in.begin(), in.end());
  for (const TensorSaturation& t : load) {
    s.check.saturated_values += t.count;
    s.weight |= t.format_name == "weight";
    s.bias |= t.format_name == "bias";
    s.data |= t.format_name == "data";
    s.cell |= t.format_name == "cell";
  }
  const SetRun g = run_golden(c, m, inputs, initial);
  SatCounts sum;
  for (const SatCounts& row : g.saturation) sum += row;
  s.check.events = sum.total();
  s.data |= sum[SatEvent::NarrowHidden] + sum[SatEvent::NarrowGruHidden] > 0;
  s.cell |= sum[SatEvent::NarrowCell] > 0;
  s.accum |= sum[SatEvent::NarrowCandidate] > 0;
  s.act |= sum[SatEvent::ActSigmoidAcc] + sum[SatEvent::ActTanhAcc] +
               sum[SatEvent::ActTanhCell] > 0;
  const ErrorStats e = compare_outputs(g.outputs, float_outputs);
  s.check.max_error = e.max_abs;
  s.check.mean_error = e.mean_abs;
  return s;
}

// One more bit for a format that saturated; false at its widest.
bool widen(FixedFormat& f, const char* kind) {
  if (f.width >= max_format_width(kind)) return false;
  ++f.width;
  return true;
}

std::string advised_name(const std::string& base) {
  const std::string suffix = "-advised";
  return base.substr(0, 64 - suffix.size()) + suffix;
}

}  // namespace

FormatAdvice advise_formats(const HwConfig& base, const FloatModel& m, const SequenceSet& inputs,
                            const std::vector<FloatState>& initial) {
  FormatAdvice a;
  a.base = base;
  SequenceSet float_outputs;
  a.ranges = measure(m, inputs, initial, float_outputs);

  HwConfig p = base;
  p.name = advised_name(base.name);
  fit(p.weight, a.ranges.weight, "weight", a.notes);
  fit(p.data, a.ranges.data, "data", a.notes);
  fit(p.cell, a.ranges.cell, "cell", a.notes);
  p.gate.width = p.gate.frac + 2;  // sigmoid and tanh reach 1.0 and -1.0, no further
  p.bias.frac = std::min(p.bias.frac, p.data.frac + p.weight.frac);  // bias.frac <= accum.frac
  fit(p.bias, a.ranges.bias, "bias", a.notes);
  fit_activation(p, a.ranges.preact, a.notes);
  int accum_extra = 0;
  narrowest_accum(p, accum_extra);

  // Golden values differ from float ones by rounding: check, and widen what
  // still saturates.
  Saturations s = check(p, m, inputs, initial, float_outputs);
  for (int round = 0; round < kMaxRounds && (s.check.saturated_values || s.check.events); ++round) {
    bool changed = false;
    changed |= s.weight && widen(p.weight, "weight");
    changed |= s.bias && widen(p.bias, "bias");
    changed |= s.data && widen(p.data, "data");
    changed |= s.cell && widen(p.cell, "cell");
    changed |= s.act && double_activation_range(p, a.notes);
    if (s.accum) changed |= ++accum_extra > 0;
    if (!changed) break;
    narrowest_accum(p, accum_extra);
    s = check(p, m, inputs, initial, float_outputs);
  }
  a.proposal_check = s.check;

  std::string problems;
  for (const ConfigError& e : validate_config(p))
    problems += fmt::format("\n{}: {}", e.path, e.message);
  if (!problems.empty())
    throw FileError("the proposed formats do not make a valid config:" + problems);
  a.proposal = p;
  a.base_check = check(base, m, inputs, initial, float_outputs).check;
  return a;
}

std::string advice_report(const FormatAdvice& a, const std::string& base_name) {
  auto range = [](const ValueRange& r) {
    return r.empty ? std::string("-")
                   : fmt::format("[{}, {}]", short_number(r.lo), short_number(r.hi));
  };
  auto fmt_of = [](FixedFormat f) { return fmt::format("{} ({}, {})", q_name(f), f.width, f.frac); };
  const HwConfig& b = a.base;
  const HwConfig& p = a.proposal;
  std::string out;
  out += "| format | holds | measured | config | proposal |\n";
  out += "|---|---|---|---|---|\n";
  const auto row = [&](const char* name, const char* holds, const std::string& measured,
                       FixedFormat bf, FixedFormat pf) {
    out += fmt::format("| {} | {} | {} | {} | {} |\n", name, holds, measured, fmt_of(bf),
                       fmt_of(pf));
  };
  row("data", "inputs, h0, h", range(a.ranges.data), b.data, p.data);
  row("weight", "W_ih, W_hh", range(a.ranges.weight), b.weight, p.weight);
  row("bias", "b_ih + b_hh", range(a.ranges.bias), b.bias, p.bias);
  row("accum", "gate sums (capacity check)", "-", b.accum, p.accum);
  row("gate", "sigmoid, tanh", "[-1, 1]", b.gate, p.gate);
  row("cell", "c0, c", range(a.ranges.cell), b.cell, p.cell);
  out += fmt::format(
      "\nactivation tables: pre-activations and c reach {}; range {} -> {}, index_bits {} -> {} "
      "({} segments of {})\n",
      range(a.ranges.preact), b.activation.range, p.activation.range, b.activation.index_bits,
      p.activation.index_bits, 1 << p.activation.index_bits,
      short_number(2.0 * p.activation.range / (1 << p.activation.index_bits)));
  for (const std::string& n : a.notes) out += fmt::format("note: {}\n", n);
  out += "\n| config | saturated values | saturation events | max abs(h - float) | mean |\n";
  out += "|---|---:|---:|---:|---:|\n";
  for (const auto& [name, c] : {std::pair{base_name, a.base_check},
                                std::pair{std::string("proposal"), a.proposal_check}})
    out += fmt::format("| {} | {} | {} | {:.3e} | {:.3e} |\n", name, c.saturated_values,
                       c.events, c.max_error, c.mean_error);
  return out;
}

}  // namespace lstm
