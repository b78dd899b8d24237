// The correlation map (lib/theory/correlation.cpp): the arc-cosine kernel, its
// depth law, and the tanh c-map's slope at c = 1 (= chi_1).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "theory/meanfield.hpp"

namespace initlab::theory {
namespace {

using Kind = Activation::Kind;
Activation act(Kind k, double slope = 0.01) { return Activation{k, slope}; }
const double kPi = std::numbers::pi;

double Phi(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
double pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * kPi); }

// Independent check of the arc-cosine kernel: with u2 = c z1 + s z2,
// E[relu(z1) relu(u2)] = int_0^inf z1 [c z1 Phi(c z1/s) + s pdf(c z1/s)] pdf(z1) dz1,
// a 1-D integral with a kink only at the node 0 (rule error ~ h^2/12 * s pdf(0)^2).
TEST(Correlation, ArcCosineKernelAgainstOneDimensionalIntegral) {
  for (double c : {-0.95, -0.5, 0.0, 0.3, 0.8, 0.99}) {
    const double s = std::sqrt(1.0 - c * c);
    const double h = 1e-3;
    const double I = gauss_expect_step(
        [&](double z) {
          if (z <= 0.0) return 0.0;
          const double m = c * z;
          return z * (m * Phi(m / s) + s * pdf(m / s));
        },
        1.0, h, 12.0);
    EXPECT_NEAR(expected_product(act(Kind::relu), 1.0, 1.0, c), I, 1e-7) << c;
  }
}

TEST(Correlation, ClosedFormsAtSpecialPoints) {
  const Activation relu = act(Kind::relu);
  EXPECT_DOUBLE_EQ(expected_product(relu, 2.0, 2.0, 1.0), 1.0);                // q/2
  EXPECT_DOUBLE_EQ(expected_product(relu, 2.0, 2.0, 0.0), 2.0 / (2.0 * kPi));  // mean^2
  EXPECT_NEAR(expected_product(relu, 2.0, 2.0, -1.0), 0.0, 1e-16);
  EXPECT_DOUBLE_EQ(relu_correlation_map(1.0), 1.0);
  EXPECT_DOUBLE_EQ(relu_correlation_map(0.0), 1.0 / kPi);
  const Activation leaky = act(Kind::leaky_relu, 0.3);
  EXPECT_NEAR(expected_product(leaky, 1.5, 1.5, 1.0), second_moment(leaky, 1.5), 1e-15);
  const double mean = moments(leaky, 1.5).mean;
  EXPECT_NEAR(expected_product(leaky, 1.5, 1.5, 0.0), mean * mean, 1e-15);
  EXPECT_DOUBLE_EQ(expected_product(act(Kind::linear), 4.0, 1.0, 0.25), 0.5);
}

TEST(Correlation, ReluMapMatchesGeneralMapAtAnyLength) {
  for (double q : {0.0, 0.5, 3.0}) {
    for (double c : {-0.5, 0.2, 0.9}) {
      EXPECT_NEAR(correlation_map(act(Kind::relu), 2.0, 0.0, q, c), relu_correlation_map(c), 1e-15);
    }
  }
}

// docs/theory.md §5.4: at criticality 1 - c^l ~ 9 pi^2 / (2 l^2). The ratio approaches 1 from
// below (measured 0.9711 at l = 1e3, 0.9964 at l = 1e4: the gap shrinks ~8x per decade).
TEST(Correlation, ReluInputsBecomeCollinearWithDepth) {
  const std::vector<double> c = correlation_trajectory(act(Kind::relu), 2.0, 0.0, 1.0, 0.0, 10001);
  auto ratio = [&](std::size_t l) {
    const auto L = static_cast<double>(l);
    return (1.0 - c[l]) / (9.0 * kPi * kPi / (2.0 * L * L));
  };
  EXPECT_GT(ratio(1000), 0.96);
  EXPECT_LT(ratio(1000), 1.0);
  EXPECT_GT(ratio(10000), 0.995);
  EXPECT_LT(ratio(10000), 1.0);
  EXPECT_LT(1.0 - ratio(10000), (1.0 - ratio(1000)) / 5.0);
}

// Schoenholz et al. 2017 section 3: dc^{l+1}/dc^l at c = 1 equals chi_1 (at q = q*).
TEST(Correlation, TanhMapSlopeAtOneIsChi1) {
  const Activation f = act(Kind::tanh);
  const FixedPoint p = fixed_point(f, 1.5, 0.05);
  EXPECT_NEAR(correlation_map(f, 1.5, 0.05, p.q, 1.0), 1.0, 1e-13);
  // (1 - m(1 - d)) / d = chi_1 + O(d) (curvature) + O(2e-13 / d) (quadrature).
  const double d = 1e-5;
  const double slope = (1.0 - correlation_map(f, 1.5, 0.05, p.q, 1.0 - d)) / d;
  EXPECT_NEAR(slope, p.chi1, 1e-4);
  // Ordered phase: correlations converge to 1.
  const std::vector<double> c = correlation_trajectory(f, 1.5, 0.05, p.q, 0.2, 400);
  EXPECT_GT(c.back(), 1.0 - 1e-9);
}

TEST(Correlation, SigmoidThroughTanhMatchesDirectQuadrature) {
  auto sig = [](double u) { return 1.0 / (1.0 + std::exp(-u)); };
  for (double c : {-0.6, 0.1, 0.95}) {
    const double direct =
        gauss_expect2([&](double a, double b) { return sig(a) * sig(b); }, 2.0, 2.0, c);
    EXPECT_NEAR(expected_product(act(Kind::sigmoid), 2.0, 2.0, c), direct, 1e-13) << c;
  }
}

TEST(Correlation, LinearMap) {
  EXPECT_DOUBLE_EQ(correlation_map(act(Kind::linear), 1.0, 0.0, 2.0, 0.3), 0.3);
  EXPECT_DOUBLE_EQ(correlation_map(act(Kind::linear), 1.0, 1.0, 2.0, 0.5), 2.0 / 3.0);
}

TEST(Correlation, RejectsUndefinedCases) {
  EXPECT_THROW(correlation_map(act(Kind::tanh), 1.0, 0.0, 0.0, 0.5), std::invalid_argument);
  EXPECT_THROW(correlation_map(act(Kind::tanh), 1.0, 0.0, 1.0, 1.1), std::invalid_argument);
  EXPECT_THROW(expected_product(act(Kind::relu), -1.0, 1.0, 0.5), std::invalid_argument);
  EXPECT_THROW(relu_correlation_map(-2.0), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::theory
