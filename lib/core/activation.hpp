#pragma once
// The activation descriptor shared by the networks (nn/), the mean-field theory
// (theory/) and the statistics (stats/): which function, with its parameter.
// Parsed from "linear" (alias "identity"), "tanh", "relu", "leaky_relu[:SLOPE]"
// (default slope 0.01), "sigmoid". The kernels that apply it live in
// nn/activation.hpp; this header pulls in no tensor library.

#include <string>
#include <string_view>
#include <vector>

namespace initlab {

struct Activation {
  enum class Kind { linear, tanh, relu, leaky_relu, sigmoid };
  Kind kind = Kind::linear;
  double slope = 0.01;  // leaky_relu only

  static Activation parse(std::string_view spec);  // throws std::invalid_argument
  std::string name() const;                        // round-trips through parse
  // Comma-separated specs, e.g. "relu,relu,sigmoid" or "tanh"; throws on an
  // empty list or an unknown entry.
  static std::vector<Activation> parse_list(std::string_view specs);
};

}  // namespace initlab
