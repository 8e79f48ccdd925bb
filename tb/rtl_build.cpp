// rtl_build.cpp: see rtl_build.hpp.
#include "tb/rtl_build.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "tb/process.hpp"
#include "tb/rtl_toolchain.hpp"
#include "tb/verilated_units.hpp"

namespace lstm::tb {
namespace fs = std::filesystem;

namespace {

// Bump when the build steps or the cache layout change meaning.
constexpr int kFormatVersion = 2;
constexpr std::size_t kMaxHeaderFiles = 20000;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

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

// Headers under a directory (recursive, sorted): the RTL's +incdir+ folders.
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

fs::path absolute_normal(const fs::path& p) { return fs::absolute(p).lexically_normal(); }

void validate(const RtlBuildRequest& r) {
  std::vector<std::string> problems;
  if (!is_identifier(r.top)) problems.push_back("top '" + r.top + "' is not a module name");
  if (!is_key(r.key)) {
    problems.push_back("key '" + r.key + "' must be 1..128 of [A-Za-z0-9_.-] and not . or ..");
  }
  if (r.cache_root.empty()) problems.push_back("cache_root is empty");
  if (!fs::is_regular_file(r.rtl_dir / "files.f")) {
    problems.push_back("no files.f in rtl_dir " + r.rtl_dir.string());
  }
  for (const auto& s : r.sources) {
    if (!fs::is_regular_file(s)) problems.push_back("source " + s.string() + " not found");
  }
  for (const auto& c : r.verilator_configs) {
    if (!fs::is_regular_file(c)) problems.push_back("Verilator config " + c.string() + " not found");
  }
  for (const auto& d : r.defines) {
    if (d.empty() || d.find('\n') != std::string::npos) problems.push_back("bad define '" + d + "'");
  }
  if (!problems.empty()) {
    std::string msg = "rtl: bad build request:";
    for (const auto& p : problems) msg += "\n  " + p;
    throw std::invalid_argument(msg);
  }
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

std::vector<std::string> split_words(const std::string& s) {
  std::istringstream in(s);
  return {std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
}

// ---- the stamp: fingerprint, then the headers the sources included ---------

struct Stamp {
  std::string fingerprint;
  std::vector<fs::path> headers;
};

Stamp read_stamp(const fs::path& p) {
  Stamp s;
  std::ifstream in(p);
  std::string line;
  if (!std::getline(in, s.fingerprint)) return {};
  while (std::getline(in, line))
    if (!line.empty()) s.headers.emplace_back(line);
  return s;
}

std::string stamp_text(const Stamp& s) {
  std::string t = s.fingerprint + "\n";
  for (const auto& h : s.headers) t += h.string() + "\n";
  return t;
}

// The files a make-style dependency file (g++ -MD) names after "target:",
// except those under `skip` (the model's own, generated from the hashed RTL).
std::vector<fs::path> read_depfile(const fs::path& d, const fs::path& skip) {
  std::ifstream in(d);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::vector<fs::path> out;
  std::string word;
  bool past_target = false;
  auto flush = [&] {
    if (past_target && !word.empty()) {
      const fs::path p = absolute_normal(word);
      if (p.string().rfind(skip.string(), 0) != 0) out.push_back(p);
    }
    if (!word.empty() && word.back() == ':') past_target = true;
    word.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\n')) {
      if (text[i + 1] == ' ') word += ' ';
      else flush();
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  return out;
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

std::vector<std::string> rtl_fast_flags() {
  std::vector<std::string> f{"-O2"};
  if (std::string(toolchain::kCxxId) == "GNU") f.push_back("-fno-thread-jumps");
  return f;
}

std::vector<std::string> rtl_slow_flags() { return {"-O0"}; }

std::vector<std::string> verilator_command(const RtlBuildRequest& r, const FileList& files) {
  std::vector<std::string> v{toolchain::kVerilator, "--cc", "--prefix", "V" + r.top,
                             "--top-module", r.top};
  if (r.trace) v.push_back("--trace-fst");
  v.insert(v.end(), r.verilator_args.begin(), r.verilator_args.end());
  for (const auto& c : r.verilator_configs) v.push_back(absolute_normal(c).string());
  for (const auto& d : files.include_dirs) v.push_back("+incdir+" + d.string());
  for (const auto& s : files.sources) v.push_back(s.string());
  return v;
}

namespace {

// The compiler command for one unit or source (without -o and -MD).
std::vector<std::string> compile_command(const RtlBuildRequest& r, const fs::path& mdir,
                                         const std::vector<std::string>& opt) {
  std::vector<std::string> c;
  if (*toolchain::kLauncher) c.push_back(toolchain::kLauncher);
  c.insert(c.end(), {toolchain::kCxx, "-std=c++20", "-fPIC", "-DNDEBUG"});
  c.insert(c.end(), opt.begin(), opt.end());
  for (const auto& f : split_words(toolchain::kVerilatorCflags)) c.push_back(f);
  const std::string t = r.trace ? "1" : "0";
  c.insert(c.end(), {"-DVM_COVERAGE=0", "-DVM_SC=0", "-DVM_TRACE=" + t, "-DVM_TRACE_FST=" + t,
                     "-DVM_TRACE_VCD=0"});
  for (const auto& d : r.defines) c.push_back("-D" + d);
  c.push_back("-I" + mdir.string());
  for (const auto& d : r.include_dirs) c.push_back("-I" + absolute_normal(d).string());
  const std::string root = toolchain::kVerilatorRoot;
  c.insert(c.end(), {"-isystem", root + "/include", "-isystem", root + "/include/vltstd"});
  return c;
}

}  // namespace

std::string rtl_build_fingerprint(const RtlBuildRequest& r, const std::vector<fs::path>& headers) {
  validate(r);
  const FileList files = read_file_list(r.rtl_dir);
  Hasher h;
  h.number(kFormatVersion);
  h.field(r.top);
  h.field(r.key);
  for (const auto& a : verilator_command(r, files)) h.field(a);
  for (const auto& a : compile_command(r, "MDIR", rtl_fast_flags())) h.field(a);
  for (const auto& a : rtl_slow_flags()) h.field(a);
  hash_file_contents(h, r.rtl_dir / "files.f");
  for (const auto& s : files.sources) hash_file_contents(h, s);
  for (const auto& d : files.include_dirs) hash_headers(h, d);
  for (const auto& s : r.sources) hash_file_contents(h, absolute_normal(s));
  for (const auto& c : r.verilator_configs) hash_file_contents(h, absolute_normal(c));
  for (const auto& f : headers) {
    std::error_code ec;
    if (fs::is_regular_file(f, ec)) hash_file_contents(h, f);
    else h.field("missing:" + f.string());
  }
  // Verilator itself: its runtime headers are among `headers`; the program by size and time.
  std::error_code ec;
  const fs::path bin = toolchain::kVerilatorBin;
  h.number(fs::file_size(bin, ec));
  h.number(ec ? 0 : static_cast<uint64_t>(fs::last_write_time(bin, ec).time_since_epoch().count()));
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

namespace {

// One build, in the key's folder: verilate, compile, link. Returns its times
// and the headers the sources included.
struct BuildOutcome {
  RtlBuildTimes times;
  std::vector<fs::path> headers;
};

class Builder {
 public:
  Builder(const RtlBuildRequest& r, const fs::path& dir)
      : r_(r), dir_(dir), mdir_(dir / "obj"), log_(dir / "build.log") {}

  BuildOutcome run(const std::string& fingerprint) {
    fs::remove_all(mdir_);
    fs::create_directories(mdir_);
    std::ofstream(log_, std::ios::trunc) << "rtl build of " << r_.top << " for key " << r_.key
                                         << " (fingerprint " << fingerprint << ")\n";
    BuildOutcome out;
    out.times.parallel = std::max(1u, std::thread::hardware_concurrency());
    auto t0 = Clock::now();
    out.times.cpu += verilate();
    out.times.verilate = seconds_since(t0);
    t0 = Clock::now();
    std::vector<fs::path> objects = compile(out.times);
    out.times.compile = seconds_since(t0);
    t0 = Clock::now();
    link(objects);
    out.times.link = seconds_since(t0);
    for (std::size_t i = 0; i < r_.sources.size(); ++i)
      for (auto& f : read_depfile(mdir_ / ("lstm_source_" + std::to_string(i) + ".d"), mdir_))
        out.headers.push_back(f);
    std::sort(out.headers.begin(), out.headers.end());
    out.headers.erase(std::unique(out.headers.begin(), out.headers.end()), out.headers.end());
    return out;
  }

  fs::path plugin() const { return dir_ / ("V" + r_.top + ".so"); }

 private:
  [[noreturn]] void fail(const std::string& step, const fs::path& log, int rc) const {
    throw std::runtime_error("rtl: " + step + " of " + r_.top + " for key " + r_.key +
                             " failed (exit " + std::to_string(rc) + "); log: " + log_.string() +
                             "\n" + tail_lines(log, 30));
  }

  // Returns Verilator's CPU time.
  double verilate() {
    std::vector<std::string> cmd = verilator_command(r_, read_file_list(r_.rtl_dir));
    cmd.insert(cmd.begin() + 2, {"--Mdir", mdir_.string()});
    std::vector<Command> one{{"verilate", cmd, log_}};
    if (!run_parallel(one, 1)) fail("verilate", log_, one[0].exit_code);
    return one[0].cpu_seconds;
  }

  std::vector<fs::path> compile(RtlBuildTimes& times) {
    const auto units = write_compile_units(
        mdir_, read_verilated_files(mdir_, "V" + r_.top), times.parallel);
    std::vector<Command> cmds;
    std::vector<fs::path> objects;
    auto add = [&](const fs::path& src, const std::vector<std::string>& opt, const std::string& stem) {
      objects.push_back(mdir_ / (stem + ".o"));
      Command c{"compile " + src.filename().string(), compile_command(r_, mdir_, opt),
                mdir_ / (stem + ".log")};
      c.argv.insert(c.argv.end(), {"-c", src.string(), "-o", objects.back().string()});
      cmds.push_back(std::move(c));
    };
    for (const auto& u : units)
      add(u.source, u.fast ? rtl_fast_flags() : rtl_slow_flags(), u.source.stem().string());
    for (std::size_t i = 0; i < r_.sources.size(); ++i) {
      const std::string stem = "lstm_source_" + std::to_string(i);
      add(absolute_normal(r_.sources[i]), {"-O2"}, stem);
      cmds.back().argv.insert(cmds.back().argv.end(), {"-MD", "-MF", (mdir_ / (stem + ".d")).string()});
    }
    times.units = static_cast<unsigned>(cmds.size());
    const bool ok = run_parallel(cmds, times.parallel);
    for (const auto& c : cmds) times.cpu += c.cpu_seconds;
    for (const auto& c : cmds) {
      if (c.exit_code == -1) continue;  // not started after a failure
      std::ifstream in(c.log);
      std::ofstream(log_, std::ios::app) << in.rdbuf();
    }
    if (!ok)
      for (const auto& c : cmds)
        if (c.exit_code > 0) fail(c.name, c.log, c.exit_code);
    return objects;
  }

  void link(const std::vector<fs::path>& objects) {
    const fs::path map = mdir_ / "exports.map";
    // Only the entry points: the model's own symbols stay private, so models
    // of several configs (all Vlstm_axi_top) load into one process side by side.
    std::ofstream(map) << "{ global: lstm_tb_*; local: *; };\n";
    const fs::path tmp = plugin().string() + ".tmp";
    std::vector<std::string> cmd{toolchain::kCxx, "-shared", "-o", tmp.string(),
                                 "-Wl,--version-script=" + map.string()};
    for (const auto& o : objects) cmd.push_back(o.string());
    const int rc = run_logged(cmd, log_);
    if (rc != 0) fail("link", log_, rc);
    fs::rename(tmp, plugin());  // a program using the old plugin keeps its copy
  }

  const RtlBuildRequest& r_;
  fs::path dir_, mdir_, log_;
};

}  // namespace

RtlBuild ensure_rtl_build(const RtlBuildRequest& r, std::ostream& progress) {
  validate(r);
  const fs::path root = absolute_normal(r.cache_root);
  const fs::path dir = root / r.key;
  const fs::path stamp_path = dir / "stamp";
  fs::create_directories(root);

  FileLock lock(root / (r.key + ".lock"), "build key " + r.key, progress);

  Builder builder(r, dir);
  RtlBuild result{builder.plugin(), false, {}};
  std::error_code ec;
  const Stamp old = fs::is_regular_file(stamp_path, ec) ? read_stamp(stamp_path) : Stamp{};
  const bool have_plugin = fs::is_regular_file(result.plugin, ec);
  if (have_plugin && !old.fingerprint.empty() &&
      rtl_build_fingerprint(r, old.headers) == old.fingerprint)
    return result;

  progress << "rtl: " << (have_plugin || !old.fingerprint.empty() ? "rebuilding" : "building")
           << " " << r.top << " for key " << r.key
           << (have_plugin ? " (inputs changed)..." : " (first use)...") << std::endl;
  fs::create_directories(dir);
  fs::remove(stamp_path, ec);
  const auto t0 = Clock::now();
  BuildOutcome b = builder.run(rtl_build_fingerprint(r, {}));
  write_atomically(stamp_path, stamp_text({rtl_build_fingerprint(r, b.headers), b.headers}));
  result.built = true;
  result.times = b.times;
  progress << "rtl: built in " << static_cast<int>(seconds_since(t0) + 0.5) << " s" << std::endl;
  return result;
}

}  // namespace lstm::tb
