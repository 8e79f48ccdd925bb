// The one version string of lstmgen (banner, manifest.json, --version).
#pragma once

namespace lstm {

inline constexpr const char* kLstmgenVersion = "0.1.0";

}  // namespace lstm
