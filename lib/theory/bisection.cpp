// Bisection (see bisection.hpp).
#include "theory/bisection.hpp"

namespace initlab::theory {

double bisect(const std::function<bool(double)>& root_above, double lo, double hi,
              double abs_tol, double rel_tol, int max_iter) {
  for (int it = 0; it < max_iter && hi - lo > abs_tol + rel_tol * hi; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (root_above(mid) ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace initlab::theory
