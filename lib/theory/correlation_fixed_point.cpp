// c*, chi_c and xi_c in both phases (see correlation_fixed_point.hpp).
#include "theory/correlation_fixed_point.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "core/error.hpp"
#include "theory/bisection.hpp"
#include "theory/gaussian.hpp"
#include "theory/meanfield.hpp"
#include "theory/scalar_activation.hpp"
#include "theory/smooth_moments.hpp"

namespace initlab::theory {

namespace {

using Kind = Activation::Kind;

bool homogeneous(Activation f) {
  return f.kind == Kind::linear || f.kind == Kind::relu || f.kind == Kind::leaky_relu;
}

double sech2(double u) {
  const double s = 1.0 / std::cosh(u);
  return s * s;
}

double tanh_derivative_product(double q1, double q2, double c) {
  return gauss_expect2([](double u1, double u2) { return sech2(u1) * sech2(u2); }, q1, q2, c);
}

// The chaotic fixed point: g(c) = M(c) - c is convex on [0, 1] with g(0) >= 0,
// g(1) = 0 and g'(1) = chi_1 - 1 > 0, so it has one root in [0, 1). Walk towards 1
// (c = 1 - 2^-k) to the first point with g < 0, then bisect.
// A residual g(0) at or below 1e-13 (the trapezoid rule's error, gaussian.hpp) is
// read as an exact root at 0, as for the odd tanh map with sb2 = 0.
double chaotic_c(Activation f, double sw2, double sb2, double q) {
  auto g = [&](double c) { return correlation_map(f, sw2, sb2, q, c) - c; };
  if (g(0.0) <= 1e-13) return 0.0;
  double lo = 0.0;
  double hi = 0.5;
  for (int k = 1; g(hi) >= 0.0; ++k) {
    if (k == 50) return 1.0;  // chi_1 - 1 below the rule's resolution: numerically critical
    lo = hi;
    hi = 1.0 - std::ldexp(1.0, -(k + 1));
  }
  return bisect([&](double c) { return g(c) > 0.0; }, lo, hi, 1e-14, 0.0);
}

std::optional<double> scale(double chi) {
  if (!(chi >= 0.0 && chi < 1.0)) return std::nullopt;
  if (chi == 0.0) return 0.0;
  return -1.0 / std::log(chi);
}

}  // namespace

std::string_view to_string(CorrelationPhase p) {
  switch (p) {
    case CorrelationPhase::ordered:
      return "ordered";
    case CorrelationPhase::critical:
      return "critical";
    case CorrelationPhase::chaotic:
      return "chaotic";
    case CorrelationPhase::scale_free:
      return "scale_free";
    case CorrelationPhase::no_fixed_point:
      return "no_fixed_point";
  }
  return "unknown";
}

double expected_derivative_product(Activation f, double q1, double q2, double c) {
  const char* func = "theory::expected_derivative_product";
  if (!(c >= -1.0 && c <= 1.0)) fail(func, "correlation c = ", c, ", expected c in [-1, 1]");
  if (!(q1 >= 0.0) || !std::isfinite(q1)) fail(func, "q1 = ", q1, ", expected a finite q1 >= 0");
  if (!(q2 >= 0.0) || !std::isfinite(q2)) fail(func, "q2 = ", q2, ", expected a finite q2 >= 0");
  const double both_positive = (std::numbers::pi - std::acos(c)) / (2.0 * std::numbers::pi);
  switch (f.kind) {
    case Kind::linear:
      return 1.0;
    case Kind::relu:
      return both_positive;
    case Kind::leaky_relu: {
      // phi' = s + (1-s) 1[u > 0] and P(u > 0) = 1/2.
      const double s = f.slope;
      return s * s + s * (1.0 - s) + (1.0 - s) * (1.0 - s) * both_positive;
    }
    case Kind::tanh:
      return tanh_derivative_product(q1, q2, c);
    case Kind::sigmoid:
      // sigmoid'(u) = sech^2(u/2) / 4.
      return tanh_derivative_product(q1 / 4.0, q2 / 4.0, c) / 16.0;
    case Kind::erf:
      return detail::erf_derivative_product(q1, q2, c);
    case Kind::gelu:
    case Kind::selu:
    case Kind::silu:
    case Kind::softplus:
      return gauss_expect2([f](double u1, double u2) { return activate_derivative(f, u1) * activate_derivative(f, u2); }, q1, q2,
                           c);
  }
  fail(func, "unknown activation kind ", static_cast<int>(f.kind));
}

double chi_c(Activation f, double sw2, double q, double c) {
  if (!(sw2 >= 0.0) || !std::isfinite(sw2))
    fail("theory::chi_c", "sw2 = ", sw2, ", expected a finite sw2 >= 0");
  return sw2 * expected_derivative_product(f, q, q, c);
}

CorrelationFixedPoint correlation_fixed_point(Activation f, double sw2, double sb2, double q0) {
  const FixedPoint p = fixed_point(f, sw2, sb2, q0);
  CorrelationFixedPoint r;
  r.chi1 = p.chi1;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (p.kind == FixedPointKind::none) {
    r.phase = CorrelationPhase::no_fixed_point;
    r.q = r.c = r.chi_c = nan;
    return r;
  }
  r.q = p.q;
  if ((homogeneous(f) && sb2 == 0.0) || p.q == 0.0) {
    // The map is scale-free (or its q -> 0 limit): slope 1 at c = 1 whatever sw2.
    r.phase = CorrelationPhase::scale_free;
    r.c = 1.0;
    r.chi_c = 1.0;
    return r;
  }
  if (std::fabs(p.chi1 - 1.0) <= kCriticalChi1Tolerance) {
    r.phase = CorrelationPhase::critical;
    r.c = 1.0;
    r.chi_c = p.chi1;
    return r;
  }
  if (p.chi1 < 1.0) {
    r.phase = CorrelationPhase::ordered;
    r.c = 1.0;
    r.chi_c = p.chi1;
  } else {
    r.phase = CorrelationPhase::chaotic;
    r.c = chaotic_c(f, sw2, sb2, p.q);
    r.chi_c = chi_c(f, sw2, p.q, r.c);
  }
  r.xi_c = scale(r.chi_c);
  return r;
}

}  // namespace initlab::theory
