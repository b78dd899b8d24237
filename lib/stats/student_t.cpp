#include "stats/student_t.hpp"

#include <cmath>
#include <numbers>

#include "core/error.hpp"

namespace initlab::stats {

// Simpson's rule in y = ln x over [ln t, ln t + 14] (8000 steps; the integrand is
// smooth in y) plus the closed-form remainder c nu^((nu+1)/2) X^-nu / nu beyond
// X = t e^14 (the density there is c (x^2/nu)^(-(nu+1)/2) to relative
// (nu+1) nu / (2 X^2)).
double student_t_two_sided_tail(double nu, double t) {
  if (!(nu > 0.0) || !std::isfinite(nu)) fail("stats::student_t_two_sided_tail", "nu = ", nu, "; expected > 0");
  if (!(t >= 0.0)) fail("stats::student_t_two_sided_tail", "t = ", t, "; expected >= 0");
  if (t == 0.0) return 1.0;
  const double c = std::exp(std::lgamma(0.5 * (nu + 1.0)) - std::lgamma(0.5 * nu)) / std::sqrt(nu * std::numbers::pi);
  auto f = [&](double y) {
    const double x = std::exp(y);
    return c * std::pow(1.0 + x * x / nu, -0.5 * (nu + 1.0)) * x;
  };
  const int steps = 8000;
  const double a = std::log(t), h = 14.0 / steps;
  double s = f(a) + f(a + 14.0);
  for (int i = 1; i < steps; ++i) s += (i % 2 ? 4.0 : 2.0) * f(a + i * h);
  const double x_end = std::exp(a + 14.0);
  const double rest = c * std::pow(nu, 0.5 * (nu + 1.0)) * std::pow(x_end, -nu) / nu;
  return 2.0 * (s * h / 3.0 + rest);
}

// Bisection in ln t: the tail falls monotonically in t.
double student_t_two_sided_quantile(double nu, double p) {
  if (!(p > 0.0 && p < 1.0)) fail("stats::student_t_two_sided_quantile", "p = ", p, "; expected in (0, 1)");
  double lo = std::log(0.01), hi = std::log(1e6);
  while (hi - lo > 1e-10) {
    const double mid = 0.5 * (lo + hi);
    (student_t_two_sided_tail(nu, std::exp(mid)) > p ? lo : hi) = mid;
  }
  return std::exp(hi);
}

}  // namespace initlab::stats
