#pragma once
// The exact finite-width laws of docs/theory.md §9 as numbers: digamma and
// trigamma, the log-moments of one layer's chi-square factor, and Chernoff
// bounds on sums of independent log-factors. tolerance.hpp turns them into the
// bands the properties assert; the derivations live there.
//
// One layer of a bias-free net with Gaussian weights, one input, m_l = |a^l|^2/n_l:
//   linear, Var W = 1/n_{l-1}:  m_l / m_{l-1} = chi2(n_l) / n_l            =: R_l
//   ReLU,   Var W = 2/n_{l-1}:  m_l / m_{l-1} = (2/n_l) chi2(K_l),
//                               K_l ~ Binomial(n_l, 1/2)                    =: Y_l
// and the factors of different layers are independent (each is independent of
// the layers below it, whatever a^{l-1} is). So ln(m_L / m_0) is a sum of L
// independent terms whose moment generating functions are known in closed form:
//   E[R^s] = (2/n)^s Gamma(n/2 + s) / Gamma(n/2)                  (s > -n/2)
//   E[Y^s] = sum_{k>=1} P(K = k) (4/n)^s Gamma(k/2 + s) / Gamma(k/2)   (s > 0)

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <numbers>
#include <span>
#include <vector>

namespace initlab::properties {

// psi(x) = d/dx ln Gamma(x), x > 0: the recurrence psi(x) = psi(x + 1) - 1/x up
// to x >= 20, then the asymptotic series to x^-10 (remainder 691/(32760 x^12) <
// 6e-18 at x = 20).
inline double digamma(double x) {
  double r = 0.0;
  while (x < 20.0) {
    r -= 1.0 / x;
    x += 1.0;
  }
  const double f = 1.0 / (x * x);
  return r + std::log(x) - 0.5 / x -
         f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
}

// psi1(x) = d/dx psi(x), x > 0: psi1(x) = psi1(x + 1) + 1/x^2 up to x >= 20,
// then 1/x + 1/(2x^2) + 1/(6x^3) - 1/(30x^5) + 1/(42x^7) - 1/(30x^9)
// (remainder 5/(66 x^11) < 4e-16 at x = 20).
inline double trigamma(double x) {
  double r = 0.0;
  while (x < 20.0) {
    r += 1.0 / (x * x);
    x += 1.0;
  }
  const double f = 1.0 / (x * x);
  return r + 1.0 / x + 0.5 * f + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30)));
}

// ln E[(chi2(n)/n)^s], s > -n/2.
inline double linear_log_moment(std::size_t n, double s) {
  const double h = 0.5 * static_cast<double>(n);
  return s * std::log(1.0 / h) + std::lgamma(h + s) - std::lgamma(h);
}

// ln E[Y^s], Y = (2/n) chi2(K), K ~ Binomial(n, 1/2), s > 0 (Y = 0 when K = 0).
inline double relu_log_moment(std::size_t n, double s) {
  const double nd = static_cast<double>(n);
  const double ln_half_n = nd * std::log(0.5);
  double best = -std::numeric_limits<double>::infinity();
  std::vector<double> terms(n + 1);
  for (std::size_t k = 1; k <= n; ++k) {
    const double kd = static_cast<double>(k);
    const double ln_pmf =
        std::lgamma(nd + 1) - std::lgamma(kd + 1) - std::lgamma(nd - kd + 1) + ln_half_n;
    terms[k] = ln_pmf + s * std::log(4.0 / nd) + std::lgamma(0.5 * kd + s) - std::lgamma(0.5 * kd);
    if (terms[k] > best) best = terms[k];
  }
  double sum = 0.0;
  for (std::size_t k = 1; k <= n; ++k) sum += std::exp(terms[k] - best);
  return best + std::log(sum);
}

// ln of the Chernoff bound inf_{s in [lo, hi]} E[e^{s X}] e^{-s t} for
// P(X >= t), given Lambda(s) = ln E[e^{s X}] (convex in s, so the exponent
// Lambda(s) - s t is convex and golden-section search finds its minimum on
// [lo, hi] to 1e-9 in s). Any s in the interval gives a valid bound; the search
// only makes it sharper. For P(X <= -t) pass s -> Lambda(-s).
inline double chernoff_log_bound(const std::function<double(double)>& log_mgf, double t,
                                 double lo, double hi) {
  const double g = 0.5 * (std::sqrt(5.0) - 1.0);
  auto f = [&](double s) { return log_mgf(s) - s * t; };
  double a = lo, b = hi;
  double c = b - g * (b - a), d = a + g * (b - a);
  double fc = f(c), fd = f(d);
  while (b - a > 1e-9 * (1.0 + b)) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  const double best = std::min({f(lo), f(hi), fc, fd});
  return std::min(best, 0.0);  // a probability is at most 1
}

// Laurent & Massart (2000), Lemma 1: for a_i >= 0 and xi_i iid N(0, 1), the sum
// X = sum_i a_i xi_i^2 (mean sum_a = sum a_i, l2 = |a|_2, linf = max a_i) satisfies
//   P(X - sum_a >= 2 l2 sqrt(x) + 2 linf x) <= e^{-x},  P(sum_a - X >= 2 l2 sqrt(x)) <= e^{-x}.
// chi2(k) is a_i = 1 (l2 = sqrt(k), linf = 1). Any l2, linf at least the true ones also hold.
struct Interval {
  double lo = 0.0, hi = 0.0;  // each side fails with probability <= e^{-x}
};
inline Interval gaussian_quadratic_interval(double sum_a, double l2, double linf, double x) {
  return {std::max(0.0, sum_a - 2.0 * l2 * std::sqrt(x)), sum_a + 2.0 * l2 * std::sqrt(x) + 2.0 * linf * x};
}

// Hoeffding (1963), Theorem 1: the mean U of n independent variables in [0, 1] with
// mean p satisfies P(U >= p + t) <= exp(-n KL(p + t || p)) and P(U <= p - t) <=
// exp(-n KL(p - t || p)), KL the Bernoulli divergence. The u at which the bound
// reaches e^{ln_p} on each side, by bisection (KL(u || p) is monotone on each side of p).
inline double bernoulli_kl(double u, double p) {
  auto term = [](double a, double b) { return a > 0.0 ? a * std::log(a / b) : 0.0; };
  return term(u, p) + term(1.0 - u, 1.0 - p);
}
inline Interval bounded_mean_interval(double p, std::size_t n, double ln_p) {
  const double need = -ln_p / static_cast<double>(n);
  auto solve = [&](double a, double b) {  // KL(a || p) < need <= KL(b || p), or b the end
    if (bernoulli_kl(b, p) < need) return b;
    for (int i = 0; i < 100; ++i) {
      const double m = 0.5 * (a + b);
      (bernoulli_kl(m, p) < need ? a : b) = m;
    }
    return b;
  };
  return {solve(p, 0.0), solve(p, 1.0)};
}

// Sum over the layers of a per-layer log-moment: ln E[prod_l F_l^s] for
// independent factors of widths `widths`.
inline double sum_log_moments(double (*per_layer)(std::size_t, double),
                              std::span<const std::size_t> widths, double s) {
  double total = 0.0;
  for (std::size_t n : widths) total += per_layer(n, s);
  return total;
}

}  // namespace initlab::properties
