#pragma once
// The exact one-step laws of a full ReLU residual block and of a tanh residual
// block, and the intervals they put around the recursion's factor (docs/theory.md
// §29, §31). For one input x and the
// block x' = x + alpha V relu(W x), W ~ N(0, sw2/n), V ~ N(0, sv2/n), both (n, n):
//   R = |x'|^2 / |x|^2 = (1 + alpha tau g)^2 + alpha^2 tau^2 C,
//   tau^2 = sv2 sw2 S / n^2,  S = sum_{i=1..n} relu(xi_i)^2,  g ~ N(0, 1),  C ~ chi2(n - 1),
// with xi, g, C independent and the law the same for every x, so
// E[R] = 1 + alpha^2 sw2 sv2 / 2, the recursion's factor (docs/theory.md §26).
// Each of S, C and |g| is bounded with failure probability delta / 3; together they
// bound R with failure probability at most delta.

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "properties/laws.hpp"

namespace initlab::properties {

// ln E[e^{l relu(xi)^2}] = ln(1/2 + (1/2)(1 - 2l)^{-1/2}), l < 1/2.
inline double relu_square_log_mgf(double l) { return std::log(0.5 + 0.5 / std::sqrt(1.0 - 2.0 * l)); }

// The smallest a >= E[X] whose Chernoff bound ln P(X >= a) is <= ln_p, by bisection
// (the bound decreases in a); log_mgf on [lo, hi] as chernoff_log_bound takes it.
template <class F>
double chernoff_threshold(F log_mgf, double mean, double scale, double ln_p, double lo, double hi) {
  double a = mean, b = mean + scale;
  while (chernoff_log_bound(log_mgf, b, lo, hi) > ln_p) b += scale;
  for (int i = 0; i < 100; ++i) {
    const double m = 0.5 * (a + b);
    (chernoff_log_bound(log_mgf, m, lo, hi) > ln_p ? a : b) = m;
  }
  return b;
}

struct ResidualStepInterval {
  double lo = 0.0, hi = 0.0;  // R lies in [lo, hi] except with probability delta
  double s_hi = 0.0;          // the bound on S it used
};

// The interval for R of one block at width n (docs/theory.md §29), C ~ chi2(c_dof):
// n - 1 forward; n - 3 for the pre-LayerNorm block's backward step (§34), whose law
// is the same with |g| <= z standing for rho |g| (rho <= 1, the worst case both ways).
inline ResidualStepInterval residual_step_interval(std::size_t n, std::size_t c_dof, double alpha, double sw2,
                                                   double sv2, double delta) {
  const double nd = static_cast<double>(n), k = static_cast<double>(c_dof);
  const double ln_p = std::log(delta / 6.0);  // each of the six one-sided tails
  auto up = [&](double s) { return nd * relu_square_log_mgf(s); };
  auto down = [&](double s) { return nd * relu_square_log_mgf(-s); };
  const double s_hi = chernoff_threshold(up, 0.5 * nd, 0.5 * nd, ln_p, 1e-9, 0.5 - 1e-9);
  const double s_lo = -chernoff_threshold(down, -0.5 * nd, 0.5 * nd, ln_p, 1e-9, 1e3);
  const Interval c = gaussian_quadratic_interval(k, std::sqrt(k), 1.0, -ln_p);  // C ~ chi2(k)
  const double c_hi = c.hi, c_lo = c.lo;
  const double z = std::sqrt(-2.0 * ln_p);  // P(g > z) = P(g < -z) <= e^{-z^2/2}
  const double a = std::fabs(alpha);
  const double t_lo = std::sqrt(sv2 * sw2 * std::max(0.0, s_lo)) / nd, t_hi = std::sqrt(sv2 * sw2 * s_hi) / nd;
  // Lower: f(t) = max(0, 1 - a t z)^2 + a^2 t^2 c_lo is convex in t, least at
  // t* = z / (a (z^2 + c_lo)) (where 1 - a t z >= 0), clamped to [t_lo, t_hi].
  auto f = [&](double t) {
    const double m = std::max(0.0, 1.0 - a * t * z);
    return m * m + a * a * t * t * c_lo;
  };
  const double t_star = a > 0.0 ? std::clamp(z / (a * (z * z + c_lo)), t_lo, t_hi) : t_lo;
  ResidualStepInterval r;
  r.lo = std::min({f(t_lo), f(t_hi), f(t_star)});
  r.hi = (1.0 + a * t_hi * z) * (1.0 + a * t_hi * z) + a * a * t_hi * t_hi * c_hi;
  r.s_hi = s_hi;
  return r;
}

// The backward step of the pre-LayerNorm block x' = x + alpha V relu(W LN(x))
// (docs/theory.md §34) for one input x (centred variance v, r = v / (v + eps)) and an
// incoming gradient g' independent of W and V: R_b = |dL/dx|^2 / |g'|^2. With
// y = LN(x), P = I - 11^T/n - y y^T/n (so LN's Jacobian is P / sigma, sigma^2 = v + eps)
// and Q = I - 11^T/n - y y^T/|y|^2, dL/dx = g' + alpha P W^T D V^T g' / sigma splits
// into g' + w + e: w, Gaussian in Q's range given the rest, makes
//   |g' + w|^2 / |g'|^2 = (1 + alpha tau rho G)^2 + alpha^2 tau^2 ((1 - rho^2) G^2 + C),
//   tau^2 = sw2 sv2 S / (n^2 sigma^2),  C ~ chi2(n - 3),  rho = |Q g'| / |g'|,
// S as forward; e = alpha (1 - r) y (h . D V^T g') / (sigma |y|^2) (P y = (1 - r) y) has
// |e| / |g'| <= |alpha| (1 - r) sqrt(sw2 sv2 X S) / (sigma n), X = |W y|^2 / (sw2 r) ~ chi2(n).
// Six tails at delta / 7 for the first part and X's upper tail at delta / 7.
inline ResidualStepInterval prenorm_backward_step_interval(std::size_t n, double alpha, double sw2, double sv2,
                                                           double v, double eps, double delta) {
  const double nd = static_cast<double>(n), sigma2 = v + eps, r = v / sigma2;
  ResidualStepInterval band = residual_step_interval(n, n - 3, alpha, sw2 / sigma2, sv2, delta * 6.0 / 7.0);
  const double x_hi = gaussian_quadratic_interval(nd, std::sqrt(nd), 1.0, std::log(7.0 / delta)).hi;
  const double e = std::fabs(alpha) * (1.0 - r) * std::sqrt(sw2 * sv2 * x_hi * band.s_hi / sigma2) / nd;
  const double lo = std::max(0.0, std::sqrt(band.lo) - e), hi = std::sqrt(band.hi) + e;
  band.lo = lo * lo;
  band.hi = hi * hi;
  return band;
}

// The tanh block x' = x + alpha tanh(W x), W ~ N(0, sw2/n) (n, n), no bias, one input
// x with s = |x|^2 / n (docs/theory.md §31). Given x, h = W x has iid N(0, q) entries,
// q = sw2 s, so
//   R = |x'|^2 / |x|^2 = 1 + 2 alpha Z / (n s) + alpha^2 U / s,
//   Z = x . tanh(h),  U = |tanh(h)|^2 / n,
// and E[R] = 1 + alpha^2 V(q) / s (tanh is odd: E[Z] = 0), the recursion's factor
// with V = E[tanh^2] at q. U is a mean of n iid variables in [0, 1] (Hoeffding's
// Bernoulli bound, delta/4 each side); Z is a sum of independent centred terms
// x_i tanh(h_i), each sub-Gaussian with variance proxy x_i^2 min(1, q) (bounded in
// [-|x_i|, |x_i|]; tanh is 1-Lipschitz in h_i ~ N(0, q)), so
// P(|Z| >= t) <= 2 exp(-t^2 / (2 |x|^2 min(1, q))) = delta / 2.
inline ResidualStepInterval tanh_residual_step_interval(std::size_t n, double alpha, double s, double q,
                                                        double V, double delta) {
  const double nd = static_cast<double>(n);
  const Interval u = bounded_mean_interval(V, n, std::log(delta / 4.0));
  const double z = std::sqrt(2.0 * std::log(4.0 / delta) * std::min(1.0, q) / (nd * s));
  const double a = std::fabs(alpha);
  return {1.0 - 2.0 * a * z + alpha * alpha * u.lo / s, 1.0 + 2.0 * a * z + alpha * alpha * u.hi / s};
}

}  // namespace initlab::properties
