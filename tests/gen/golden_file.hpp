// Golden files of emitted text (tests/gen/golden/). A test compares what it
// emits with the file byte for byte; run it with LSTM_UPDATE_GOLDEN=1 in the
// environment to rewrite the file on purpose (then review the diff):
//
//   LSTM_UPDATE_GOLDEN=1 ctest --preset dev -R "sv_printer|generator_golden"
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace lstm_test {

inline std::filesystem::path golden_path(const std::string& name) {
  return std::filesystem::path(LSTM_SOURCE_DIR) / "tests" / "gen" / "golden" / name;
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// True if text is golden/<name> byte for byte (or was just written, with
// LSTM_UPDATE_GOLDEN=1). On a mismatch the message names the file and how to
// rewrite it.
inline bool matches_golden(const std::string& name, const std::string& text) {
  const std::filesystem::path p = golden_path(name);
  const char* update = std::getenv("LSTM_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    MESSAGE("rewrote " << p.string());
    return true;
  }
  if (read_text(p) == text) return true;
  MESSAGE(p.string() << " differs from the emitted text; if the change is intended, rerun with "
                        "LSTM_UPDATE_GOLDEN=1 and review the diff");
  return false;
}

}  // namespace lstm_test
