// process.cpp: see process.hpp.
#include "tb/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace lstm::tb {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

void log_command_line(const std::vector<std::string>& argv, const fs::path& log) {
  std::ofstream out(log, std::ios::app);
  out << "\n$";
  for (const auto& a : argv) out << ' ' << a;
  out << '\n';
}

// Starts argv with stdout going to `out` and stderr to `err` (opened with
// `flags`: O_APPEND or O_TRUNC; the same file for both is opened once), stdin
// from /dev/null; or with everything inherited if out is empty.
pid_t spawn(const std::vector<std::string>& args, const fs::path& out, const fs::path& err,
            int flags) {
  if (args.empty()) throw std::invalid_argument("run: empty command");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!out.empty()) {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | flags, 0644);
    if (err == out) posix_spawn_file_actions_adddup2(&actions, 1, 2);
    else posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | flags, 0644);
  }
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(rc));
  return pid;
}

pid_t spawn(const std::vector<std::string>& args, const fs::path& log) {
  return spawn(args, log, log, O_APPEND);
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid failed: " + std::string(std::strerror(errno)));
  }
  return exit_code(status);
}

// Exit code of pid if it has ended (and its CPU time in cpu), else -1.
int poll(pid_t pid, double& cpu) {
  int status = 0;
  struct rusage ru {};
  const pid_t r = ::wait4(pid, &status, WNOHANG, &ru);
  if (r == 0 || (r < 0 && errno == EINTR)) return -1;
  if (r < 0) throw std::runtime_error("waitpid failed: " + std::string(std::strerror(errno)));
  cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
        static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  return exit_code(status);
}

}  // namespace

int run_logged(const std::vector<std::string>& argv, const fs::path& log) {
  log_command_line(argv, log);
  return wait_for(spawn(argv, log));
}

bool run_parallel(std::vector<Command>& commands, unsigned parallel) {
  struct Running {
    std::size_t index;
    pid_t pid;
    Clock::time_point start;
  };
  std::deque<Running> running;
  std::size_t next = 0;
  bool ok = true;
  if (parallel == 0) parallel = 1;
  while (!running.empty() || (ok && next < commands.size())) {
    while (ok && next < commands.size() && running.size() < parallel) {
      auto& c = commands[next];
      log_command_line(c.argv, c.log);
      running.push_back({next++, spawn(c.argv, c.log), Clock::now()});
    }
    bool reaped = false;
    for (auto it = running.begin(); it != running.end();) {
      double cpu = 0.0;
      const int rc = poll(it->pid, cpu);
      if (rc < 0) {
        ++it;
        continue;
      }
      auto& c = commands[it->index];
      c.exit_code = rc;
      c.seconds = std::chrono::duration<double>(Clock::now() - it->start).count();
      c.cpu_seconds = cpu;
      ok = ok && rc == 0;
      it = running.erase(it);
      reaped = true;
    }
    // Our own children only (other threads may have theirs): poll, not wait(-1).
    if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return ok;
}

int run_program(const std::vector<std::string>& argv) {
  try {
    return wait_for(spawn(argv, {}));
  } catch (const std::runtime_error&) {
    return 127;
  }
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

pid_t start_program(const std::vector<std::string>& argv, const fs::path& log) {
  return spawn(argv, log);
}

pid_t wait_any_child(double seconds, int& code) {
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  for (;;) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      code = exit_code(status);
      return pid;
    }
    if (pid < 0 && errno != EINTR) return 0;  // no children at all
    if (Clock::now() >= end) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

Captured run_captured(const std::vector<std::string>& argv) {
  char dir_template[] = "/tmp/lstm-run-XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  if (!dir) throw std::runtime_error(std::string("cannot create a temporary folder: ") + std::strerror(errno));
  const fs::path out = fs::path(dir) / "out", err = fs::path(dir) / "err";
  Captured c;
  try {
    c.exit_code = wait_for(spawn(argv, out, err, O_TRUNC));
    c.out = slurp(out);
    c.err = slurp(err);
  } catch (const std::exception& e) {
    c.exit_code = 127;
    c.err = e.what();
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return c;
}

}  // namespace lstm::tb
