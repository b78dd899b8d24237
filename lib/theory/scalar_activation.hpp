#pragma once
// phi(u) and phi'(u) of one activation at one scalar u, in double: for the
// quadratures of the theory and the exact per-entry predictions (the tensor
// kernels of the networks are nn/activation.hpp).

#include "core/activation.hpp"

namespace initlab::theory {

double activate(Activation f, double u);
// phi'(u); relu' = 1 for u > 0 and 0 otherwise (the kernels' choice at 0).
double activate_derivative(Activation f, double u);

}  // namespace initlab::theory
