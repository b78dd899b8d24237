#pragma once
// Two inputs through the mean-field recursion from their actual start, not from
// the fixed point (Poole et al. 2016 section 3): x1, x2 with |x_i|^2 / n_0 = q0 and
// correlation c0 give
//   q^1 = sw2 q0 + sb2,                         c^1 = (sw2 c0 q0 + sb2) / q^1,
//   q^{l+1} = sw2 V(q^l) + sb2,                 c^{l+1} = [sw2 E[phi(u1) phi(u2)] + sb2] / q^{l+1},
// u_i ~ N(0, q^l) with correlation c^l, and the per-layer slope of a small
// perturbation chi_1^l = sw2 E[phi'(h^l)^2] (the growth of |dh|^2 from layer l to l+1).
// At q0 = q* this is correlation_trajectory at q*.

#include <cstddef>
#include <vector>

#include "core/activation.hpp"

namespace initlab::theory {

struct PairLayer {
  double q = 0.0;     // q^l
  double c = 0.0;     // c^l
  double chi1 = 0.0;  // sw2 E[phi'(sqrt(q^l) z)^2]
};

// Layers 1..depth (index l-1). Throws on a negative or non-finite sw2, sb2, q0,
// c0 outside [-1, 1], or q^l beyond the quadrature's range (expected_product).
std::vector<PairLayer> pair_trajectory(Activation f, double sw2, double sb2, double q0, double c0,
                                       std::size_t depth);

}  // namespace initlab::theory
