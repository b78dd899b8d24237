// initlab: one binary, one subcommand per study (analysis/command.hpp).
#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>

#include "command.hpp"
#include "option_checks.hpp"
#include "core/version.hpp"
#include "core/temp_registry.hpp"
#include "output.hpp"

namespace initlab::tool {
std::vector<Command>& commands() {
  static std::vector<Command> all;
  return all;
}

namespace {
// "info, init, theory, ..." in registration order.
std::string subcommand_names() {
  std::string names;
  for (const auto& cmd : commands()) names += (names.empty() ? "" : ", ") + cmd.name;
  return names;
}

// The first argument, when it is not an option, must name a subcommand.
bool unknown_subcommand(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return false;
  const std::string_view word = argv[1];
  for (const auto& cmd : commands()) {
    if (cmd.name == word) return false;
  }
  return true;
}
}  // namespace
}  // namespace initlab::tool

int main(int argc, char** argv) {
  using namespace initlab::tool;
  set_command_line(argc, argv);
  initlab::install_temp_cleanup();
  ::signal(SIGXFSZ, SIG_IGN);  // a file-size limit: write() fails with EFBIG, reported below
  CLI::App app{
      "initlab: how weight initialization decides whether a deep network's signal "
      "survives depth.\nMeasurements beside mean-field theory; see README.md."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "initlab " + std::string(initlab::version_string()));
  if (unknown_subcommand(argc, argv)) {
    std::cerr << "initlab: error: '" << argv[1] << "' is not a subcommand; expected one of "
              << subcommand_names() << "\n";
    return 2;
  }
  std::vector<std::pair<CLI::App*, Run>> runs;
  for (auto& cmd : commands()) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.summary);
    runs.emplace_back(sub, cmd.setup(*sub));
  }
  check_every_value(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "initlab: error: " << error_message(e.what()) << "\n";
    return 2;
  }
  try {
    for (auto& [sub, run] : runs) {
      if (sub->parsed()) run();
    }
  } catch (const ExitCode& e) {
    return e.code;
  } catch (const std::invalid_argument& e) {
    std::cerr << "initlab: error: " << error_message(e.what()) << "\n";
    return 2;
  } catch (const initlab::OutputError& e) {
    std::cerr << "initlab: error: " << error_message(e.what()) << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    // Below the library's size limit (core/fan_shape.hpp) but above what is free.
    std::cerr << "initlab: error: out of memory: the sizes asked for need more memory than "
                 "this machine has free\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "initlab: internal error: " << error_message(e.what()) << "\n";
    return 1;
  }
  // What went to stdout without a file (tables, summaries) is checked too.
  errno = 0;
  if (!std::cout.flush() || std::fflush(stdout) != 0) {
    std::cerr << "initlab: error: stdout: cannot write ("
              << std::strerror(errno != 0 ? errno : EIO) << ")\n";
    return 2;
  }
  return 0;
}
