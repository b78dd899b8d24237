// First-order finite-width corrections of the length map (see finite_width.hpp).
#include "theory/finite_width.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "theory/gaussian.hpp"
#include "theory/meanfield.hpp"
#include "theory/scalar_activation.hpp"

namespace initlab::theory {

namespace {
using Kind = Activation::Kind;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

SecondMomentDerivatives second_moment_derivatives(Activation f, double q) {
  if (!(q >= 0.0) || !std::isfinite(q)) {
    fail("theory::second_moment_derivatives", "q = ", q, ", expected a finite q >= 0");
  }
  SecondMomentDerivatives d;
  // Homogeneous activations: V = c q exactly, E[phi^4] = 3 c4 q^2.
  if (f.kind == Kind::linear || f.kind == Kind::relu || f.kind == Kind::leaky_relu) {
    const double s = f.kind == Kind::linear ? 1.0 : f.kind == Kind::relu ? 0.0 : f.slope;
    const double c2 = f.kind == Kind::linear ? 1.0 : 0.5 * (1.0 + s * s);
    const double c4 = f.kind == Kind::linear ? 1.0 : 0.5 * (1.0 + s * s * s * s);
    d.v = c2 * q;
    d.dv = c2;
    d.fourth = 3.0 * c4 * q * q;
    return d;
  }
  // Bounded activations: derivatives in the variance through the Gaussian density,
  //   dV/dq = E[phi^2 (z^2 - 1)] / (2 q),  d2V/dq2 = E[phi^2 (z^4 - 6 z^2 + 3)] / (4 q^2).
  d.v = second_moment(f, q);
  d.fourth = gauss_expect([&](double u) { const double a = activate(f, u); return a * a * a * a; }, q);
  if (q == 0.0) return d;
  d.dv = gauss_expect([&](double u) {
    const double a = activate(f, u), z2 = u * u / q;
    return a * a * (z2 - 1.0);
  }, q) / (2.0 * q);
  d.d2v = gauss_expect([&](double u) {
    const double a = activate(f, u), z2 = u * u / q;
    return a * a * (z2 * z2 - 6.0 * z2 + 3.0);
  }, q) / (4.0 * q * q);
  return d;
}

std::vector<FiniteWidthLayer> finite_width_correction(Activation f, std::span<const double> sw2,
                                                      std::span<const std::size_t> widths,
                                                      double sb2, double q0, WeightLaw law) {
  const char* func = "theory::finite_width_correction";
  const std::size_t L = sw2.size();
  if (L == 0 || widths.size() != L + 1) {
    fail(func, sw2.size(), " layers and ", widths.size(), " widths, expected L >= 1 and L + 1 widths");
  }
  if (law == WeightLaw::orthogonal) {
    if (sb2 != 0.0) fail(func, "sb2 = ", sb2, " with orthogonal weights, expected 0");
    for (std::size_t l = 1; l <= L; ++l) {
      if (widths[l] != widths[l - 1]) {
        fail(func, "widths ", shape_str(widths), " with orthogonal weights, expected square layers");
      }
    }
  }
  std::vector<FiniteWidthLayer> out(L);
  double rbar = q0, d = 0.0, v = 0.0;
  for (std::size_t l = 1; l <= L; ++l) {
    const double s = sw2[l - 1], n = static_cast<double>(widths[l]);
    const double q = s * rbar + sb2;
    if (!std::isfinite(q)) {
      // Beyond double: no correction is defined from here on (NaN, never a number).
      for (std::size_t k = l; k <= L; ++k) out[k - 1] = {kNaN, kNaN};
      break;
    }
    out[l - 1].rel_q = q > 0.0 ? s * d / q : 0.0;
    const SecondMomentDerivatives m = second_moment_derivatives(f, q);
    const bool orth = law == WeightLaw::orthogonal;
    const double shift = orth ? -q * q * m.d2v : 0.0;
    const double var = m.fourth - m.v * m.v - (orth ? 2.0 * q * q * m.dv * m.dv : 0.0);
    const double d_next = s * m.dv * d + 0.5 * s * s * m.d2v * v + shift / n;
    v = s * s * m.dv * m.dv * v + std::max(var, 0.0) / n;
    d = d_next;
    rbar = m.v;
    out[l - 1].rel_a2 = rbar > 0.0 ? d / rbar : 0.0;
  }
  return out;
}

}  // namespace initlab::theory
