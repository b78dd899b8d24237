#pragma once
// The finite-difference check LayerNorm's and BatchNorm's kernels share
// (layer_norm_property_test.cpp, batch_norm_property_test.cpp).
//
// Objective f = sum(R * y). Inputs come from spread_matrix along the normalized
// axis (std >= 0.25), so inv_std <= 4: xhat is smooth on the scale of that std,
// its k-th derivatives are O(inv_std^k), and the central difference's truncation
// error relative to the gradient is O((step inv_std)^2) = O(1.6e-11), far below
// the 1e-6 of fd_matches (nn_testing.hpp, which also allows the rounding floor).

#include <string>

#include "nn/nn_testing.hpp"
#include "nn/norm_affine.hpp"

namespace initlab::nn::testing {

// forward(y, cache, x, gamma, beta, eps) and backward(dx, dgamma, dbeta, dy, cache,
// gamma) of one norm; axis 1 normalizes rows (LayerNorm), axis 0 columns
// (BatchNorm). Returns "" when dx, dgamma and dbeta match, else which did not.
template <class Forward, class Backward>
std::string norm_fd_mismatch(Forward forward, Backward backward, int axis, std::size_t B,
                             std::size_t n, bool affine, double eps, std::uint64_t seed) {
  Matrix<double> x = spread_matrix(B, n, seed, axis);
  Vector<double> gamma = random_vector(n, seed + 1, 0.5, 1.5), beta = random_vector(n, seed + 2);
  const Matrix<double> R = random_matrix(B, n, seed + 3);
  const Vector<double>* g = affine ? &gamma : nullptr;
  const Vector<double>* b = affine ? &beta : nullptr;
  Matrix<double> y, dx, tmp;
  Vector<double> dgamma, dbeta;
  NormCache<double> cache, tmp_cache;
  forward(y, cache, x, g, b, eps);
  backward(dx, affine ? &dgamma : nullptr, affine ? &dbeta : nullptr, R, cache, g);
  const double scale = abs_weighted_sum(y, R);
  const auto loss = [&] {
    forward(tmp, tmp_cache, x, g, b, eps);
    return weighted_sum(tmp, R);
  };
  const auto fx = fd_gradient(loss, x.data(), x.size());
  if (!fd_matches(dx.data(), fx.data(), x.size(), scale)) return "dx";
  if (!affine) return "";
  const auto fg = fd_gradient(loss, gamma.data(), n);
  const auto fb = fd_gradient(loss, beta.data(), n);
  if (!fd_matches(dgamma.data(), fg.data(), n, scale)) return "dgamma";
  return fd_matches(dbeta.data(), fb.data(), n, scale) ? "" : "dbeta";
}

}  // namespace initlab::nn::testing
