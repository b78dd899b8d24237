#pragma once
// The mean-field theory of a described network: a core NetDescription and its
// initializer specs translated into theory::NetArchitecture (sw2_l = n_{l-1}
// E[(W^l)^2] and sb2_l = E[(b^l)^2] from init's moments, as the variance study
// does for plain nets), and the recursion of theory/net_recursion.hpp run on it
// (docs/theory.md §25-§28). The network-level variance study (study/net_variance)
// puts these predictions beside its measurements.

#include "core/net_description.hpp"
#include "theory/net_recursion.hpp"

namespace initlab::study {

// The input and the backward start of the prediction.
struct NetTheoryInput {
  double q0 = 1.0;       // E[x^2] of the input entries (the measured |x|^2 / n_0)
  double mean0 = 0.0;    // E[x] of the input entries
  double qt_last = 1.0;  // E[(dL/dy)^2] per output entry (or dL/dh with logits)
  bool logits = false;   // seed dL/dh of the last (dense) block instead of dL/dy
};

// Validates net (NetDescription::validate) and reads every layer's init and bias
// spec (init::parse; the bias drawn as a (width, 1) matrix). Throws
// std::invalid_argument naming the block ("block 3 branch layer 2") for a spec that
// does not parse or is data-dependent (lsuv: the theory needs a fixed law).
theory::NetArchitecture net_architecture(const NetDescription& net, const NetTheoryInput& in = {});

// theory::net_trajectory(net_architecture(net, in)).
theory::NetTrajectory net_theory(const NetDescription& net, const NetTheoryInput& in = {});

}  // namespace initlab::study
