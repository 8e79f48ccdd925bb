#include "tests/rtl/rtl_test_support.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "sim/engines.hpp"
#include "sim/model_io.hpp"
#include "tb/rtl_engine.hpp"
#include "tests/rtl/saturating_model.hpp"

namespace lstm::test {

namespace fs = std::filesystem;

RtlResult run_rtl_case(const RtlCase& c) {
  const std::string cfg_path = std::string(LSTM_SOURCE_DIR) + "/" + c.config;
  const ConfigResult cfg = load_config_file(cfg_path);
  if (!cfg.ok()) throw std::runtime_error("bad test config " + cfg_path);
  const fs::path dir = fs::path(LSTM_BINARY_DIR) / "rtl-work" / c.name;
  fs::create_directories(dir);

  RtlRunRequest req;
  req.config_path = cfg_path;
  req.mode = c.mode;
  req.batch = c.batch;
  req.backpressure = c.backpressure;
  req.idle = c.idle;
  req.axil_idle = c.axil_idle;
  req.axil_backpressure = c.axil_backpressure;
  req.seed = c.seed;
  req.random_init = c.random_init;
  req.reset_at = c.reset_at;
  req.load = c.load;
  req.quiet = true;
  std::vector<FloatModel> models;
  std::vector<SequenceSet> inputs;
  for (std::size_t i = 0; i < c.models.size(); ++i) {
    const std::uint64_t seed = c.seed * 1000 + i;
    models.push_back(c.saturating ? saturating_model(c.models[i], seed)
                                  : random_model(c.models[i], seed));
    inputs.push_back(random_inputs(c.models[i], seed + 500));
    const std::string m = (dir / fmt::format("model{}.json", i)).string();
    const std::string in = (dir / fmt::format("input{}.json", i)).string();
    write_json_file_atomic(m, model_to_json(models.back()));
    write_json_file_atomic(in, inputs_to_json(inputs.back()));
    req.models.push_back(m);
    req.inputs.push_back(in);
  }
  req.output = (dir / "output.json").string();
  fs::remove(req.output);

  RtlResult r;
  r.output_path = req.output;
  r.exit_code = run_rtl_engine(cfg.config, req, std::cerr);
  if (!fs::exists(req.output)) return r;
  std::ifstream f(req.output);
  const auto out = nlohmann::json::parse(f);
  r.cycles = out.at("cycles").get<std::uint64_t>();
  r.load_cycles = out.at("load_cycles").get<std::uint64_t>();
  r.reset_at_cycle = out.value("reset_at_cycle", std::uint64_t{0});
  r.cores_used = out.at("cores_used").get<int>();
  if (out.contains("stages")) r.stages = out.at("stages").get<std::string>();
  r.bit_exact = out.at("bit_exact").get<bool>();
  r.outputs = out.contains("models") ? out.at("models").dump() : out.at("outputs").dump();
  r.saturation_mismatches = out.at("saturation_mismatches").get<std::uint64_t>();
  // Independent check: the file's outputs and saturation counts equal the
  // golden engine's.
  r.saturation_exact = true;
  for (std::size_t i = 0; i < models.size(); ++i) {
    const SetRun golden = run_golden(cfg.config, models[i], inputs[i]);
    const auto& m = models.size() == 1 ? out : out.at("models").at(i);
    if (m.at("outputs").get<SequenceSet>() != golden.outputs) r.bit_exact = false;
    // null: the counters were not read (a design without them, or --no-saturation-read).
    if (m.at("saturation").is_null()) {
      r.saturation_exact = false;
      continue;
    }
    LayerSatCounts counts;
    for (const auto& l : m.at("saturation").at("layers")) {
      SatCounts k;
      for (std::size_t e = 0; e < kSatEvents; ++e)
        k.n[e] = l.value(std::string(kSatEventNames[e]), std::uint64_t{0});
      counts.push_back(k);
    }
    if (counts != golden.saturation) r.saturation_exact = false;
    r.saturation.push_back(std::move(counts));
  }
  return r;
}

}  // namespace lstm::test
