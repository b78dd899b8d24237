#pragma once
// Test helpers for tests/random: the exact moments of the laws Stream draws
// from, and tolerances for sample statistics derived from the distribution of
// each statistic, each failing with probability at most `delta`.
//
// Statistics of a sample x_1..x_n (i.i.d. by construction of the stream):
//   M = (1/n) sum x_i                  (sample mean)
//   V = (1/n) sum (x_i - mu)^2         (variance about the known mean mu)
//   D = sup_x |F_n(x) - F(x)|          (Kolmogorov-Smirnov distance)
// E[M] = mu, Var(M) = s2 / n; E[V] = s2, Var(V) = (mu4 - s2^2) / n.
//  - Bounded support, |x - mu| <= R: Bernstein's inequality for a mean of
//    i.i.d. variables with |y - E y| <= c and variance v,
//      P(|mean - E y| >= t) <= 2 exp(-n t^2 / (2 (v + c t / 3))),
//    solved for t at 2 exp(...) = delta, x = ln(2 / delta):
//      t = (x c / 3 + sqrt((x c / 3)^2 + 2 n v x)) / n.
//    For M: y = x_i, v = s2, c = R. For V: y = (x_i - mu)^2, v = mu4 - s2^2,
//    c = max(R^2 - s2, s2). Rigorous for any n.
//  - Normal law: M ~ N(mu, s2 / n) exactly, so t = z s / sqrt(n) with
//    z = Phi^{-1}(1 - delta / 2); n V / s2 ~ chi2_n exactly, and Laurent &
//    Massart (2000, Lemma 1) give P(chi2_n - n >= 2 sqrt(n x) + 2 x) <= e^-x and
//    P(n - chi2_n >= 2 sqrt(n x)) <= e^-x; with x = ln(2 / delta) both sides
//    together fail w.p. <= delta: t = s2 (2 sqrt(n x) + 2 x) / n.
//  - Truncated normal with an infinite bound: normal approximation of M and V
//    (n >= 2^20, far beyond the 10^4 where it is accurate at these levels), with
//    z = Phi^{-1}(1 - delta / 2) standard errors.
//  - D: the Dvoretzky-Kiefer-Wolfowitz inequality with Massart's constant,
//    P(D > e) <= 2 exp(-2 n e^2) for every n and every F, so
//    e = sqrt(ln(2 / delta) / (2 n)).
// The generated laws differ from the ideal ones only by the resolution of the
// uniforms (2^-24 for float, 2^-53 for double) and, for the float normal, a
// cutoff at |z| = 5.9 (mass 4e-9): shifts of order 1e-7, far below the
// tolerances at n = 2^20 (~3e-3).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <vector>

#include "random/normal_math.hpp"

namespace initlab::random::testing {

struct Law {
  double mean = 0.0;
  double variance = 0.0;
  double mu4 = 0.0;  // fourth central moment
  double lo = -std::numeric_limits<double>::infinity();  // support
  double hi = std::numeric_limits<double>::infinity();
  bool normal = false;
  std::function<double(double)> cdf;
};

inline Law uniform_law(double lo, double hi) {
  const double w = hi - lo;
  Law law;
  law.mean = 0.5 * (lo + hi);
  law.variance = w * w / 12.0;
  law.mu4 = w * w * w * w / 80.0;
  law.lo = lo;
  law.hi = hi;
  law.cdf = [lo, w](double x) { return std::clamp((x - lo) / w, 0.0, 1.0); };
  return law;
}

inline Law normal_law(double mean, double std) {
  const double s2 = std * std;
  Law law;
  law.mean = mean;
  law.variance = s2;
  law.mu4 = 3.0 * s2 * s2;
  law.normal = true;
  law.cdf = [mean, std](double x) { return normal_cdf((x - mean) / std); };
  return law;
}

// std Z, Z ~ N(0, 1) restricted to [a, b]. Raw moments m_k = E Z^k from the
// recursion m_k = (k - 1) m_{k-2} + (a^{k-1} phi(a) - b^{k-1} phi(b)) / P,
// P = Phi(b) - Phi(a) (integration by parts of z^{k-1} phi(z)).
inline Law truncated_law(double std, double a, double b) {
  const double P = normal_mass(a, b);
  auto edge = [](double x, int k) { return std::isinf(x) ? 0.0 : std::pow(x, k) * normal_pdf(x); };
  double m[5];
  m[0] = 1.0;
  m[1] = (edge(a, 0) - edge(b, 0)) / P;
  for (int k = 2; k <= 4; ++k) m[k] = (k - 1) * m[k - 2] + (edge(a, k - 1) - edge(b, k - 1)) / P;
  const double mu = m[1];
  const double var = m[2] - mu * mu;
  const double c4 = m[4] - 4 * mu * m[3] + 6 * mu * mu * m[2] - 3 * mu * mu * mu * mu;
  const double s2 = std * std;
  Law law;
  law.mean = std * mu;
  law.variance = s2 * var;
  law.mu4 = s2 * s2 * c4;
  law.lo = std * a;
  law.hi = std * b;
  law.cdf = [std, a, P](double x) { return std::clamp(normal_mass(a, x / std) / P, 0.0, 1.0); };
  return law;
}

struct Tolerance {
  double mean = 0.0;
  double variance = 0.0;
  double ks = 0.0;
};

inline double bernstein(double n, double v, double c, double delta) {
  const double x = std::log(2.0 / delta);
  return (x * c / 3.0 + std::sqrt(x * c / 3.0 * (x * c / 3.0) + 2.0 * n * v * x)) / n;
}

inline Tolerance tolerance(const Law& law, std::size_t count, double delta) {
  const double n = static_cast<double>(count);
  const double s2 = law.variance;
  const double x = std::log(2.0 / delta);
  const double z = -normal_quantile(delta / 2.0);
  Tolerance t;
  t.ks = std::sqrt(x / (2.0 * n));
  if (std::isfinite(law.lo) && std::isfinite(law.hi)) {
    const double R = std::max(law.hi - law.mean, law.mean - law.lo);
    t.mean = bernstein(n, s2, R, delta);
    t.variance = bernstein(n, law.mu4 - s2 * s2, std::max(R * R - s2, s2), delta);
  } else if (law.normal) {
    t.mean = z * std::sqrt(s2 / n);
    t.variance = s2 * (2.0 * std::sqrt(n * x) + 2.0 * x) / n;
  } else {
    t.mean = z * std::sqrt(s2 / n);
    t.variance = z * std::sqrt((law.mu4 - s2 * s2) / n);
  }
  return t;
}

struct Sample {
  double mean = 0.0;
  double variance_about_mu = 0.0;  // V above
  double ks = 0.0;
  double min = 0.0;
  double max = 0.0;
};

template <class T>
Sample summarize(const std::vector<T>& x, const Law& law) {
  Sample s;
  std::vector<double> sorted(x.begin(), x.end());
  const double n = static_cast<double>(sorted.size());
  double sum = 0.0;
  double sq = 0.0;
  for (double v : sorted) {
    sum += v;
    sq += (v - law.mean) * (v - law.mean);
  }
  s.mean = sum / n;
  s.variance_about_mu = sq / n;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const double F = law.cdf(sorted[i]);
    s.ks = std::max({s.ks, static_cast<double>(i + 1) / n - F, F - static_cast<double>(i) / n});
  }
  s.min = sorted.front();
  s.max = sorted.back();
  return s;
}

}  // namespace initlab::random::testing
