#pragma once
// The one root-finder of lib/theory: bisection on a bracket [lo, hi] of a sign
// change. Used for the length map's fixed point q* and the critical sw2
// (fixed_point.cpp), the chaotic correlation fixed point c* (correlation_fixed_point.cpp)
// and the root of a = tanh(alpha a) (scalar_map.cpp).

#include <functional>

namespace initlab::theory {

// root_above(x): whether the root lies above x (then lo = x, else hi = x). Halves
// [lo, hi] until hi - lo <= abs_tol + rel_tol * hi, for at most max_iter halvings,
// or until the midpoint no longer lies strictly inside (one ulp left); returns the
// midpoint of the last interval.
double bisect(const std::function<bool(double)>& root_above, double lo, double hi,
              double abs_tol, double rel_tol, int max_iter = 200);

}  // namespace initlab::theory
