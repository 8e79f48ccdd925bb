// lstmgen's output folder (docs/generator.md): lstm_pkg.sv, the hand-written
// rtl/lstm_*.sv modules the design uses, copied verbatim behind a banner, the
// emitted modules with the top last, files.f in compile order and
// manifest.json. Reproducible byte for byte: the output depends only on the
// config, the command string and rtl/.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "spec/config.hpp"

namespace lstm {

struct GeneratedFile {
  std::string name;  // relative to the output folder
  std::string text;
};

// The hand-written modules: LSTM_RTL_SUBDIR (share/lstm-accel/rtl) under the
// folder above the running program's bin/, where `cmake --install` puts them
// and where the build tree links the source's rtl/.
std::filesystem::path default_rtl_dir();

// Every file of the output folder, in memory: the .sv files in compile order,
// then files.f and manifest.json. Throws std::runtime_error if rtl_dir cannot
// be read.
std::vector<GeneratedFile> render_rtl(const HwConfig& c, const std::string& command_line,
                                      const std::filesystem::path& rtl_dir);

// Writes the output folder atomically: everything goes to a fresh
// <out_dir>.tmp-XXXXXX next to it, which then replaces out_dir. An existing
// out_dir is replaced only if it is empty or holds an lstmgen manifest.json
// (so a mistyped --out never deletes an unrelated folder). On failure nothing
// is left behind and out_dir is unchanged. Throws std::runtime_error with the
// path and reason on any I/O error.
void generate_rtl(const HwConfig& c, const std::filesystem::path& out_dir,
                  const std::string& command_line);
void generate_rtl(const HwConfig& c, const std::filesystem::path& out_dir,
                  const std::string& command_line, const std::filesystem::path& rtl_dir);

}  // namespace lstm
