// Moments of the Jacobian's squared singular values (see jacobian_spectrum.hpp).
#include "theory/jacobian_spectrum.hpp"

#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "theory/gaussian.hpp"
#include "theory/meanfield.hpp"
#include "theory/scalar_activation.hpp"
#include "theory/smooth_moments.hpp"

namespace initlab::theory {

namespace {
using Kind = Activation::Kind;

double sech8(double u) {
  const double s = 1.0 / std::cosh(u);
  const double s2 = s * s;
  return s2 * s2 * s2 * s2;
}

// E[sech^8(sqrt(q) z)] by the trapezoid rule at half of gauss_expect's step: the
// order-8 poles at u = +-i pi/2 leave gauss_expect's step at ~4e-9 relative (measured
// against step 0.01 in z: 3.6e-10 absolute at q = 0.5); half the step squares the
// exponentially small factor (tests/theory/jacobian_spectrum_test.cpp: <= 1e-12).
double e_sech8(double q) { return gauss_expect_step(sech8, q, 0.5 * gauss_step(q)); }
}  // namespace

std::string_view to_string(WeightEnsemble w) {
  return w == WeightEnsemble::gaussian ? "gaussian" : "orthogonal";
}

double s_transform_s1(WeightEnsemble w) { return w == WeightEnsemble::gaussian ? -1.0 : 0.0; }

double dphi4(Activation f, double q) {
  if (!(q >= 0.0) || !std::isfinite(q)) fail("theory::dphi4", "q = ", q, ", expected a finite q >= 0");
  switch (f.kind) {
    case Kind::linear:
      return 1.0;
    case Kind::relu:
      return 0.5;
    case Kind::leaky_relu: {
      const double s2 = f.slope * f.slope;
      return 0.5 * (1.0 + s2 * s2);
    }
    case Kind::tanh:
      return e_sech8(q);
    case Kind::sigmoid:
      // sigmoid'(u) = sech^2(u/2) / 4, so phi'^4 = sech^8(u/2) / 256.
      return e_sech8(q / 4.0) / 256.0;
    case Kind::erf:
      // phi'^4 = (16 / pi^2) e^{-4u^2}: E = (16 / pi^2) / sqrt(1 + 8q).
      return 16.0 / (std::numbers::pi * std::numbers::pi * std::sqrt(1.0 + 8.0 * q));
    case Kind::selu: {
      // lambda^4 [u > 0] + (lambda alpha)^4 e^{4u} [u < 0]: lambda^4 / 2 + (lambda alpha)^4 E_4.
      const double l2 = kSeluLambda * kSeluLambda, la2 = l2 * kSeluAlpha * kSeluAlpha;
      return 0.5 * l2 * l2 + la2 * la2 * 0.5 * detail::erfcx(4.0 * std::sqrt(0.5 * q));
    }
    case Kind::gelu:
    case Kind::silu:
    case Kind::softplus: {
      // The plain rule (phi' analytic in |Im u| < pi); its 72 sqrt(q) nodes bound q.
      if (q > 1e8) fail("theory::dphi4", f.name(), " at q = ", q, ": expected q <= 1e8");
      return gauss_expect(
          [f](double u) {
            const double d = activate_derivative(f, u);
            return d * d * d * d;
          },
          q);
    }
  }
  fail("theory::dphi4", "unknown activation kind ", static_cast<int>(f.kind));
}

std::vector<SpectrumMoments> jacobian_spectrum_along(Activation f, WeightEnsemble w, double sw2,
                                                     std::span<const double> q_layers) {
  if (!(sw2 >= 0.0) || !std::isfinite(sw2))
    fail("theory::jacobian_spectrum", "sw2 = ", sw2, ", expected a finite sw2 >= 0");
  std::vector<SpectrumMoments> out;
  double ln_m1 = 0.0, excess = 0.0;  // ln m1 and sum_l (mu2/mu1^2 - 1 - s1)
  for (double q : q_layers) {
    const double mu1 = dphi2(f, q), mu2 = dphi4(f, q);
    ln_m1 += std::log(sw2 * mu1);
    excess += mu2 / (mu1 * mu1) - 1.0 - s_transform_s1(w);
    const double m1 = std::exp(ln_m1);
    out.push_back({m1, m1 * m1 * excess});
  }
  return out;
}

SpectrumMoments jacobian_spectrum(Activation f, WeightEnsemble w, double sw2, double q,
                                  std::size_t depth) {
  if (depth == 0) return {1.0, 0.0};
  const std::vector<double> qs(depth, q);
  return jacobian_spectrum_along(f, w, sw2, qs).back();
}

}  // namespace initlab::theory
