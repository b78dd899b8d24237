// Per-activation moments (lib/theory/moments.cpp): closed forms against the
// quadrature, the sigmoid/tanh identities against direct quadrature, and the
// heat-equation identity dV/dq = E[phi'^2] + E[phi'' phi].
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "theory/meanfield.hpp"

namespace initlab::theory {
namespace {

using Kind = Activation::Kind;
Activation act(Kind k, double slope = 0.01) { return Activation{k, slope}; }
const double kPi = std::numbers::pi;

TEST(Moments, ReluFormulas) {
  for (double q : {0.0, 1e-3, 1.0, 2.5, 1e6}) {
    const ActivationMoments m = moments(act(Kind::relu), q);
    EXPECT_DOUBLE_EQ(m.second, q / 2.0);
    EXPECT_DOUBLE_EQ(m.mean, std::sqrt(q / (2.0 * kPi)));
    EXPECT_NEAR(m.variance, (kPi - 1.0) / (2.0 * kPi) * q, 1e-15 * q);
    EXPECT_EQ(m.dphi2, 0.5);
    EXPECT_EQ(m.ddphi_phi, 0.0);
    if (q > 0) {
      EXPECT_NEAR(m.variance / m.second, 0.6817, 5e-5);  // docs/theory.md §2.1
    }
  }
}

TEST(Moments, LinearAndLeakyFamily) {
  const ActivationMoments lin = moments(act(Kind::linear), 3.0);
  EXPECT_EQ(lin.second, 3.0);
  EXPECT_EQ(lin.variance, 3.0);
  EXPECT_EQ(lin.mean, 0.0);
  EXPECT_EQ(lin.dphi2, 1.0);
  const ActivationMoments one = moments(act(Kind::leaky_relu, 1.0), 3.0);
  EXPECT_DOUBLE_EQ(one.second, 3.0);
  EXPECT_DOUBLE_EQ(one.variance, 3.0);
  EXPECT_EQ(one.mean, 0.0);
  const ActivationMoments zero = moments(act(Kind::leaky_relu, 0.0), 3.0);
  const ActivationMoments relu = moments(act(Kind::relu), 3.0);
  EXPECT_EQ(zero.second, relu.second);
  EXPECT_EQ(zero.mean, relu.mean);
  EXPECT_EQ(zero.variance, relu.variance);
}

// Second moments and E[phi'^2] of the piecewise-linear family are integrated by the
// rule to rounding: the kink sits on the node z = 0, and the even parts of the
// integrands are smooth (phi'(0)^2 is taken as the mean of its one-sided values).
TEST(Moments, ClosedFormsMatchQuadrature) {
  for (double s : {0.0, 0.01, 0.2, -0.5, 3.0}) {
    auto phi = [s](double u) { return u > 0 ? u : s * u; };
    auto dphi2 = [s](double u) { return u > 0 ? 1.0 : u < 0 ? s * s : 0.5 * (1.0 + s * s); };
    for (double q : {1e-4, 0.3, 1.0, 50.0}) {
      const ActivationMoments m = moments(act(Kind::leaky_relu, s), q);
      EXPECT_NEAR(gauss_expect([&](double u) { return phi(u) * phi(u); }, q), m.second,
                  1e-14 * m.second)
          << s << ' ' << q;
      EXPECT_NEAR(gauss_expect(dphi2, q), m.dphi2, 1e-14 * m.dphi2) << s << ' ' << q;
      // The mean's integrand z 1{z > 0} has a kink, so the rule is only O(h^2):
      // Euler-Maclaurin on [0, inf) for g(z) = z phi(z) gives
      // T - I = -(h^2/12) g'(0) + (h^4/720) g'''(0) + ..., g'(0) = phi(0), g'''(0) = -3 phi(0).
      const double h = 1e-2;
      const double T = gauss_expect_step(phi, q, h);
      const double lead = -(h * h / 12.0) * (1.0 - s) * std::sqrt(q) / std::sqrt(2.0 * kPi);
      const double next = (h * h * h * h / 240.0) * std::fabs(1.0 - s) * std::sqrt(q);
      EXPECT_NEAR(T - lead, m.mean, next + 1e-14) << s << ' ' << q;
    }
  }
}

double sig(double u) { return 1.0 / (1.0 + std::exp(-u)); }

// sigmoid is computed through tanh at q/4; check it against the sigmoid itself.
TEST(Moments, SigmoidIdentitiesMatchDirectQuadrature) {
  for (double q : {1e-4, 0.2, 1.0, 10.0, 300.0}) {
    const ActivationMoments m = moments(act(Kind::sigmoid), q);
    const double second = gauss_expect([](double u) { return sig(u) * sig(u); }, q);
    const double mean = gauss_expect(sig, q);
    const double var = gauss_expect([](double u) { return (sig(u) - 0.5) * (sig(u) - 0.5); }, q);
    const double d2 = gauss_expect(
        [](double u) {
          const double d = sig(u) * sig(-u);
          return d * d;
        },
        q);
    const double dd =
        gauss_expect([](double u) { return sig(u) * sig(-u) * (1.0 - 2.0 * sig(u)) * sig(u); }, q);
    EXPECT_NEAR(m.second, second, 1e-13) << q;
    EXPECT_NEAR(m.mean, mean, 1e-15) << q;
    EXPECT_NEAR(m.variance, var, 1e-13) << q;
    EXPECT_NEAR(m.dphi2, d2, 1e-13) << q;
    EXPECT_NEAR(m.ddphi_phi, dd, 1e-13) << q;
  }
}

// d/dq E[f(sqrt q z)] = E[f''(sqrt q z)] / 2 (heat equation), so
// dV/dq = E[phi'^2] + E[phi'' phi]. Central difference with d = 1e-4 q: truncation
// d^2 |V'''| / 6 < 1e-9, rounding 2e-13 / d < 1e-8 at q >= 0.1.
TEST(Moments, HeatEquationIdentity) {
  for (Kind k : {Kind::tanh, Kind::sigmoid}) {
    for (double q : {0.1, 0.5, 2.0, 10.0}) {
      const double d = 1e-4 * q;
      const double dv = (second_moment(act(k), q + d) - second_moment(act(k), q - d)) / (2.0 * d);
      const ActivationMoments m = moments(act(k), q);
      EXPECT_NEAR(dv, m.dphi2 + m.ddphi_phi, 1e-7) << static_cast<int>(k) << ' ' << q;
    }
  }
}

// Above q = 784 tanh switches to decaying integrands on |u| <= 40; they must agree
// with the plain rule (which stays valid, only slower) and be continuous at 784.
TEST(Moments, LargeVarianceSwitchAgreesWithPlainRule) {
  auto tanh2 = [](double u) {
    const double t = std::tanh(u);
    return t * t;
  };
  auto sech4 = [](double u) {
    const double s = 1.0 / std::cosh(u);
    return s * s * s * s;
  };
  for (double q : {785.0, 5000.0, 1e5}) {
    const ActivationMoments m = moments(act(Kind::tanh), q);
    EXPECT_NEAR(m.second, gauss_expect(tanh2, q), 1e-14) << q;
    EXPECT_NEAR(m.dphi2, gauss_expect(sech4, q), 1e-15) << q;
  }
  const ActivationMoments below = moments(act(Kind::tanh), 784.0);
  const ActivationMoments above = moments(act(Kind::tanh), std::nextafter(784.0, 1e9));
  EXPECT_NEAR(below.second, above.second, 1e-15);
  EXPECT_NEAR(below.dphi2, above.dphi2, 1e-15);
  EXPECT_NEAR(below.ddphi_phi, above.ddphi_phi, 1e-15);
  // Far out: E[sech^2] -> 2 / sqrt(2 pi q) (int sech^2 = 2), so 1 - V(q) ~ that.
  const double q = 1e12;
  EXPECT_NEAR((1.0 - second_moment(act(Kind::tanh), q)) * std::sqrt(2.0 * kPi * q), 2.0, 1e-9);
}

TEST(Moments, TanhBasics) {
  const ActivationMoments z = moments(act(Kind::tanh), 0.0);
  EXPECT_EQ(z.second, 0.0);
  EXPECT_EQ(z.dphi2, 1.0);
  const ActivationMoments m = moments(act(Kind::tanh), 1.0);
  EXPECT_EQ(m.mean, 0.0);
  EXPECT_EQ(m.variance, m.second);
  EXPECT_LT(m.second, 1.0);
  EXPECT_LT(m.ddphi_phi, 0.0);
  EXPECT_EQ(second_moment(act(Kind::tanh), 1.0), m.second);
  EXPECT_EQ(dphi2(act(Kind::tanh), 1.0), m.dphi2);
}

TEST(Moments, RejectsBadVariance) {
  EXPECT_THROW(moments(act(Kind::tanh), -1e-3), std::invalid_argument);
  EXPECT_THROW(second_moment(act(Kind::relu), std::nan("")), std::invalid_argument);
  EXPECT_THROW(dphi2(act(Kind::sigmoid), std::numeric_limits<double>::infinity()),
               std::invalid_argument);
}

}  // namespace
}  // namespace initlab::theory
