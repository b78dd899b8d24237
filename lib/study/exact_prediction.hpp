#pragma once
// The exact prediction for deterministic weights (docs/theory.md, "Deterministic
// initializers: the exact prediction"): with W = alpha I (identity:ALPHA,
// rectangular allowed) or W = v 1 1^T (constant:V, zeros, ones) and b = 0, the
// forward pass of a given input is a deterministic map, so the prediction is
// that map iterated on the actual inputs, entry by entry, in double. The random
// output gradient g ~ N(0, I) makes the backward pass random; its second moments
// are exact expectations over g:
//   identity:  E[(dh^{l-1}_j)^2] = phi'(h^{l-1}_j)^2 alpha^2 E[(dh^l_j)^2]  (j < min(n_l, n_{l-1}), else 0)
//   constant:  E[(dh^{l-1}_j)^2] = phi'(h^{l-1}_j)^2 v^2 s_l,  s_{l-1} = v^2 (sum_j phi'(h^{l-1}_j))^2 s_l,
//              s_L = n_L  (s_l = E[(sum_i dh^l_i)^2])
// and E||dW^l||^2 = sum over the examples of E|dh^l|^2 |a^{l-1}|^2 (g independent
// across examples). Mean-field theory, which assumes random weights, does not
// describe these networks (tanh with 1.5 I saturates at a*^2 = 0.737, ReLU with
// alpha I multiplies q by alpha^2 per layer, not alpha^2 / 2).

#include <cstddef>
#include <span>
#include <vector>

#include "core/activation.hpp"
#include "core/tensor.hpp"
#include "init/initializer.hpp"
#include "theory/meanfield.hpp"

namespace initlab::study {

// True when the weights are deterministic (Identity, Constant) and b = 0.
bool has_exact_prediction(const init::Initializer& ini, double bias_std);

// The trajectory the deterministic network produces on `inputs` (each (B, n_0)),
// pooled over every row of every input: the same fields as theory::trajectory,
// with sw2 = n_{l-1} E[W^2] and chi1 = sw2 * dphi2. Values outside the double
// range are NaN with `overflow` set. Throws unless has_exact_prediction(ini, 0).
theory::Trajectory exact_trajectory(const init::Initializer& ini, Activation f,
                                    std::span<const std::size_t> widths,
                                    std::span<const Matrix<double>> inputs);

}  // namespace initlab::study
