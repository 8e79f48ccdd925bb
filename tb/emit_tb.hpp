// `lstmsim emit-tb`: a self-checking SystemVerilog testbench around the
// generated RTL that runs unchanged under Icarus (iverilog -g2012) and
// Verilator (--binary --timing). The C++ side writes out the run plan of
// host/run_plan.hpp, the same plan tb/accel_driver.hpp executes (weight and
// bias images, MODE, ACTIVE, per-sequence programs and START), and the
// expected outputs from the golden model; the testbench drives the generated
// lstm_axi_top: it replays the host writes over AXI4-Lite from $readmemh
// files, drives the AXI4-Stream x port with optional idle cycles, applies
// optional backpressure on the AXI4-Stream h port and compares every h
// element with its TLAST and TUSER. docs/emit-tb.md describes the folder and the
// testbench.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "spec/config.hpp"
#include "gen/generator.hpp"
#include "spec/host_map.hpp"
#include "host/host_program.hpp"
#include "sim/lstm_model.hpp"

namespace lstm {

struct TbOptions {
  hostmap::Mode mode = hostmap::Mode::Single;  // a mode with a serial plan: single, mt or hc
  double backpressure = 0.0;  // probability that h TREADY is low in a cycle (0..0.95)
  double idle = 0.0;          // probability of an idle cycle on the x stream (0..0.95)
  std::uint64_t seed = 1;     // seeds the testbench's two xorshift32 generators
  std::uint64_t timeout_cycles = 0;  // 0: derived from the work
  int batch = 1;  // single on a batch design: sequences run together (one job each batch)
};

// One sequence, run as its own job (program writes, then START).
struct TbJob {
  std::uint32_t writes_end = 0;  // host writes [previous end, writes_end); the last is START
  std::uint32_t x_end = 0;       // x elements [previous end, x_end) belong to this job
  std::uint32_t h_begin = 0;     // expected h elements [h_begin, h_end)
  std::uint32_t h_end = 0;
  std::uint32_t steps = 0;
  std::uint64_t work = 0;        // MAC-array cycles (for the timeout only)
};

// Everything the testbench replays and checks.
struct TbPlan {
  hostmap::Mode mode = hostmap::Mode::Single;
  int cores = 1;           // cores of the design
  int active = 1;          // ACTIVE: cores taking part
  int data_width = 16;
  int hidden = 0;          // h elements per step (last layer's H)
  unsigned in_port = 0;    // x goes into this stream port
  unsigned out_port = 0;   // h comes out of this one (mt: the last stage)
  std::vector<HostWrite> writes;     // every host write, in order
  std::uint32_t setup_writes = 0;    // of which the load, MODE and ACTIVE (before any job)
  std::vector<TbJob> jobs;
  // Per job, the input sequences it runs (a batch: several, their x and h
  // interleaved step by step, `steps` counting their vectors); empty: job j
  // runs sequence j.
  std::vector<std::vector<std::size_t>> members;
  std::vector<std::uint64_t> x;      // data-format bit patterns, all jobs
  std::vector<std::int64_t> expect;  // golden h values, all jobs
  std::uint32_t idle_threshold = 0;  // idle when rng[31:16] < threshold (p * 65536)
  std::uint32_t bp_threshold = 0;
  std::uint32_t x_seed = 1, bp_seed = 1;  // nonzero xorshift32 seeds
  std::uint64_t timeout_cycles = 0;
  std::uint64_t seed = 1;
  double idle = 0.0, backpressure = 0.0;  // as requested (the thresholds round them)
};

// The run plan of host/run_plan.hpp for this mode (the one tb/accel_driver.hpp
// executes) written out as host writes and jobs, the inputs and the golden
// outputs. Throws MappingError if the model does not fit, the mode cannot run
// it or its plan is not serial (mp).
TbPlan plan_testbench(const HwConfig& c, const QuantModel& m,
                      const std::vector<IntSequence>& inputs, const TbOptions& o);

// The testbench folder's own files (lstm_tb_top.sv, the .hex vector files,
// files.f, README.txt, emit_tb.json), given the generated RTL file names in
// compile order (relative to DIR/rtl). tb/emit_tb_render.cpp.
std::vector<GeneratedFile> render_testbench(const HwConfig& c, const TbPlan& p,
                                            const std::vector<std::string>& rtl_files,
                                            const std::string& command_line);

// The testbench template (tb/templates/lstm_tb_top.sv): SystemVerilog in
// which every `EMIT_TB_<NAME> stands for a field of the run, given here by
// name. Lines starting with //! are notes left out of the output.
std::string_view testbench_template();
std::map<std::string, std::string> testbench_fields(const HwConfig& c, const TbPlan& p,
                                                    const std::string& command_line);

// Writes DIR: the generated RTL in DIR/rtl (lstm::generate_rtl) and the files
// of render_testbench. DIR must be missing, empty or an earlier emit-tb folder
// (it holds emit_tb.json); otherwise std::runtime_error and nothing is written.
void emit_testbench(const HwConfig& c, const TbPlan& p, const std::filesystem::path& dir,
                    const std::string& command_line);

// `lstmsim emit-tb`: loads the files (as `lstmsim run` does), plans, emits and
// prints a summary to stdout. Throws FileError (model_io.hpp) for anything the
// user can fix: bad files, a model beyond the hardware, an unsupported mode, a
// DIR that is not ours.
struct EmitTbRequest {
  std::string config_path;
  std::string model;
  std::string input;
  std::string out_dir;
  std::string mode = "single";
  TbOptions options;
};
void run_emit_tb(const EmitTbRequest& r, const std::string& command_line);

// Name of the expected-output vector file inside DIR.
inline constexpr const char* kTbExpectFile = "h_expect.hex";

// The two's-complement bits of v in `width` bits: how the vector files hold
// x and h elements.
inline std::uint64_t tb_bits(std::int64_t v, int width) {
  return static_cast<std::uint64_t>(v) & ((std::uint64_t{1} << width) - 1);
}

}  // namespace lstm
