// rtl_build.cpp: see rtl_build.hpp.
#include "tb/rtl_build.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#ifndef LSTM_CMAKE_COMMAND
#define LSTM_CMAKE_COMMAND "cmake"
#endif

extern char** environ;

namespace lstm::tb {
namespace fs = std::filesystem;

namespace {

// Bump when the generated CMakeLists or the cache layout changes meaning.
constexpr int kFormatVersion = 1;
constexpr std::size_t kMaxHeaderFiles = 20000;

// ---- hashing: FNV-1a 64, fed with length-prefixed fields --------------------

class Hasher {
 public:
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
      h_ ^= p[i];
      h_ *= 0x100000001b3ULL;
    }
  }
  void field(const std::string& s) {
    const uint64_t n = s.size();
    bytes(&n, sizeof n);
    bytes(s.data(), s.size());
  }
  void number(uint64_t v) { bytes(&v, sizeof v); }
  std::string hex() const {
    static const char* digits = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 0; i < 16; ++i) out[15 - i] = digits[(h_ >> (4 * i)) & 0xf];
    return out;
  }

 private:
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("rtl: cannot read " + p.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void hash_file_contents(Hasher& h, const fs::path& p) {
  h.field(p.string());
  h.field(read_text(p));
}

bool is_header(const fs::path& p) {
  static const char* exts[] = {".h", ".hh", ".hpp", ".hxx", ".inc", ".ipp", ".tpp", ".svh", ".vh"};
  const std::string e = p.extension().string();
  return std::any_of(std::begin(exts), std::end(exts), [&](const char* x) { return e == x; });
}

// Headers under a directory (recursive, sorted), so a change to e.g.
// tb/harness.hpp rebuilds the simulator.
void hash_headers(Hasher& h, const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    h.field("missing:" + dir.string());
    return;
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && is_header(it->path())) files.push_back(it->path());
    if (files.size() > kMaxHeaderFiles) {
      throw std::invalid_argument("rtl: include dir " + dir.string() + " holds more than " +
                                  std::to_string(kMaxHeaderFiles) +
                                  " headers; pass a narrower folder");
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) hash_file_contents(h, f);
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool is_key(const std::string& s) {
  if (s.empty() || s == "." || s == ".." || s.size() > 128) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

// A CMake quoted argument.
std::string cmake_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\\' || c == '"' || c == '$') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string cmake_quote(const fs::path& p) { return cmake_quote(p.string()); }

fs::path absolute_normal(const fs::path& p) { return fs::absolute(p).lexically_normal(); }

void validate(const RtlBuildRequest& r) {
  std::vector<std::string> problems;
  if (!is_identifier(r.top)) problems.push_back("top '" + r.top + "' is not a module name");
  if (!is_key(r.key)) {
    problems.push_back("key '" + r.key + "' must be 1..128 of [A-Za-z0-9_.-] and not . or ..");
  }
  if (!is_identifier(r.exe_name)) {
    problems.push_back("exe_name '" + r.exe_name + "' must be an identifier");
  }
  if (r.cache_root.empty()) problems.push_back("cache_root is empty");
  if (!fs::is_regular_file(r.rtl_dir / "files.f")) {
    problems.push_back("no files.f in rtl_dir " + r.rtl_dir.string());
  }
  if (r.harness_sources.empty()) problems.push_back("harness_sources is empty");
  for (const auto& s : r.harness_sources) {
    if (!fs::is_regular_file(s)) problems.push_back("harness source " + s.string() + " not found");
  }
  for (const auto& l : r.link_libraries) {
    if (!l.is_absolute()) problems.push_back("link library " + l.string() + " is not absolute");
  }
  for (const auto& a : r.verilator_args) {
    if (a.find(';') != std::string::npos) problems.push_back("verilator arg '" + a + "' holds ';'");
  }
  if (!problems.empty()) {
    std::string msg = "rtl: bad build request:";
    for (const auto& p : problems) msg += "\n  " + p;
    throw std::invalid_argument(msg);
  }
}

// ---- processes, logs ------------------------------------------------------------

// Run argv with stdout and stderr appended to the log; returns the exit status
// (128 + signal if killed).
int run_logged(const std::vector<std::string>& args, const fs::path& log) {
  {
    std::ofstream out(log, std::ios::app);
    out << "\n$";
    for (const auto& a : args) out << ' ' << a;
    out << '\n';
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::runtime_error("rtl: cannot start " + args[0] + ": " + std::strerror(rc));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("rtl: waitpid failed");
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

std::string tail_lines(const fs::path& p, std::size_t n) {
  std::ifstream in(p);
  std::deque<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
    if (lines.size() > n) lines.pop_front();
  }
  std::string out;
  for (const auto& l : lines) out += "  | " + l + "\n";
  return out;
}

void write_if_changed(const fs::path& p, const std::string& text) {
  std::error_code ec;
  if (fs::is_regular_file(p, ec) && read_text(p) == text) return;
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("rtl: cannot write " + p.string());
}

void write_atomically(const fs::path& p, const std::string& text) {
  const fs::path tmp = p.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("rtl: cannot write " + tmp.string());
  }
  fs::rename(tmp, p);
}

}  // namespace

FileList read_file_list(const fs::path& rtl_dir) {
  const fs::path list = rtl_dir / "files.f";
  std::ifstream in(list);
  if (!in) throw std::runtime_error("rtl: cannot read " + list.string());
  FileList out;
  std::string raw;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    std::string line = raw;
    if (auto pos = line.find("//"); pos != std::string::npos) line.erase(pos);
    if (auto pos = line.find('#'); pos != std::string::npos) line.erase(pos);
    line = trim(line);
    if (line.empty()) continue;
    const std::string where = list.string() + ":" + std::to_string(line_no);
    if (line.rfind("+incdir+", 0) == 0) {
      std::string rest = line.substr(8);
      std::stringstream ss(rest);
      std::string dir;
      while (std::getline(ss, dir, '+')) {
        if (!dir.empty()) out.include_dirs.push_back(absolute_normal(rtl_dir / dir));
      }
      continue;
    }
    if (line[0] == '-' || line[0] == '+') {
      throw std::runtime_error("rtl: " + where + ": unsupported option '" + line + "'");
    }
    if (line.find_first_of(" \t;") != std::string::npos) {
      throw std::runtime_error("rtl: " + where + ": one file per line, no spaces: '" + line + "'");
    }
    const fs::path src = absolute_normal(rtl_dir / line);
    if (!fs::is_regular_file(src)) {
      throw std::runtime_error("rtl: " + where + ": " + src.string() + " not found");
    }
    out.sources.push_back(src);
  }
  if (out.sources.empty()) throw std::runtime_error("rtl: " + list.string() + " names no sources");
  return out;
}

std::string rtl_build_cmakelists(const RtlBuildRequest& r, const FileList& files) {
  std::ostringstream o;
  o << "# Written by lstm_tb ensure_rtl_build (format " << kFormatVersion
    << "); rewritten when the request changes.\n"
    << "cmake_minimum_required(VERSION 3.16)\n"
    << "project(lstm_rtlsim_" << r.top << " LANGUAGES CXX)\n"
    << "set(CMAKE_CXX_STANDARD 20)\n"
    << "set(CMAKE_CXX_STANDARD_REQUIRED ON)\n"
    << "set(CMAKE_CXX_EXTENSIONS OFF)\n"
    << "find_package(verilator REQUIRED HINTS $ENV{VERILATOR_ROOT})\n";
  for (const auto& p : r.find_packages) o << "find_package(" << p << " REQUIRED)\n";
  o << "add_executable(" << r.exe_name;
  for (const auto& s : r.harness_sources) o << "\n  " << cmake_quote(absolute_normal(s));
  o << ")\n"
    << "set_target_properties(" << r.exe_name
    << " PROPERTIES RUNTIME_OUTPUT_DIRECTORY \"${CMAKE_CURRENT_SOURCE_DIR}\")\n";
  if (!r.include_dirs.empty() || !r.include_roots.empty()) {
    o << "target_include_directories(" << r.exe_name << " PRIVATE";
    for (const auto& d : r.include_roots) o << "\n  " << cmake_quote(absolute_normal(d));
    for (const auto& d : r.include_dirs) o << "\n  " << cmake_quote(absolute_normal(d));
    o << ")\n";
  }
  if (!r.link_libraries.empty() || !r.link_targets.empty()) {
    o << "target_link_libraries(" << r.exe_name << " PRIVATE";
    for (const auto& l : r.link_libraries) o << "\n  " << cmake_quote(l);
    for (const auto& t : r.link_targets) o << "\n  " << cmake_quote(t);
    o << ")\n";
  }
  o << "verilate(" << r.exe_name << "\n"
    << "  PREFIX V" << r.top << "\n"
    << "  TOP_MODULE " << r.top << "\n"
    << "  TRACE_FST\n"
    << "  SOURCES";
  for (const auto& s : files.sources) o << "\n    " << cmake_quote(s);
  o << "\n";
  if (!files.include_dirs.empty()) {
    o << "  INCLUDE_DIRS";
    for (const auto& d : files.include_dirs) o << "\n    " << cmake_quote(d);
    o << "\n";
  }
  if (!r.verilator_args.empty()) {
    o << "  VERILATOR_ARGS";
    for (const auto& a : r.verilator_args) o << " " << cmake_quote(a);
    o << "\n";
  }
  o << ")\n";
  return o.str();
}

std::string rtl_build_fingerprint(const RtlBuildRequest& r) {
  validate(r);
  const FileList files = read_file_list(r.rtl_dir);
  Hasher h;
  h.number(kFormatVersion);
  h.field(r.top);
  h.field(r.key);
  h.field(r.exe_name);
  h.field(rtl_build_cmakelists(r, files));  // every path, package, target and arg
  hash_file_contents(h, r.rtl_dir / "files.f");
  for (const auto& s : files.sources) hash_file_contents(h, s);
  for (const auto& d : files.include_dirs) hash_headers(h, d);
  for (const auto& s : r.harness_sources) hash_file_contents(h, absolute_normal(s));
  for (const auto& d : r.include_dirs) hash_headers(h, absolute_normal(d));
  for (const auto& l : r.link_libraries) {
    // Static libraries can be large: size and modification time suffice.
    std::error_code ec;
    const auto size = fs::file_size(l, ec);
    h.field(l.string());
    h.number(ec ? ~uint64_t{0} : size);
    const auto mtime = fs::last_write_time(l, ec);
    h.number(ec ? 0 : static_cast<uint64_t>(mtime.time_since_epoch().count()));
  }
  return h.hex();
}

FileLock::FileLock(const fs::path& path, const std::string& what, std::ostream& progress) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw std::runtime_error("rtl: cannot open lock file " + path.string() + ": " +
                             std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
  progress << "rtl: waiting for another process using " << what << "..." << std::endl;
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) {
      const int err = errno;
      ::close(fd_);
      throw std::runtime_error("rtl: cannot lock " + path.string() + ": " + std::strerror(err));
    }
  }
}

FileLock::~FileLock() {
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

fs::path ensure_rtl_build(const RtlBuildRequest& r, std::ostream& progress) {
  validate(r);
  const fs::path root = absolute_normal(r.cache_root);
  const fs::path dir = root / r.key;
  const fs::path exe = dir / r.exe_name;
  const fs::path stamp = dir / "stamp";
  const fs::path log = dir / "build.log";
  fs::create_directories(root);

  FileLock lock(root / (r.key + ".lock"), "build key " + r.key, progress);

  const std::string fingerprint = rtl_build_fingerprint(r);
  std::error_code ec;
  const bool have_exe = fs::is_regular_file(exe, ec);
  const bool have_stamp = fs::is_regular_file(stamp, ec);
  if (have_exe && have_stamp && trim(read_text(stamp)) == fingerprint) return exe;

  if (have_exe || have_stamp) {
    progress << "rtl: rebuilding " << r.top << " for key " << r.key << " (inputs changed)..."
             << std::endl;
  } else {
    progress << "rtl: building " << r.top << " for key " << r.key
             << " (first use, about a minute)..." << std::endl;
  }
  const auto start = std::chrono::steady_clock::now();

  fs::create_directories(dir);
  fs::remove(stamp, ec);
  const FileList files = read_file_list(r.rtl_dir);
  write_if_changed(dir / "CMakeLists.txt", rtl_build_cmakelists(r, files));
  {
    std::ofstream out(log, std::ios::trunc);
    out << "rtl build of " << r.top << " for key " << r.key << " (fingerprint " << fingerprint
        << ")\n";
  }

  const unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  const fs::path build_dir = dir / "build";
  auto fail = [&](const std::string& step, int rc) {
    throw std::runtime_error("rtl: " + step + " of " + r.top + " for key " + r.key +
                             " failed (exit " + std::to_string(rc) + "); log: " + log.string() +
                             "\n" + tail_lines(log, 30));
  };
  int rc = run_logged({LSTM_CMAKE_COMMAND, "-S", dir.string(), "-B", build_dir.string(), "-G",
                       "Ninja", "-DCMAKE_BUILD_TYPE=Release"},
                      log);
  if (rc != 0) fail("configure", rc);
  rc = run_logged({LSTM_CMAKE_COMMAND, "--build", build_dir.string(), "-j", std::to_string(jobs)},
                  log);
  if (rc != 0) fail("build", rc);
  if (!fs::is_regular_file(exe, ec)) fail("build (no " + exe.string() + " produced)", 0);

  write_atomically(stamp, fingerprint + "\n");
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
  progress << "rtl: built in " << secs << " s" << std::endl;
  return exe;
}

}  // namespace lstm::tb
