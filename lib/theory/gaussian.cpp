#include "theory/gaussian.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "core/error.hpp"

namespace initlab::theory {

namespace {

constexpr double kZmax = 9.0;

void check_variance(const char* func, double q) {
  if (!(q >= 0.0) || !std::isfinite(q))
    fail(func, "variance q = ", q, ", expected a finite q >= 0");
}

// Nodes z_k = k h and trapezoid weights h phi(z_k), k = -K..K, K = ceil(zmax / h).
struct Rule {
  std::vector<double> z;
  std::vector<double> w;
};

Rule make_rule(double h, double zmax) {
  const auto K = static_cast<long>(std::ceil(zmax / h));
  Rule r;
  r.z.reserve(static_cast<std::size_t>(2 * K + 1));
  r.w.reserve(static_cast<std::size_t>(2 * K + 1));
  const double norm = h / std::sqrt(2.0 * std::numbers::pi);
  for (long k = -K; k <= K; ++k) {
    const double z = static_cast<double>(k) * h;
    r.z.push_back(z);
    r.w.push_back(norm * std::exp(-0.5 * z * z));
  }
  return r;
}

}  // namespace

double gauss_step(double q) {
  check_variance("gauss_step", q);
  return q <= 0.25 ? 0.5 : 0.25 / std::sqrt(q);
}

std::size_t gauss_points(double q) {
  const double h = gauss_step(q);
  if (q == 0.0) return 1;
  return static_cast<std::size_t>(2.0 * std::ceil(kZmax / h) + 1.0);
}

double gauss_expect_step(const std::function<double(double)>& f, double q, double h, double zmax) {
  check_variance("gauss_expect_step", q);
  if (!(h > 0.0) || !std::isfinite(h))
    fail("gauss_expect_step", "step h = ", h, ", expected h > 0");
  if (!(zmax > 0.0) || !std::isfinite(zmax)) {
    fail("gauss_expect_step", "zmax = ", zmax, ", expected zmax > 0");
  }
  if (q == 0.0) return f(0.0);
  const double s = std::sqrt(q);
  const auto K = static_cast<long>(std::ceil(zmax / h));
  const double norm = h / std::sqrt(2.0 * std::numbers::pi);
  // Sum from the tails inwards so the small terms are added first.
  double sum = 0.0;
  for (long k = K; k >= 1; --k) {
    const double z = static_cast<double>(k) * h;
    sum += std::exp(-0.5 * z * z) * (f(s * z) + f(-s * z));
  }
  sum += f(0.0);
  return norm * sum;
}

double gauss_expect(const std::function<double(double)>& f, double q) {
  check_variance("gauss_expect", q);
  return gauss_expect_step(f, q, gauss_step(q), kZmax);
}

double gauss_expect_decaying(const std::function<double(double)>& g, double q) {
  check_variance("gauss_expect_decaying", q);
  if (q == 0.0) fail("gauss_expect_decaying", "variance q = 0, expected q > 0");
  const double s = std::sqrt(q);
  const double h = 0.25;
  const double norm = h / (s * std::sqrt(2.0 * std::numbers::pi));
  double sum = 0.0;
  for (int k = 160; k >= 1; --k) {  // the tails first
    const double u = k * h;
    const double z = u / s;
    sum += std::exp(-0.5 * z * z) * (g(u) + g(-u));
  }
  sum += g(0.0);
  return norm * sum;
}

double gauss_expect2(const std::function<double(double, double)>& f, double q1, double q2,
                     double c) {
  check_variance("gauss_expect2", q1);
  check_variance("gauss_expect2", q2);
  if (!(c >= -1.0 && c <= 1.0))
    fail("gauss_expect2", "correlation c = ", c, ", expected c in [-1, 1]");
  const double s1 = std::sqrt(q1);
  const double s2 = std::sqrt(q2);
  if (std::max(q1, q2) > 1e4) {
    fail("gauss_expect2", "variances ", q1, ", ", q2, ": expected both <= 1e4 (the tensor rule",
         " would need more than 7201^2 nodes)");
  }
  if (q1 == 0.0 && q2 == 0.0) return f(0.0, 0.0);
  const double h = gauss_step(std::max(q1, q2));
  if (c == 1.0 || c == -1.0) {
    // u2 = c sqrt(q2) z1: a 1-D integral in z (passed as u with q = 1).
    return gauss_expect_step([&](double z) { return f(s1 * z, c * s2 * z); }, 1.0, h, kZmax);
  }
  const double sc = std::sqrt((1.0 - c) * (1.0 + c));
  const Rule r = make_rule(h, kZmax);
  double total = 0.0;
  for (std::size_t i = 0; i < r.z.size(); ++i) {
    const double u1 = s1 * r.z[i];
    const double m2 = s2 * c * r.z[i];
    double inner = 0.0;
    for (std::size_t j = 0; j < r.z.size(); ++j) inner += r.w[j] * f(u1, m2 + s2 * sc * r.z[j]);
    total += r.w[i] * inner;
  }
  return total;
}

}  // namespace initlab::theory
