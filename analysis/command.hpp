#pragma once
// Subcommands of the `initlab` tool register themselves: each analysis/*.cpp that
// defines a subcommand has, at namespace scope,
//
//   static const initlab::tool::Registration reg{"variance", "one-line summary", setup};
//
// where `setup(CLI::App& sub)` declares the options and returns the function that
// runs once they are parsed. `main` stays thin: parse, run, map errors to exit codes.
// A run function throws std::invalid_argument for bad input (one-line message,
// exit 2); anything else is an internal error (exit 1).

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace initlab::tool {

using Run = std::function<void()>;

// Thrown by a run function that has written its output and ends with a verdict
// other than success (e.g. `initlab check`: 1 = rejected); main returns `code`.
struct ExitCode {
  int code = 0;
};
using Setup = std::function<Run(CLI::App&)>;

struct Command {
  std::string name;
  std::string summary;
  Setup setup;
};

std::vector<Command>& commands();

struct Registration {
  Registration(std::string name, std::string summary, Setup setup) {
    commands().push_back({std::move(name), std::move(summary), std::move(setup)});
  }
};

}  // namespace initlab::tool
