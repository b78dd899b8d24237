#pragma once
// The activation descriptor shared by the networks (nn/), the mean-field theory
// (theory/) and the statistics (stats/): which function, with its parameter.
// Parsed from "linear" (alias "identity"), "tanh", "relu", "leaky_relu[:SLOPE]"
// (default slope 0.01), "sigmoid", "gelu" (exact erf form), "selu", "silu" (alias
// "swish"), "erf", "softplus" (docs/theory.md §23 gives each formula). The kernels
// that apply it live in nn/activation.hpp; this header pulls in no tensor library.

#include <string>
#include <string_view>
#include <vector>

namespace initlab {

struct Activation {
  enum class Kind { linear, tanh, relu, leaky_relu, sigmoid, gelu, selu, silu, erf, softplus };
  static constexpr int kKinds = 10;  // the number of kinds above
  // The accepted specs, for --help and error messages.
  static constexpr const char* kSpecs =
      "linear, identity, tanh, relu, leaky_relu[:SLOPE], sigmoid, gelu, selu, silu (alias swish), "
      "erf, softplus";
  // SELU's constants (Klambauer et al. 2017, arXiv:1706.02515, eq. 14), as in PyTorch.
  static constexpr double kSeluLambda = 1.0507009873554804934193349852946;
  static constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
  Kind kind = Kind::linear;
  double slope = 0.01;  // leaky_relu only

  static Activation parse(std::string_view spec);  // throws std::invalid_argument
  std::string name() const;                        // round-trips through parse
  // Comma-separated specs, e.g. "relu,relu,sigmoid" or "tanh"; throws on an
  // empty list or an unknown entry.
  static std::vector<Activation> parse_list(std::string_view specs);
};

}  // namespace initlab
