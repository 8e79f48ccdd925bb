// The sweep file reader (see sweep_spec.hpp and docs/sweeps.md).
#include "bench/sweep_spec.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <initializer_list>
#include <map>
#include <set>

#include "bench/benchmark.hpp"
#include "host/cost_model.hpp"
#include "sim/model_io.hpp"
#include "spec/host_map.hpp"
#include "spec/json_text.hpp"

namespace lstm {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Bump when a point's result changes meaning, so old result files are redone.
// 2: the mode each workload ran (auto), predicted cycles, LUT levels, impl.
constexpr int kPointFormat = 2;
constexpr std::size_t kMaxConfigs = 4096;
constexpr std::size_t kMaxPoints = 65536;

const std::vector<std::string> kTargets{"generic", "ice40", "depth", "xilinx", "ecp5"};
const std::vector<std::string> kImplDevices{"hx8k", "up5k"};  // tools/impl.sh --device
const std::vector<std::string> kFigures{"luts", "flip_flops", "cells", "dsps", "block_rams",
                                        "ram_bits"};

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

bool safe_name(const std::string& s) {
  return !s.empty() && s.size() <= 64 && s != "." && s != ".." &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
         });
}

// Shape checks with JSON pointers, in the style of the config reader.
class Reader {
 public:
  explicit Reader(std::vector<SweepProblem>& errors) : errors_(errors) {}

  void error(const std::string& path, std::string message) {
    errors_.push_back({path, std::move(message)});
  }

  bool object(const json& j, const std::string& path, std::initializer_list<const char*> allowed) {
    if (!j.is_object()) {
      error(path, "expected an object, got " + describe_json_value(j));
      return false;
    }
    std::vector<std::string> names(allowed.begin(), allowed.end());
    for (const auto& [key, value] : j.items())
      if (std::find(names.begin(), names.end(), key) == names.end())
        error(path + "/" + json_pointer_token(key),
              fmt::format("unknown key \"{}\" (allowed: {})", key, join(names)));
    return true;
  }

  const json* array(const json& obj, const char* key, const std::string& path, bool required) {
    const json* v = find(obj, key);
    if (!v) {
      if (required) error(path, "missing; expected a non-empty array");
      return nullptr;
    }
    if (!v->is_array() || v->empty()) {
      error(path, "expected a non-empty array, got " + describe_json_value(*v));
      return nullptr;
    }
    return v;
  }

  std::optional<std::string> string(const json& obj, const char* key, const std::string& path) {
    const json* v = find(obj, key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      error(path, "expected a string, got " + describe_json_value(*v));
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  std::optional<std::int64_t> integer(const json& obj, const char* key, const std::string& path,
                                      std::int64_t lo, std::int64_t hi) {
    const json* v = find(obj, key);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) {
      error(path, "expected an integer, got " + describe_json_value(*v));
      return std::nullopt;
    }
    const bool in = v->is_number_unsigned()
                        ? v->get<std::uint64_t>() <= static_cast<std::uint64_t>(hi) &&
                              (lo <= 0 || v->get<std::uint64_t>() >= static_cast<std::uint64_t>(lo))
                        : v->get<std::int64_t>() >= lo && v->get<std::int64_t>() <= hi;
    if (!in) {
      error(path, fmt::format("must be between {} and {}, got {}", lo, hi, v->dump()));
      return std::nullopt;
    }
    return v->get<std::int64_t>();
  }

  std::optional<double> number(const json& obj, const char* key, const std::string& path) {
    const json* v = find(obj, key);
    if (!v) return std::nullopt;
    if (!v->is_number() || v->get<double>() < 0) {
      error(path, "expected a number >= 0, got " + describe_json_value(*v));
      return std::nullopt;
    }
    return v->get<double>();
  }

  static const json* find(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  }

 private:
  std::vector<SweepProblem>& errors_;
};

struct Context {
  Reader& r;
  fs::path dir;        // of the sweep file: relative paths start here
  json base_document;  // canonical JSON of the base config: every field present
};

fs::path resolve(const Context& cx, const std::string& p) {
  const fs::path path(p);
  return (path.is_absolute() ? path : cx.dir / path).lexically_normal();
}

std::string config_problems(const std::string& file, const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& e : errors)
    out += fmt::format("{}{}: {}{}", out.empty() ? "" : "; ", file,
                       e.path.empty() ? "" : e.path + ": ", e.message);
  return out;
}

// "base": a config file or an inline config object.
void read_base(Context& cx, const json& j, SweepSpec& s) {
  const json* b = Reader::find(j, "base");
  if (!b) {
    cx.r.error("/base", "missing; expected a config file (relative to the sweep file) or a "
                        "config object");
    return;
  }
  ConfigResult c;
  std::string what = "inline config";
  if (b->is_string()) {
    what = resolve(cx, b->get<std::string>()).string();
    c = load_config_file(what);
  } else if (b->is_object()) {
    c = parse_config(*b);
  } else {
    cx.r.error("/base", "expected a config file name or a config object, got " +
                            describe_json_value(*b));
    return;
  }
  if (!c.ok()) {
    cx.r.error("/base", "the base config is not valid: " + config_problems(what, c.errors));
    return;
  }
  s.base = c.config;
  cx.base_document = json::parse(canonical_config_json(c.config));
}

// A pointer into the config that names an existing field.
std::optional<json::json_pointer> config_pointer(Context& cx, const json& v,
                                                 const std::string& path) {
  if (!v.is_string()) {
    cx.r.error(path, "expected a JSON pointer into the config such as \"/lanes\", got " +
                         describe_json_value(v));
    return std::nullopt;
  }
  const std::string text = v.get<std::string>();
  try {
    json::json_pointer p(text);
    if (!text.empty() && !cx.base_document.is_null() && cx.base_document.contains(p)) return p;
  } catch (const json::exception&) {
  }
  if (!cx.base_document.is_null())
    cx.r.error(path, fmt::format("\"{}\" names no config field; config fields are pointers such "
                                 "as /cores, /lanes, /formats/data, /formats/data/width, "
                                 "/activation/kind, /limits/weight_depth (docs/configuration.md)",
                                 text));
  return std::nullopt;
}

std::string value_label(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

void add_config(SweepSpec& s, SweepConfig c) {
  ConfigResult r = parse_config(c.document);
  if (r.ok()) c.config = r.config;
  else c.errors = r.errors;
  s.configs.push_back(std::move(c));
}

struct Axis {
  json::json_pointer pointer;
  std::string name;
  std::vector<json> values;
};

void read_axes(Context& cx, const json& j, SweepSpec& s) {
  const json* axes = cx.r.array(j, "axes", "/axes", false);
  if (!axes) return;
  std::vector<Axis> list;
  std::set<std::string> seen;
  std::size_t product = 1;
  for (std::size_t i = 0; i < axes->size(); ++i) {
    const std::string path = fmt::format("/axes/{}", i);
    const json& a = (*axes)[i];
    if (!cx.r.object(a, path, {"path", "values"})) continue;
    const json* p = Reader::find(a, "path");
    if (!p) {
      cx.r.error(path + "/path", "missing; expected a JSON pointer into the config");
      continue;
    }
    const auto pointer = config_pointer(cx, *p, path + "/path");
    const json* values = cx.r.array(a, "values", path + "/values", true);
    if (!pointer || !values) continue;
    if (!seen.insert(pointer->to_string()).second) {
      cx.r.error(path + "/path", fmt::format("\"{}\" is varied by an earlier axis",
                                             pointer->to_string()));
      continue;
    }
    list.push_back({*pointer, pointer->to_string().substr(1), {values->begin(), values->end()}});
    product *= values->size();
    if (product > kMaxConfigs) {
      cx.r.error("/axes", fmt::format("the axes give more than {} configs", kMaxConfigs));
      return;
    }
  }
  if (list.size() != axes->size() || cx.base_document.is_null()) return;
  // The product, the first axis varying slowest.
  for (std::size_t n = 0; n < product; ++n) {
    SweepConfig c;
    c.origin = "/axes";
    c.document = cx.base_document;
    std::size_t rest = n, stride = product;
    for (const Axis& a : list) {
      stride /= a.values.size();
      const json& v = a.values[rest / stride];
      rest %= stride;
      c.document[a.pointer] = v;
      c.overrides[a.pointer.to_string()] = v;
      c.label += (c.label.empty() ? "" : " ") + a.name + "=" + value_label(v);
    }
    add_config(s, std::move(c));
  }
}

void read_config_entry(Context& cx, const json& e, const std::string& path, SweepSpec& s) {
  if (!cx.r.object(e, path, {"label", "file", "config", "set"})) return;
  const int given = (e.contains("file") ? 1 : 0) + (e.contains("config") ? 1 : 0) +
                    (e.contains("set") ? 1 : 0);
  if (given != 1) {
    cx.r.error(path, "give exactly one of \"file\" (a config file), \"config\" (a config "
                     "object) or \"set\" (pointer -> value changes to the base)");
    return;
  }
  SweepConfig c;
  c.origin = path;
  if (auto label = cx.r.string(e, "label", path + "/label")) c.label = *label;
  if (auto file = cx.r.string(e, "file", path + "/file")) {
    const fs::path f = resolve(cx, *file);
    const TextFile text = read_text_file(f.string());
    const ParsedJson parsed = text.status == TextFile::Status::Ok ? parse_json_strict(text.text)
                                                                   : ParsedJson{};
    if (text.status != TextFile::Status::Ok || !parsed.ok()) {
      cx.r.error(path + "/file",
                 fmt::format("{}: {}", f.string(),
                             text.status == TextFile::Status::Directory ? "is a directory"
                             : text.status == TextFile::Status::Unreadable
                                 ? "cannot read: " + text.reason
                                 : parsed.error));
      return;
    }
    c.document = parsed.value;
    c.overrides["file"] = *file;
    if (c.label.empty()) c.label = f.stem().string();
  } else if (const json* inline_config = Reader::find(e, "config")) {
    c.document = *inline_config;
    if (c.label.empty()) c.label = path.substr(1);
  } else if (const json* set = Reader::find(e, "set")) {
    if (!set->is_object() || set->empty()) {
      cx.r.error(path + "/set", "expected an object of config pointer -> value, got " +
                                    describe_json_value(*set));
      return;
    }
    c.document = cx.base_document;
    std::string label;
    for (const auto& [key, value] : set->items()) {
      const auto p = config_pointer(cx, json(key), path + "/set/" + json_pointer_token(key));
      if (!p) continue;
      c.document[*p] = value;
      c.overrides[key] = value;
      label += (label.empty() ? "" : " ") + key.substr(1) + "=" + value_label(value);
    }
    if (c.label.empty()) c.label = label;
  }
  if (cx.base_document.is_null()) return;
  add_config(s, std::move(c));
}

void read_configs(Context& cx, const json& j, SweepSpec& s) {
  const json* configs = cx.r.array(j, "configs", "/configs", false);
  if (configs)
    for (std::size_t i = 0; i < configs->size(); ++i)
      read_config_entry(cx, (*configs)[i], fmt::format("/configs/{}", i), s);
  if (!configs && !j.contains("axes") && !cx.base_document.is_null()) {
    SweepConfig c;
    c.origin = "/base";
    c.label = s.base.name;
    c.document = cx.base_document;
    add_config(s, std::move(c));
  }
  if (s.configs.size() > kMaxConfigs)
    cx.r.error("/configs", fmt::format("the sweep has {} configs; at most {}", s.configs.size(),
                                       kMaxConfigs));
}

std::string shape_fingerprint(const SweepWorkload& w) {
  const WorkloadShape& s = w.shape;
  return text_hash(fmt::format("shape {} {} {} {} {} {} {} seed {}", s.input_size, s.hidden_size,
                               s.num_layers, s.steps, s.sequences, s.weight_scale, s.input_scale,
                               w.seed));
}

void read_suite(Context& cx, const json& e, const std::string& path, SweepSpec& s,
                std::vector<SweepWorkload>& out) {
  const auto suite = cx.r.string(e, "suite", path + "/suite");
  const auto sequences = cx.r.integer(e, "sequences", path + "/sequences", 1, 10000);
  if (!suite) return;
  const auto names = sweep_suite_names();
  if (std::find(names.begin(), names.end(), *suite) == names.end()) {
    cx.r.error(path + "/suite", fmt::format("unknown suite \"{}\" (suites: {})", *suite,
                                            join(names)));
    return;
  }
  // The shapes are fitted to the base config once, so every config of the
  // sweep runs the same work.
  for (const BenchWorkload& b : bench_suite(*suite, s.base)) {
    SweepWorkload w;
    w.name = b.name;
    w.origin = "suite " + *suite;
    w.shape = b.shape;
    w.shape.sequences = static_cast<int>(sequences.value_or(s.base.cores));
    w.fingerprint = shape_fingerprint(w);
    out.push_back(std::move(w));
  }
}

void read_shape(Context& cx, const json& e, const std::string& path, SweepWorkload& w) {
  struct Field {
    const char* key;
    int* out;
    std::int64_t hi;
    bool required;
  };
  const Field fields[] = {{"input_size", &w.shape.input_size, 4096, true},
                          {"hidden_size", &w.shape.hidden_size, 4096, true},
                          {"layers", &w.shape.num_layers, 64, true},
                          {"steps", &w.shape.steps, 100000, true},
                          {"sequences", &w.shape.sequences, 10000, false}};
  w.shape = workload_shape(1, 1, 1, 1, 1);
  for (const Field& f : fields) {
    if (!e.contains(f.key)) {
      if (f.required) cx.r.error(path + "/" + f.key, "missing; expected an integer");
      continue;
    }
    if (auto v = cx.r.integer(e, f.key, path + "/" + f.key, 1, f.hi)) *f.out = static_cast<int>(*v);
  }
  if (auto seed = cx.r.integer(e, "seed", path + "/seed", 0, INT64_MAX))
    w.seed = static_cast<std::uint64_t>(*seed);
  w.origin = "shape";
  w.fingerprint = shape_fingerprint(w);
}

void read_files(Context& cx, const json& e, const std::string& path, SweepWorkload& w) {
  const auto model = cx.r.string(e, "model", path + "/model");
  const auto input = cx.r.string(e, "input", path + "/input");
  if (!model || !input) {
    if (!e.contains("model")) cx.r.error(path + "/model", "missing; expected a model file");
    if (!e.contains("input")) cx.r.error(path + "/input", "missing; expected an input file");
    return;
  }
  w.origin = "files";
  w.model = resolve(cx, *model);
  w.input = resolve(cx, *input);
  try {
    const FloatModel m = read_model_file(w.model.string());
    const SequenceSet x = read_input_file(w.input.string(), m, w.model.string()).sequences;
    w.shape = workload_shape(m.input_size, m.layers.empty() ? 0 : m.layers[0].hidden_size,
                             static_cast<int>(m.layers.size()),
                             x.empty() ? 0 : static_cast<int>(x[0].size()),
                             static_cast<int>(x.size()));
    w.fingerprint = text_hash(read_text_file(w.model.string()).text + "\n" +
                              read_text_file(w.input.string()).text);
  } catch (const FileError& err) {
    cx.r.error(path, err.what());
  }
}

void read_workloads(Context& cx, const json& j, SweepSpec& s) {
  const json* list = cx.r.array(j, "workloads", "/workloads", true);
  if (!list) return;
  std::vector<SweepWorkload> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = fmt::format("/workloads/{}", i);
    const json& e = (*list)[i];
    if (!e.is_object()) {
      cx.r.error(path, "expected an object, got " + describe_json_value(e));
      continue;
    }
    if (e.contains("suite")) {
      if (cx.r.object(e, path, {"suite", "sequences"}) && !cx.base_document.is_null())
        read_suite(cx, e, path, s, out);
      continue;
    }
    const bool files = e.contains("model") || e.contains("input");
    if (files ? !cx.r.object(e, path, {"name", "model", "input"})
              : !cx.r.object(e, path, {"name", "input_size", "hidden_size", "layers", "steps",
                                       "sequences", "seed"}))
      continue;
    SweepWorkload w;
    const auto name = cx.r.string(e, "name", path + "/name");
    if (!name || !safe_name(*name)) {
      cx.r.error(path + "/name", "expected a name of 1 to 64 letters, digits, '_', '-' or '.'" +
                                     std::string(name ? ", got \"" + *name + "\"" : ""));
      continue;
    }
    w.name = *name;
    if (files) read_files(cx, e, path, w);
    else read_shape(cx, e, path, w);
    if (!w.fingerprint.empty()) out.push_back(std::move(w));
  }
  std::set<std::string> names;
  for (const auto& w : out)
    if (!names.insert(w.name).second)
      cx.r.error("/workloads", fmt::format("two workloads are named \"{}\"", w.name));
  s.workloads = std::move(out);
}

void read_modes(Context& cx, const json& j, SweepSpec& s) {
  const auto allowed = sweep_mode_names();
  if (!j.contains("modes")) {
    s.modes = hostmap::mode_names();
    return;
  }
  const json* list = cx.r.array(j, "modes", "/modes", true);
  if (!list) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& m = (*list)[i];
    const std::string path = fmt::format("/modes/{}", i);
    if (!m.is_string() || !parse_mode_request(m.get<std::string>())) {
      cx.r.error(path, fmt::format("expected one of {}, got {}", join(allowed),
                                   describe_json_value(m)));
    } else if (std::find(s.modes.begin(), s.modes.end(), m.get<std::string>()) != s.modes.end()) {
      cx.r.error(path, fmt::format("mode \"{}\" is listed twice", m.get<std::string>()));
    } else {
      s.modes.push_back(m.get<std::string>());
    }
  }
}

void read_synthesis(Context& cx, const json& j, SweepSpec& s) {
  const json* y = Reader::find(j, "synthesis");
  if (!y) {
    s.synth_targets = {"ice40"};
    s.resource = "luts";
    return;
  }
  if (y->is_boolean() && !y->get<bool>()) return;
  if (!cx.r.object(*y, "/synthesis", {"targets", "resource", "timeout"})) return;
  if (const json* t = cx.r.array(*y, "targets", "/synthesis/targets", false)) {
    for (std::size_t i = 0; i < t->size(); ++i) {
      const json& v = (*t)[i];
      if (!v.is_string() ||
          std::find(kTargets.begin(), kTargets.end(), v.get<std::string>()) == kTargets.end())
        cx.r.error(fmt::format("/synthesis/targets/{}", i),
                   fmt::format("expected one of {}, got {}", join(kTargets), describe_json_value(v)));
      else if (std::find(s.synth_targets.begin(), s.synth_targets.end(), v.get<std::string>()) ==
               s.synth_targets.end())
        s.synth_targets.push_back(v.get<std::string>());
    }
  } else if (!y->contains("targets")) {
    s.synth_targets = {"ice40"};
  }
  if (auto t = cx.r.integer(*y, "timeout", "/synthesis/timeout", 1, 7 * 86400))
    s.synth_timeout = static_cast<int>(*t);
  if (s.synth_targets.empty()) return;
  const std::string& first = s.synth_targets.front();
  s.resource = target_has_figure(first, "luts") ? "luts" : "cells";
  if (auto r = cx.r.string(*y, "resource", "/synthesis/resource")) {
    if (std::find(kFigures.begin(), kFigures.end(), *r) == kFigures.end())
      cx.r.error("/synthesis/resource",
                 fmt::format("expected one of {}, got \"{}\"", join(kFigures), *r));
    else if (!target_has_figure(first, *r))
      cx.r.error("/synthesis/resource", fmt::format("target {} (the first) gives no {}", first, *r));
    else
      s.resource = *r;
  }
}

void read_impl(Context& cx, const json& j, SweepSpec& s) {
  const json* y = Reader::find(j, "impl");
  if (!y || !cx.r.object(*y, "/impl", {"device", "seeds", "freq", "timeout"})) return;
  ImplSettings impl;
  if (auto d = cx.r.string(*y, "device", "/impl/device")) {
    if (std::find(kImplDevices.begin(), kImplDevices.end(), *d) == kImplDevices.end())
      cx.r.error("/impl/device", fmt::format("expected one of {} (tools/impl.sh --device), got \"{}\"",
                                             join(kImplDevices), *d));
    else
      impl.device = *d;
  }
  if (auto n = cx.r.integer(*y, "seeds", "/impl/seeds", 1, 25)) impl.seeds = static_cast<int>(*n);
  if (auto f = cx.r.integer(*y, "freq", "/impl/freq", 1, 1000)) impl.freq_mhz = static_cast<int>(*f);
  if (auto t = cx.r.integer(*y, "timeout", "/impl/timeout", 1, 7 * 86400))
    impl.timeout = static_cast<int>(*t);
  s.impl = impl;
}

void read_budget(Context& cx, const json& j, SweepSpec& s) {
  const json* b = Reader::find(j, "budget");
  if (!b) return;
  const std::vector<std::string> keys{"max_cycles", "max_time_us", "max_error"};
  std::vector<std::string> resource_keys;
  for (const auto& f : kFigures) resource_keys.push_back("max_" + f);
  if (!b->is_object()) {
    cx.r.error("/budget", "expected an object, got " + describe_json_value(*b));
    return;
  }
  for (const auto& [key, value] : b->items()) {
    const std::string path = "/budget/" + json_pointer_token(key);
    const bool resource = std::find(resource_keys.begin(), resource_keys.end(), key) !=
                          resource_keys.end();
    if (!resource && std::find(keys.begin(), keys.end(), key) == keys.end()) {
      cx.r.error(path, fmt::format("unknown key \"{}\" (allowed: {}, {})", key, join(keys),
                                   join(resource_keys)));
      continue;
    }
    const auto v = cx.r.number(*b, key.c_str(), path);
    if (!v) continue;
    if (key == "max_cycles") s.budget.max_cycles = *v;
    else if (key == "max_error") s.budget.max_error = *v;
    else if (key == "max_time_us" && !s.impl)
      cx.r.error(path, "a time budget needs a clock: add \"impl\" (place and route)");
    else if (key == "max_time_us") s.budget.max_time_us = *v;
    else if (s.synth_targets.empty())
      cx.r.error(path, "a resource budget needs synthesis (\"synthesis\" is false)");
    else if (!target_has_figure(s.synth_targets.front(), key.substr(4)))
      cx.r.error(path, fmt::format("target {} (the first in /synthesis/targets) gives no {}",
                                   s.synth_targets.front(), key.substr(4)));
    else
      s.budget.max_resources.emplace_back(key.substr(4), *v);
  }
}

// A value that goes into a line of the batch script: no line breaks.
void read_script_string(Context& cx, const json& obj, const char* key, const std::string& path,
                        std::string& out) {
  if (auto v = cx.r.string(obj, key, path)) {
    if (v->empty() || v->find_first_of("\r\n") != std::string::npos)
      cx.r.error(path, "expected a non-empty string on one line");
    else
      out = *v;
  }
}

void read_slurm(Context& cx, const json& j, SweepSpec& s) {
  const json* y = Reader::find(j, "slurm");
  if (!y || !cx.r.object(*y, "/slurm", {"partition", "time", "options"})) return;
  read_script_string(cx, *y, "partition", "/slurm/partition", s.slurm.partition);
  read_script_string(cx, *y, "time", "/slurm/time", s.slurm.time);
  const json* o = Reader::find(*y, "options");
  if (!o) return;
  if (!o->is_array()) {
    cx.r.error("/slurm/options", "expected an array of sbatch options, got " +
                                     describe_json_value(*o));
    return;
  }
  for (std::size_t i = 0; i < o->size(); ++i) {
    const std::string path = fmt::format("/slurm/options/{}", i);
    const json& v = (*o)[i];
    if (!v.is_string() || v.get<std::string>().rfind("-", 0) != 0 ||
        v.get<std::string>().find_first_of("\r\n") != std::string::npos)
      cx.r.error(path, "expected an sbatch option on one line such as \"--mem=4G\", got " +
                           describe_json_value(v));
    else
      s.slurm.options.push_back(v.get<std::string>());
  }
}

std::string point_key(const SweepSpec& s, const SweepConfig& c, const std::string& mode) {
  json k;
  k["format"] = kPointFormat;
  k["config"] = c.config ? canonical_config_json(*c.config) : c.document.dump();
  k["mode"] = mode;
  for (const auto& w : s.workloads) k["workloads"].push_back(w.name + ":" + w.fingerprint);
  k["synthesis"] = s.synth_targets;
  if (s.impl)
    k["impl"] = fmt::format("{} seeds {} freq {}", s.impl->device, s.impl->seeds, s.impl->freq_mhz);
  return text_hash(k.dump());
}

}  // namespace

std::string SweepPoint::file_name() const { return fmt::format("p{:04}-{}.json", index, key); }

std::vector<std::string> sweep_suite_names() { return bench_suite_names(); }

std::vector<std::string> sweep_mode_names() { return mode_request_names(); }

std::vector<std::string> sweep_synth_targets() { return kTargets; }

bool target_has_figure(const std::string& target, const std::string& figure) {
  if (figure == "lut_levels") return target == "depth";
  if (figure == "luts") return target != "generic";
  if (figure == "dsps" || figure == "block_rams") return target != "generic";
  return true;
}

SweepParse parse_sweep(const json& j, const fs::path& file) {
  SweepParse out;
  SweepSpec& s = out.spec;
  s.file = fs::absolute(file).lexically_normal();
  Reader r(out.errors);
  Context cx{r, s.file.parent_path(), json()};
  if (!r.object(j, "", {"name", "base", "axes", "configs", "workloads", "modes", "synthesis",
                        "impl", "budget", "slurm", "shards"}))
    return out;
  s.name = s.file.stem().string();
  if (auto name = r.string(j, "name", "/name")) {
    if (safe_name(*name)) s.name = *name;
    else r.error("/name", fmt::format("expected 1 to 64 letters, digits, '_', '-' or '.', got \"{}\"",
                                      *name));
  }
  read_base(cx, j, s);
  read_axes(cx, j, s);
  read_configs(cx, j, s);
  read_workloads(cx, j, s);
  read_modes(cx, j, s);
  read_synthesis(cx, j, s);
  read_impl(cx, j, s);
  read_budget(cx, j, s);
  read_slurm(cx, j, s);
  if (auto n = r.integer(j, "shards", "/shards", 1, 100000)) s.shards = static_cast<int>(*n);
  if (s.configs.size() * std::max<std::size_t>(1, s.modes.size()) > kMaxPoints)
    r.error("", fmt::format("the sweep has {} points; at most {}",
                            s.configs.size() * s.modes.size(), kMaxPoints));
  return out;
}

SweepParse load_sweep_file(const std::string& path) {
  SweepParse out;
  const TextFile text = read_text_file(path);
  if (text.status != TextFile::Status::Ok) {
    out.errors.push_back({"", text.status == TextFile::Status::Directory
                                  ? "is a directory, expected a sweep file"
                                  : "cannot read the sweep file: " + text.reason});
    return out;
  }
  const ParsedJson parsed = parse_json_strict(text.text);
  if (!parsed.ok()) {
    out.errors.push_back({"", fmt::format("is {} (byte {})", parsed.error, parsed.error_byte)});
    return out;
  }
  out = parse_sweep(parsed.value, path);
  std::vector<SweepProblem> duplicates;
  for (const JsonDuplicate& d : parsed.duplicates) duplicates.push_back({d.pointer, d.message});
  out.errors.insert(out.errors.begin(), duplicates.begin(), duplicates.end());
  return out;
}

std::string sweep_errors_text(const SweepParse& p) {
  std::string out;
  for (const auto& e : p.errors)
    out += fmt::format("{}{}: {}{}", out.empty() ? "" : "\n", p.spec.file.string(),
                       e.pointer.empty() ? "" : e.pointer + ": ", e.message);
  return out;
}

std::vector<SweepPoint> sweep_points(const SweepSpec& s) {
  std::vector<SweepPoint> out;
  for (std::size_t c = 0; c < s.configs.size(); ++c)
    for (const auto& m : s.modes)
      out.push_back({static_cast<int>(out.size()), static_cast<int>(c), m,
                     point_key(s, s.configs[c], m)});
  return out;
}

std::vector<SweepPoint> shard_points(const std::vector<SweepPoint>& points, int shard, int shards) {
  std::vector<SweepPoint> out;
  std::map<int, int> order;  // config -> its position among the configs present
  for (const auto& p : points) order.emplace(p.config, static_cast<int>(order.size()));
  for (const auto& p : points)
    if (order[p.config] % shards == shard) out.push_back(p);
  return out;
}

int config_count(const std::vector<SweepPoint>& points) {
  std::set<int> c;
  for (const auto& p : points) c.insert(p.config);
  return static_cast<int>(c.size());
}

}  // namespace lstm
