#pragma once
// Per-layer statistics of one network, read from its forward cache (h^l, a^l)
// and its gradients (dL/dh^l, dL/dW^l): never from a recomputed pass.
//
// Second moments are returned as natural logs, computed as
//   ln mean(x^2) = 2 ln m + ln mean((x / m)^2),  m = max |x|,
// in double whatever T is, so the log is exact as long as the entries of x are
// finite, even where the second moment itself would overflow a double. A network
// whose weights were rescaled by exact powers of two (positively homogeneous
// activations, b = 0) passes the accumulated ln-scale of the stored values, and
// the statistics are those of the unscaled network.

#include <string_view>

#include "core/tensor.hpp"
#include "core/activation.hpp"

namespace initlab::stats {

// Which entries count as saturated (tanh, sigmoid) or inactive (ReLU):
//   tanh        |a| > 0.99
//   sigmoid     a < 0.01 or a > 0.99
//   relu        a == 0 (the unit passes no signal and no gradient)
//   leaky_relu  h < 0 (the unit is on its small-slope side)
//   linear      none: the fractions are NaN (not applicable)
enum class Saturation { none, tanh_like, sigmoid_like, relu_zero, leaky_negative };
Saturation saturation_for(Activation f);
std::string_view describe(Saturation s);

// x (B, n) -> ln(mean over both axes of x^2) + 2 log_scale; -inf if x is all
// zero; NaN if x holds inf or NaN.
template <class T>
double log_mean_square(const Matrix<T>& x, double log_scale = 0.0);

// One layer's forward statistics over the B x n entries of the batch.
struct ForwardStats {
  double log_q = 0.0;     // ln E[h^2], pre-activation second moment
  double log_a2 = 0.0;    // ln E[a^2], post-activation second moment
  double log_var = 0.0;   // ln Var(a) = ln(E[a^2] - E[a]^2), centred, over all entries
  double mean = 0.0;      // E[a]
  double saturated = 0.0; // fraction of entries saturated / inactive (see Saturation)
  double dead = 0.0;      // fraction of units saturated / inactive for every example
  bool finite = true;     // false if h or a held inf or NaN (the fields are then NaN)
};

// h, a (B, n) -> statistics; stored values are exp(-log_scale) times the true ones
// (log_scale = 0 for an unscaled network; only linear / relu / leaky_relu may be
// rescaled, since their saturation masks do not depend on the scale).
template <class T>
ForwardStats forward_stats(const Matrix<T>& h, const Matrix<T>& a, Activation f,
                           double log_scale = 0.0);

// One layer's backward statistics.
struct BackwardStats {
  double log_grad2 = 0.0;    // ln E[(dL/dh)^2] per unit and example
  double log_dw_norm = 0.0;  // ln ||dL/dW||_F
  bool finite = true;        // false if dh or dW held inf or NaN
};

// dh (B, n_l), dW (n_l, n_{l-1}) -> statistics; the stored values are
// exp(-log_scale_dh), exp(-log_scale_dw) times the true ones.
template <class T>
BackwardStats backward_stats(const Matrix<T>& dh, const Matrix<T>& dW,
                             double log_scale_dh = 0.0, double log_scale_dw = 0.0);

}  // namespace initlab::stats
