#pragma once
// phi(u), phi'(u) and phi''(u) of one activation at one scalar u, in double: for the
// quadratures of the theory and the exact per-entry predictions (the tensor
// kernels of the networks are nn/activation.hpp). Careful in the tails (no overflow,
// no cancellation where a difference of two tails is needed). At a kink (relu,
// leaky_relu, selu at u = 0) phi' takes its left value, as the kernels do, and phi''
// omits the point mass. docs/theory.md §23 lists the smooth activations' formulas.

#include "core/activation.hpp"

namespace initlab::theory {

inline constexpr double kSeluLambda = Activation::kSeluLambda;
inline constexpr double kSeluAlpha = Activation::kSeluAlpha;

double activate(Activation f, double u);
// phi'(u); relu' = 1 for u > 0 and 0 otherwise (the kernels' choice at 0).
double activate_derivative(Activation f, double u);
// phi''(u), without the point masses of the kinks.
double activate_second_derivative(Activation f, double u);

// The standard normal density and CDF (Phi(u) = erfc(-u / sqrt 2) / 2, accurate in
// the lower tail).
double normal_pdf(double u);
double normal_cdf(double u);
// The logistic sigmoid 1 / (1 + e^-u), without overflow for any finite u.
double logistic(double u);
// sigma(u) - Phi(u) without cancellation in the tails (both -> 0 as u -> -inf, both
// -> 1 as u -> +inf).
double logistic_minus_normal_cdf(double u);

}  // namespace initlab::theory
