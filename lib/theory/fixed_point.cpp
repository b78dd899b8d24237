// Fixed point of the length map, depth scales and the edge of chaos
// (Schoenholz et al. 2017, arXiv:1611.01232, section 3).
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "theory/meanfield.hpp"

namespace initlab::theory {

namespace {

using Kind = Activation::Kind;

void check_nonneg(const char* func, const char* name, double v) {
  if (!(v >= 0.0) || !std::isfinite(v))
    fail(func, name, " = ", v, ", expected a finite value >= 0");
}

bool homogeneous(Activation f) {
  return f.kind == Kind::linear || f.kind == Kind::relu || f.kind == Kind::leaky_relu;
}

// -1 / ln(x) for 0 <= x < 1 (0 at x = 0); empty when there is no finite scale.
std::optional<double> depth_scale(double x) {
  if (!(x < 1.0) || !(x >= 0.0)) return std::nullopt;
  if (x == 0.0) return 0.0;
  return -1.0 / std::log(x);
}

void fill_depth_scales(FixedPoint& p, Activation f, double sw2) {
  const ActivationMoments m = moments(f, p.q);
  p.chi1 = sw2 * m.dphi2;
  p.xi_q = depth_scale(p.chi1 + sw2 * m.ddphi_phi);
  p.xi_c = depth_scale(p.chi1);
}

// Bisection for g(q) = sw2 V(q) + sb2 - q on [lo, hi] with g(lo) > 0 > g(hi).
double bisect_root(Activation f, double sw2, double sb2, double lo, double hi) {
  for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (length_map(f, sw2, sb2, mid) - mid > 0.0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

std::string_view to_string(FixedPointKind k) {
  switch (k) {
    case FixedPointKind::positive:
      return "positive";
    case FixedPointKind::zero:
      return "zero";
    case FixedPointKind::marginal:
      return "marginal";
    case FixedPointKind::none:
      return "none";
  }
  return "unknown";
}

FixedPoint fixed_point(Activation f, double sw2, double sb2, double q0) {
  const char* func = "theory::fixed_point";
  check_nonneg(func, "sw2", sw2);
  check_nonneg(func, "sb2", sb2);
  check_nonneg(func, "q0", q0);
  FixedPoint p;
  if (homogeneous(f)) {
    // q^l = a q^{l-1} + sb2 with a = sw2 E[phi^2]/q = chi_1.
    const double a = sw2 * moments(f, 1.0).second;
    if (a < 1.0) {
      p.q = sb2 / (1.0 - a);
      p.kind = sb2 > 0.0 ? FixedPointKind::positive : FixedPointKind::zero;
      fill_depth_scales(p, f, sw2);
    } else if (a == 1.0 && sb2 == 0.0) {
      p.kind = FixedPointKind::marginal;
      p.q = q0;
      fill_depth_scales(p, f, sw2);
    } else {
      p.kind = FixedPointKind::none;
      p.q = std::numeric_limits<double>::quiet_NaN();
      p.chi1 = sw2 * moments(f, 1.0).dphi2;
    }
    return p;
  }
  // Bounded activations (phi^2 < 1): the map sends [0, inf) into [0, sw2 + sb2]
  // and is increasing, so from q0 it moves monotonically to the nearest root of
  // g(q) = sw2 V(q) + sb2 - q in the direction of g(q0).
  auto g = [&](double q) { return length_map(f, sw2, sb2, q) - q; };
  const double g0 = g(q0);
  double q = q0;
  if (g0 > 0.0) {
    q = bisect_root(f, sw2, sb2, q0, sw2 + sb2);
  } else if (g0 < 0.0) {
    if (g(0.0) > 0.0) {
      q = bisect_root(f, sw2, sb2, 0.0, q0);
    } else {
      // q = 0 is fixed (tanh, sb2 = 0). tanh^2(x) < x^2 makes V(q) < q, so for
      // sw2 <= 1 it is the only one; otherwise look for g > 0 below q0.
      q = 0.0;
      if (!(f.kind == Kind::tanh && sw2 <= 1.0)) {
        double lo = q0;
        for (int k = 0; k < 2000 && lo > 1e-300; ++k) {
          lo *= 0.5;
          if (g(lo) > 0.0) {
            q = bisect_root(f, sw2, sb2, lo, 2.0 * lo);
            break;
          }
        }
      }
    }
  }
  p.q = q;
  p.kind = q > 0.0 ? FixedPointKind::positive : FixedPointKind::zero;
  fill_depth_scales(p, f, sw2);
  return p;
}

double critical_sw2(Activation f, double sb2) {
  const char* func = "theory::critical_sw2";
  check_nonneg(func, "sb2", sb2);
  if (homogeneous(f)) return 1.0 / moments(f, 1.0).dphi2;  // chi_1 = sw2 E[phi'^2], q-free
  if (f.kind == Kind::tanh && sb2 == 0.0) return 1.0;      // q* = 0, chi_1 = sw2 phi'(0)^2
  // chi_1(q*(sw2)) - 1 changes sign between lo and hi; chi_1 < 1 at lo because
  // phi'^2 < phi'(0)^2 away from 0 (tanh: 1, sigmoid: 1/16) and q* > 0.
  auto excess = [&](double sw2) { return fixed_point(f, sw2, sb2, 1.0).chi1 - 1.0; };
  double lo = f.kind == Kind::tanh ? 1.0 : 16.0;
  double hi = 2.0 * lo;
  for (int k = 0; excess(hi) <= 0.0; ++k) {
    if (k == 60) fail(func, "no critical sw2 below ", hi, " at sb2 = ", sb2);
    lo = hi;
    hi *= 2.0;
  }
  while (hi - lo > 1e-12 * hi) {
    const double mid = 0.5 * (lo + hi);
    (excess(mid) > 0.0 ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace initlab::theory
