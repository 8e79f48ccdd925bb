#include "bench/benchmark.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench/bench_hardware.hpp"
#include "bench/speedup_chart.hpp"
#include "gen/generator.hpp"
#include "host/cost_model.hpp"
#include "host/host_program.hpp"
#include "sim/model_io.hpp"
#include "spec/host_map.hpp"
#include "spec/lstm_shape.hpp"
#include "tb/rtl_engine.hpp"

namespace lstm {

namespace fs = std::filesystem;

namespace {

using hostmap::Mode;

// The paper's two-core speedups (Peng et al., MCSoC 2019).
std::optional<double> paper_figure(Mode mode) {
  switch (mode) {
    case Mode::Mp: return 1.98;
    case Mode::Mt: return 1.91;
    case Mode::Hc: return 1.88;
    case Mode::Single:
    case Mode::Hybrid: break;  // not in the paper
  }
  return std::nullopt;
}

// Shrinks a shape until one core of c can hold it, so every suite runs on
// every valid config (the small config included).
WorkloadShape fit(WorkloadShape s, const HwConfig& c) {
  s.input_size = std::min(s.input_size, c.limits.max_input);
  s.hidden_size = std::min(s.hidden_size, c.limits.max_hidden);
  s.num_layers = std::min(s.num_layers, c.limits.max_layers);
  auto words = [&] {
    const int g = groups_of(s.hidden_size, c.lanes);
    // A bidirectional model is loaded a layer at a time, both directions
    // (host/bidirectional_plan.hpp); a later layer reads 2 H inputs.
    if (s.bidirectional)
      return 2 * std::int64_t{g} *
             (std::max(s.input_size, s.num_layers > 1 ? 2 * s.hidden_size : 0) + s.hidden_size);
    return std::int64_t{g} * (s.input_size + s.hidden_size) +
           std::int64_t{s.num_layers - 1} * g * (2 * s.hidden_size);
  };
  while (words() > c.limits.weight_depth && s.hidden_size > 1) {
    s.hidden_size = std::max(1, s.hidden_size * 3 / 4);
    s.input_size = std::max(1, std::min(s.input_size, s.hidden_size * 2));
  }
  return s;
}

// What this project set out to reach (docs/performance.md): the paper's
// figure on two cores for mp and mt (mt on any number), more for hc.
std::optional<double> target_speedup(Mode mode, int cores, int cores_used) {
  const std::optional<double> none;
  // 8 cores: the goals of issue 11 (mp >= 7.9x, hc on X = H = 256 >= 7.0x).
  if (mode == Mode::Mp)
    return cores == 2 ? paper_figure(mode) : cores == 4 ? 3.9 : cores == 8 ? 7.9 : none;
  // mt: the paper's figure for a 2-stage pipeline; 4 stages with the jobs
  // pipelined through them: issue 12's goal of 3.9x.
  if (mode == Mode::Mt) return cores_used == 4 ? 3.9 : cores_used >= 2 ? paper_figure(mode) : none;
  if (mode == Mode::Hc) return cores == 2 ? 1.90 : cores == 4 ? 3.5 : cores == 8 ? 7.0 : none;
  return std::nullopt;
}

std::string fmt_opt(const std::optional<double>& v, const char* f = "{:.2f}") {
  return v ? fmt::format(fmt::runtime(f), *v) : std::string("-");
}

}  // namespace

std::vector<std::string> bench_suite_names() { return {"paper", "targets", "quick"}; }

std::string load_method(const BenchOptions& o) {
  if (!o.load.empty()) return o.load;
  return o.config.features.row_loader ? "rows" : "host-port";
}

std::vector<BenchWorkload> bench_suite(const std::string& suite, const HwConfig& c) {
  const std::vector<Mode> all{Mode::Mp, Mode::Mt, Mode::Hc};
  std::vector<BenchWorkload> w;
  if (suite == "targets") {
    w.push_back({"util-256", "1 layer, X = H = 256: MAC utilization of one core", workload_shape(256, 256, 1, 3), {}, {}, 0.95, {}, 1});
    w.push_back({"util-64", "1 layer, X = H = 64: MAC utilization of one core", workload_shape(64, 64, 1, 20), {}, {}, 0.80, {}, 1});
    w.push_back({"mp-equal", "equal independent jobs, one per core (X = H = 64, 50 steps)", workload_shape(64, 64, 1, 50), {Mode::Mp}, {}, {}, {}, 1});
    w.push_back({"mt-2layer", "2 layers, X = H = 64, 50 steps, pipelined", workload_shape(64, 64, 2, 50), {Mode::Mt}, {}, {}, {}, 1});
    if (c.cores > 2)
      w.push_back({fmt::format("mt-{}layer", c.cores), "one layer per core, X = H = 64, 50 steps",
                   workload_shape(64, 64, c.cores, 50), {Mode::Mt}, {}, {}, {}, 1});
    w.push_back({"hc-256", "1 layer, X = H = 256, cores share the layer", workload_shape(256, 256, 1, 3), {Mode::Hc}, {}, {}, {}, 1});
    // Issue 12: a short layer-step's h exchange hidden behind the next step.
    if (c.cores == 4)
      w.push_back({"hc-64", "1 layer, X = H = 64, 32 steps, cores share the layer",
                   workload_shape(64, 64, 1, 32), {Mode::Hc}, {}, {}, 3.85, 1});
    // Issue 12: a model narrower than the lanes, 8 sequences batched in one core.
    if (c.features.batch)
      w.push_back({"batch-16", "8 sequences of 1 layer, X = H = 16, 50 steps, batched in core 0",
                   workload_shape(16, 16, 1, 50), {}, {}, 0.90, {}, 8});
  } else if (suite == "quick") {
    w.push_back({"quick-2layer", "2 layers, X = H = 16, 10 steps", workload_shape(16, 16, 2, 10), all, {}, {}, {}, 1});
    w.push_back({"quick-1layer", "1 layer, X = 8, H = 12, 10 steps", workload_shape(8, 12, 1, 10), all, {}, {}, {}, 1});
  } else {  // paper: shapes of the models the paper cites, scaled to simulate in minutes
    w.push_back({"speech-3L", "speech recognition stack (Graves et al. 2013): 40 filterbank inputs, 3 x 96",
                 workload_shape(40, 96, 3, 24), all, {}, {}, {}, 1});
    w.push_back({"speech-5L", "deep speech stack: 40 inputs, 5 x 64", workload_shape(40, 64, 5, 24), all, {}, {}, {}, 1});
    w.push_back({"lm-2L", "language model (Wang et al. 2015): 2 x 128, embedding 128", workload_shape(128, 128, 2, 16), all, {}, {}, {}, 1});
    w.push_back({"seq2seq-enc", "seq2seq encoder (Sutskever et al. 2014): 4 x 64", workload_shape(64, 64, 4, 24), all, {}, {}, {}, 1});
    w.push_back({"caption-dec", "image caption decoder (Vinyals et al. 2015): 1 x 128", workload_shape(128, 128, 1, 16), all, {}, {}, {}, 1});
    WorkloadShape blstm = workload_shape(40, 64, 2, 24);
    blstm.bidirectional = true;
    w.push_back({"bidir-speech", "bidirectional speech encoder (Graves et al. 2013, BLSTM): 40 inputs, 2 x 64 per direction",
                 blstm, all, {}, {}, {}, 1});
    if (c.cells.gru) {
      WorkloadShape gru = workload_shape(40, 96, 3, 24);
      gru.cell = CellType::Gru;
      w.push_back({"gru-speech", "GRU stack (Chung et al. 2014 compare GRUs and LSTMs on speech): 40 inputs, 3 x 96", gru,
                   all, {}, {}, {}, 1});
    }
  }
  for (auto& x : w) {
    x.shape = fit(x.shape, c);
    x.shape.sequences = std::max({1, c.cores, x.batch});  // one job per core in mp
  }
  return w;
}

namespace {

// One run of a workload's model and input files in mode m on the RTL. The
// speedup is left to the caller, which knows the single run.
BenchRow measure(const BenchOptions& o, const BenchWorkload& w, Mode m, int batch,
                 const fs::path& dir, std::ostream& progress) {
  const std::string mode{hostmap::mode_name(m)};
  RtlRunRequest r;
  r.config_path = o.config_path;
  r.mode = mode;
  r.models = {(dir / "model.json").string()};
  r.inputs = {(dir / "input.json").string()};
  r.output = (dir / (batch > 1 ? fmt::format("{}-batch{}.json", mode, batch) : mode + ".json")).string();
  r.batch = batch;
  r.quiet = true;
  // Weights by the row stream by default, as a host would load them; the
  // load has its own column (the run cycles are the same with any load
  // method: tests/rtl/rtl_backdoor_test.cpp).
  r.load = load_method(o);
  // Nor the final state's reads (h_n, c_n), which would delay mp's next jobs.
  r.read_state = false;
  r.read_saturation = false;  // the counters' reads would delay mp's next job on a core
  const int rc = run_rtl_engine(o.config, r, progress);
  if (rc != 0 && rc != 1)
    throw std::runtime_error(fmt::format("bench: {} in mode {} failed (rtlsim exit {})", w.name, mode, rc));
  std::ifstream f(r.output);
  const auto j = nlohmann::json::parse(f);
  BenchRow row;
  row.workload = w.name;
  row.mode = m;
  row.batch = batch;
  row.cores = o.config.cores;
  row.lanes = o.config.lanes;
  row.cores_used = j.at("cores_used").get<int>();
  row.cycles = j.at("cycles").get<std::uint64_t>();
  row.load_cycles = j.at("load_cycles").get<std::uint64_t>();
  row.mac_utilization = j.at("mac_utilization").get<double>();
  row.bit_exact = j.at("bit_exact").get<bool>();
  return row;
}

// The cost model's choice for the workload's jobs (every sequence of its model).
AutoChoice predict_workload(const BenchOptions& o, const BenchWorkload& w) {
  const std::vector<QuantModel> models{quantize_model(random_model(w.shape, 1), o.config)};
  const std::vector<JobSpec> jobs(static_cast<std::size_t>(w.shape.sequences),
                                  JobSpec{0, static_cast<std::uint32_t>(w.shape.steps)});
  return choose_mode(o.config, models, jobs, o.config.features.batch);
}

// The cost model's prediction for a row's plan (its mode, its batch).
std::uint64_t predicted_for(const AutoChoice& a, Mode m, int batch) {
  for (const ModePrediction& p : a.candidates)
    if (p.mode == m && p.batch == batch) return p.cycles;
  return 0;
}

// How the report's runs loaded their weights (BenchOptions::load).
std::string load_method_text(const BenchOptions& o) {
  const std::string load = load_method(o);
  if (load == "host-port") return "over the host port, one write per weight";
  if (load == "backdoor")
    return "through the simulator's backdoor, which takes no cycles (load is 0)";
  return fmt::format("through the weight row stream (a beat per memory word of {} weights, "
                     "one broadcast where cores hold the same image)",
                     kGates * o.config.lanes);
}

std::string mode_label(const BenchRow& r) {
  const std::string plan = r.batch > 1 ? fmt::format("{} --batch {}", hostmap::mode_name(r.mode), r.batch)
                                       : std::string(hostmap::mode_name(r.mode));
  return r.automatic ? fmt::format("auto ({})", plan) : plan;
}

}  // namespace

std::vector<BenchRow> run_bench(const BenchOptions& o, std::ostream& progress) {
  const auto suite = bench_suite(o.suite, o.config);
  const fs::path work = (o.report_dir.empty() ? fs::temp_directory_path() / "lstm-bench"
                                              : o.report_dir) / "work";
  std::size_t total = 0, done = 0;
  for (const auto& w : suite) total += 1 + w.modes.size() + (w.batch > 1 ? 1 : 0);
  progress << fmt::format("bench: suite {} on config {} ({} cores x {} lanes): {} runs\n", o.suite,
                          o.config.name, o.config.cores, o.config.lanes, total);
  ensure_rtlsim(o.config, progress);
  std::vector<BenchRow> rows;
  for (const auto& w : suite) {
    const fs::path dir = work / w.name;
    fs::create_directories(dir);
    write_json_file_atomic((dir / "model.json").string(), model_to_json(random_model(w.shape, 1)));
    write_json_file_atomic((dir / "input.json").string(), inputs_to_json(random_inputs(w.shape, 2)));
    const AutoChoice choice = predict_workload(o, w);
    std::uint64_t single_cycles = 0;
    std::vector<Mode> modes{Mode::Single};
    modes.insert(modes.end(), w.modes.begin(), w.modes.end());
    const std::size_t first = rows.size();
    auto finish = [&](BenchRow row) {
      row.predicted = predicted_for(choice, row.mode, row.batch);
      if (row.mode == Mode::Single && row.batch == 1 && !row.automatic) single_cycles = row.cycles;
      row.speedup = row.cycles ? static_cast<double>(single_cycles) / static_cast<double>(row.cycles) : 0.0;
      progress << fmt::format(" {} cycles (predicted {}), load {}, {:.2f}x, MAC utilization {:.3f}{}\n",
                              row.cycles, row.predicted, row.load_cycles, row.speedup, row.mac_utilization,
                              row.bit_exact ? "" : ", NOT BIT-EXACT");
      rows.push_back(row);
    };
    for (const Mode m : modes) {
      progress << fmt::format("bench [{}/{}] {} {} ...", ++done, total, w.name, hostmap::mode_name(m))
               << std::flush;
      BenchRow row = measure(o, w, m, 1, dir, progress);
      if (m == Mode::Single) {
        if (w.batch == 1) row.target = w.target_util;
      } else {
        row.paper = paper_figure(m);
        row.target = o.suite != "targets" ? std::nullopt
                     : w.target           ? w.target
                                          : target_speedup(m, o.config.cores, row.cores_used);
      }
      finish(row);
    }
    if (w.batch > 1) {
      progress << fmt::format("bench [{}/{}] {} single --batch {} ...", ++done, total, w.name, w.batch)
               << std::flush;
      BenchRow row = measure(o, w, Mode::Single, w.batch, dir, progress);
      row.target = w.target_util;
      finish(row);
    }
    // auto runs the plan the cost model predicts fastest: the same plan as that
    // mode's run above (the RTL is deterministic), or a run of its own.
    progress << fmt::format("bench {} auto: the cost model picks {}{} ...", w.name,
                            hostmap::mode_name(choice.mode),
                            choice.batch > 1 ? fmt::format(" --batch {}", choice.batch) : "")
             << std::flush;
    const auto same = std::find_if(rows.begin() + static_cast<std::ptrdiff_t>(first), rows.end(),
                                   [&](const BenchRow& r) {
                                     return r.mode == choice.mode && r.batch == choice.batch;
                                   });
    BenchRow row = same != rows.end() ? *same
                                      : measure(o, w, choice.mode, choice.batch, dir, progress);
    row.automatic = true;
    row.paper = row.target = std::nullopt;
    finish(row);
  }
  return rows;
}

std::string bench_markdown(const BenchOptions& o, const std::vector<BenchRow>& rows,
                           std::optional<double> fmax_mhz) {
  std::string md = fmt::format(
      "Config `{}`: {} cores x {} lanes ({} MACs per core). Suite `{}`. Cycles are measured in "
      "the generated RTL under Verilator; speedup is cycles(single) / cycles(mode) on the same "
      "work; MAC utilization is useful MACs / ({} x lanes x cores used x cycles). Predicted is "
      "the cost model's figure for the mode (host/cost_model.hpp), never a measurement; auto is "
      "the mode it predicts fastest, run on the RTL. Paper figures are for two cores. Weights "
      "are loaded before the run {}: load counts its cycles, load + run is the end-to-end "
      "latency; cycles, speedup and MAC utilization are of the run alone.\n\n",
      o.config_label.empty() ? o.config.name : o.config_label, o.config.cores, o.config.lanes,
      kGates * o.config.lanes, o.suite, kGates, load_method_text(o));
  const std::string time_head = fmax_mhz ? fmt::format(" µs at {:.2f} MHz |", *fmax_mhz) : "";
  md += "| workload | mode | cores used | cycles |" + time_head +
        " load | load + run | predicted | speedup | MAC util. | paper | target | met | bit-exact |\n";
  md += std::string(fmax_mhz ? "|---" : "") + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    std::string target = fmt_opt(r.target), met = "-";
    if (r.target) {
      const double v = r.mode == Mode::Single && !r.automatic ? r.mac_utilization : r.speedup;
      met = v >= *r.target ? "yes" : "NO";
    }
    if (r.automatic) {  // within 1% of the best mode measured on the workload
      std::uint64_t best = r.cycles;
      for (const auto& x : rows)
        if (x.workload == r.workload && !x.automatic) best = std::min(best, x.cycles);
      target = "best +1%";
      met = static_cast<double>(r.cycles) <= 1.01 * static_cast<double>(best) ? "yes" : "NO";
    }
    const std::string time =
        fmax_mhz ? fmt::format(" {:.1f} |", static_cast<double>(r.cycles) / *fmax_mhz) : "";
    md += fmt::format("| {} | {} | {} | {} |{} {} | {} | {} | {:.3f} | {:.3f} | {} | {} | {} | {} |\n",
                      r.workload, mode_label(r), r.cores_used, r.cycles, time, r.load_cycles,
                      r.load_cycles + r.cycles, r.predicted,
                      r.speedup, r.mac_utilization, fmt_opt(r.paper), target, met,
                      r.bit_exact ? "yes" : "NO");
  }
  return md;
}

namespace {

std::string speedup_svg(const BenchOptions& o, const std::vector<BenchRow>& rows) {
  std::vector<ChartBar> bars;
  for (const auto& r : rows)
    if (r.mode != Mode::Single || r.automatic)
      bars.push_back({r.workload, r.automatic ? "auto" : std::string(hostmap::mode_name(r.mode)),
                      r.speedup, r.paper});
    else if (r.batch > 1)
      bars.push_back({r.workload, "batch", r.speedup, std::nullopt});
  const std::string title =
      fmt::format("Speedup over one core: config {}, {} cores x {} lanes (RTL cycles, Verilator)",
                  o.config_label.empty() ? o.config.name : o.config_label, o.config.cores,
                  o.config.lanes);
  return speedup_chart(title, bars, "paper's figure (2 cores)").str();
}

}  // namespace

void write_bench_report(const BenchOptions& o, const std::vector<BenchRow>& rows,
                        const ConfigFigures* hardware) {
  const std::optional<double> fmax = hardware ? placed_fmax_mhz(*hardware) : std::nullopt;
  fs::create_directories(o.report_dir);
  nlohmann::ordered_json j;
  j["config"] = o.config.name;
  j["config_hash"] = config_hash(o.config);
  j["cores"] = o.config.cores;
  j["lanes"] = o.config.lanes;
  j["suite"] = o.suite;
  j["load"] = load_method(o);
  j["results"] = nlohmann::json::array();
  for (const auto& r : rows) {
    nlohmann::ordered_json x;
    x["workload"] = r.workload;
    x["mode"] = r.automatic ? std::string("auto") : std::string(hostmap::mode_name(r.mode));
    if (r.automatic) x["chosen_mode"] = std::string(hostmap::mode_name(r.mode));
    if (r.batch > 1) x["batch"] = r.batch;
    x["cores"] = r.cores;
    x["cores_used"] = r.cores_used;
    x["cycles"] = r.cycles;
    x["load_cycles"] = r.load_cycles;
    x["end_to_end_cycles"] = r.load_cycles + r.cycles;
    x["predicted_cycles"] = r.predicted;
    x["speedup"] = r.speedup;
    x["mac_utilization"] = r.mac_utilization;
    x["paper"] = r.paper ? nlohmann::json(*r.paper) : nlohmann::json(nullptr);
    x["target"] = r.target ? nlohmann::json(*r.target) : nlohmann::json(nullptr);
    x["bit_exact"] = r.bit_exact;
    if (fmax) x["microseconds"] = static_cast<double>(r.cycles) / *fmax;
    j["results"].push_back(x);
  }
  j["hardware"] = hardware ? hardware_json(*hardware) : nlohmann::ordered_json(nullptr);
  write_json_file_atomic((o.report_dir / "report.json").string(), j);
  std::ofstream md(o.report_dir / "report.md");
  md << "# LSTM accelerator benchmark\n\n" << bench_markdown(o, rows, fmax);
  if (hardware) md << "\n## Resources and clock\n\n" << hardware_markdown(o, *hardware);
  std::ofstream((o.report_dir / "speedup.svg")) << speedup_svg(o, rows);
}

}  // namespace lstm
