// Fixed point of the length map, depth scales and the edge of chaos
// (Schoenholz et al. 2017, arXiv:1611.01232, section 3).
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "theory/bisection.hpp"
#include "theory/meanfield.hpp"
#include "theory/scalar_activation.hpp"
#include "theory/smooth_moments.hpp"

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

// tanh and erf: odd, so q = 0 is fixed at sb2 = 0.
bool vanishes_at_zero_odd(Activation f) { return f.kind == Kind::tanh || f.kind == Kind::erf; }

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
  return bisect([&](double q) { return length_map(f, sw2, sb2, q) - q > 0.0; }, lo, hi, 0.0, 1e-15);
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
  // The map is increasing (V is increasing in q), so from q0 it moves monotonically
  // to the nearest root of g(q) = sw2 V(q) + sb2 - q in the direction of g(q0).
  // Bounded activations (phi^2 < 1) send [0, inf) into [0, sw2 + sb2]; the unbounded
  // smooth ones (gelu, selu, silu, softplus) may have no root above q0 (q^l diverges).
  auto g = [&](double q) { return length_map(f, sw2, sb2, q) - q; };
  const double g0 = g(q0);
  double q = q0;
  if (g0 > 0.0) {
    double hi = sw2 + sb2;
    if (detail::unbounded_smooth(f)) {
      // With sw2 kappa > 1 (kappa = lim V(q)/q) g stays > 0 beyond 1e30, where V/q is
      // kappa to 1e-15; otherwise a root exists and is bracketed below 1e270.
      const bool grows = sw2 * detail::asymptotic_unit_moments(f).second > 1.0;
      hi = std::fmax(2.0 * q0, 1.0);
      for (int k = 0; g(hi) > 0.0; ++k) {
        if (k == 900 || (grows && hi > 1e30)) {  // no root: q^l grows without bound
          p.kind = FixedPointKind::none;
          p.q = std::numeric_limits<double>::quiet_NaN();
          p.chi1 = sw2 * detail::asymptotic_unit_moments(f).dphi2;
          return p;
        }
        hi *= 2.0;
      }
    }
    q = bisect_root(f, sw2, sb2, q0, hi);
  } else if (g0 < 0.0) {
    if (g(0.0) > 0.0) {
      q = bisect_root(f, sw2, sb2, 0.0, q0);
    } else {
      // q = 0 is fixed (activate(0) = 0, sb2 = 0). tanh^2(x) < x^2 makes V(q) < q, so for
      // tanh with sw2 <= 1 it is the only one; otherwise look for g > 0 below q0.
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

namespace {

// chi_1(q*(sw2, sb2)) - 1 from q0 = 1; chi_1 = sw2 E[phi'^2] at q -> inf when q^l diverges.
double chi1_excess(Activation f, double sw2, double sb2) {
  return fixed_point(f, sw2, sb2, 1.0).chi1 - 1.0;
}

// Bisection on sw2 in [lo, hi] with excess(lo) <= 0 < excess(hi), to relative 1e-12.
double bisect_sw2(Activation f, double sb2, double lo, double hi) {
  return bisect([&](double sw2) { return !(chi1_excess(f, sw2, sb2) > 0.0); }, lo, hi, 0.0, 1e-12);
}

// phi'^2 is largest at u = 0 (tanh, sigmoid, erf): chi_1(q*) < sw2 phi'(0)^2, so
// chi_1 < 1 at sw2 = 1 / phi'(0)^2 and the edge lies above it.
bool peaked_derivative(Activation f) {
  return f.kind == Kind::tanh || f.kind == Kind::sigmoid || f.kind == Kind::erf;
}

}  // namespace

CriticalPoint critical_point(Activation f, double sb2) {
  check_nonneg("theory::critical_point", "sb2", sb2);
  CriticalPoint c;
  if (homogeneous(f)) {  // chi_1 = sw2 E[phi'^2], q-free
    c.sw2 = 1.0 / moments(f, 1.0).dphi2;
    return c;
  }
  if (peaked_derivative(f)) {
    const double d0 = activate_derivative(f, 0.0);
    double lo = 1.0 / (d0 * d0);
    // tanh, erf with sb2 = 0: q* = 0 and chi_1 = sw2 phi'(0)^2 below the edge.
    if (sb2 == 0.0 && vanishes_at_zero_odd(f)) {
      c.sw2 = lo;
      return c;
    }
    double hi = 2.0 * lo;
    for (int k = 0; chi1_excess(f, hi, sb2) <= 0.0; ++k) {
      if (k == 60) {
        c.why_none = cat("chi_1(q*) stays below 1 for sw2 up to ", hi);
        return c;
      }
      lo = hi;
      hi *= 2.0;
    }
    c.sw2 = bisect_sw2(f, sb2, lo, hi);
    return c;
  }
  // gelu, selu, silu, softplus: scan sw2 = 2^(k/8) from 1/16 to 256 for the first
  // sign change of chi_1(q*) - 1, bisect it, and accept it only where chi_1 = 1 is met
  // (|chi_1 - 1| <= 1e-6), not where q* jumps (a fixed point appears or is lost).
  double lo = 1.0 / 16.0;
  double prev = chi1_excess(f, lo, sb2);
  for (int k = 1; k <= 96; ++k) {
    const double hi = std::exp2(k / 8.0 - 4.0);
    const double cur = chi1_excess(f, hi, sb2);
    if (prev <= 0.0 && cur > 0.0) {
      const double s = bisect_sw2(f, sb2, lo, hi);
      const FixedPoint p = fixed_point(f, s, sb2, 1.0);
      if (p.kind == FixedPointKind::none || p.q > 1e20) {
        c.why_none = cat("chi_1(q*) reaches 1 only as q* -> infinity at sw2 = ", s,
                         " (relu's edge; q^l diverges above it)");
      } else if (std::fabs(p.chi1 - 1.0) <= 1e-6) {
        c.sw2 = s;
      } else {
        c.why_none = cat("chi_1(q*) jumps across 1 at sw2 = ", s,
                         " (the fixed point reached from q0 = 1 changes there)");
      }
      return c;
    }
    lo = hi;
    prev = cur;
  }
  c.why_none = "chi_1(q*) does not cross 1 for sw2 in [1/16, 256]";
  return c;
}

double critical_sw2(Activation f, double sb2) {
  const CriticalPoint c = critical_point(f, sb2);
  if (!c.exists())
    fail("theory::critical_sw2", f.name(), " at sb2 = ", sb2, ": no edge of chaos, ", c.why_none);
  return c.sw2;
}

double fixed_q_sw2(Activation f, double q, double sb2) {
  const char* func = "theory::fixed_q_sw2";
  check_nonneg(func, "sb2", sb2);
  if (!(q > sb2) || !std::isfinite(q)) fail(func, "q = ", q, ", expected a finite q > sb2 = ", sb2);
  const double v = second_moment(f, q);
  if (!(v > 0.0)) fail(func, f.name(), " has E[phi^2] = 0 at q = ", q, ": no sw2 keeps q fixed");
  return (q - sb2) / v;
}

}  // namespace initlab::theory
