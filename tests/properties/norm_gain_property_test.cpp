// LayerNorm's backward gain in the block recursion, (1 - (1 + 2r - r^2)/n) / (v + eps)
// (docs/theory.md §25), against nn::layer_norm_backward: for an isotropic incoming
// gradient the gain is E|J^T dy|^2 / E|dy|^2 = tr(J J^T) / n, and the sum of |J^T e_i|^2
// over the n unit vectors e_i is that trace exactly, tr(P^2) / (v + eps) with
// tr(P^2) = n - 1 - (2r - r^2). A deterministic identity: only rounding separates the
// two. Every entry of dx is a few sums of n terms, so its relative rounding is
// O(n u) and the sum of squares (no cancellation) inherits it: below 1e-12 for
// n <= 512 in double; asserted at 1e-11. The recursion is given s = E[x^2] and
// m = E[x], each summed over n terms (relative error <= gamma_n ~ n u, Higham
// 2002 §4.2), and forms v = s (1 - rho^2), rho = m / sqrt(s) (a few more roundings):
// an absolute error of about (2n + 8) u s in v, i.e. (2n + 8) u s / (v + eps)
// relative in the gain, large when the input is nearly constant (large shift, small
// scale); that is added to the band (v here from the centred values, two-pass). n = 2 is left out: there
// tr(P^2) = (eps / (v + eps))^2 and the kernel forms dx by cancellation (relative
// rounding u (v + eps) / eps, not a property of the law).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "nn/layer_norm.hpp"
#include "properties/harness.hpp"
#include "theory/net_recursion.hpp"

namespace initlab::properties {
namespace {

RC_GTEST_PROP(NormGain, LayerNormBackwardGainIsTheRecursions, ()) {
  const std::size_t n = gen_size("width n", 3, 512);
  const double scale = *rc::gen::element(1e-3, 0.1, 1.0, 30.0).as("input scale");
  const double shift = *rc::gen::element(0.0, 0.5, -3.0).as("input mean shift");
  const double eps = *rc::gen::element(1e-5, 1e-2, 1.0).as("eps");
  const std::uint64_t seed = gen_seed();
  const Matrix<double> row = gaussian_inputs<double>(1, n, seed);
  Matrix<double> x({n, n});
  double s = 0.0, m = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    const double v = scale * row(0, j) + shift;
    for (std::size_t i = 0; i < n; ++i) x(i, j) = v;
    s += v * v;
    m += v;
  }
  s /= static_cast<double>(n);
  m /= static_cast<double>(n);
  Matrix<double> y, dx;
  nn::NormCache<double> cache;
  nn::layer_norm_forward<double>(y, cache, x, nullptr, nullptr, eps);
  Matrix<double> dy = xt::zeros<double>({n, n});
  for (std::size_t i = 0; i < n; ++i) dy(i, i) = 1.0;
  nn::layer_norm_backward<double>(dx, nullptr, nullptr, dy, cache, nullptr);
  double trace = 0.0;
  for (double v : dx) trace += v * v;
  theory::NetArchitecture net;
  net.input = n;
  net.q0 = s;
  net.mean0 = std::clamp(m, -std::sqrt(s), std::sqrt(s));
  net.blocks = {theory::NetNorm{theory::NetNorm::Kind::layer, eps}};
  const theory::NetTrajectory t = theory::net_trajectory(net);
  double v = 0.0;
  for (std::size_t j = 0; j < n; ++j) v += (x(0, j) - m) * (x(0, j) - m);
  v /= static_cast<double>(n);
  const double u = 0.5 * std::numeric_limits<double>::epsilon();
  const double tol = 1e-11 + (2.0 * static_cast<double>(n) + 8.0) * u * s / (v + eps);
  RC_ASSERT(std::fabs(trace / static_cast<double>(n) / std::exp(t.blocks[0].ln_gain) - 1.0) <= tol);
}

}  // namespace
}  // namespace initlab::properties
