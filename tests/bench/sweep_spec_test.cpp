// The sweep file reader: points, shards, keys and every problem with its pointer.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "bench/sweep_exec.hpp"
#include "bench/sweep_spec.hpp"
#include "spec/host_map.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace lstm;

// A small valid base config, inline.
json base_config() {
  return json::parse(R"({"name": "t", "cores": 2, "lanes": 4,
    "formats": {"data": {"width": 8, "frac": 5}, "weight": {"width": 8, "frac": 6},
                "bias": {"width": 8, "frac": 6}, "accum": {"width": 24, "frac": 11},
                "gate": {"width": 10, "frac": 8}, "cell": {"width": 12, "frac": 8}},
    "activation": {"kind": "lut", "index_bits": 5, "range": 4}, "rounding": "nearest",
    "limits": {"max_input": 16, "max_hidden": 16, "max_layers": 3, "weight_depth": 256}})");
}

json sweep_with(json extra) {
  json j{{"base", base_config()},
         {"workloads", json::array({json{{"name", "w"}, {"input_size", 4}, {"hidden_size", 4},
                                         {"layers", 1}, {"steps", 3}}})}};
  for (auto& [k, v] : extra.items()) j[k] = v;
  return j;
}

SweepParse parse(const json& j) { return parse_sweep(j, "/tmp/lstm-sweep-test/s.json"); }

bool has_error(const SweepParse& p, const std::string& pointer, const std::string& fragment) {
  return std::any_of(p.errors.begin(), p.errors.end(), [&](const SweepProblem& e) {
    return e.pointer == pointer && e.message.find(fragment) != std::string::npos;
  });
}

std::string all_errors(const SweepParse& p) { return sweep_errors_text(p); }

}  // namespace

TEST_SUITE("sweep_spec") {
  TEST_CASE("axes give their product, the first axis varying slowest") {
    const auto p = parse(sweep_with(json::parse(R"({"axes": [
        {"path": "/cores", "values": [1, 2]},
        {"path": "/formats/data", "values": [{"width": 8, "frac": 5}, {"width": 7, "frac": 5}, {"width": 9, "frac": 5}]}]})")));
    REQUIRE_MESSAGE(p.ok(), all_errors(p));
    REQUIRE(p.spec.configs.size() == 6);
    CHECK(p.spec.configs[0].label == "cores=1 formats/data={\"frac\":5,\"width\":8}");
    CHECK(p.spec.configs[2].document["cores"] == 1);
    CHECK(p.spec.configs[3].document["cores"] == 2);
    CHECK(p.spec.configs[4].document["formats"]["data"]["width"] == 7);
    CHECK(p.spec.configs[4].overrides["/cores"] == 2);
    for (const auto& c : p.spec.configs) CHECK_MESSAGE(c.config.has_value(), c.label);
  }

  TEST_CASE("every mode of every config is a point, in order, and the modes default to all") {
    const auto p = parse(sweep_with(json::parse(R"({"axes": [{"path": "/lanes", "values": [2, 4]}]})")));
    REQUIRE(p.ok());
    CHECK(p.spec.modes == hostmap::mode_names());  // auto only when asked for
    const auto points = sweep_points(p.spec);
    REQUIRE(points.size() == 2 * hostmap::mode_names().size());
    CHECK(points[1].config == 0);
    CHECK(points[1].mode == hostmap::mode_names()[1]);
    CHECK(points.back().index == static_cast<int>(points.size()) - 1);
    CHECK(points.back().config == 1);
  }

  TEST_CASE("an invalid config becomes points that carry its errors, not a refused sweep") {
    const auto p = parse(sweep_with(json::parse(
        R"({"configs": [{"set": {"/lanes": 0}}, {"label": "ok", "set": {"/lanes": 8}}]})")));
    REQUIRE_MESSAGE(p.ok(), all_errors(p));
    REQUIRE(p.spec.configs.size() == 2);
    CHECK_FALSE(p.spec.configs[0].config.has_value());
    REQUIRE_FALSE(p.spec.configs[0].errors.empty());
    CHECK(p.spec.configs[0].errors[0].path == "/lanes");
    CHECK(p.spec.configs[0].label == "lanes=0");
    CHECK(p.spec.configs[1].label == "ok");
    CHECK(p.spec.configs[1].config->lanes == 8);
  }

  TEST_CASE("every problem of a sweep file is reported with its JSON pointer") {
    const json j = json::parse(R"({
      "base": {"name": "t", "cores": 2},
      "axs": [],
      "axes": [{"path": "/lane", "values": [1]}, {"path": "/cores", "values": []}],
      "configs": [{"file": "a.json", "set": {"/lanes": 2}}],
      "workloads": [{"name": "a b", "input_size": 4}, {"suite": "nope"}, {"name": "x", "input_size": 4}],
      "modes": ["single", "fast", "single"],
      "synthesis": {"targets": ["generic", "asic"]},
      "budget": {"max_luts": 5, "max_lut": 3, "max_cycles": -1},
      "slurm": {"partition": "a\nb", "options": ["mem=4G"]},
      "shards": 0
    })");
    const auto p = parse(j);
    CHECK(has_error(p, "/axs", "unknown key \"axs\""));
    CHECK(has_error(p, "/axes/0/path", "\"/lane\" names no config field"));
    CHECK(has_error(p, "/axes/1/values", "expected a non-empty array"));
    CHECK(has_error(p, "/configs/0", "give exactly one of"));
    CHECK(has_error(p, "/workloads/0/name", "got \"a b\""));
    CHECK(has_error(p, "/workloads/1/suite", "unknown suite \"nope\""));
    CHECK(has_error(p, "/workloads/2/hidden_size", "missing"));
    CHECK(has_error(p, "/modes/1", "got string \"fast\""));
    CHECK(has_error(p, "/modes/2", "listed twice"));
    CHECK(has_error(p, "/synthesis/targets/1", "got string \"asic\""));
    CHECK(has_error(p, "/budget/max_luts", "target generic"));
    CHECK(has_error(p, "/budget/max_lut", "unknown key"));
    CHECK(has_error(p, "/budget/max_cycles", "expected a number >= 0"));
    CHECK(has_error(p, "/slurm/partition", "one line"));
    CHECK(has_error(p, "/slurm/options/0", "sbatch option"));
    CHECK(has_error(p, "/shards", "between 1 and"));
    CHECK_MESSAGE(p.errors.size() == 18, all_errors(p));
  }

  TEST_CASE("an invalid base config refuses the sweep, naming the base's problems") {
    json j = sweep_with({});
    j["base"]["lanes"] = 0;
    const auto p = parse(j);
    CHECK(has_error(p, "/base", "/lanes: must be between 1 and 256, got 0"));
  }

  TEST_CASE("a sweep file is read strictly: duplicate keys, syntax errors and missing files") {
    const fs::path dir = fs::temp_directory_path() / "lstm-sweep-spec-test";
    fs::create_directories(dir);
    std::ofstream(dir / "dup.json") << R"({"base": "x.json", "base": "y.json", "workloads": []})";
    auto p = load_sweep_file((dir / "dup.json").string());
    CHECK(has_error(p, "/base", "duplicate key \"base\""));
    CHECK(has_error(p, "/base", "y.json: cannot read"));
    std::ofstream(dir / "bad.json") << "{\"base\": }";
    p = load_sweep_file((dir / "bad.json").string());
    REQUIRE(p.errors.size() == 1);
    CHECK(p.errors[0].message.find("not valid JSON") != std::string::npos);
    p = load_sweep_file((dir / "missing.json").string());
    CHECK(has_error(p, "", "cannot read the sweep file"));
  }

  TEST_CASE("point keys are stable and change with the config, the mode and the workloads") {
    const json j = sweep_with(json::parse(R"({"axes": [{"path": "/lanes", "values": [2, 4]}], "modes": ["single", "mp"]})"));
    const auto a = sweep_points(parse(j).spec), b = sweep_points(parse(j).spec);
    REQUIRE(a.size() == 4);
    std::set<std::string> keys;
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].key == b[i].key);
      keys.insert(a[i].key);
    }
    CHECK(keys.size() == 4);
    json k = j;
    k["workloads"][0]["steps"] = 4;
    CHECK(sweep_points(parse(k).spec)[0].key != a[0].key);
    CHECK(a[0].file_name() == "p0000-" + a[0].key + ".json");
  }

  TEST_CASE("shards hold whole configs and together every point exactly once") {
    const auto p = parse(sweep_with(json::parse(
        R"({"axes": [{"path": "/lanes", "values": [1, 2, 3, 4, 5]}], "modes": ["single", "hc"]})")));
    const auto points = sweep_points(p.spec);
    CHECK(config_count(points) == 5);
    std::multiset<int> seen;
    for (int s = 0; s < 3; ++s) {
      std::set<int> configs;
      for (const auto& x : shard_points(points, s, 3)) {
        seen.insert(x.index);
        configs.insert(x.config);
      }
      for (int c : configs) CHECK(c % 3 == s);
    }
    CHECK(seen.size() == points.size());
    CHECK(std::set<int>(seen.begin(), seen.end()).size() == points.size());
  }

  TEST_CASE("a suite is fitted to the base config once and given its sequences") {
    const auto p = parse(sweep_with(json::parse(R"({"workloads": [{"suite": "quick", "sequences": 3}]})")));
    REQUIRE_MESSAGE(p.ok(), all_errors(p));
    REQUIRE(p.spec.workloads.size() == 2);
    for (const auto& w : p.spec.workloads) {
      CHECK(w.origin == "suite quick");
      CHECK(w.shape.sequences == 3);
      CHECK(w.shape.hidden_size <= 16);
    }
  }

  TEST_CASE("synthesis defaults to ice40 LUTs and can be switched off") {
    auto p = parse(sweep_with({}));
    CHECK(p.spec.synth_targets == std::vector<std::string>{"ice40"});
    CHECK(p.spec.resource == "luts");
    p = parse(sweep_with(json{{"synthesis", false}}));
    REQUIRE(p.ok());
    CHECK(p.spec.synth_targets.empty());
    p = parse(sweep_with(json::parse(R"({"synthesis": {"targets": ["generic"]}})")));
    CHECK(p.spec.resource == "cells");
  }

  TEST_CASE("--shard takes I/N with 0 <= I < N") {
    CHECK(parse_shard("0/1") == std::pair{0, 1});
    CHECK(parse_shard("3/4") == std::pair{3, 4});
    for (const char* bad : {"4/4", "1", "/2", "1/", "-1/2", "a/b", "1/0", "1/2/3"})
      CHECK_MESSAGE(!parse_shard(bad), bad);
  }

  TEST_CASE("the example sweep files (configs/sweep-small.json, sweep-ice40.json, the CI sweep) are valid") {
    for (const char* f : {"configs/sweep-small.json", "tests/bench/sweep-ci.json"}) {
      const auto p = load_sweep_file(std::string(LSTM_SOURCE_DIR) + "/" + f);
      REQUIRE_MESSAGE(p.ok(), all_errors(p));
      CHECK_FALSE(p.spec.budget.empty());
    }
    const auto p = load_sweep_file(std::string(LSTM_SOURCE_DIR) + "/configs/sweep-small.json");
    REQUIRE(p.spec.configs.size() == 7);  // cores 2 x lanes 3, and accum-12
    CHECK(sweep_points(p.spec).size() == 35);  // 4 modes and auto
    CHECK_FALSE(p.spec.configs.back().config.has_value());  // the invalid one, reported
    // The place-and-route example: configs/ice40.json alone (the base).
    const auto i = load_sweep_file(std::string(LSTM_SOURCE_DIR) + "/configs/sweep-ice40.json");
    REQUIRE_MESSAGE(i.ok(), all_errors(i));
    REQUIRE(i.spec.impl.has_value());
    CHECK(i.spec.impl->device == "hx8k");
    CHECK(i.spec.synth_targets == std::vector<std::string>{"ice40", "depth"});
    CHECK(i.spec.configs.size() == 1);
  }

  TEST_CASE("auto is a mode a sweep may list, read by the one parser of mode requests") {
    auto p = parse(sweep_with(json::parse(R"({"modes": ["mt", "auto"]})")));
    REQUIRE_MESSAGE(p.ok(), all_errors(p));
    CHECK(p.spec.modes == std::vector<std::string>{"mt", "auto"});
    const auto points = sweep_points(p.spec);
    REQUIRE(points.size() == 2);
    CHECK(points[1].mode == "auto");
    CHECK(points[0].key != points[1].key);
    CHECK(sweep_mode_names() == std::vector<std::string>{"single", "mp", "mt", "hc", "hybrid", "auto"});
    p = parse(sweep_with(json::parse(R"({"modes": ["auto", "AUTO", "auto"]})")));
    CHECK(has_error(p, "/modes/1", "expected one of single, mp, mt, hc, hybrid, auto, got string \"AUTO\""));
    CHECK(has_error(p, "/modes/2", "listed twice"));
  }

  TEST_CASE("target depth gives LUT levels, and impl places and routes with settings that key the points") {
    auto p = parse(sweep_with(json::parse(R"({"synthesis": {"targets": ["ice40", "depth"]}})")));
    REQUIRE_MESSAGE(p.ok(), all_errors(p));
    CHECK(p.spec.synth_targets == std::vector<std::string>{"ice40", "depth"});
    CHECK(target_has_figure("depth", "lut_levels"));
    CHECK_FALSE(target_has_figure("ice40", "lut_levels"));
    CHECK_FALSE(p.spec.impl.has_value());
    const std::string no_impl = sweep_points(p.spec)[0].key;
    p = parse(sweep_with(json::parse(R"({"impl": {"device": "up5k", "seeds": 3, "freq": 40}})")));
    REQUIRE_MESSAGE(p.ok(), all_errors(p));
    REQUIRE(p.spec.impl.has_value());
    CHECK(p.spec.impl->device == "up5k");
    CHECK(p.spec.impl->seeds == 3);
    CHECK(p.spec.impl->freq_mhz == 40);
    CHECK(p.spec.impl->timeout == 1800);
    const std::string up5k = sweep_points(p.spec)[0].key;
    p = parse(sweep_with(json::parse(R"({"impl": {}})")));
    REQUIRE(p.ok());
    CHECK(p.spec.impl->device == "hx8k");
    CHECK(p.spec.impl->seeds == 1);
    CHECK(sweep_points(p.spec)[0].key != no_impl);
    CHECK(sweep_points(p.spec)[0].key != up5k);
    p = parse(sweep_with(json::parse(
        R"({"impl": {"device": "lp1k", "seeds": 0, "freq": "fast", "clock": 1}})")));
    CHECK(has_error(p, "/impl/device", "expected one of hx8k, up5k (tools/impl.sh --device), got \"lp1k\""));
    CHECK(has_error(p, "/impl/seeds", "between 1 and 25"));
    CHECK(has_error(p, "/impl/freq", "expected an integer"));
    CHECK(has_error(p, "/impl/clock", "unknown key"));
    p = parse(sweep_with(json::parse(R"({"impl": true})")));
    CHECK(has_error(p, "/impl", "expected an object"));
    // A budget in time needs a clock.
    p = parse(sweep_with(json::parse(R"({"budget": {"max_time_us": 100}})")));
    CHECK(has_error(p, "/budget/max_time_us", "a time budget needs a clock: add \"impl\""));
    p = parse(sweep_with(json::parse(R"({"impl": {}, "budget": {"max_time_us": 100}})")));
    REQUIRE_MESSAGE(p.ok(), all_errors(p));
    CHECK(p.spec.budget.max_time_us == 100);
  }
}
