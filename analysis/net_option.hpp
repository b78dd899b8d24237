#pragma once
// `--net FILE` and `--arch STRING`, shared by the commands that take a described
// network (docs/net-files.md): the options, and the network they name.

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/net_description.hpp"

namespace initlab::tool {

struct NetOption {
  std::string file;
  std::string arch;
  bool given() const { return !file.empty() || !arch.empty(); }
};

// Adds --net and --arch to SUB, filling `o`.
void add_net_options(CLI::App& sub, NetOption& o);

// The network of --net or --arch; throws std::invalid_argument for both or a bad one.
NetDescription load_net_option(const NetOption& o);

// Throws std::invalid_argument "--net: OPTION does not go with a network ..." when
// any of `others` was given on the command line together with --net or --arch.
void check_net_exclusive(const NetOption& o, const std::vector<const CLI::Option*>& others);

}  // namespace initlab::tool
