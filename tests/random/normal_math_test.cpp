// normal_pdf, normal_cdf, normal_mass, normal_quantile and
// truncated_normal_moments against closed forms and published constants.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "random/normal_math.hpp"

namespace initlab::random {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(NormalMath, PdfAndCdfKnownValues) {
  EXPECT_DOUBLE_EQ(normal_pdf(0.0), 1.0 / std::sqrt(2.0 * std::numbers::pi));
  EXPECT_DOUBLE_EQ(normal_pdf(1.5), normal_pdf(-1.5));
  EXPECT_EQ(normal_cdf(0.0), 0.5);
  EXPECT_NEAR(normal_cdf(1.959963984540054), 0.975, 1e-15);
  // Phi(-10) = 7.6198530241605e-24 (deep tail, relative accuracy).
  EXPECT_NEAR(normal_cdf(-10.0) / 7.6198530241604696e-24, 1.0, 1e-13);
  EXPECT_EQ(normal_cdf(-kInf), 0.0);
  EXPECT_EQ(normal_cdf(kInf), 1.0);
}

TEST(NormalMath, MassUsesTheAccurateSide) {
  EXPECT_NEAR(normal_mass(-kInf, kInf), 1.0, 1e-16);
  EXPECT_NEAR(normal_mass(-2.0, 2.0), 0.9544997361036416, 1e-15);
  // Upper tail: Phi(-8) - Phi(-9) without cancellation against 1.
  const double tail = normal_cdf(-8.0) - normal_cdf(-9.0);
  EXPECT_NEAR(normal_mass(8.0, 9.0) / tail, 1.0, 1e-14);
  EXPECT_NEAR(normal_mass(-9.0, -8.0) / tail, 1.0, 1e-14);
}

// Phi(Phi^{-1}(p)) = p over the three branches of AS241, including p ~ 1e-300.
TEST(NormalMath, QuantileInvertsCdf) {
  for (double p : {1e-300, 1e-100, 1e-20, 1e-12, 1e-6, 0.01, 0.05, 0.075, 0.2, 0.5, 0.7, 0.9,
                   0.925, 0.99, 1.0 - 1e-9}) {
    const double x = normal_quantile(p);
    // Relative error of p from a relative error e of x is ~ |x phi(x) / Phi(x)| e.
    EXPECT_NEAR(normal_cdf(x) / p, 1.0, 1e-14 * (1.0 + x * x)) << "p = " << p;
  }
  EXPECT_EQ(normal_quantile(0.5), 0.0);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-15);
  EXPECT_DOUBLE_EQ(normal_quantile(0.1), -normal_quantile(0.9));
  EXPECT_EQ(normal_quantile(0.0), -kInf);
  EXPECT_EQ(normal_quantile(1.0), kInf);
  EXPECT_THROW(normal_quantile(-0.1), std::invalid_argument);
  EXPECT_THROW(normal_quantile(1.5), std::invalid_argument);
  EXPECT_THROW(normal_quantile(std::nan("")), std::invalid_argument);
}

// Keras's truncated_normal divides by 0.87962566103423978, the std of N(0, 1)
// restricted to [-2, 2].
TEST(NormalMath, TruncatedMomentsReproduceKerasConstant) {
  const auto m = truncated_normal_moments(-2.0, 2.0);
  EXPECT_NEAR(m.mean, 0.0, 1e-17);
  EXPECT_NEAR(std::sqrt(m.variance), 0.87962566103423978, 1e-15);
}

TEST(NormalMath, TruncatedMomentsClosedForms) {
  // Half-normal: mean sqrt(2/pi), variance 1 - 2/pi.
  const auto half = truncated_normal_moments(0.0, kInf);
  EXPECT_NEAR(half.mean, std::sqrt(2.0 / std::numbers::pi), 1e-15);
  EXPECT_NEAR(half.variance, 1.0 - 2.0 / std::numbers::pi, 1e-15);
  const auto full = truncated_normal_moments(-kInf, kInf);
  EXPECT_NEAR(full.mean, 0.0, 1e-16);
  EXPECT_NEAR(full.variance, 1.0, 1e-15);
  // A narrow interval is nearly uniform: variance -> width^2 / 12.
  const auto narrow = truncated_normal_moments(-1e-3, 1e-3);
  EXPECT_NEAR(narrow.variance / (4e-6 / 12.0), 1.0, 1e-6);
  // Mirror symmetry.
  const auto up = truncated_normal_moments(1.0, 3.0);
  const auto down = truncated_normal_moments(-3.0, -1.0);
  EXPECT_DOUBLE_EQ(up.mean, -down.mean);
  EXPECT_NEAR(up.variance, down.variance, 1e-15);
  // Far tail [a, inf): mean ~ a + 1/a, variance ~ 1/a^2 (Mills ratio).
  const auto far = truncated_normal_moments(10.0, kInf);
  EXPECT_NEAR(far.mean, 10.0 + 1.0 / 10.0, 2e-3);
  EXPECT_NEAR(far.variance, 1.0 / 100.0, 1e-3);
}

// Against a midpoint rule with 2e6 cells on [a, b]; error O(h^2) ~ 1e-12.
TEST(NormalMath, TruncatedMomentsMatchQuadrature) {
  for (auto [a, b] : {std::pair{-2.0, 2.0}, {-0.5, 3.0}, {1.0, 4.0}, {-6.0, -2.5}}) {
    const int cells = 2000000;
    const double h = (b - a) / cells;
    double z0 = 0.0, z1 = 0.0, z2 = 0.0;
    for (int i = 0; i < cells; ++i) {
      const double x = a + (i + 0.5) * h;
      const double w = normal_pdf(x) * h;
      z0 += w;
      z1 += w * x;
      z2 += w * x * x;
    }
    const double mean = z1 / z0;
    const auto m = truncated_normal_moments(a, b);
    EXPECT_NEAR(m.mean, mean, 1e-9) << a << " " << b;
    EXPECT_NEAR(m.variance, z2 / z0 - mean * mean, 1e-9) << a << " " << b;
  }
}

TEST(NormalMath, TruncatedMomentsRejectBadIntervals) {
  EXPECT_THROW(truncated_normal_moments(1.0, 1.0), std::invalid_argument);
  EXPECT_THROW(truncated_normal_moments(2.0, -2.0), std::invalid_argument);
  EXPECT_THROW(truncated_normal_moments(std::nan(""), 1.0), std::invalid_argument);
  EXPECT_THROW(truncated_normal_moments(40.0, 50.0), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::random
