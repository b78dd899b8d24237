#pragma once
// Elementwise activations and their derivatives, vectorized through xtensor +
// xsimd. Parsed from "linear" (alias "identity"), "tanh", "relu",
// "leaky_relu[:SLOPE]" (default slope 0.01), "sigmoid".

#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.hpp"

namespace initlab::nn {

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

// h (B, n) -> a (B, n): a = phi(h)
template <class T>
void activate(Matrix<T>& a, const Matrix<T>& h, Activation f);
// dh (B, n) = da (B, n) * phi'(h); a = phi(h) is passed so tanh/sigmoid reuse it.
template <class T>
void activate_backward(Matrix<T>& dh, const Matrix<T>& da, const Matrix<T>& h,
                       const Matrix<T>& a, Activation f);

}  // namespace initlab::nn
