// Goodness-of-fit and moment tests with exact or rigorously bounded p-values
// (docs/theory.md, "Checking a tensor against its law").

#include "stats/goodness_of_fit.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "core/error.hpp"

namespace initlab::stats {

// Q(l) = 2 sum (-1)^{k-1} exp(-2 k^2 l^2) converges fast for l >= 1; below,
// the Jacobi-theta form 1 - Q(l) = sqrt(2 pi) / l sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 l^2)).
double kolmogorov_survival(double lambda) {
  if (!(lambda > 0.0)) return 1.0;
  if (lambda < 1.0) {
    const double pi2 = std::numbers::pi * std::numbers::pi;
    double sum = 0.0;
    for (int k = 1; k <= 20; ++k) {
      const double odd = 2.0 * k - 1.0;
      sum += std::exp(-odd * odd * pi2 / (8.0 * lambda * lambda));
    }
    return std::clamp(1.0 - std::sqrt(2.0 * std::numbers::pi) / lambda * sum, 0.0, 1.0);
  }
  double sum = 0.0;
  for (int k = 1; k <= 100; ++k) {
    const double term = std::exp(-2.0 * k * k * lambda * lambda);
    sum += (k % 2 == 1 ? term : -term);
    if (term < 1e-300) break;
  }
  return std::clamp(2.0 * sum, 0.0, 1.0);
}

// x (N) -> D = max_i max(i/N - F(x_(i)), F(x_(i)) - (i-1)/N) over the sorted sample
KsResult ks_test(std::span<const double> x, const std::function<double(double)>& cdf) {
  if (x.empty()) fail("ks_test", "empty sample; expected at least one value");
  std::vector<double> s(x.begin(), x.end());
  std::sort(s.begin(), s.end());
  const auto n = static_cast<double>(s.size());
  double d = 0.0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double f = cdf(s[i]);
    if (!(f >= 0.0 && f <= 1.0)) {
      fail("ks_test", "CDF at ", s[i], " is ", f, "; expected a value in [0, 1]");
    }
    const auto k = static_cast<double>(i);
    d = std::max({d, (k + 1.0) / n - f, f - k / n});
  }
  KsResult r;
  r.d = d;
  r.p_value = std::min(1.0, 2.0 * std::exp(-2.0 * n * d * d));
  const double rn = std::sqrt(n);
  r.p_asymptotic = kolmogorov_survival((rn + 0.12 + 0.11 / rn) * d);
  return r;
}

double normal_two_sided_p(double z) { return std::erfc(std::abs(z) / std::numbers::sqrt2); }

MomentsAbout moments_about(std::span<const double> x, double mu) {
  if (x.empty()) fail("moments_about", "empty sample; expected at least one value");
  double sum = 0.0, ss = 0.0;
  for (double v : x) {
    sum += v;
    ss += (v - mu) * (v - mu);
  }
  const auto n = static_cast<double>(x.size());
  return {sum / n, ss / n};
}

double chi2_two_sided_p(double n, double ratio) {
  if (!(n > 0.0) || !(ratio >= 0.0)) {
    fail("chi2_two_sided_p", "n = ", n, ", ratio = ", ratio, "; expected n > 0, ratio >= 0");
  }
  double x = 0.0;
  if (ratio >= 1.0) {
    // 2 x + 2 sqrt(n) sqrt(x) - u = 0 in sqrt(x), u = n (ratio - 1)
    const double u = n * (ratio - 1.0);
    const double r = 0.5 * (-std::sqrt(n) + std::sqrt(n + 2.0 * u));
    x = r * r;
  } else {
    const double u = n * (1.0 - ratio);
    x = u * u / (4.0 * n);
  }
  return std::min(1.0, 2.0 * std::exp(-x));
}

double bernstein_two_sided_p(double n, double t, double v, double c) {
  t = std::abs(t);
  const double den = 2.0 * (v + c * t / 3.0);
  if (!(den > 0.0)) return t > 0.0 ? 0.0 : 1.0;
  return std::min(1.0, 2.0 * std::exp(-n * t * t / den));
}

double bonferroni(double alpha, std::size_t k) {
  if (!(alpha > 0.0 && alpha < 1.0) || k == 0) {
    fail("bonferroni", "level ", alpha, " over ", k, " tests; expected 0 < level < 1, k >= 1");
  }
  return alpha / static_cast<double>(k);
}

}  // namespace initlab::stats
