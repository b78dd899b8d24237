// Fixed point of a = tanh(alpha a) (see scalar_map.hpp).
#include "theory/scalar_map.hpp"

#include <cmath>

#include "core/error.hpp"
#include "theory/bisection.hpp"

namespace initlab::theory {

double tanh_fixed_point(double alpha) {
  if (!(alpha >= 0.0) || !std::isfinite(alpha)) {
    fail("theory::tanh_fixed_point", "alpha = ", alpha, ", expected a finite alpha >= 0");
  }
  if (alpha <= 1.0) return 0.0;
  // g(a) = tanh(alpha a) - a is > 0 just above 0 (slope alpha - 1 > 0) and < 0 at a = 1.
  double lo = 0.0, hi = 1.0;
  // Start lo where g > 0: the small-a expansion g ~ (alpha - 1) a - alpha^3 a^3 / 3.
  lo = std::min(0.5, std::sqrt(3.0 * (alpha - 1.0)) / (2.0 * alpha));
  while (std::tanh(alpha * lo) - lo <= 0.0 && lo > 1e-300) lo *= 0.5;
  return bisect([alpha](double a) { return std::tanh(alpha * a) - a > 0.0; }, lo, hi, 1e-15, 0.0);
}

double tanh_fixed_point_slope(double alpha) {
  const double a = tanh_fixed_point(alpha);
  return alpha * (1.0 - a * a);
}

}  // namespace initlab::theory
