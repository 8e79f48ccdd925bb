// Hardware configuration of a generated accelerator: the one struct that the
// generator, the golden model and the testbench all read. Parsed from JSON by
// parse_config(), which rejects unknown keys and reports every problem with
// its JSON path.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace lstm {

// A signed two's-complement fixed-point format: value = q / 2^frac.
struct FixedFormat {
  int width = 16;
  int frac = 8;
  bool operator==(const FixedFormat&) const = default;
};

enum class Rounding { Nearest, Floor };          // see docs/numerics.md
enum class ActivationKind { Lut, Pwl };

struct ActivationConfig {
  ActivationKind kind = ActivationKind::Pwl;
  int index_bits = 9;   // N = 2^index_bits segments over [-range, range)
  int range = 8;        // power of two
  bool operator==(const ActivationConfig&) const = default;
};

// Bounds on the models one generated design can run (sizes memories and
// counters).
struct Limits {
  int max_input = 256;      // X of layer 0
  int max_hidden = 256;     // H of any layer
  int max_layers = 8;       // layers a core holds
  int weight_depth = 16384; // words per lane-gate weight memory
  // NUM_STEPS of one run (sizes the step counters); 0, the default and absent
  // from a file: no limit but NUM_STEPS's 32 bits.
  int max_steps = 0;
  bool operator==(const Limits&) const = default;
};

// The cell types the cores run (`cells`): logic for a type is generated only
// when it is listed. Default (and absent from a file): both.
struct CellSet {
  bool lstm = true;
  bool gru = true;
  bool operator==(const CellSet&) const = default;
};

// Optional parts of a core (`features`): each can be left out of the RTL to
// save area on a small FPGA. Default (and absent from a file): all present,
// the design of before the key existed. docs/configuration.md.
struct Features {
  bool row_loader = true;       // lstm_wload: the weight/bias row stream (rtlsim --load rows)
  bool counters = true;         // CYCLES, MAC_BUSY, STALL_*, SAT_* and STATUS.SAT
  bool weight_readback = true;  // host reads of the weight and bias regions
  // Batching (off by default, so a design pays for it only when asked): the
  // registers X_LEN, XOFF and LFLAGS, a folded lane mode and a second shadow
  // in front of the post unit, so that one core runs several sequences of one
  // model as its local layers (docs/architecture.md, "Batching").
  bool batch = false;
  // Not a part but a choice of logic: the MAC array's and the post unit's
  // multipliers as carry-chain arrays (lstm_mul) rather than the `*`
  // operator, for FPGAs without multiplier blocks (iCE40 HX/LP). Default
  // false; written to the canonical JSON only when true.
  bool lut_multipliers = false;
  bool operator==(const Features&) const = default;
};

struct HwConfig {
  std::string name = "default";
  CellSet cells;
  int cores = 2;
  int lanes = 16;           // MAC lanes per core; each lane holds 4 MACs
  FixedFormat data{16, 12};
  FixedFormat weight{16, 12};
  FixedFormat bias{16, 12};
  FixedFormat accum{48, 24};
  FixedFormat gate{16, 14};
  FixedFormat cell{24, 14};
  ActivationConfig activation;
  Rounding rounding = Rounding::Nearest;
  Limits limits;
  Features features;
  bool operator==(const HwConfig&) const = default;
};

// One problem found in a config: where (JSON pointer), and what is wrong.
struct ConfigError {
  std::string path;     // e.g. "/limits/max_hidden"
  std::string message;  // e.g. "must be between 1 and 4096, got 0"
};

struct ConfigResult {
  HwConfig config;
  std::vector<ConfigError> errors;  // empty means config is valid
  bool ok() const { return errors.empty(); }
};

// Parse and validate. Never throws on bad content; every problem is collected.
ConfigResult parse_config(const nlohmann::json& j);
// Read a file and parse it (strictly: spec/json_text.hpp). A file that cannot
// be read, is not JSON or nests too deeply is one error with path ""; a key
// given twice is an error at its pointer, listed before the others.
ConfigResult load_config_file(const std::string& path);
// Check a parsed struct against every rule (also used by parse_config).
std::vector<ConfigError> validate_config(const HwConfig& c);

// The widest width the validator allows for the format named `key` ("data",
// "weight", "bias", "accum", "gate", "cell"); 0 for another name.
int max_format_width(std::string_view key);

// Canonical JSON: every field, fixed key order (nlohmann::ordered_json dump).
std::string canonical_config_json(const HwConfig& c);
// 16 hex digits of FNV-1a 64 over canonical_config_json(c).
std::string config_hash(const HwConfig& c);
// 16 hex digits of FNV-1a 64 over any text (what config_hash uses).
std::string text_hash(std::string_view text);

// Derived quantities used by golden model and generator alike.
int ceil_log2(std::int64_t v);  // smallest b with 2^b >= v (v >= 1)
// Shift applied by the activation index: in_frac + log2(range) + 1 - index_bits.
int activation_shift(const HwConfig& c, int in_frac);
// Pipeline stages the post unit adds on a design with pwl activations
// (lstm_pkg::PostPwlStages: each activation in its three steps, and c_new
// registered before its tanh; docs/architecture.md, 2.6), 0 with lut. Each is
// a cycle of h latency the cost model adds.
int post_pwl_stages(const HwConfig& c);

}  // namespace lstm
