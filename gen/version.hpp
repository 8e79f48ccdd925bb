// lstmgen's version (banner, manifest.json, --version): project(VERSION) in
// the top CMakeLists.txt, passed in by gen/CMakeLists.txt.
#pragma once

namespace lstm {

inline constexpr const char* kLstmgenVersion = LSTM_VERSION;

}  // namespace lstm
