#pragma once
// A reference for the Gaussian expectations of lib/theory that shares nothing with
// its trapezoid rule: composite 10-point Gauss-Legendre on each half-line, split at
// u = 0 (so a kink there, as selu's, costs no accuracy), on [-12 sqrt q, 12 sqrt q]
// (the weight beyond is below 1e-31), panels of width 0.2 min(1, sqrt q) in u. On a
// panel of width w a function analytic within distance d of it is integrated with
// error ~ (w / 4d)^20: below 1e-20 for the activations here (d >= pi/2 or entire).

#include <array>
#include <cstddef>
#include <cmath>
#include <numbers>

namespace initlab::theory::testing {

// Nodes and weights of the n-point Gauss-Legendre rule on [-1, 1] (Newton on P_n).
template <std::size_t N>
struct GaussLegendre {
  std::array<double, N> x{}, w{};
  GaussLegendre() {
    for (std::size_t i = 0; i < N; ++i) {
      const double n = static_cast<double>(N);
      double t = std::cos(std::numbers::pi * (static_cast<double>(i) + 0.75) / (n + 0.5));
      double dp = 1.0;
      for (int it = 0; it < 100; ++it) {
        double p0 = 1.0, p1 = t;
        for (std::size_t k = 2; k <= N; ++k) {
          const double dk = static_cast<double>(k);
          const double p2 = ((2.0 * dk - 1.0) * t * p1 - (dk - 1.0) * p0) / dk;
          p0 = p1;
          p1 = p2;
        }
        dp = n * (t * p1 - p0) / (t * t - 1.0);
        const double step = p1 / dp;
        t -= step;
        if (std::fabs(step) < 1e-17) break;
      }
      x[i] = t;
      w[i] = 2.0 / ((1.0 - t * t) * dp * dp);
    }
  }
};

// E[g(u)], u ~ N(0, q), q > 0.
template <class G>
double reference_expect(G g, double q) {
  static const GaussLegendre<10> rule;
  const double s = std::sqrt(q);
  const double width = 0.2 * std::fmin(1.0, s);
  const auto panels = static_cast<long>(std::ceil(12.0 * s / width));
  const double norm = 1.0 / (s * std::sqrt(2.0 * std::numbers::pi));
  double total = 0.0;
  for (long p = panels - 1; p >= 0; --p) {  // the tails first
    const double mid = (static_cast<double>(p) + 0.5) * width;
    for (std::size_t i = 0; i < 10; ++i) {
      const double u = mid + 0.5 * width * rule.x[i];
      const double z = u / s;
      total += rule.w[i] * std::exp(-0.5 * z * z) * (g(u) + g(-u));
    }
  }
  return 0.5 * width * norm * total;
}

}  // namespace initlab::theory::testing
