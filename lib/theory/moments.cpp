// Moments of phi(u), u ~ N(0, q), per activation (see meanfield.hpp for the formulas).
#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "theory/meanfield.hpp"
#include "theory/smooth_moments.hpp"

namespace initlab::theory {

namespace {

using Kind = Activation::Kind;

void check_q(const char* func, double q) {
  if (!(q >= 0.0) || !std::isfinite(q))
    fail(func, "variance q = ", q, ", expected a finite q >= 0");
}

// Above this q the bounded activations switch to decaying integrands (docs/theory.md
// §3 documents the plain rule's accuracy up to q = 784, where it needs 2017 nodes).
constexpr double kDecayingFrom = 784.0;

double sech(double u) { return 1.0 / std::cosh(u); }  // cosh overflows to inf -> 0, correct
double tanh2(double u) {
  const double t = std::tanh(u);
  return t * t;
}
double sech2(double u) {
  const double s = sech(u);
  return s * s;
}
double sech4(double u) {
  const double s = sech2(u);
  return s * s;
}
double tanh2_sech2(double u) { return tanh2(u) * sech2(u); }

// tanh: phi' = sech^2, phi'' = -2 tanh sech^2. The trapezoid step h is the
// rule's at q for tanh itself; sigmoid passes the (finer) step of its own variance.
double plain_rule(double (*g)(double), double q, double h) { return gauss_expect_step(g, q, h); }

double tanh_second(double q, double h) {  // E[tanh^2]
  return q <= kDecayingFrom ? plain_rule(tanh2, q, h) : 1.0 - gauss_expect_decaying(sech2, q);
}
double tanh_dphi2(double q, double h) {  // E[sech^4]
  return q <= kDecayingFrom ? plain_rule(sech4, q, h) : gauss_expect_decaying(sech4, q);
}
double tanh_ddphi_phi(double q, double h) {  // E[-2 tanh^2 sech^2]
  return -2.0 *
         (q <= kDecayingFrom ? plain_rule(tanh2_sech2, q, h) : gauss_expect_decaying(tanh2_sech2, q));
}

ActivationMoments tanh_moments(double q, double h) {
  ActivationMoments m;
  m.q = q;
  m.second = tanh_second(q, h);
  m.mean = 0.0;
  m.variance = m.second;
  m.dphi2 = tanh_dphi2(q, h);
  m.ddphi_phi = tanh_ddphi_phi(q, h);
  return m;
}

// sigmoid(u) = (1 + tanh(u/2)) / 2 exactly, so with v = u/2 ~ N(0, q/4) (the
// integrals are taken on the z nodes of the rule at q, as for any E[f(sqrt(q) z)]):
//   E[s] = 1/2, Var s = E[tanh^2 v]/4, E[s'^2] = E[sech^4 v]/16,
//   E[s'' s] = -E[tanh^2 v sech^2 v]/8 (the odd part vanishes).
ActivationMoments sigmoid_moments(double q) {
  const ActivationMoments t = tanh_moments(q / 4.0, gauss_step(q));
  ActivationMoments m;
  m.q = q;
  m.mean = 0.5;
  m.variance = t.second / 4.0;
  m.second = 0.25 + m.variance;
  m.dphi2 = t.dphi2 / 16.0;
  m.ddphi_phi = t.ddphi_phi / 16.0;
  return m;
}

// leaky_relu with slope s (relu: s = 0, linear: s = 1), u ~ N(0, q).
ActivationMoments piecewise_linear_moments(double s, double q) {
  ActivationMoments m;
  m.q = q;
  m.second = 0.5 * (1.0 + s * s) * q;
  m.mean = (1.0 - s) * std::sqrt(q / (2.0 * std::numbers::pi));
  m.variance = (0.5 * (1.0 + s * s) - (1.0 - s) * (1.0 - s) / (2.0 * std::numbers::pi)) * q;
  m.dphi2 = 0.5 * (1.0 + s * s);
  m.ddphi_phi = 0.0;
  return m;
}

}  // namespace

ActivationMoments moments(Activation f, double q) {
  check_q("theory::moments", q);
  switch (f.kind) {
    case Kind::linear: {
      ActivationMoments m{q, q, 0.0, q, 1.0, 0.0};
      return m;
    }
    case Kind::relu:
      return piecewise_linear_moments(0.0, q);
    case Kind::leaky_relu:
      if (!std::isfinite(f.slope))
        fail("theory::moments", "leaky_relu slope = ", f.slope, ", expected a finite slope");
      return piecewise_linear_moments(f.slope, q);
    case Kind::tanh:
      return tanh_moments(q, gauss_step(q));
    case Kind::sigmoid:
      return sigmoid_moments(q);
    case Kind::gelu:
      return detail::gelu_moments(q);
    case Kind::selu:
      return detail::selu_moments(q);
    case Kind::silu:
      return detail::silu_moments(q);
    case Kind::erf:
      return detail::erf_moments(q);
    case Kind::softplus:
      return detail::softplus_moments(q);
  }
  fail("theory::moments", "unknown activation kind ", static_cast<int>(f.kind));
}

double second_moment(Activation f, double q) {
  check_q("theory::second_moment", q);
  if (f.kind == Kind::tanh) return tanh_second(q, gauss_step(q));
  if (f.kind == Kind::sigmoid) return 0.25 + tanh_second(q / 4.0, gauss_step(q)) / 4.0;
  if (f.kind == Kind::silu || f.kind == Kind::softplus) return detail::silu_softplus_second(f, q);
  return moments(f, q).second;
}

double dphi2(Activation f, double q) {
  check_q("theory::dphi2", q);
  if (f.kind == Kind::tanh) return tanh_dphi2(q, gauss_step(q));
  if (f.kind == Kind::sigmoid) return tanh_dphi2(q / 4.0, gauss_step(q)) / 16.0;
  if (f.kind == Kind::silu || f.kind == Kind::softplus) return detail::silu_softplus_dphi2(f, q);
  return moments(f, q).dphi2;
}

}  // namespace initlab::theory
