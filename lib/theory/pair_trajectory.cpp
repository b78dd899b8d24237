// Two inputs through the mean-field recursion (see pair_trajectory.hpp).
#include "theory/pair_trajectory.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "theory/meanfield.hpp"

namespace initlab::theory {

std::vector<PairLayer> pair_trajectory(Activation f, double sw2, double sb2, double q0, double c0,
                                       std::size_t depth) {
  const char* func = "theory::pair_trajectory";
  for (double v : {sw2, sb2, q0}) {
    if (!(v >= 0.0) || !std::isfinite(v))
      fail(func, "sw2, sb2, q0 = ", sw2, ", ", sb2, ", ", q0, ": expected finite values >= 0");
  }
  if (!(c0 >= -1.0 && c0 <= 1.0)) fail(func, "c0 = ", c0, ", expected c0 in [-1, 1]");
  std::vector<PairLayer> out;
  out.reserve(depth);
  double q = sw2 * q0 + sb2;
  double c = q > 0.0 ? std::clamp((sw2 * c0 * q0 + sb2) / q, -1.0, 1.0) : 1.0;
  for (std::size_t l = 1; l <= depth; ++l) {
    out.push_back({q, c, chi1(f, sw2, q)});
    if (l == depth) break;
    const double qn = length_map(f, sw2, sb2, q);
    c = qn > 0.0 ? std::clamp((sw2 * expected_product(f, q, q, c) + sb2) / qn, -1.0, 1.0) : c;
    q = qn;
  }
  return out;
}

}  // namespace initlab::theory
