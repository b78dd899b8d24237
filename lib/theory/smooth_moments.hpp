#pragma once
// The Gaussian moments of gelu, selu, erf (closed forms) and silu, softplus
// (trapezoid rule; above q = 784, gelu's closed form plus a decaying remainder),
// for theory::moments and the pair expectations. Formulas and their derivations:
// docs/theory.md §23. Internal to lib/theory.

#include "theory/meanfield.hpp"

namespace initlab::theory::detail {

ActivationMoments gelu_moments(double q);
ActivationMoments selu_moments(double q);
ActivationMoments erf_moments(double q);
ActivationMoments silu_moments(double q);
ActivationMoments softplus_moments(double q);
// Only E[phi^2] (E[phi'^2]) of silu or softplus: the length map's (chi_1's) one integral.
double silu_softplus_second(Activation f, double q);
double silu_softplus_dphi2(Activation f, double q);

// exp(x^2) erfc(x) for x >= 0 (the scaled complementary error function).
double erfcx(double x);

// erf's pair expectations (Williams 1997): E[erf(u1) erf(u2)] and E[erf'(u1) erf'(u2)].
double erf_product(double q1, double q2, double c);
double erf_derivative_product(double q1, double q2, double c);

// The large-q limits of the moments divided by q (second, variance), sqrt(q) (mean)
// and 1 (dphi2, ddphi_phi -> 0) for the unbounded smooth activations gelu, selu,
// silu, softplus: relu's, times lambda^2 (lambda) for selu. The error is O(q^-1/2)
// relative, so the trajectory uses them once q passes 1e250.
ActivationMoments asymptotic_unit_moments(Activation f);
// The small-q limits for the activations with activate(0) = 0 other than the homogeneous
// ones: E[phi^2] ~ second q, Var ~ variance q, E[phi] ~ mean_sqrt sqrt(q) + mean_linear q,
// E[phi'^2] -> second_dphi2 (selu: the mean of its one-sided slopes squared).
struct SmallQ {
  double second = 0.0, variance = 0.0, mean_sqrt = 0.0, mean_linear = 0.0, second_dphi2 = 0.0;
};
SmallQ small_q_moments(Activation f);
// tanh, erf, gelu, silu, selu (and the homogeneous ones): activate(0) = 0.
bool vanishes_at_zero(Activation f);
// gelu, selu, silu, softplus: phi^2 grows like q without bound.
bool unbounded_smooth(Activation f);

}  // namespace initlab::theory::detail
