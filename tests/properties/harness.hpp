#pragma once
// Shared pieces of the property suite: small structured generators (widths,
// depths, batch sizes, seeds: RapidCheck shrinks each towards its lower bound, so
// a failure shrinks to the narrowest, shallowest net that still fails), seeded
// inputs, and the per-input statistics the bands are asserted on.

#include <rapidcheck.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "nn/activation.hpp"
#include "nn/network.hpp"
#include "random/stream.hpp"

namespace initlab::properties {

// Every generator is named (`.as`), so a counterexample prints as "depth: 3",
// "widths: [64, 97, 64]", ... rather than as bare numbers.

// An integer in [lo, hi] (inclusive), shrinking towards lo. RapidCheck scales the
// range with its size parameter, so early cases are small nets.
inline std::size_t gen_size(const char* name, std::size_t lo, std::size_t hi) {
  return *rc::gen::inRange<std::size_t>(lo, hi + 1).as(name);
}

inline std::uint64_t gen_seed(const char* name = "seed") {
  return *rc::gen::arbitrary<std::uint64_t>().as(name);
}

// n_0 .. n_L with each width in [lo, hi].
inline std::vector<std::size_t> gen_widths(std::size_t depth, std::size_t lo, std::size_t hi) {
  return *rc::gen::container<std::vector<std::size_t>>(depth + 1,
                                                      rc::gen::inRange<std::size_t>(lo, hi + 1))
              .as("widths n_0..n_L");
}

// Equal widths n_0 = ... = n_L = n.
inline std::vector<std::size_t> equal_widths(std::size_t depth, std::size_t n) {
  return std::vector<std::size_t>(depth + 1, n);
}

// The layers that carry a chi-square factor in the forward pass: n_1 .. n_L.
inline std::vector<std::size_t> forward_factor_widths(const std::vector<std::size_t>& widths) {
  return {widths.begin() + 1, widths.end()};
}

// (B, n) Gaussian inputs from their own stream (the network uses
// Stream(seed).split(2l) and split(2l + 1)), each row rescaled so that
// |x_b|^2 / n = q0 exactly when q0 > 0 (then every input has the same prediction).
template <class T>
Matrix<T> gaussian_inputs(std::size_t batch, std::size_t n, std::uint64_t seed, double q0 = 0.0) {
  Matrix<T> x({batch, n});
  const random::Stream rng = random::Stream(seed, 0x1A9E7u).split(7);
  rng.normal<T>(std::span<T>(x.data(), x.size()), T(0), T(1));
  if (q0 > 0.0) {
    for (std::size_t b = 0; b < batch; ++b) {
      double s = 0.0;
      for (std::size_t j = 0; j < n; ++j) s += static_cast<double>(x(b, j)) * x(b, j);
      const double scale = std::sqrt(q0 * static_cast<double>(n) / s);
      for (std::size_t j = 0; j < n; ++j) x(b, j) = static_cast<T>(x(b, j) * scale);
    }
  }
  return x;
}

// Per-row second moment |a_b|^2 / n, accumulated in double.
template <class T>
std::vector<double> row_second_moments(const Matrix<T>& a) {
  const std::size_t rows = a.shape()[0], cols = a.shape()[1];
  std::vector<double> m(rows, 0.0);
  for (std::size_t b = 0; b < rows; ++b) {
    double s = 0.0;
    for (std::size_t j = 0; j < cols; ++j) s += static_cast<double>(a(b, j)) * a(b, j);
    m[b] = s / static_cast<double>(cols);
  }
  return m;
}

// d = ln( mean_b num_b / den_b ).
inline double log_mean_ratio(const std::vector<double>& num, const std::vector<double>& den) {
  double s = 0.0;
  for (std::size_t b = 0; b < num.size(); ++b) s += num[b] / den[b];
  return std::log(s / static_cast<double>(num.size()));
}

// A bias-free network with one activation and one initializer for every layer.
template <class T>
nn::Network<T> make_network(const std::vector<std::size_t>& widths, const std::string& activation,
                            const std::string& init, std::uint64_t seed) {
  nn::NetworkConfig c;
  c.widths = widths;
  c.activations = {Activation::parse(activation)};
  c.inits = {init};
  c.bias_init = "zeros";
  c.seed = seed;
  return nn::Network<T>(c);
}

// ln(m_L / m_0) per input of one forward pass: the forward statistic of a net
// whose mean-field prediction is p_L = q0 (linear + lecun_normal, ReLU + he_normal).
template <class T>
double forward_log_ratio(nn::Network<T>& net, const Matrix<T>& x) {
  const Matrix<T>& out = net.forward(x);
  return log_mean_ratio(row_second_moments(out), row_second_moments(x));
}

}  // namespace initlab::properties
