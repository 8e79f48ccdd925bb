#include "bench/process.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace lstm {

namespace {

int decode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& out, const std::string& err,
            int flags) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | flags, 0644);
  if (err == out) posix_spawn_file_actions_adddup2(&actions, 1, 2);
  else posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | flags, 0644);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv.front() + ": " + std::strerror(rc));
  return pid;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

pid_t start_program(const std::vector<std::string>& argv, const std::string& log) {
  return spawn(argv, log, log, O_APPEND);
}

pid_t wait_any_child(double seconds, int& exit_code) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (;;) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      exit_code = decode(status);
      return pid;
    }
    if (pid < 0 && errno != EINTR) return 0;  // no children at all
    if (std::chrono::steady_clock::now() >= end) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

Captured run_captured(const std::vector<std::string>& argv) {
  char dir_template[] = "/tmp/lstm-run-XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  if (!dir) throw std::runtime_error(std::string("cannot create a temporary folder: ") + std::strerror(errno));
  const std::string out = std::string(dir) + "/out", err = std::string(dir) + "/err";
  Captured c;
  try {
    const pid_t pid = spawn(argv, out, err, O_TRUNC);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
      if (errno != EINTR) throw std::runtime_error("waitpid failed");
    c.exit_code = decode(status);
    c.out = slurp(out);
    c.err = slurp(err);
  } catch (const std::runtime_error& e) {
    c.exit_code = 127;
    c.err = e.what();
  }
  std::remove(out.c_str());
  std::remove(err.c_str());
  ::rmdir(dir);
  return c;
}

}  // namespace lstm
