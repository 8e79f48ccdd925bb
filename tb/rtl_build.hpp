// rtl_build.hpp: verilate a design on first use and cache the simulator.
//
//   lstm::tb::RtlBuildRequest req;
//   req.rtl_dir = out_dir;                 // holds files.f
//   req.top = "lstm_top";
//   req.cache_root = build_dir / "rtl-cache";
//   req.key = config_hash;                 // the build lives in cache_root/key
//   req.harness_sources = {tb_dir / "rtlsim_main.cpp"};
//   req.include_dirs = {tb_dir};
//   req.verilator_args = {"-Wall", "--assert"};
//   std::filesystem::path exe = lstm::tb::ensure_rtl_build(req, std::cerr);
//
// The first call writes cache_root/key/CMakeLists.txt (find_package(verilator)
// + verilate()), configures it with Ninja in Release mode and builds it with
// one job per core, logging to cache_root/key/build.log. Later calls with the
// same request (same fields, same contents of the RTL sources, harness sources
// and headers in include_dirs, same static libraries) return at once. Calls for
// one key from several processes or threads are serialized with flock() on
// cache_root/key.lock. See docs/testbench.md.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace lstm::tb {

struct RtlBuildRequest {
  std::filesystem::path rtl_dir;    // folder with files.f (paths relative to it)
  std::string top;                  // top module name
  std::filesystem::path cache_root;
  std::string key;                  // e.g. config hash; the build lives in cache_root/key
  std::vector<std::filesystem::path> harness_sources;  // C++ main + helpers
  std::vector<std::filesystem::path> include_dirs;    // -I, and their headers are hashed
  // -I only, not hashed: a source root whose headers are included as
  // "tb/harness.hpp"; list the folders the harness uses in include_dirs.
  std::vector<std::filesystem::path> include_roots;
  std::vector<std::filesystem::path> link_libraries;   // absolute paths to static libs
  std::vector<std::string> find_packages;              // e.g. "fmt", "nlohmann_json"
  std::vector<std::string> link_targets;               // e.g. "fmt::fmt"
  std::vector<std::string> verilator_args;             // e.g. -Wall --assert
  std::string exe_name = "rtlsim";
};

// Returns the path of the built executable (cache_root/key/exe_name).
// Throws std::invalid_argument for a malformed request and std::runtime_error
// (with the log path and the log's last lines) when the build fails.
std::filesystem::path ensure_rtl_build(const RtlBuildRequest& request, std::ostream& progress);

// ---- parts, exposed for tests and tools --------------------------------------

// The RTL inputs named by a files.f: sources in order (absolute) and include
// directories (+incdir+DIR lines). Blank lines and // or # comments are skipped.
struct FileList {
  std::vector<std::filesystem::path> sources;
  std::vector<std::filesystem::path> include_dirs;
};
FileList read_file_list(const std::filesystem::path& rtl_dir);

// The CMakeLists.txt text ensure_rtl_build writes for a request.
std::string rtl_build_cmakelists(const RtlBuildRequest& request, const FileList& files);

// Hex digest of everything a build depends on; the cache stamp holds it.
std::string rtl_build_fingerprint(const RtlBuildRequest& request);

// An exclusive flock() on path (created if missing) for the object's lifetime,
// shared between processes. If another holder has it, prints "rtl: waiting for
// another process using <what>..." to progress once and blocks.
class FileLock {
 public:
  FileLock(const std::filesystem::path& path, const std::string& what, std::ostream& progress);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace lstm::tb
