// The compact architecture string of study/net_file.hpp:
//   INPUT-LAYER-LAYER-...,  LAYER = WIDTH[xREPEAT][:ACTIVATION[:INIT[:BIAS]]]
// '-' and ':' inside parentheses do not separate; an omitted field repeats the
// previous layer's.
#include <optional>
#include <stdexcept>
#include <vector>

#include "core/error.hpp"
#include "core/parse.hpp"
#include "init/initializer.hpp"
#include "study/net_file.hpp"

namespace initlab::study {

namespace {

// TEXT cut at SEP outside parentheses; throws on unbalanced or nested parentheses.
std::vector<std::string_view> split(std::string_view text, char sep, const std::string& where) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  bool open = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(' || text[i] == ')') {
      if (open == (text[i] == '('))
        fail(where, "unbalanced or nested parentheses at character ", i + 1,
             "; expected (FIELD) around a field that contains ':' or '-'");
      open = !open;
    } else if (text[i] == sep && !open) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (open) fail(where, "a '(' is not closed; expected (FIELD)");
  parts.push_back(text.substr(start));
  return parts;
}

std::string_view unwrap(std::string_view field) {
  if (field.size() >= 2 && field.front() == '(' && field.back() == ')') return field.substr(1, field.size() - 2);
  return field;
}

std::size_t count(std::string_view text, std::size_t hi, const std::string& where, const char* what) {
  const auto v = parse_whole<unsigned long>(text);
  if (!v || *v < 1 || *v > hi) fail(where, what, " \"", text, "\" is not an integer in [1, ", hi, "]");
  return static_cast<std::size_t>(*v);
}

template <class Parse>
auto checked(std::string_view field, const std::string& where, const char* what, Parse parse) {
  if (field.empty()) fail(where, "empty ", what, "; expected a spec or nothing (repeat the previous layer's)");
  try {
    return parse(std::string(field));
  } catch (const std::invalid_argument& e) {
    fail(where, what, ": ", e.what());
  }
}

// One LAYER token; `previous` supplies omitted fields (none: the first layer).
std::pair<DenseLayer, std::size_t> layer(std::string_view token, const std::optional<DenseLayer>& previous,
                                         const std::string& where) {
  const auto fields = split(token, ':', where);
  if (fields.size() > 4) fail(where, fields.size(), " fields; expected WIDTH[xREPEAT][:ACTIVATION[:INIT[:BIAS]]]");
  const std::string_view size = fields[0];
  const auto x = size.find('x');
  DenseLayer d;
  d.width = count(size.substr(0, x), kMaxNetWidth, where, "width");
  const std::size_t repeat = x == std::string_view::npos ? 1 : count(size.substr(x + 1), kMaxNetRepeat, where, "repeat");
  if (!previous && fields.size() < 3)
    fail(where, "the first layer gives no ", fields.size() < 2 ? "activation" : "init",
         "; expected WIDTH[xREPEAT]:ACTIVATION:INIT[:BIAS]");
  if (previous) d = DenseLayer{d.width, previous->activation, previous->init, previous->bias};
  if (fields.size() > 1) d.activation = checked(unwrap(fields[1]), where, "activation", Activation::parse);
  const auto spec = [](const std::string& s) {
    init::parse(s);  // throws on a bad spec
    return s;
  };
  if (fields.size() > 2) d.init = checked(unwrap(fields[2]), where, "init", spec);
  if (fields.size() > 3) d.bias = checked(unwrap(fields[3]), where, "bias", spec);
  return {d, repeat};
}

}  // namespace

NetDescription parse_arch(std::string_view arch) {
  const std::string source = cat("arch \"", arch, "\"");
  const auto tokens = split(arch, '-', source);
  if (tokens.size() < 2) fail(source, "no layers; expected INPUT-LAYER[-LAYER...], e.g. 784-300x4:tanh:lecun_normal-10:linear:xavier_normal");
  NetDescription net;
  net.name = "arch";
  net.input = count(tokens[0], kMaxNetWidth, source + ": input", "width");
  std::optional<DenseLayer> previous;
  for (std::size_t k = 1; k < tokens.size(); ++k) {
    const std::string where = cat(source, ": layer ", k, " \"", tokens[k], "\"");
    const auto [d, repeat] = layer(tokens[k], previous, where);
    if (repeat > kMaxNetLayers - net.blocks.size())
      fail(where, "the network grows beyond ", kMaxNetLayers, " layers; expected at most ", kMaxNetLayers);
    net.blocks.insert(net.blocks.end(), repeat, d);
    previous = d;
  }
  net.validate();
  return net;
}

}  // namespace initlab::study
