// The moments of gelu, selu, silu, erf and softplus (lib/theory/smooth_moments.cpp):
// closed forms (gelu, selu, erf) and the trapezoid rule (silu, softplus) against the
// Gauss-Legendre reference of reference_quadrature.hpp, their limits, the switch at
// q = 784, and SELU's self-normalizing fixed point (Klambauer et al. 2017).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "theory/jacobian_spectrum.hpp"
#include "theory/meanfield.hpp"
#include "theory/scalar_activation.hpp"
#include "theory/reference_quadrature.hpp"

namespace initlab::theory {
namespace {

using Kind = Activation::Kind;
using testing::reference_expect;
constexpr double kPi = std::numbers::pi;
const std::vector<Kind> kSmooth = {Kind::gelu, Kind::selu, Kind::silu, Kind::erf, Kind::softplus};

ActivationMoments reference(Activation f, double q) {
  ActivationMoments m;
  m.q = q;
  m.mean = reference_expect([&](double u) { return activate(f, u); }, q);
  m.second = reference_expect([&](double u) { return activate(f, u) * activate(f, u); }, q);
  m.variance = reference_expect(
      [&](double u) {
        const double d = activate(f, u) - m.mean;
        return d * d;
      },
      q);
  m.dphi2 = reference_expect([&](double u) { return activate_derivative(f, u) * activate_derivative(f, u); }, q);
  m.ddphi_phi = reference_expect([&](double u) { return activate_second_derivative(f, u) * activate(f, u); }, q);
  return m;
}

// Closed forms agree with the reference to rounding; the trapezoid rule of silu and
// softplus to the bound of docs/theory.md §3 (1e-13 relative to the moment's scale,
// the scale being q for E[phi^2] and Var (softplus: max(1, q), as activate(0) = ln 2),
// sqrt q for E[phi], 1 for the derivative terms). The reference itself is accurate to
// ~3e-15 of the same scales (measured against relu's closed forms, which share its
// kink at 0).
TEST(SmoothMoments, AgreeWithGaussLegendreReference) {
  for (Kind k : kSmooth) {
    const Activation f{k};
    for (double q : {1e-4, 0.01, 0.25, 1.0, 3.0, 10.0, 100.0, 784.0, 785.0, 3000.0, 1e4}) {
      const ActivationMoments m = moments(f, q);
      const ActivationMoments r = reference(f, q);
      const double sq = k == Kind::softplus ? std::fmax(1.0, q) : q;
      const double sm = k == Kind::softplus ? std::fmax(1.0, std::sqrt(q)) : std::sqrt(q);
      const double tol = 1e-13;
      EXPECT_NEAR(m.second, r.second, tol * sq) << f.name() << " q " << q;
      EXPECT_NEAR(m.variance, r.variance, tol * sq) << f.name() << " q " << q;
      EXPECT_NEAR(m.mean, r.mean, tol * sm) << f.name() << " q " << q;
      EXPECT_NEAR(m.dphi2, r.dphi2, tol) << f.name() << " q " << q;
      EXPECT_NEAR(m.ddphi_phi, r.ddphi_phi, tol) << f.name() << " q " << q;
      EXPECT_EQ(second_moment(f, q), m.second) << f.name() << " q " << q;
      EXPECT_EQ(dphi2(f, q), m.dphi2) << f.name() << " q " << q;
    }
  }
}

// E[phi'^4] of the Jacobian spectrum (theory/jacobian_spectrum.hpp): erf and selu
// closed, gelu, silu, softplus by the plain rule; against the reference as above.
TEST(SmoothMoments, FourthDerivativeMomentAgainstReference) {
  for (Kind k : kSmooth) {
    const Activation f{k};
    for (double q : {1e-3, 0.5, 1.0, 10.0, 784.0, 3000.0}) {
      const double r = reference_expect(
          [&](double u) {
            const double d = activate_derivative(f, u);
            return d * d * d * d;
          },
          q);
      EXPECT_NEAR(dphi4(f, q), r, 1e-13) << f.name() << " q " << q;
    }
  }
}

// Known closed forms: erf (Williams 1997) and gelu's E[phi] = q / sqrt(2 pi (1+q)) (Stein).
TEST(SmoothMoments, KnownClosedForms) {
  const Activation erf{Kind::erf};
  for (double q : {0.5, 1.0, 4.0}) {
    EXPECT_NEAR(moments(erf, q).second, 2.0 / kPi * std::asin(2.0 * q / (1.0 + 2.0 * q)), 1e-15);
    EXPECT_NEAR(moments(erf, q).dphi2, 4.0 / (kPi * std::sqrt(1.0 + 4.0 * q)), 1e-15);
  }
  EXPECT_DOUBLE_EQ(moments(Activation{Kind::gelu}, 3.0).mean, 3.0 / std::sqrt(8.0 * kPi));
}

// q -> 0: phi'(0)^2 (selu: the mean of its squared one-sided slopes), activate(0)^2.
TEST(SmoothMoments, ZeroVarianceLimits) {
  EXPECT_EQ(moments(Activation{Kind::gelu}, 0.0).dphi2, 0.25);
  EXPECT_EQ(moments(Activation{Kind::silu}, 0.0).dphi2, 0.25);
  EXPECT_DOUBLE_EQ(moments(Activation{Kind::erf}, 0.0).dphi2, 4.0 / kPi);
  EXPECT_DOUBLE_EQ(moments(Activation{Kind::softplus}, 0.0).second, std::log(2.0) * std::log(2.0));
  const double l2 = kSeluLambda * kSeluLambda;
  EXPECT_DOUBLE_EQ(moments(Activation{Kind::selu}, 0.0).dphi2,
                   0.5 * l2 * (1.0 + kSeluAlpha * kSeluAlpha));
  for (Kind k : {Kind::gelu, Kind::selu, Kind::silu, Kind::erf}) {
    EXPECT_EQ(moments(Activation{k}, 0.0).second, 0.0) << static_cast<int>(k);
    EXPECT_EQ(moments(Activation{k}, 0.0).mean, 0.0) << static_cast<int>(k);
  }
}

// q -> inf: gelu, silu, softplus become relu (E[phi^2] / q -> 1/2), selu lambda relu,
// erf a sign (E[phi^2] -> 1). The leading corrections are O(q^-1/2): at q = 1e12 the
// ratios are within 1e-5 of their limits (gelu: -1/(pi sqrt(2q)) relative ~ 2e-7).
TEST(SmoothMoments, LargeVarianceLimits) {
  const double q = 1e12;
  for (Kind k : {Kind::gelu, Kind::silu, Kind::softplus}) {
    const ActivationMoments m = moments(Activation{k}, q);
    EXPECT_NEAR(m.second / q, 0.5, 1e-5) << static_cast<int>(k);
    EXPECT_NEAR(m.mean / std::sqrt(q), 1.0 / std::sqrt(2.0 * kPi), 1e-5) << static_cast<int>(k);
    EXPECT_NEAR(m.dphi2, 0.5, 1e-5) << static_cast<int>(k);
  }
  const ActivationMoments s = moments(Activation{Kind::selu}, q);
  EXPECT_NEAR(s.second / q, 0.5 * kSeluLambda * kSeluLambda, 1e-5);
  EXPECT_NEAR(moments(Activation{Kind::erf}, q).second, 1.0, 1e-5);
  // Finite and positive up to the trajectory's switch to the asymptote (1e250).
  for (Kind k : {Kind::gelu, Kind::selu, Kind::silu, Kind::softplus}) {
    const ActivationMoments m = moments(Activation{k}, 1e250);
    EXPECT_TRUE(std::isfinite(m.second) && m.second > 0.0) << static_cast<int>(k);
    EXPECT_NEAR(m.second / 1e250, k == Kind::selu ? 0.5 * kSeluLambda * kSeluLambda : 0.5, 1e-15);
  }
}

// silu and softplus switch at q = 784 from the plain rule to gelu + decaying remainder:
// the two agree there to the rule's accuracy.
TEST(SmoothMoments, SwitchAt784IsContinuous) {
  for (Kind k : {Kind::silu, Kind::softplus}) {
    const ActivationMoments below = moments(Activation{k}, 784.0);
    const ActivationMoments above = moments(Activation{k}, std::nextafter(784.0, 1e9));
    EXPECT_NEAR(below.second, above.second, 1e-13 * 784.0) << static_cast<int>(k);
    EXPECT_NEAR(below.mean, above.mean, 1e-13 * 28.0) << static_cast<int>(k);
    EXPECT_NEAR(below.dphi2, above.dphi2, 1e-13) << static_cast<int>(k);
    EXPECT_NEAR(below.ddphi_phi, above.ddphi_phi, 1e-13) << static_cast<int>(k);
  }
}

// d/dq E[phi^2] = E[phi'^2] + E[phi'' phi] (heat equation), as for tanh in
// moments_test.cpp; central difference d = 1e-4 q, error < 1e-7 at q >= 0.1.
TEST(SmoothMoments, HeatEquationIdentity) {
  for (Kind k : kSmooth) {
    for (double q : {0.1, 0.5, 2.0, 10.0, 1000.0}) {
      const Activation f{k};
      const double d = 1e-4 * q;
      const double dv = (second_moment(f, q + d) - second_moment(f, q - d)) / (2.0 * d);
      const ActivationMoments m = moments(f, q);
      EXPECT_NEAR(dv, m.dphi2 + m.ddphi_phi, 1e-7) << f.name() << ' ' << q;
    }
  }
}

// Klambauer et al. 2017: with lambda, alpha of eq. 14, z ~ N(0, 1) gives E[selu(z)] = 0
// and E[selu(z)^2] = 1. The constants carry 32 digits, so the fixed point holds to the
// rounding of the closed forms: terms of size <= 1.76 (lambda alpha) with a few ulps each,
// |error| <= 8 * 1.76 * 2^-53 = 1.6e-15.
TEST(SmoothMoments, SeluHasKlambauersFixedPoint) {
  const ActivationMoments m = moments(Activation{Kind::selu}, 1.0);
  EXPECT_NEAR(m.mean, 0.0, 1.6e-15);
  EXPECT_NEAR(m.second, 1.0, 1.6e-15);
  EXPECT_NEAR(m.variance, 1.0, 1.6e-15);
  // The map q -> V(q) at sw2 = 1 (lecun_normal) is attracting there: slope < 1.
  EXPECT_LT(m.dphi2 + m.ddphi_phi, 1.0);
  EXPECT_GT(m.dphi2 + m.ddphi_phi, 0.0);
}

}  // namespace
}  // namespace initlab::theory
