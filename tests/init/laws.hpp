#pragma once
// Test helpers for tests/init: the exact law of one weight entry, and checks of a
// drawn matrix's sample mean and variance whose tolerances come from the
// distribution of each statistic. Each check fails with probability <= kDelta =
// 5e-7, so a case that checks the mean and the variance fails w.p. <= 1e-6.
//
// For N i.i.d. entries x_i with mean mu, variance s2, fourth central moment mu4:
//   M = (1/N) sum x_i              E M = mu,  Var M = s2 / N
//   V = (1/N) sum (x_i - mu)^2     E V = s2,  Var V = (mu4 - s2^2) / N
// (V is taken about the stated mean mu, so it is an average of i.i.d. terms.)
//  - Gaussian entries: M ~ N(mu, s2/N) exactly: |M - mu| <= z sqrt(s2/N) with
//    z = Phi^{-1}(1 - kDelta/2) = 5.02631 (5.0264 used). N V / s2 ~ chi2_N exactly, and Laurent &
//    Massart (2000, Lemma 1): P(chi2_N - N >= 2 sqrt(N x) + 2x) <= e^-x,
//    P(N - chi2_N >= 2 sqrt(N x)) <= e^-x; with x = ln(2/kDelta) both together
//    fail w.p. <= kDelta. (mu4 = 3 s2^2 is what makes Var V = 2 s2^2 / N.)
//  - Bounded entries, |x - mu| <= R (uniform, truncated normal): Bernstein's
//    inequality for a mean of i.i.d. y with variance v and |y - E y| <= c,
//      P(|mean - E y| >= t) <= 2 exp(-N t^2 / (2 (v + c t / 3))),
//    solved at 2 exp(...) = kDelta, x = ln(2/kDelta):
//      t = (x c/3 + sqrt((x c/3)^2 + 2 N v x)) / N.
//    For M: y = x_i, v = s2, c = R. For V: y = (x_i - mu)^2, v = mu4 - s2^2 (the exact
//    fourth moment of the law), c = max(R^2 - s2, s2). Rigorous for every N.
// Float draws differ from the real-valued law only by rounding (relative 6e-8) and
// the 2^-24 grid of the uniforms, far below the tolerances used (>= 1e-3).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "init/initializer.hpp"
#include "random/stream.hpp"

namespace initlab::init::testing {

constexpr double kDelta = 5e-7;
constexpr double kZ = 5.0264;  // >= Phi^{-1}(1 - kDelta / 2) = 5.026313

struct EntryLaw {
  double mean = 0.0;
  double variance = 0.0;
  double mu4 = 0.0;  // fourth central moment
  double radius = std::numeric_limits<double>::infinity();  // |x - mean| <= radius
  bool gaussian = false;
};

inline EntryLaw normal_law(double sd) {
  return {0.0, sd * sd, 3.0 * sd * sd * sd * sd, std::numeric_limits<double>::infinity(), true};
}

inline EntryLaw uniform_law(double a) {  // U(-a, a)
  return {0.0, a * a / 3.0, a * a * a * a / 5.0, a, false};
}

// sd * (Z | a <= Z <= b): raw moments of the truncated standard normal from
// E Z^k = (k - 1) E Z^{k-2} + (a^{k-1} phi(a) - b^{k-1} phi(b)) / P,
// P = Phi(b) - Phi(a) (Johnson, Kotz & Balakrishnan vol. 1, ch. 13), then central ones.
inline EntryLaw truncated_law(double sd, double a, double b) {
  const auto phi = [](double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI); };
  const auto cdf = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
  const double p = cdf(b) - cdf(a);
  const double fa = phi(a), fb = phi(b);
  const double m1 = (fa - fb) / p;
  const double m2 = 1.0 + (a * fa - b * fb) / p;
  const double m3 = 2.0 * m1 + (a * a * fa - b * b * fb) / p;
  const double m4 = 3.0 * m2 + (a * a * a * fa - b * b * b * fb) / p;
  const double var = m2 - m1 * m1;
  const double c4 = m4 - 4.0 * m1 * m3 + 6.0 * m1 * m1 * m2 - 3.0 * m1 * m1 * m1 * m1;
  const double s2 = sd * sd;
  return {sd * m1, s2 * var, s2 * s2 * c4, sd * std::max(b - m1, m1 - a), false};
}

inline double log_inv_delta(double delta = kDelta) { return std::log(2.0 / delta); }

inline double bernstein_halfwidth(double n, double v, double c, double delta = kDelta) {
  const double x = log_inv_delta(delta);
  return (x * c / 3.0 + std::sqrt((x * c / 3.0) * (x * c / 3.0) + 2.0 * n * v * x)) / n;
}

template <class T>
::testing::AssertionResult mean_matches(std::span<const T> w, const EntryLaw& law) {
  const double n = static_cast<double>(w.size());
  double sum = 0.0;
  for (T x : w) sum += static_cast<double>(x);
  const double m = sum / n;
  const double t = law.gaussian ? kZ * std::sqrt(law.variance / n)
                                : bernstein_halfwidth(n, law.variance, law.radius);
  if (std::abs(m - law.mean) <= t) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "sample mean " << m << " of " << w.size()
                                       << " entries is not within " << t << " of " << law.mean;
}

template <class T>
::testing::AssertionResult variance_matches(std::span<const T> w, const EntryLaw& law) {
  const double n = static_cast<double>(w.size());
  double ss = 0.0;
  for (T x : w) {
    const double d = static_cast<double>(x) - law.mean;
    ss += d * d;
  }
  const double v = ss / n;
  double lo = 0.0, hi = 0.0;
  if (law.gaussian) {
    const double x = log_inv_delta();
    lo = law.variance * (1.0 - 2.0 * std::sqrt(x / n));
    hi = law.variance * (1.0 + 2.0 * std::sqrt(x / n) + 2.0 * x / n);
  } else {
    const double r2 = law.radius * law.radius;
    const double t = bernstein_halfwidth(n, law.mu4 - law.variance * law.variance,
                                         std::max(r2 - law.variance, law.variance));
    lo = law.variance - t;
    hi = law.variance + t;
  }
  if (lo <= v && v <= hi) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "sample variance " << v << " of " << w.size()
                                       << " entries is outside [" << lo << ", " << hi
                                       << "] around " << law.variance;
}

// |stated - exact| <= rel * max(|exact|, floor): stated moments equal the law's to rounding.
inline ::testing::AssertionResult close(double stated, double exact, double floor,
                                        double rel = 1e-12) {
  if (std::abs(stated - exact) <= rel * std::max(std::abs(exact), floor)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "stated " << stated << " != exact " << exact;
}

// One draw of a rule (or an Initializer) into a fresh (s.out, s.in) buffer.
template <class T, class Rule>
std::vector<T> draw(const Rule& rule, FanShape s, const random::Stream& rng) {
  std::vector<T> w(s.size());
  rule(std::span<T>(w), s, rng);
  return w;
}

// The rule states the law's moments (to rounding) and one draw matches them:
// four checks; the two statistical ones fail w.p. <= 2 kDelta = 1e-6 together.
template <class T, class Rule>
::testing::AssertionResult matches_law(const Rule& rule, FanShape s, const EntryLaw& law,
                                       const random::Stream& rng) {
  const Moments m = rule.moments(s);
  const double floor = std::sqrt(law.variance);
  if (auto r = close(m.mean, law.mean, floor); !r) return r << " (mean)";
  if (auto r = close(m.variance, law.variance, law.variance); !r) return r << " (variance)";
  const std::vector<T> w = testing::draw<T>(rule, s, rng);
  if (auto r = mean_matches<T>(w, law); !r) return r;
  return variance_matches<T>(w, law);
}

// The law of one entry, written from the Keras / JAX definition of variance_scaling
// (0.87962566103423978 is the std of N(0, 1) truncated to [-2, 2]).
inline constexpr double kKerasStd = 0.87962566103423978;
inline EntryLaw keras_law(const VarianceScaling& r, FanShape s) {
  const double v = r.scale / fan(s, r.mode);
  switch (r.distribution) {
    case Distribution::normal: return normal_law(std::sqrt(v));
    case Distribution::uniform: return uniform_law(std::sqrt(3.0 * v));
    case Distribution::truncated_normal: return truncated_law(std::sqrt(v) / kKerasStd, -2.0, 2.0);
  }
  return {};
}

}  // namespace initlab::init::testing
