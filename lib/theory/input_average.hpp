#pragma once
// The mean-field prediction for a set of inputs (docs/theory.md, "Inputs of
// different lengths"): every input x starts its own length map at
// q0(x) = |x|^2 / n_0, and a statistic pooled over the inputs (E[(a^l)^2],
// q^l, E[(dL/dh^l)^2], ...) is predicted by the average over the inputs of each
// input's own prediction. The tanh map is concave, so the map of the average
// q0 overstates the pooled E[a^2] when the inputs' lengths differ (MNIST digits:
// q0 = 0.112 +- 0.041).

#include <span>

#include "theory/meanfield.hpp"

namespace initlab::theory {

// trajectory(arch) with arch.q0 replaced by each of q0s in turn, averaged:
// ln_q, ln_second, ln_qt, ln_grad2 are the logs of the averages of q, E[a^2],
// qt, qt E[a^{l-1}^2]; mean, dphi2 and chi1 are averages; ln_variance is
// the pooled centred variance ln(avg E[a^2] - (avg E[a])^2) (the log of the
// average per-input variance where E[a] overflows). sw2 is arch's. Throws
// for an empty q0s or a negative or non-finite entry.
Trajectory input_average(const Architecture& arch, std::span<const double> q0s);

}  // namespace initlab::theory
