#include "core/activation.hpp"

#include <charconv>

#include "core/error.hpp"
#include "core/parse.hpp"

namespace initlab {

namespace {

double parse_number(std::string_view text, std::string_view spec) {
  const auto v = parse_finite(text);
  if (!v)
    fail("Activation::parse", "spec \"", spec, "\": \"", text,
         "\" is not a finite number; expected leaky_relu[:SLOPE], e.g. leaky_relu:0.2");
  return *v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

Activation Activation::parse(std::string_view spec) {
  const std::string_view s = trim(spec);
  const auto colon = s.find(':');
  const std::string_view head = s.substr(0, colon);
  Activation f;
  if (head == "linear" || head == "identity") f.kind = Kind::linear;
  else if (head == "tanh") f.kind = Kind::tanh;
  else if (head == "relu") f.kind = Kind::relu;
  else if (head == "leaky_relu") f.kind = Kind::leaky_relu;
  else if (head == "sigmoid") f.kind = Kind::sigmoid;
  else if (head == "gelu") f.kind = Kind::gelu;
  else if (head == "selu") f.kind = Kind::selu;
  else if (head == "silu" || head == "swish") f.kind = Kind::silu;
  else if (head == "erf") f.kind = Kind::erf;
  else if (head == "softplus") f.kind = Kind::softplus;
  else
    fail("Activation::parse", "unknown activation \"", spec, "\"; expected one of ", kSpecs);
  if (colon != std::string_view::npos) {
    if (f.kind != Kind::leaky_relu)
      fail("Activation::parse", "activation \"", spec, "\" takes no parameter; only leaky_relu:SLOPE does");
    f.slope = parse_number(s.substr(colon + 1), spec);
  }
  return f;
}

std::vector<Activation> Activation::parse_list(std::string_view specs) {
  std::vector<Activation> out;
  for (const std::string_view item : split(specs)) {
    if (trim(item).empty())
      fail("Activation::parse_list", "empty entry in \"", specs,
           "\"; expected comma-separated activations such as relu,relu,sigmoid");
    out.push_back(parse(item));
  }
  return out;
}

std::string Activation::name() const {
  switch (kind) {
    case Kind::linear: return "linear";
    case Kind::tanh: return "tanh";
    case Kind::relu: return "relu";
    case Kind::sigmoid: return "sigmoid";
    case Kind::gelu: return "gelu";
    case Kind::selu: return "selu";
    case Kind::silu: return "silu";
    case Kind::erf: return "erf";
    case Kind::softplus: return "softplus";
    case Kind::leaky_relu: {
      char buf[64];
      auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, slope);
      (void)ec;
      return "leaky_relu:" + std::string(buf, ptr);
    }
  }
  return "linear";
}

}  // namespace initlab
