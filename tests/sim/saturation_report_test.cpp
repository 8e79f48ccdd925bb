// What `lstmsim run` does with saturation (sim/saturation_report.hpp,
// run_engine): warnings from the engines that quantize, --strict refusing
// with nothing written, and the output file's "saturation" object.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "sim/model_io.hpp"
#include "sim/run_common.hpp"
#include "sim/saturation_report.hpp"
#include "sim/workload.hpp"

using namespace lstm;
namespace fs = std::filesystem;

namespace {

struct Files {
  fs::path dir;
  RunFiles run;
};

// A 1-layer model (X = 2, H = 3) and 2 sequences of 4 steps in a fresh folder;
// `edit` changes the model before it is written.
template <class Edit>
Files write_files(const std::string& name, Edit&& edit) {
  const fs::path dir = fs::path(LSTM_BINARY_DIR) / "test_scratch" / "saturation_report" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  const WorkloadShape s = workload_shape(2, 3, 1, 4, 2);
  FloatModel m = random_model(s, 11);
  edit(m);
  write_json_file_atomic((dir / "m.json").string(), model_to_json(m));
  write_json_file_atomic((dir / "i.json").string(),
                         inputs_to_json(InputSet{random_inputs(s, 11), {}}));
  return {dir, RunFiles{std::nullopt, (dir / "m.json").string(), (dir / "i.json").string(),
                        (dir / "o.json").string()}};
}

const Engine& engine(const std::string& name) {
  static const std::vector<Engine> engines = builtin_engines();
  for (const Engine& e : engines)
    if (e.name == name) return e;
  throw std::logic_error("no engine " + name);
}

nlohmann::json read_json(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_SUITE("saturation_report") {

TEST_CASE("the golden engine warns about a saturated weight and still writes its output") {
  const Files f = write_files("warn", [](FloatModel& m) { m.layers[0].w_hh[4] = -1e6; });
  std::vector<std::string> warnings;
  run_engine(engine("golden"), f.run, {.warn = [&](const std::string& w) { warnings.push_back(w); }});
  REQUIRE(!warnings.empty());
  CHECK(warnings[0] == f.run.model +
                           ": /weight_hh_l0/1/1: -1e6 saturated to -8 (weight format Q4.12: "
                           "[-8, 7.9998]); 1 of 36 weights");
  CHECK(fs::exists(f.dir / "o.json"));
  const nlohmann::json out = read_json(f.dir / "o.json");
  REQUIRE(out["saturation"]["load"].size() == 1);
  CHECK(out["saturation"]["load"][0]["first"] == "/weight_hh_l0/1/1");
  CHECK(out["saturation"]["load"][0]["count"] == 1);
}

TEST_CASE("the float engine quantizes nothing, so it neither warns nor counts") {
  const Files f = write_files("float", [](FloatModel& m) { m.layers[0].w_hh[4] = -1e6; });
  std::vector<std::string> warnings;
  run_engine(engine("float"), f.run,
             {.strict = true, .warn = [&](const std::string& w) { warnings.push_back(w); }});
  CHECK(warnings.empty());
  CHECK_FALSE(read_json(f.dir / "o.json").contains("saturation"));
}

TEST_CASE("--strict refuses a saturated value and writes nothing") {
  const Files f = write_files("strict", [](FloatModel& m) { m.layers[0].b_ih[2] = 20.0; });
  std::string message;
  try {
    run_engine(engine("golden"), f.run, {.strict = true, .warn = {}});
  } catch (const FileError& e) {
    message = e.what();
  }
  CHECK(message.find("/bias_ih_l0/2 + /bias_hh_l0/2: ") != std::string::npos);
  CHECK(message.find("--strict: nothing written") != std::string::npos);
  CHECK_FALSE(fs::exists(f.dir / "o.json"));
}

TEST_CASE("--strict refuses run-time saturation events too") {
  // Weights that fit Q4.12 but drive the gate pre-activations beyond [-8, 8).
  const Files f = write_files("strict_runtime", [](FloatModel& m) {
    for (double& w : m.layers[0].w_ih) w = 7.5;
  });
  std::string message;
  try {
    run_engine(engine("golden"), f.run, {.strict = true, .warn = {}});
  } catch (const FileError& e) {
    message = e.what();
  }
  CHECK(message.find(": layer 0: at run time ") != std::string::npos);
  CHECK(message.find("act_sigmoid_acc (gate pre-activations beyond the activation range "
                     "[-8, 8))") != std::string::npos);
  CHECK_FALSE(fs::exists(f.dir / "o.json"));
}

TEST_CASE("the golden output holds every event per layer, zeros included") {
  const Files f = write_files("counts", [](FloatModel& m) {
    for (double& w : m.layers[0].w_ih) w = 7.5;
  });
  std::vector<std::string> warnings;
  run_engine(engine("golden"), f.run, {.warn = [&](const std::string& w) { warnings.push_back(w); }});
  const nlohmann::json sat = read_json(f.dir / "o.json")["saturation"];
  REQUIRE(sat["layers"].size() == 1);
  const nlohmann::json& l = sat["layers"][0];
  CHECK(l["layer"] == 0);
  CHECK_FALSE(l.contains("direction"));
  for (const char* key :
       {"act_sigmoid_acc", "act_tanh_acc", "narrow_cell", "act_tanh_cell", "narrow_hidden"})
    CHECK(l.contains(key));
  CHECK_FALSE(l.contains("narrow_candidate"));
  CHECK(l["act_sigmoid_acc"].get<std::uint64_t>() > 0);
  CHECK(sat["total"].get<std::uint64_t>() >= l["act_sigmoid_acc"].get<std::uint64_t>());
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("; counts in " + f.run.output + " under /saturation") !=
        std::string::npos);
}

TEST_CASE("a run carried out elsewhere (rtl, emit-tb) is screened with a golden run") {
  // The same weights as above: warnings name the events but no output file,
  // since the rtl engine and emit-tb write their own.
  const Files f = write_files("screen", [](FloatModel& m) {
    for (double& w : m.layers[0].w_ih) w = 7.5;
  });
  const RunSetup run = load_run(f.run);
  std::vector<std::string> warnings;
  screen_saturation(run, {.warn = [&](const std::string& w) { warnings.push_back(w); }});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find(": layer 0: at run time ") != std::string::npos);
  CHECK(warnings[0].find("counts in") == std::string::npos);
  CHECK_THROWS_AS(screen_saturation(run, {.strict = true, .warn = {}}), FileError);
  CHECK_FALSE(fs::exists(f.dir / "o.json"));
}

TEST_CASE("screening a model that saturates nothing says nothing, strict or not") {
  const Files f = write_files("screen_quiet", [](FloatModel&) {});
  std::vector<std::string> warnings;
  screen_saturation(load_run(f.run),
                    {.strict = true, .warn = [&](const std::string& w) { warnings.push_back(w); }});
  CHECK(warnings.empty());
}

}  // TEST_SUITE
