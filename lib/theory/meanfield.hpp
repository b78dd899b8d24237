#pragma once
// Mean-field signal propagation at initialization: the "theory" column of every
// initlab report. Formulas, derivations, measured tolerances: docs/theory.md §2-§7.
// Papers:
//   Poole, Lahiri, Raghu, Sohl-Dickstein & Ganguli 2016, "Exponential expressivity in
//     deep neural networks through transient chaos", arXiv:1606.05340 (length map, c-map);
//   Schoenholz, Gilmer, Ganguli & Sohl-Dickstein 2017, "Deep information propagation",
//     arXiv:1611.01232 (chi_1, depth scales xi_q, xi_c, backward recursion);
//   He, Zhang, Ren & Sun 2015, arXiv:1502.01852 section 2.2 (backward variance);
//   Cho & Saul 2009, "Kernel methods for deep learning" (arc-cosine kernel, ReLU c-map);
//   Glorot & Bengio 2010 (fan_avg).
//
// Notation: h^l = W^l a^{l-1} + b^l, a^l = phi(h^l), a^0 = x, W^l is (n_l, n_{l-1})
// with entries of variance Var(W^l), b^l ~ N(0, sb2), q0 = |x|^2 / n_0, q^l the
// per-unit second moment of h^l, z ~ N(0, 1), u = sqrt(q) z. "Second moment"
// E[a^2] and "centred variance" Var(a) = E[a^2] - E[a]^2 are kept apart.
//
// Closed forms for linear, relu and leaky_relu (slope s), gelu, selu and erf; the
// trapezoid rule of theory/gaussian.hpp for tanh, sigmoid, silu and softplus
// (docs/theory.md §23 for the five smooth activations). Every function throws
// std::invalid_argument (initlab::fail) on a negative or non-finite q, sw2, sb2,
// or a correlation outside [-1, 1].

#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <span>
#include <string_view>
#include <vector>

#include "core/activation.hpp"
#include "theory/gaussian.hpp"

namespace initlab::theory {


// ---- moments of one activation at pre-activation variance q -----------------

// Moments of a = phi(u), u ~ N(0, q).
//   linear:        E[a^2] = q, E[a] = 0, E[phi'^2] = 1, E[phi'' phi] = 0
//   relu:          E[a^2] = q/2, E[a] = sqrt(q/(2 pi)), Var = (pi-1)/(2 pi) q = 0.6817 E[a^2],
//                  E[phi'^2] = 1/2 (also at q = 0, the q -> 0+ limit), E[phi'' phi] = 0
//   leaky_relu(s): E[a^2] = (1+s^2) q/2, E[a] = (1-s) sqrt(q/(2 pi)),
//                  E[phi'^2] = (1+s^2)/2, E[phi'' phi] = 0 (phi'' is a delta where phi = 0)
//   tanh:          phi' = sech^2, phi'' = -2 tanh sech^2 (quadrature; E[a] = 0 by symmetry)
//   sigmoid:       phi' = s(1-s), phi'' = s(1-s)(1-2s) (quadrature; E[a] = 1/2 by symmetry)
//   gelu, selu, erf: closed forms; silu, softplus: quadrature up to q = 784, above it
//                  gelu's closed form plus a decaying remainder (docs/theory.md §23)
// Var is computed as E[(a - E a)^2] directly (no cancellation at small q).
// For q > 784 the bounded activations use the equivalent exponentially decaying
// integrands (E[tanh^2] = 1 - E[sech^2], E[s^2] = 1/2 - E[s'], ...) on |u| <= 40
// with step 0.25 in u, so the cost stays 321 nodes for any q.
struct ActivationMoments {
  double q = 0.0;          // the pre-activation variance they were computed at
  double second = 0.0;     // V(q) = E[phi(u)^2]
  double mean = 0.0;       // E[phi(u)]
  double variance = 0.0;   // E[(phi(u) - E phi)^2]
  double dphi2 = 0.0;      // E[phi'(u)^2]
  double ddphi_phi = 0.0;  // E[phi''(u) phi(u)]
};
ActivationMoments moments(Activation f, double q);

// V(q) = E[phi(sqrt(q) z)^2] (Poole et al. 2016 section 2).
double second_moment(Activation f, double q);
// E[phi'(sqrt(q) z)^2].
double dphi2(Activation f, double q);

// ---- length map (Poole et al. 2016 section 2; docs/theory.md §2) ----------

// One step: q^{l} = sw2 V(q^{l-1}) + sb2.
double length_map(Activation f, double sw2, double sb2, double q);
// chi_1(q) = sw2 E[phi'(sqrt(q) z)^2] (Schoenholz et al. 2017 section 3).
double chi1(Activation f, double sw2, double q);

// Per-layer weight variances Var(W^l), l = 1..L, for widths n_0..n_L and a mode:
//   "fan_in": sw2 / n_{l-1};  "fan_out": sw2 / n_l;  "fan_avg": 2 sw2 / (n_{l-1} + n_l).
// Throws on an unknown mode, fewer than 2 widths or a zero width.
std::vector<double> weight_variances(double sw2, std::span<const std::size_t> widths,
                                     std::string_view mode);

// A fully connected network as the mean-field recursion sees it.
struct Architecture {
  std::vector<Activation> activations;  // L entries, or 1 used for every layer
  std::vector<std::size_t> widths;      // n_0 .. n_L (L >= 1, all > 0)
  std::vector<double> weight_variance;  // Var(W^l), l = 1..L (see weight_variances)
  double sb2 = 0.0;                     // bias variance, every layer
  double q0 = 1.0;                      // |x|^2 / n_0 = E[(a^0)^2]
  double qt_last = 1.0;                 // qt^L = E[(dL/dh^L)^2], the backward start
};
// Equal widths n (the width cancels from every per-unit quantity), weights
// N(0, sw2/n), one activation, depth L.
Architecture uniform_architecture(Activation f, double sw2, double sb2, double q0,
                                  std::size_t depth, std::size_t width = 100);

// One layer l of the trajectory. Every positive quantity is kept twice: as its
// natural log (always valid; -inf only for an exact 0) and as a plain double,
// which is NaN when the value is outside the finite double range (then
// `overflow` is set: read the ln_ field). Nothing is ever +-inf.
struct LayerTheory {
  std::size_t layer = 0;                     // l = 1..L
  double sw2 = 0.0;                          // forward factor n_{l-1} Var(W^l)
  double q = 0.0, ln_q = 0.0;                // q^l = sw2_l E[(a^{l-1})^2] + sb2
  double second = 0.0, ln_second = 0.0;      // E[(a^l)^2] = V(q^l)
  double variance = 0.0, ln_variance = 0.0;  // centred Var(a^l)
  double mean = 0.0;                         // E[a^l] (NaN if |E a| overflows)
  double dphi2 = 0.0;                        // E[phi'(h^l)^2]
  double chi1 = 0.0;                         // sw2_l E[phi'(h^l)^2]
  // Backward (Schoenholz et al. section 5; He et al. 2015 section 2.2):
  //   qt^{l-1} = E[phi'(h^{l-1})^2] n_l Var(W^l) qt^l,   qt^L = qt_last
  double qt = 0.0, ln_qt = 0.0;        // E[(dL/dh^l)^2]
  double grad2 = 0.0, ln_grad2 = 0.0;  // E[(dL/dW^l_ij)^2] = qt^l E[(a^{l-1})^2]
  bool overflow = false;               // some plain field above is NaN (out of range)
};

struct Trajectory {
  std::vector<LayerTheory> layers;  // index l-1 holds layer l
  std::size_t overflow_at = 0;      // the first layer with overflow set; 0 = none
  // The first layer whose forward values (q^l, E[(a^l)^2], Var(a^l), E[a^l]) leave
  // the double range; 0 = none. (Backward values overflow from layer 1 upwards.)
  std::size_t forward_overflow_at = 0;
};

// The forward length map and the backward recursion, computed in the log domain
// (ln q^l = ln(sw2_l V(q^{l-1}) + sb2) with V evaluated from ln q for the
// homogeneous activations), so N(0, 1) at width 784 (x784 per layer, beyond
// double range near L = 106) still gives exact ln values at any depth.
Trajectory trajectory(const Architecture& arch);
// Shorthand: trajectory(uniform_architecture(f, sw2, sb2, q0, depth)).
Trajectory trajectory(Activation f, double sw2, double sb2, double q0, std::size_t depth);

// ---- fixed point, depth scales (Schoenholz et al. section 3) ----------------

enum class FixedPointKind {
  positive,  // q^l -> q* > 0
  zero,      // q^l -> 0 (tanh with sb2 = 0, sw2 <= 1: power-law decay at sw2 = 1)
  marginal,  // every q is fixed (linear/relu family exactly critical, sb2 = 0): q* = q0
  none       // q^l grows without bound (linear/relu family, sw2 above critical or sb2 > 0 at it)
};
std::string_view to_string(FixedPointKind k);

struct FixedPoint {
  FixedPointKind kind = FixedPointKind::none;
  double q = 0.0;     // q*; NaN when kind == none
  double chi1 = 0.0;  // sw2 E[phi'(sqrt(q*) z)^2] (q-independent for the linear/relu family)
  // xi_q^{-1} = -ln[chi_1 + sw2 E[phi''(sqrt(q*) z) phi(sqrt(q*) z)]]  (= -ln dq^{l+1}/dq^l at q*)
  // xi_c^{-1} = -ln chi_1   (ordered phase, c* = 1)
  // Empty when the log's argument is >= 1 (critical or chaotic: no finite depth
  // scale) or when kind == none.
  std::optional<double> xi_q;
  std::optional<double> xi_c;
};
// The fixed point the length map reaches from q0. The map is monotone (V is
// increasing in q), so iterating from q0 converges to the nearest fixed point in
// the direction of q^2 - q^1; it is found by bracketing and bisection to relative
// 1e-15 instead of iterating (which at criticality would take ~1/eps steps).
FixedPoint fixed_point(Activation f, double sw2, double sb2, double q0 = 1.0);

// ---- correlation map (Poole et al. 2016; Schoenholz et al. 2017 section 2) ------

// E[phi(u1) phi(u2)], Var u1 = q1, Var u2 = q2, corr(u1, u2) = c. Closed forms for
// the linear/relu family (relu: sqrt(q1 q2) [sqrt(1-c^2) + (pi - arccos c) c] / (2 pi),
// Cho & Saul 2009; leaky_relu: (1-s)^2 relu + s c sqrt(q1 q2)); gauss_expect2 otherwise
// (tanh: q1, q2 <= 1e4; sigmoid, evaluated through tanh at q/4: q1, q2 <= 4e4);
// erf: (2/pi) asin(2 c sqrt(q1 q2) / sqrt((1 + 2 q1)(1 + 2 q2))) (Williams 1997);
// gelu, selu, silu, softplus: gauss_expect2 (q1, q2 <= 1e4; selu's kink at 0 makes
// the rule converge like h^2 there, docs/theory.md §23 gives the measured error).
double expected_product(Activation f, double q1, double q2, double c);
// c^{l+1} = [sw2 E[phi(u1) phi(u2)] + sb2] / [sw2 V(q) + sb2], both inputs of length q.
// At q = q* the denominator is q*, the form of docs/theory.md §5.2. For the linear/relu family
// with sb2 = 0 the map does not depend on q (also q = 0); otherwise a zero
// denominator throws.
double correlation_map(Activation f, double sw2, double sb2, double q, double c);
// The ReLU c-map at criticality (sw2 = 2, sb2 = 0): [sqrt(1-c^2) + (pi - arccos c) c] / pi.
// Near c = 1: 1 - c^l ~ 9 pi^2 / (2 l^2).
double relu_correlation_map(double c);
// c^1 = c0, c^{l+1} = correlation_map(f, sw2, sb2, q, c^l); returns c^1..c^depth.
std::vector<double> correlation_trajectory(Activation f, double sw2, double sb2, double q,
                                           double c0, std::size_t depth);

// ---- criticality -------------------------------------------------------------

// The weight variance that puts the activation's length map at the edge of chaos,
// chi_1(q*(sw2, sb2)) = 1: linear 1, relu 2, leaky_relu 2/(1+s^2) (any sb2: chi_1 does
// not depend on q), tanh with sb2 = 0: 1; tanh with sb2 > 0 and sigmoid: solved by
// bisection on sw2 to relative 1e-12 (tanh: 1.0860 at sb2 = 1e-4 ... 2.8432 at 0.5).
// sqrt(critical_sw2) is "the gain measured numerically" of the initializer table.
// erf: pi/4 at sb2 = 0, bisection above (as tanh). gelu, selu, silu, softplus: the
// first sw2 on a scan of [1/16, 256] where chi_1(q*) crosses 1, bisected; none when
// there is no crossing or chi_1(q*) only jumps across 1 (docs/theory.md §23).
struct CriticalPoint {
  double sw2 = std::numeric_limits<double>::quiet_NaN();  // NaN: no edge of chaos
  std::string why_none;                                   // set when sw2 is NaN
  bool exists() const { return !std::isnan(sw2); }
};
CriticalPoint critical_point(Activation f, double sb2 = 0.0);
// critical_point(f, sb2).sw2; throws std::invalid_argument when there is none.
double critical_sw2(Activation f, double sb2 = 0.0);

// The weight variance that keeps q fixed: sw2 V(q) + sb2 = q, i.e. (q - sb2) / V(q)
// (q > sb2). At q = 1, sb2 = 0, sqrt of it is the measured gain that preserves the
// second moment of unit-variance pre-activations: relu 2, selu 1
// (Klambauer's fixed point), docs/theory.md §23.
double fixed_q_sw2(Activation f, double q = 1.0, double sb2 = 0.0);

}  // namespace initlab::theory
