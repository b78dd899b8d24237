// phi, phi', phi'' at one point (lib/theory/scalar_activation.cpp): known values of the new
// activations, derivatives against central finite differences, and the tails.
#include "theory/scalar_activation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace initlab::theory {
namespace {

using Kind = Activation::Kind;

TEST(ScalarActivation, KnownValues) {
  const double l = kSeluLambda, la = kSeluLambda * kSeluAlpha;
  // gelu(1) = Phi(1), gelu(-1) = -Phi(-1); Phi(1) = 0.841344746068542948585232545632.
  EXPECT_NEAR(activate(Activation{Kind::gelu}, 1.0), 0.841344746068542948585, 1e-16);
  EXPECT_NEAR(activate(Activation{Kind::gelu}, -1.0), -(1.0 - 0.841344746068542948585), 1e-16);
  EXPECT_EQ(activate(Activation{Kind::selu}, 2.0), 2.0 * l);
  EXPECT_NEAR(activate(Activation{Kind::selu}, -1.0), la * (std::exp(-1.0) - 1.0), 1e-16);
  // silu(1) = 1 / (1 + e^-1) = 0.731058578630004879251159...
  EXPECT_NEAR(activate(Activation{Kind::silu}, 1.0), 0.731058578630004879, 1e-16);
  EXPECT_EQ(activate(Activation{Kind::erf}, 0.5), std::erf(0.5));
  EXPECT_NEAR(activate(Activation{Kind::softplus}, 0.0), std::numbers::ln2, 1e-16);
  EXPECT_NEAR(activate(Activation{Kind::softplus}, 2.0), std::log(1.0 + std::exp(2.0)), 1e-15);
  // Derivatives at 0: gelu, silu 1/2, softplus 1/2, erf 2/sqrt(pi), selu lambda alpha (left).
  EXPECT_EQ(activate_derivative(Activation{Kind::gelu}, 0.0), 0.5);
  EXPECT_EQ(activate_derivative(Activation{Kind::silu}, 0.0), 0.5);
  EXPECT_EQ(activate_derivative(Activation{Kind::softplus}, 0.0), 0.5);
  EXPECT_EQ(activate_derivative(Activation{Kind::erf}, 0.0), 2.0 * std::numbers::inv_sqrtpi);
  EXPECT_EQ(activate_derivative(Activation{Kind::selu}, 0.0), la);
}

// Central differences with step 1e-5: truncation |f'''| h^2 / 6 < 1e-10 (|f'''| < 6
// for every activation here), rounding 2^-52 |f| / h < 1e-10 for |u| <= 4.
TEST(ScalarActivation, DerivativesMatchFiniteDifferences) {
  const double h = 1e-5;
  for (int k = 0; k < Activation::kKinds; ++k) {
    Activation f;
    f.kind = static_cast<Kind>(k);
    f.slope = 0.2;
    for (double u = -4.0; u <= 4.0; u += 0.37) {
      if (std::fabs(u) < 2.0 * h) continue;  // the kinks of relu, leaky_relu, selu
      const double d1 = (activate(f, u + h) - activate(f, u - h)) / (2.0 * h);
      const double d2 = (activate_derivative(f, u + h) - activate_derivative(f, u - h)) / (2.0 * h);
      EXPECT_NEAR(activate_derivative(f, u), d1, 2e-10) << f.name() << " u " << u;
      EXPECT_NEAR(activate_second_derivative(f, u), d2, 2e-10) << f.name() << " u " << u;
    }
  }
}

// The tails stay finite and exact where the naive forms overflow or cancel.
TEST(ScalarActivation, TailsWithoutOverflowOrCancellation) {
  EXPECT_EQ(activate(Activation{Kind::softplus}, 800.0), 800.0);
  EXPECT_NEAR(activate(Activation{Kind::softplus}, -800.0), 0.0, 1e-300);
  EXPECT_EQ(activate(Activation{Kind::silu}, -800.0), -0.0);
  EXPECT_EQ(logistic(-800.0), 0.0);
  EXPECT_EQ(logistic(800.0), 1.0);
  // sigma(u) - Phi(u) ~ e^-u for large u, not 0 from 1 - 1.
  EXPECT_NEAR(logistic_minus_normal_cdf(30.0) / std::exp(-30.0), -1.0, 1e-12);
  EXPECT_NEAR(logistic_minus_normal_cdf(-30.0) / std::exp(-30.0), 1.0, 1e-12);
  EXPECT_NEAR(activate(Activation{Kind::selu}, -50.0), -kSeluLambda * kSeluAlpha, 1e-15);
}

}  // namespace
}  // namespace initlab::theory
