#pragma once
// One dense layer of the mean-field recursion in the log domain, shared by
// theory::trajectory (plain nets, trajectory.cpp) and theory::net_trajectory
// (any described network, net_recursion.cpp). Internal to lib/theory.

#include "theory/meanfield.hpp"

namespace initlab::theory::detail {

// ln x, -inf for x = 0.
double safe_log(double x);
// ln(e^a + e^b) with -inf allowed.
double log_add(double a, double b);
// exp(ln) if it is a finite double, else NaN and `overflow` set.
double plain(double ln, bool& overflow);
// linear, relu, leaky_relu: E[a^2], Var(a) proportional to q, E[a] to sqrt(q).
bool homogeneous(Activation f);

// The forward fields of layer y (layer, sw2 already set) from ln E[(a^{l-1})^2]
// and ln sb2: ln q^l = ln(sw2 e^{ln_e_in} + sb2), then ln E[(a^l)^2], ln Var(a^l),
// E[a^l], E[phi'^2], chi_1 and their plain values (overflow set where out of range).
// Throws std::invalid_argument (naming func) for a bounded activation with sw2 > 1e300.
void forward_layer(LayerTheory& y, Activation f, double ln_e_in, double ln_sb2, const char* func);

// E[a^l] / sqrt(E[(a^l)^2]) in [-1, 1] for a layer forward_layer filled, also where
// E[a^l] itself overflows (the homogeneous and the unbounded smooth activations
// scale there); 0 where E[(a^l)^2] = 0.
double mean_ratio(Activation f, const LayerTheory& y);

}  // namespace initlab::theory::detail
