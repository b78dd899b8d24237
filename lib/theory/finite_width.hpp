#pragma once
// Finite-width corrections to the mean-field length map, to first order in 1/n
// (docs/theory.md, "Finite-width correction: Gaussian and orthogonal weights").
//
// Per input, r_l = |a^l|^2 / n_l is a Markov chain: given a^{l-1}, layer l sees
// q_l = n_{l-1} E[W^2] r_{l-1} + sb2 and
//   Gaussian weights:   h^l_i ~ N(0, q_l) iid, so E[r_l | q] = V(q) and
//                       Var(r_l | q) = (E[phi^4] - V^2) / n_l;
//   orthogonal weights: h^l = |h^l| u, u uniform on the unit sphere of R^n (square
//                       layers, sb2 = 0: |h^l|^2 = gain^2 |a^{l-1}|^2 exactly), so
//                       E[r_l | q] = V(q) - q^2 V''(q) / n_l and
//                       Var(r_l | q) = (E[phi^4] - V^2 - 2 q^2 V'(q)^2) / n_l.
// Carrying the mean shift d_l and the variance v_l of r_l through the map
// (second-order delta method) gives, with s = n_{l-1} E[W^2] and q = q_l:
//   d_l = s V'(q) d_{l-1} + (1/2) s^2 V''(q) v_{l-1} + shift(q) / n_l
//   v_l = s^2 V'(q)^2 v_{l-1} + var(q) / n_l,                d_0 = v_0 = 0,
// and E[q^l] = s (rbar_{l-1} + d_{l-1}) + sb2, E[(a^l)^2] = rbar_l + d_l, where
// rbar is the mean-field iteration from the same q0.

#include <cstddef>
#include <span>
#include <vector>

#include "core/activation.hpp"

namespace initlab::theory {

enum class WeightLaw { gaussian, orthogonal };

// V(q) = E[phi(u)^2], its first two derivatives in q and E[phi(u)^4], u ~ N(0, q).
struct SecondMomentDerivatives {
  double v = 0.0, dv = 0.0, d2v = 0.0, fourth = 0.0;
};
SecondMomentDerivatives second_moment_derivatives(Activation f, double q);

// One layer l: the predicted relative deviation of the finite-width mean from
// mean-field, E[q^l] / qbar^l - 1 and E[(a^l)^2] / rbar_l - 1.
struct FiniteWidthLayer {
  double rel_q = 0.0;
  double rel_a2 = 0.0;
};

// sw2[l-1] = n_{l-1} E[(W^l)^2], widths n_0..n_L, one input of second moment q0.
// Layers from the first whose mean-field q is beyond double on are NaN.
// Throws for orthogonal weights unless every layer is square and sb2 = 0.
std::vector<FiniteWidthLayer> finite_width_correction(Activation f, std::span<const double> sw2,
                                                      std::span<const std::size_t> widths,
                                                      double sb2, double q0, WeightLaw law);

}  // namespace initlab::theory
