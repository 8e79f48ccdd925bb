// The pieces of `lstmsim run` that every engine shares: loading the config,
// model and inputs with errors a user can act on, and writing the output file.
// An engine is one entry in a list; a new one (e.g. "rtl") is one more entry.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "spec/config.hpp"
#include "sim/engines.hpp"
#include "sim/load_saturation.hpp"
#include "sim/lstm_model.hpp"

namespace lstm {

struct RunFiles {
  std::optional<std::string> config;  // none: the HwConfig defaults
  std::string model;
  std::string input;
  std::string output;
};

struct RunSetup {
  RunFiles files;
  HwConfig config;
  FloatModel model;
  SequenceSet inputs;
  std::vector<FloatState> initial;  // the input file's h0/c0; empty: zero state
  // What saturates when the model and the input file are quantized to the
  // config's formats (docs/numerics.md, "Saturation at load time").
  LoadSaturation model_saturation;
  LoadSaturation input_saturation;
};

// Turns a loaded run into the last layer's h per [sequence][step][unit] and
// the final state of every sequence.
using EngineFn = std::function<SetRun(const RunSetup&)>;

struct Engine {
  std::string name;  // value of --engine
  std::string help;  // one line for --help
  EngineFn run;
  bool quantizes = true;  // runs in the config's formats (so values can saturate)
};

// float and golden.
std::vector<Engine> builtin_engines();

// The config file's problems as FileError, one "FILE: PATH: MESSAGE" per line;
// no path gives the defaults.
HwConfig load_config_or_throw(const std::optional<std::string>& path);
// Config, then model, then inputs sized by the model, and what saturates in
// them. Throws FileError.
RunSetup load_run(const RunFiles& files);

// MAC-array cycles of one layer-step on one core computing `units` of the
// layer's units, which is also the weight words those units take in that
// core: ceil(units / lanes) groups, each reading in + hidden words. Used to
// size memories and balance work, never reported as a measurement.
std::int64_t layer_step_work(int lanes, int in, int hidden, int units);

// Problems that keep a model from running on this hardware at all (layers,
// sizes, weight memory), each naming the model field and the config limit by
// JSON pointer ("/num_layers: 3 exceeds /limits/max_layers 2"); empty when it fits. The rtl
// engine refuses exactly these, so the golden engine refuses them too.
std::vector<std::string> model_limit_problems(const HwConfig& c, const FloatModel& m);
std::vector<std::string> model_limit_problems(const HwConfig& c, const QuantModel& m);
// The first of model_limit_problems as FileError "MODEL: does not fit the
// hardware of CONFIG: ...": what the golden engine refuses (the accumulator
// width is only guaranteed for models within the limits).
void check_model_within_limits(const RunSetup& run);

// What the golden model runs but the generated hardware cannot yet (issue 13:
// GRU layers, two directions, and for emit-tb a non-zero initial state), each naming the
// feature and where the run asks for it; empty when the hardware can run it.
// The rtl engine loads a non-zero initial state through the host interface
// and runs bidirectional models layer by layer; emit-tb's testbench does
// neither yet.
enum class HardwareRunner { RtlEngine, EmitTb };
std::vector<std::string> hardware_feature_problems(const RunSetup& run, HardwareRunner runner);
// check_model_within_limits, then the first of hardware_feature_problems as
// FileError: what the rtl engine and emit-tb refuse.
void check_model_runs_on_hardware(const RunSetup& run, HardwareRunner runner);

// {"outputs", "h_n", "c_n" (LSTM only), "engine", "config", "config_hash",
//  "sequences", "steps", "cell", "bidirectional", "num_layers", "input_size",
//  "hidden_size"}, and "saturation" for an engine that counts it (golden);
// see docs/models.md.
nlohmann::json output_json(const std::string& engine, const RunSetup& run, const SetRun& result);

// How `lstmsim run` treats saturation (docs/numerics.md, "Saturation").
struct RunOptions {
  // Any saturated value in the files, or any run-time saturation event, is
  // an error (FileError): nothing is written.
  bool strict = false;
  // Receives one line per warning ("FILE: POINTER: ..."); none: no warnings.
  std::function<void(const std::string&)> warn;
};
// Runs the engine and writes the output file atomically. An engine that
// quantizes (not float) warns about saturated values before it runs, and
// about run-time saturation events after.
void run_engine(const Engine& engine, const RunFiles& files, const RunOptions& options = {});
// The same warnings and --strict refusal for a run that another program
// carries out (the rtl engine, emit-tb's testbench): the load-time values,
// then the run-time events of a golden run of `run`, which the hardware
// reproduces bit for bit. Throws FileError (strict, or a model beyond the
// hardware's limits).
void screen_saturation(const RunSetup& run, const RunOptions& options);

}  // namespace lstm
