// rtl_build.hpp: verilate a design on first use and cache it as a model plugin.
//
//   lstm::tb::RtlBuildRequest req;
//   req.rtl_dir = out_dir;                       // holds files.f
//   req.top = "lstm_axi_top";
//   req.cache_root = build_dir / "rtl-cache";
//   req.key = config_hash;                       // the build lives in cache_root/key
//   req.sources = {src / "tb/lstm_axi_top_dut.cpp"}; // the adapter (tb/dut.hpp)
//   req.include_dirs = {src};
//   req.verilator_args = {"-Wall", "--assert"};
//   lstm::tb::RtlBuild b = lstm::tb::ensure_rtl_build(req, std::cerr);
//   lstm::tb::ModelLibrary lib(b.plugin);        // tb/model_library.hpp
//
// The product is a shared object holding only the verilated model and the
// request's sources: the Verilator runtime, the harness, the driver and
// everything else are compiled once with the project into the program that
// loads the plugin (CMake target lstm_model_host). The first call:
//
//   1. verilate: Verilator --cc into cache_root/key/obj;
//   2. compile: the model's files as a few unity files (tb/verilated_units.hpp):
//      one per core of evaluation code at -O2 (kFastFlags below), one of
//      constructor and setup code at -O0, plus the request's sources, one
//      compiler per core, through ccache when the project found it;
//   3. link: cache_root/key/V<top>.so, exporting only `lstm_tb_*` symbols.
//
// Everything is logged to cache_root/key/build.log. Later calls with the same
// request (same fields, same RTL sources and included files, same sources and
// the headers they included last time, same compiler and Verilator) return at
// once. Calls for one key from several processes or threads are serialized
// with flock() on cache_root/key.lock. See docs/testbench.md.
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
  // C++ compiled into the plugin with the model (its adapter), -O2, with
  // -I for include_dirs and the model's folder, and -D for defines.
  std::vector<std::filesystem::path> sources;
  std::vector<std::filesystem::path> include_dirs;
  std::vector<std::string> defines;                    // NAME or NAME=VALUE
  std::vector<std::string> verilator_args;             // e.g. -Wall --assert
  std::vector<std::filesystem::path> verilator_configs;  // .vlt files (contents hashed)
  bool trace = true;                                   // verilate with --trace-fst
};

// Where the time of a build went (seconds of wall time).
struct RtlBuildTimes {
  double verilate = 0.0;
  double compile = 0.0;  // all compile units, run in parallel
  double link = 0.0;
  double cpu = 0.0;      // CPU time of Verilator and the compilers (user + system)
  unsigned units = 0;    // compile units (model unity files + request sources)
  unsigned parallel = 0; // compilers run at once
};

struct RtlBuild {
  std::filesystem::path plugin;  // cache_root/key/V<top>.so
  bool built = false;            // false: found in the cache
  RtlBuildTimes times;           // of this call's build (zeros when cached)
};

// Returns the plugin, building it if needed. Throws std::invalid_argument for
// a malformed request and std::runtime_error (with the log path and the
// failing step's last lines) when the build fails.
RtlBuild ensure_rtl_build(const RtlBuildRequest& request, std::ostream& progress);

// ---- parts, exposed for tests and tools --------------------------------------

// The RTL inputs named by a files.f: sources in order (absolute) and include
// directories (+incdir+DIR lines). Blank lines and // or # comments are skipped.
struct FileList {
  std::vector<std::filesystem::path> sources;
  std::vector<std::filesystem::path> include_dirs;
};
FileList read_file_list(const std::filesystem::path& rtl_dir);

// The Verilator command line of a request (without --Mdir).
std::vector<std::string> verilator_command(const RtlBuildRequest& request, const FileList& files);

// Hex digest of everything a build depends on: the request, the RTL, the
// sources, the files in `headers` (the headers the sources included, as the
// compiler reported them last time), the compiler and Verilator. The stamp
// of a finished build holds it.
std::string rtl_build_fingerprint(const RtlBuildRequest& request,
                                  const std::vector<std::filesystem::path>& headers);

// The flags the model units and the request's sources are compiled with.
// Chosen by measurement (docs/testbench.md, "Build times"): -O2 runs the
// default config's model as fast as -O3; GCC 12's backward jump threading
// takes half of the compile time of Verilator's large evaluation functions
// for a few percent of speed, so it is off.
std::vector<std::string> rtl_fast_flags();
std::vector<std::string> rtl_slow_flags();

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
