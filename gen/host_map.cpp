#include "host_map.hpp"

namespace lstm::hostmap {

std::string_view error_name(unsigned code) {
  switch (code) {
    case kErrNone: return "none";
    case kErrNumLayers: return "NUM_LAYERS is 0 or above the limit";
    case kErrNumSteps: return "NUM_STEPS is 0";
    case kErrInSize: return "IN_SIZE is 0 or above the limit";
    case kErrInChain: return "IN_SIZE differs from the previous layer's HIDDEN";
    case kErrHidden: return "HIDDEN is 0 or above the limit";
    case kErrUnits: return "UNIT_LO/UNIT_CNT select no units or units past HIDDEN";
    case kErrWeights: return "the layer's weights run past the weight memory";
    case kErrBiases: return "the layer's biases run past the bias memory";
    case kErrOutWait: return "FLAGS.OUT_WAIT without OUT_EN: the core would wait for its own idle streamer";
    default: return "unknown error code";
  }
}

std::string_view mode_name(Mode m) {
  switch (m) {
    case Mode::Single: return "single";
    case Mode::Mp: return "mp";
    case Mode::Mt: return "mt";
    case Mode::Hc: return "hc";
  }
  return "?";
}

int slot_bits(const HwConfig& c) { return c.lanes * 4 > 1 ? ceil_log2(c.lanes * 4) : 1; }

int bias_depth(const HwConfig& c) {
  return c.limits.max_layers * ((c.limits.max_hidden + c.lanes - 1) / c.lanes);
}

}  // namespace lstm::hostmap
