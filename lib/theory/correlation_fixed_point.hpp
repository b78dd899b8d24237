#pragma once
// The fixed point c* of the correlation map and the correlation depth scale in
// both phases (Schoenholz, Gilmer, Ganguli & Sohl-Dickstein 2017, arXiv:1611.01232,
// section 3, eq. 9-10; Poole et al. 2016 section 3). Laws: docs/theory.md,
// "Correlation fixed point and depth scale".
//
// Two inputs at the length fixed point q* with correlation c^l follow
//   c^{l+1} = M(c^l) = [sw2 E[phi(u1) phi(u2)] + sb2] / q*,  Var u_i = q*, corr = c^l.
// M(1) = 1 always. Its slope at c is
//   chi_c(c) = M'(c) = sw2 E[phi'(u1) phi'(u2)]          (d/dc E[phi phi] = q* E[phi' phi']),
// so chi_c(1) = chi_1. By Mehler's expansion E[phi(u1) phi(u2)] = sum_k a_k^2 c^k
// (a_k >= 0 squared Hermite coefficients), so M is increasing and convex on [0, 1]
// and M(0) >= 0. Hence:
//   ordered (chi_1 < 1):  c* = 1 attracts; chi_c = chi_1.
//   chaotic (chi_1 > 1):  c = 1 repels; M has exactly one fixed point c* in [0, 1),
//                         which attracts every c^0 in [0, 1); chi_c = M'(c*) < 1.
//   critical (chi_1 = 1): c* = 1 with slope 1, power-law approach, no finite scale.
// In the ordered and chaotic phases |c^l - c*| ~ chi_c^l, the depth scale
//   xi_c = -1 / ln chi_c.
// Degenerate cases with no exponential scale:
//   scale_free: a homogeneous activation (linear, relu, leaky_relu) with sb2 = 0, or
//     tanh with q* = 0 (sb2 = 0, sw2 <= 1): M does not depend on sw2 (it is the
//     identity for linear and the q -> 0 limit of tanh; the arc-cosine map for relu,
//     whose slope at c = 1 is 1: 1 - c^l ~ 9 pi^2 / (2 l^2)); no finite xi_c.
//   no_fixed_point: q^l grows without bound (homogeneous with chi_1 > 1, or
//     chi_1 = 1 with sb2 > 0: relu at sw2 = 2 with bias has q^l = q0 + l sb2), so there
//     is no stationary correlation map.

#include <optional>
#include <string_view>

#include "core/activation.hpp"

namespace initlab::theory {

enum class CorrelationPhase { ordered, critical, chaotic, scale_free, no_fixed_point };
std::string_view to_string(CorrelationPhase p);

// |chi_1 - 1| at or below this is "critical": critical_sw2 solves chi_1 = 1 to relative
// 1e-12, and the trapezoid rule's error in chi_1 is below 1e-11 (gaussian.hpp).
inline constexpr double kCriticalChi1Tolerance = 1e-9;

struct CorrelationFixedPoint {
  CorrelationPhase phase = CorrelationPhase::no_fixed_point;
  double q = 0.0;      // q* (NaN for no_fixed_point)
  double chi1 = 0.0;   // sw2 E[phi'(sqrt(q*) z)^2]
  double c = 1.0;      // c* (NaN for no_fixed_point)
  double chi_c = 0.0;  // M'(c*) = sw2 E[phi'(u1) phi'(u2)] at (q*, c*) (NaN for no_fixed_point)
  std::optional<double> xi_c;  // -1 / ln chi_c when 0 <= chi_c < 1 (ordered, chaotic)
};

// E[phi'(u1) phi'(u2)], Var u1 = q1, Var u2 = q2, corr = c. Closed forms: linear 1;
// relu (pi - arccos c) / (2 pi); leaky_relu(s) s^2 + s(1-s) + (1-s)^2 (pi - arccos c)/(2 pi);
// tanh by gauss_expect2 of sech^2 sech^2; sigmoid = E[sech^2(v1) sech^2(v2)] / 16 at q/4;
// erf (4/pi) det(I + 2 Sigma)^-1/2; gelu, selu, silu, softplus by gauss_expect2.
double expected_derivative_product(Activation f, double q1, double q2, double c);

// chi_c(c) = sw2 E[phi'(u1) phi'(u2)] at Var u = q, corr c: the slope of the c-map.
double chi_c(Activation f, double sw2, double q, double c);

// The length fixed point reached from q0 (fixed_point), the phase, c*, chi_c and xi_c.
// The chaotic c* is found by bisection on M(c) - c to absolute 1e-14.
CorrelationFixedPoint correlation_fixed_point(Activation f, double sw2, double sb2,
                                              double q0 = 1.0);

}  // namespace initlab::theory
