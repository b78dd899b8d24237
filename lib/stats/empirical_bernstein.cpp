#include "stats/empirical_bernstein.hpp"

#include <cmath>

#include "core/error.hpp"

namespace initlab::stats {

double empirical_bernstein_half_width(double v, double b, std::size_t n, double p) {
  const char* func = "stats::empirical_bernstein_half_width";
  if (n < 2) fail(func, "n = ", n, ", expected at least 2 samples");
  if (!(v >= 0.0) || !std::isfinite(v)) fail(func, "sample variance = ", v, ", expected a finite value >= 0");
  if (!(b >= 0.0) || !std::isfinite(b)) fail(func, "range = ", b, ", expected a finite range >= 0");
  if (!(p > 0.0 && p < 1.0)) fail(func, "failure = ", p, ", expected a probability in (0, 1)");
  const double nd = static_cast<double>(n), ln = std::log(4.0 / p);
  return std::sqrt(2.0 * v * ln / nd) + 7.0 * b * ln / (3.0 * (nd - 1.0));
}

}  // namespace initlab::stats
