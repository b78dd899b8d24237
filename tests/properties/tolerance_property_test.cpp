// The numbers the bands are built from (laws.hpp, tolerance.hpp) checked against
// identities and against the values docs/theory.md §9-§10 states. If psi or psi1 were wrong,
// every band in the suite would be wrong with them.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

#include "properties/harness.hpp"
#include "properties/laws.hpp"
#include "properties/relu_law.hpp"
#include "properties/tolerance.hpp"

namespace initlab::properties {
namespace {

// x in [1/64, 64] on a grid of 1/64: the recurrences cross the switch to the
// asymptotic series at x = 10, which is where a wrong coefficient would show.
double gen_positive() { return static_cast<double>(gen_size("x * 64", 1, 4096)) / 64.0; }

RC_GTEST_PROP(FiniteWidthLaws, DigammaSatisfiesRecurrence, ()) {
  const double x = gen_positive();
  // psi(x + 1) - psi(x) = 1/x; both sides are O(1) sums with errors ~1e-14.
  RC_ASSERT(std::abs(digamma(x + 1.0) - digamma(x) - 1.0 / x) <= 1e-12 * (1.0 + 1.0 / x));
}

RC_GTEST_PROP(FiniteWidthLaws, TrigammaIsDerivativeOfDigamma, ()) {
  const double x = gen_positive();
  // psi1(x + 1) - psi1(x) = -1/x^2, and a central difference of psi (step 1e-4:
  // truncation psi'''(x) h^2 / 6 <= 1e-8 (1/x^4 + 1), rounding 1e-16 |psi| / h <= 1e-11).
  RC_ASSERT(std::abs(trigamma(x + 1.0) - trigamma(x) + 1.0 / (x * x)) <= 1e-11 / (x * x) + 1e-12);
  const double h = 1e-4 * x;
  const double fd = (digamma(x + h) - digamma(x - h)) / (2.0 * h);
  RC_ASSERT(std::abs(fd - trigamma(x)) <= 1e-6 * trigamma(x));
}

TEST(FiniteWidthLaws, KnownValues) {
  constexpr double euler_gamma = 0.57721566490153286;
  EXPECT_NEAR(digamma(1.0), -euler_gamma, 1e-14);
  EXPECT_NEAR(digamma(0.5), -euler_gamma - 2.0 * std::numbers::ln2, 1e-14);
  EXPECT_NEAR(trigamma(1.0), std::numbers::pi * std::numbers::pi / 6.0, 1e-13);
  EXPECT_NEAR(trigamma(0.5), std::numbers::pi * std::numbers::pi / 2.0, 1e-13);
  // The one-layer moments: E[R] = 1, E[R^2] = 1 + 2/n; E[Y] = 1, E[Y^2] = 1 + 5/n.
  for (std::size_t n : {1u, 2u, 64u, 513u}) {
    const double x = static_cast<double>(n);
    EXPECT_NEAR(linear_log_moment(n, 1.0), 0.0, 1e-12);
    EXPECT_NEAR(linear_log_moment(n, 2.0), std::log1p(2.0 / x), 1e-12);
    EXPECT_NEAR(relu_log_moment(n, 1.0), 0.0, 1e-10);
    EXPECT_NEAR(relu_log_moment(n, 2.0), std::log1p(5.0 / x), 1e-10);
  }
}

// The half-widths k sigma_L of docs/theory.md §10 (linear | ReLU): n = 64: 1.64 | 2.65
// at L = 2, 8.19 | 13.2 at L = 50; n = 512: 0.58 | 0.91 at L = 2, 2.88 | 4.56 at L = 50.
TEST(BandTolerance, HalfWidthsMatchTheory) {
  struct Row {
    std::size_t n, L;
    double linear, relu;
  };
  for (const Row r : {Row{64, 2, 1.64, 2.65}, Row{64, 50, 8.19, 13.2}, Row{512, 2, 0.58, 0.91},
                      Row{512, 50, 2.88, 4.56}}) {
    const std::vector<std::size_t> w(r.L, r.n);
    EXPECT_NEAR(kBandK * linear_band(w).sigma, r.linear, 0.006) << r.n << " " << r.L;
    EXPECT_NEAR(kBandK * relu_band(w).sigma, r.relu, 0.006 * r.relu) << r.n << " " << r.L;
  }
  // mu_L for linear: sum psi(n/2) - ln(n/2) ~ -sum (1/n + 1/(3 n^2)).
  const std::vector<std::size_t> w(10, 64);
  EXPECT_NEAR(linear_band(w).mu, -10.0 * (1.0 / 64 + 1.0 / (3 * 64.0 * 64)), 1e-6);
}

// The linear band's rigorous (Chernoff, any batch) failure bound is below the
// per-case budget over the whole range the properties draw from, including
// unequal widths.
RC_GTEST_PROP(BandTolerance, LinearFalseAlarmBelowBudget, ()) {
  const std::size_t depth = gen_size("depth", 1, 50);
  const auto widths = gen_widths(depth - 1, 64, 512);
  const double ln_bound = linear_false_alarm_log_bound(widths);
  RC_LOG() << "bound " << std::exp(ln_bound) << "\n";
  RC_ASSERT(ln_bound <= kLogCaseFailure);
}

// The exact ReLU band failure probabilities of docs/theory.md §10 (one input), from
// relu_law.hpp, against an independent computation (exact chi-square CDFs per cell,
// grid 5e-4, direct convolution): n = 64 at L = 1 and 2, the worst unequal pair, n = 512.
TEST(BandTolerance, ReluExactFailureMatchesConvolution) {
  struct Row {
    std::vector<std::size_t> widths;
    double p;
  };
  for (const Row& r : {Row{{64}, 1.552e-6}, Row{{64, 64}, 2.136e-7}, Row{{64, 512}, 9.073e-7},
                       Row{{512, 512}, 1.374e-9}}) {
    const Band b = relu_band(r.widths);
    EXPECT_NEAR(relu_band_outside_probability(r.widths, b.lo(), b.hi()), r.p, 1e-3 * r.p)
        << r.widths.size() << " " << r.widths.back();
  }
}

// The Chernoff optimiser returns a valid bound: never above any single s, and for
// a Gaussian (Lambda(s) = s^2/2) it finds the exact exponent -t^2/2.
RC_GTEST_PROP(FiniteWidthLaws, ChernoffFindsGaussianExponent, ()) {
  const double t = static_cast<double>(gen_size("t * 10", 1, 100)) / 10.0;
  const double ln_b = chernoff_log_bound([](double s) { return 0.5 * s * s; }, t, 1e-6, 20.0);
  RC_ASSERT(std::abs(ln_b + 0.5 * t * t) <= 1e-9 * (1.0 + t * t));
}

}  // namespace
}  // namespace initlab::properties
