#pragma once
// Free-probability moments of the squared singular values of the input-output
// Jacobian J = D_L W_L ... D_1 W_1, D_l = diag(phi'(h^l)), at the length fixed
// point (Pennington, Schoenholz & Ganguli 2017, "Resurrecting the sigmoid in deep
// learning through dynamical isometry", arXiv:1711.04735, section 3). Laws:
// docs/theory.md §17.
//
// With mu_k = E[phi'(h)^{2k}] at q*, and W W^T normalised to mean 1 having
// S-transform coefficient s1 (-1 for Gaussian: Marchenko-Pastur; 0 for
// orthogonal), one layer X = sw2 W W^T D^2 has S-transform S_X = s0 + s1_X z + ...
// with m1(X) = 1/s0 = sw2 mu1 and Var(X) = -s1_X / s0^3 = m1(X)^2 (mu2/mu1^2 - 1 - s1).
// The L layers are asymptotically free, S_J = S_X^L, hence
//   mean of s^2:      m1 = (sw2 mu1)^L = chi_1^L
//   variance of s^2:  sigma^2 = L m1^2 (mu2 / mu1^2 - 1 - s1).
// Along a trajectory that has not reached q* (layer l at q^l), the layers are
// still free but not identical: m1 = prod_l sw2 mu1(q^l) and
//   sigma^2 = m1^2 sum_l (mu2(q^l) / mu1(q^l)^2 - 1 - s1)
// (S_J = prod_l S_{X_l}; s0 and s1 of the product by the product rule).
// Linear, sw2 = 1: m1 = 1; sigma^2 = L (Gaussian), 0 (orthogonal).
// ReLU, sw2 = 2: mu2 = mu1 = 1/2: sigma^2 = 2L (Gaussian), L (orthogonal): never isometric.
// tanh on the critical line with orthogonal W: mu2/mu1^2 -> 1 as q* -> 0: isometry.
// These are infinite-width limits; at width n the corrections grow like L^2 / n.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "core/activation.hpp"

namespace initlab::theory {

enum class WeightEnsemble { gaussian, orthogonal };
std::string_view to_string(WeightEnsemble w);
// s1 of W W^T (mean 1): -1 (gaussian), 0 (orthogonal).
double s_transform_s1(WeightEnsemble w);

// E[phi'(sqrt(q) z)^4] (mu2; mu1 is dphi2 of meanfield.hpp).
double dphi4(Activation f, double q);

struct SpectrumMoments {
  double mean_s2 = 0.0;  // m1
  double var_s2 = 0.0;   // sigma^2
};
// At pre-activation variance q (q*) in every layer, depth L >= 0: (sw2 mu1)^L and
// L m1^2 (mu2/mu1^2 - 1 - s1). Throws on negative sw2 or q.
SpectrumMoments jacobian_spectrum(Activation f, WeightEnsemble w, double sw2, double q,
                                  std::size_t depth);
// Along q^1..q^L: element l-1 holds the moments of the first l layers.
std::vector<SpectrumMoments> jacobian_spectrum_along(Activation f, WeightEnsemble w, double sw2,
                                                     std::span<const double> q_layers);

}  // namespace initlab::theory
