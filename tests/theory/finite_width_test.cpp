// First-order finite-width corrections (theory/finite_width.hpp).
#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "theory/finite_width.hpp"

namespace initlab::theory {
namespace {

const Activation kTanh{Activation::Kind::tanh};

// V(q) = E[tanh^2] = q - 2 q^2 + 17/3 q^3 - 62/3 q^4 + ... (the series of tanh^2
// with E[u^{2k}] = (2k-1)!! q^k): V' = 1 - 4q + 17 q^2, V'' = -4 + 34 q - 248 q^2.
TEST(SecondMomentDerivatives, TanhSmallQExpansion) {
  const double q = 1e-3;
  const SecondMomentDerivatives d = second_moment_derivatives(kTanh, q);
  EXPECT_NEAR(d.dv, 1.0 - 4.0 * q + 17.0 * q * q, 1e-7);
  EXPECT_NEAR(d.d2v, -4.0 + 34.0 * q - 248.0 * q * q, 5e-6);
  EXPECT_NEAR(d.fourth, 3.0 * q * q, 1e-7);  // E[u^4] to leading order
}

TEST(SecondMomentDerivatives, ReluClosedForm) {
  const SecondMomentDerivatives d = second_moment_derivatives(Activation{Activation::Kind::relu}, 2.0);
  EXPECT_DOUBLE_EQ(d.v, 1.0);
  EXPECT_DOUBLE_EQ(d.dv, 0.5);
  EXPECT_DOUBLE_EQ(d.d2v, 0.0);
  EXPECT_DOUBLE_EQ(d.fourth, 6.0);  // E[relu(u)^4] = 3 q^2 / 2
}

// Linear orthogonal layers preserve |a| exactly: no correction, and none for
// Gaussian linear layers either (V is linear, the fluctuations average out).
TEST(FiniteWidth, LinearIsExact) {
  const std::vector<std::size_t> widths(6, 32);
  const std::vector<double> sw2(5, 1.0);
  for (auto law : {WeightLaw::orthogonal, WeightLaw::gaussian}) {
    for (const auto& y : finite_width_correction(Activation{}, sw2, widths, 0.0, 1.0, law)) {
      EXPECT_NEAR(y.rel_q, 0.0, 1e-15);
      EXPECT_NEAR(y.rel_a2, 0.0, 1e-15);
    }
  }
}

// Orthogonal tanh at n E[W^2] = 1: the sphere shifts E[r] by -q^2 V''/n = +4 q^2/n
// per layer, and deep in the 1/(2l) decay the relative correction tends to +2/n
// (docs/theory.md). The old text's "-sum 1/n_l" had the opposite sign.
TEST(FiniteWidth, OrthogonalTanhTendsToTwoOverN) {
  const std::size_t n = 512, L = 400;
  const std::vector<std::size_t> widths(L + 1, n);
  const std::vector<double> sw2(L, 1.0);
  const auto c = finite_width_correction(kTanh, sw2, widths, 0.0, 1.0, WeightLaw::orthogonal);
  EXPECT_GT(c[0].rel_a2, 0.0);
  EXPECT_NEAR(c.back().rel_a2 * n, 2.0, 0.15);
  for (const auto& y : c) EXPECT_GT(y.rel_a2, 0.0);
}

// Gaussian tanh: the length fluctuates, and the concave map turns that into a
// negative bias that grows about linearly with depth.
TEST(FiniteWidth, GaussianTanhIsNegativeAndGrows) {
  const std::size_t n = 512, L = 200;
  const std::vector<std::size_t> widths(L + 1, n);
  const std::vector<double> sw2(L, 1.0);
  const auto c = finite_width_correction(kTanh, sw2, widths, 0.0, 1.0, WeightLaw::gaussian);
  EXPECT_LT(c[99].rel_a2, 0.0);
  EXPECT_LT(c[199].rel_a2, c[99].rel_a2);
  EXPECT_GT(c[199].rel_a2 / c[99].rel_a2, 1.5);
  EXPECT_LT(c[199].rel_a2 / c[99].rel_a2, 2.5);
}

// A mean-field q beyond double (q grows by 1e6 per layer) has no correction:
// NaN from that layer on, never a throw in the middle of a study.
TEST(FiniteWidth, NaNBeyondDouble) {
  const std::vector<std::size_t> widths(81, 8);
  const std::vector<double> sw2(80, 1e6);
  const auto y = finite_width_correction(Activation{}, sw2, widths, 1.0, 1.0, WeightLaw::gaussian);
  EXPECT_TRUE(std::isfinite(y.front().rel_q));
  EXPECT_TRUE(std::isnan(y.back().rel_q));
  EXPECT_TRUE(std::isnan(y.back().rel_a2));
}

TEST(FiniteWidth, OrthogonalNeedsSquareLayersAndNoBias) {
  const std::vector<std::size_t> widths = {8, 16};
  const std::vector<double> sw2 = {1.0};
  EXPECT_THROW(finite_width_correction(kTanh, sw2, widths, 0.0, 1.0, WeightLaw::orthogonal), std::invalid_argument);
  const std::vector<std::size_t> square = {8, 8};
  EXPECT_THROW(finite_width_correction(kTanh, sw2, square, 0.1, 1.0, WeightLaw::orthogonal), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::theory
