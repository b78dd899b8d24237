#include "net_option.hpp"

#include "core/error.hpp"
#include "study/net_file.hpp"

namespace initlab::tool {

void add_net_options(CLI::App& sub, NetOption& o) {
  sub.add_option("--net", o.file,
                 "Network file (JSON: per-layer width, activation, init, bias; residual blocks, "
                 "LayerNorm, BatchNorm; docs/net-files.md, examples in examples/nets/)")
      ->type_name("FILE");
  sub.add_option("--arch", o.arch,
                 "A plain network inline: INPUT-WIDTH[xREPEAT][:ACT[:INIT[:BIAS]]]-..., e.g. "
                 "784-300x4:tanh:lecun_normal-10:linear:xavier_normal (omitted fields repeat the "
                 "previous layer's; a field with ':' or '-' in parentheses)")
      ->type_name("STRING");
}

NetDescription load_net_option(const NetOption& o) {
  if (!o.file.empty() && !o.arch.empty()) fail("--arch", "give --net FILE or --arch STRING, not both");
  if (!o.file.empty()) return study::load_net(o.file);
  return study::parse_arch(o.arch);
}

void check_net_exclusive(const NetOption& o, const std::vector<const CLI::Option*>& others) {
  if (!o.given()) return;
  const char* which = o.file.empty() ? "--arch" : "--net";
  for (const CLI::Option* opt : others) {
    if (opt->count() > 0)
      fail(which, opt->get_name(), " does not go with a described network; the network gives its own layers");
  }
}

}  // namespace initlab::tool
