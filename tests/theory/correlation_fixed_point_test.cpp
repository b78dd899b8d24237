// The correlation map's fixed point c*, its slope chi_c and the depth scale xi_c
// (lib/theory/correlation_fixed_point.cpp), against independent quadrature.
#include "theory/correlation_fixed_point.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>

#include "theory/gaussian.hpp"
#include "theory/meanfield.hpp"

namespace initlab::theory {
namespace {

using Kind = Activation::Kind;
Activation act(Kind k, double slope = 0.01) { return Activation{k, slope}; }

double sech2(double u) {
  const double s = 1.0 / std::cosh(u);
  return s * s;
}

// E[f(u1) g(u2)] as a nested 1-D trapezoid sum in z1 and z2 with step 0.02 on
// [-10, 10] (a different rule and node set from gauss_expect2's tensor grid):
// u1 = sqrt(q) z1, u2 = sqrt(q) (c z1 + sqrt(1-c^2) z2). For the analytic tanh
// integrands the error is far below 1e-12 (gaussian.hpp: the step-0.25-in-u rule
// is already at 1e-13; this step is 0.02 sqrt(q) in u).
double nested(const std::function<double(double)>& f, const std::function<double(double)>& g,
              double q, double c) {
  const double s = std::sqrt(1.0 - c * c);
  const double r = std::sqrt(q);
  return gauss_expect_step(
      [&](double z1) {
        const double inner =
            gauss_expect_step([&](double z2) { return g(r * (c * z1 + s * z2)); }, 1.0, 0.02, 10.0);
        return f(r * z1) * inner;
      },
      1.0, 0.02, 10.0);
}

double tanh_map_nested(double sw2, double sb2, double q, double c) {
  auto t = [](double u) { return std::tanh(u); };
  return (sw2 * nested(t, t, q, c) + sb2) / q;
}

TEST(CorrelationFixedPoint, TanhDerivativeProductAgainstNestedQuadrature) {
  for (double q : {0.1, 1.0, 3.0}) {
    for (double c : {-0.7, 0.0, 0.4, 0.95, 1.0}) {
      EXPECT_NEAR(expected_derivative_product(act(Kind::tanh), q, q, c), nested(sech2, sech2, q, c),
                  1e-11)
          << q << " " << c;
    }
  }
}

// P(z1 > 0, c z1 + s z2 > 0) = int_0^inf Phi(c z1 / s) pdf(z1) dz1: a jump at the node
// 0, given half its value there, so the trapezoid error is O(h^2) = 1e-6 at h = 1e-3.
TEST(CorrelationFixedPoint, ReluDerivativeProductAgainstOneDimensionalIntegral) {
  for (double c : {-0.9, -0.3, 0.0, 0.5, 0.99}) {
    const double s = std::sqrt(1.0 - c * c);
    const double I = gauss_expect_step(
        [&](double z) {
          if (z < 0.0) return 0.0;
          const double v = 0.5 * std::erfc(-c * z / s / std::sqrt(2.0));
          return z == 0.0 ? 0.5 * v : v;
        },
        1.0, 1e-3, 12.0);
    EXPECT_NEAR(expected_derivative_product(act(Kind::relu), 2.0, 2.0, c), I, 1e-6) << c;
  }
  // leaky_relu at c = 1 is E[phi'^2] = (1 + s^2) / 2.
  EXPECT_NEAR(expected_derivative_product(act(Kind::leaky_relu, 0.2), 1.0, 1.0, 1.0), 0.52, 1e-15);
}

// chi_c(c) is the slope of the c-map: a central difference of correlation_map with
// step d agrees to O(d^2 M''') + O(1e-13 / d) (quadrature noise); d = 1e-4 gives < 1e-8.
TEST(CorrelationFixedPoint, ChiCIsTheSlopeOfTheMap) {
  const Activation f = act(Kind::tanh);
  const double sw2 = 2.0, sb2 = 0.05;
  const double q = fixed_point(f, sw2, sb2).q;
  for (double c : {0.0, 0.3, 0.6, 0.9}) {
    const double d = 1e-4;
    const double slope =
        (correlation_map(f, sw2, sb2, q, c + d) - correlation_map(f, sw2, sb2, q, c - d)) / (2 * d);
    EXPECT_NEAR(chi_c(f, sw2, q, c), slope, 1e-8) << c;
  }
}

// The case: tanh, sw2 = 2, sb2 = 0.05 is chaotic with a finite xi_c.
TEST(CorrelationFixedPoint, ChaoticFixedPointSolvesTheNestedMap) {
  const Activation f = act(Kind::tanh);
  const CorrelationFixedPoint p = correlation_fixed_point(f, 2.0, 0.05);
  ASSERT_EQ(p.phase, CorrelationPhase::chaotic);
  EXPECT_GT(p.chi1, 1.0);
  EXPECT_GT(p.c, 0.0);
  EXPECT_LT(p.c, 1.0);
  // M(c*) = c* with M from the independent rule; M' < 1 so the root's error is the
  // residual over (1 - chi_c).
  EXPECT_NEAR(tanh_map_nested(2.0, 0.05, p.q, p.c), p.c, 1e-11);
  EXPECT_LT(p.chi_c, 1.0);
  ASSERT_TRUE(p.xi_c.has_value());
  EXPECT_NEAR(*p.xi_c, -1.0 / std::log(p.chi_c), 1e-12);
}

// Iterating the map from either side approaches c* like chi_c^l: the per-layer log
// ratio of |c^l - c*| converges to ln chi_c (to O(|c^l - c*|) once close).
TEST(CorrelationFixedPoint, DepthScaleIsTheRateOfTheIteratedMap) {
  const Activation f = act(Kind::tanh);
  for (double sw2 : {0.9, 2.0}) {
    const double sb2 = 0.05;
    const CorrelationFixedPoint p = correlation_fixed_point(f, sw2, sb2);
    ASSERT_TRUE(p.xi_c.has_value()) << sw2;
    for (double c0 : {0.2, 0.99}) {
      const std::vector<double> c = correlation_trajectory(f, sw2, sb2, p.q, c0, 200);
      // Stop before |c - c*| reaches the 1e-13 noise of the rule.
      std::size_t l = 1;
      while (l + 1 < c.size() && std::fabs(c[l + 1] - p.c) > 1e-8) ++l;
      ASSERT_GT(l, 5u) << sw2 << " " << c0;
      const double rate = std::log(std::fabs(c[l] - p.c) / std::fabs(c[l - 1] - p.c));
      EXPECT_NEAR(rate, std::log(p.chi_c), 2e-3) << sw2 << " " << c0;
    }
  }
}

TEST(CorrelationFixedPoint, OrderedPhaseHasCStarOneAndChi1) {
  const CorrelationFixedPoint p = correlation_fixed_point(act(Kind::tanh), 1.2, 0.3);
  ASSERT_EQ(p.phase, CorrelationPhase::ordered);
  EXPECT_EQ(p.c, 1.0);
  EXPECT_DOUBLE_EQ(p.chi_c, p.chi1);
  EXPECT_NEAR(*p.xi_c, -1.0 / std::log(p.chi1), 1e-12);
  const CorrelationFixedPoint r = correlation_fixed_point(act(Kind::relu), 1.5, 0.1);
  ASSERT_EQ(r.phase, CorrelationPhase::ordered);
  EXPECT_DOUBLE_EQ(r.chi_c, 0.75);
  EXPECT_NEAR(r.q, 0.1 / (1.0 - 0.75), 1e-15);
}

TEST(CorrelationFixedPoint, TanhWithoutBiasIsChaoticAtZero) {
  const CorrelationFixedPoint p = correlation_fixed_point(act(Kind::tanh), 2.0, 0.0);
  ASSERT_EQ(p.phase, CorrelationPhase::chaotic);
  EXPECT_EQ(p.c, 0.0);  // the map is odd: M(0) = 0 (to the rule's 1e-13)
  const double e = gauss_expect(sech2, p.q);
  EXPECT_NEAR(p.chi_c, 2.0 * e * e, 1e-13);
}

TEST(CorrelationFixedPoint, DegenerateCasesHaveNoScale) {
  // ReLU with bias at sw2 = 2: q^l = q0 + l sb2, no fixed point (issue 16.3).
  const CorrelationFixedPoint relu_bias = correlation_fixed_point(act(Kind::relu), 2.0, 0.1);
  EXPECT_EQ(relu_bias.phase, CorrelationPhase::no_fixed_point);
  EXPECT_TRUE(std::isnan(relu_bias.c));
  EXPECT_FALSE(relu_bias.xi_c.has_value());
  EXPECT_EQ(correlation_fixed_point(act(Kind::relu), 1.0, 0.0).phase, CorrelationPhase::scale_free);
  EXPECT_EQ(correlation_fixed_point(act(Kind::linear), 1.0, 0.0).phase,
            CorrelationPhase::scale_free);
  EXPECT_EQ(correlation_fixed_point(act(Kind::tanh), 0.5, 0.0).phase, CorrelationPhase::scale_free);
  const double s = critical_sw2(act(Kind::tanh), 0.05);
  const CorrelationFixedPoint crit = correlation_fixed_point(act(Kind::tanh), s, 0.05);
  EXPECT_EQ(crit.phase, CorrelationPhase::critical);
  EXPECT_FALSE(crit.xi_c.has_value());
}

TEST(CorrelationFixedPoint, RejectsBadInput) {
  EXPECT_THROW(expected_derivative_product(act(Kind::tanh), 1.0, 1.0, 1.5), std::invalid_argument);
  EXPECT_THROW(expected_derivative_product(act(Kind::tanh), -1.0, 1.0, 0.5), std::invalid_argument);
  EXPECT_THROW(chi_c(act(Kind::tanh), -1.0, 1.0, 0.5), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::theory
