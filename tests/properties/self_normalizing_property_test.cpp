// SELU with lecun_normal keeps mean 0 and variance 1 (Klambauer et al. 2017; the
// mean-field fixed point is asserted exactly in tests/theory/smooth_moments_test.cpp),
// measured on a network layer.
//
// Inputs x_b = sqrt(n) e_b, b = 1..n (orthogonal, |x_b|^2 / n = 1), weights W ~ N(0, 1/n)
// (lecun_normal), zero bias: h_ib = sqrt(n) W_ib are N = n m iid N(0, 1) values, and
// a = selu(h) has mean 0 and second moment 1. selu is Lipschitz with constant
// L = lambda alpha = 1.7581 (its largest slope), so both the sample mean F1 = sum a / N
// and the root mean square F2 = |a| / sqrt N are L / sqrt(N)-Lipschitz functions of the
// Gaussian vector h. Gaussian concentration (Tsirelson-Ibragimov-Sudakov):
//   P(|F - E F| >= t) <= 2 exp(-t^2 N / (2 L^2)),
// with E F1 = 0 and sqrt(1 - L^2 / N) <= E F2 <= 1 (Jensen above; the Gaussian Poincare
// inequality Var F2 <= L^2 / N below). Both statistics at once fail with probability
// <= 4 exp(-t^2 N / (2 L^2)) = 1e-6 at t = L sqrt(2 ln(4e6) / N).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "properties/harness.hpp"
#include "theory/scalar_activation.hpp"

namespace initlab::properties {
namespace {

RC_GTEST_PROP(SelfNormalizing, SeluLecunLayerKeepsMeanZeroVarianceOne, ()) {
  const std::size_t n = gen_size("fan_in n", 64, 512);
  const std::size_t m = gen_size("units m", 64, 512);
  const std::uint64_t seed = gen_seed();
  auto net = make_network<double>({n, m}, "selu", "lecun_normal", seed);
  Matrix<double> x = xt::zeros<double>({n, n});
  for (std::size_t b = 0; b < n; ++b) x(b, b) = std::sqrt(static_cast<double>(n));
  const Matrix<double>& a = net.forward(x);
  double s1 = 0.0, s2 = 0.0;
  for (double v : a) {
    s1 += v;
    s2 += v * v;
  }
  const auto N = static_cast<double>(a.size());
  const double L = theory::kSeluLambda * theory::kSeluAlpha;
  const double t = L * std::sqrt(2.0 * std::log(4e6) / N);
  const double f1 = s1 / N, f2 = std::sqrt(s2 / N);
  RC_ASSERT(std::fabs(f1) <= t);
  RC_ASSERT(f2 <= 1.0 + t);
  RC_ASSERT(f2 >= std::sqrt(1.0 - L * L / N) - t);
}

}  // namespace
}  // namespace initlab::properties
