// initlab: one binary, one subcommand per study (analysis/command.hpp).
#include <cstdio>
#include <exception>
#include <iostream>
#include <stdexcept>

#include "command.hpp"
#include "output.hpp"

namespace initlab::tool {
std::vector<Command>& commands() {
  static std::vector<Command> all;
  return all;
}
}  // namespace initlab::tool

int main(int argc, char** argv) {
  using namespace initlab::tool;
  set_command_line(argc, argv);
  CLI::App app{
      "initlab: how weight initialization decides whether a deep network's signal "
      "survives depth.\nMeasurements beside mean-field theory; see README.md."};
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, Run>> runs;
  for (auto& cmd : commands()) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.summary);
    runs.emplace_back(sub, cmd.setup(*sub));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "initlab: error: " << e.what() << "\n";
    return 2;
  }
  try {
    for (auto& [sub, run] : runs) {
      if (sub->parsed()) run();
    }
  } catch (const std::invalid_argument& e) {
    std::cerr << "initlab: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "initlab: internal error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
