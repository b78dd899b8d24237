#include "report_figures.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "core/error.hpp"

extern char** environ;

namespace initlab::tool {
namespace {

// $INITLAB_PYTHON, else Debian's /usr/bin/python3 (python3-matplotlib's), else python3 on PATH.
std::string python() {
  const char* p = std::getenv("INITLAB_PYTHON");
  if (p != nullptr && *p != '\0') return p;
  return ::access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

// Runs ARGV (argv[0] looked up on PATH); the exit status, or -1 when it cannot start.
// stdout of the child goes to /dev/null when `quiet`.
int run(const std::vector<std::string>& args, bool quiet) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (quiet) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  } else {
    posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);  // our stdout is the summary
  }
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

std::string report_script(const std::string& given) {
  if (!given.empty()) return given;
  const char* env = std::getenv("INITLAB_REPORT_SCRIPT");
  if (env != nullptr && *env != '\0') return env;
  return std::string(INITLAB_SOURCE_DIR) + "/scripts/report/net.py";
}

std::string figures_unavailable(const std::string& script) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(script, ec)) return cat("no script at ", script);
  const int rc = run({python(), "-c", "import matplotlib"}, true);
  if (rc < 0 || rc == 127) return cat(python(), " not found");
  if (rc != 0) return cat("matplotlib not importable by ", python());
  return "";
}

void draw_report(const std::string& script, const std::string& dir, const std::string& command) {
  const int rc = run({python(), script, "--dir", dir, "--command", command}, false);
  if (rc != 0)
    throw std::runtime_error(cat(python(), " ", script, " --dir ", dir, " failed (exit status ", rc, ")"));
}

}  // namespace initlab::tool
