// Moments of gelu, selu, erf, silu and softplus at u ~ N(0, q) (see smooth_moments.hpp;
// derivations in docs/theory.md §23).
#include "theory/smooth_moments.hpp"

#include <cmath>
#include <functional>
#include <numbers>

#include "theory/gaussian.hpp"
#include "theory/scalar_activation.hpp"

namespace initlab::theory::detail {

namespace {

using Kind = Activation::Kind;
constexpr double kPi = std::numbers::pi;
// As for tanh (moments.cpp): the plain rule up to q = 784, decaying integrands above.
constexpr double kDecayingFrom = 784.0;

// E[e^{k u} 1{u < 0}] = e^{k^2 q / 2} Phi(-k sqrt q) = erfcx(k sqrt(q / 2)) / 2.
double exp_below_zero(double k, double q) { return 0.5 * erfcx(k * std::sqrt(0.5 * q)); }

// erfcx(x) - 1: below x = 1 as expm1(x^2) erfc(x) - erf(x), both terms accurate as x -> 0.
double erfcx_minus_one(double x) {
  return x < 1.0 ? std::expm1(x * x) * std::erfc(x) - std::erf(x) : erfcx(x) - 1.0;
}

// erfcx(2x) - 2 erfcx(x) + 1 = 2 x^2 - ... : for x < 1/2 by the series
// erfcx(x) = sum_n (-x)^n / Gamma(n/2 + 1), whose n = 0, 1 terms cancel exactly
// (the direct difference would lose all digits as x -> 0); directly above.
double erfcx_second_difference(double x) {
  if (x >= 0.5) return erfcx(2.0 * x) - 2.0 * erfcx(x) + 1.0;
  double sum = 0.0, p = x * x;  // p = (-x)^n
  for (int n = 2; n < 60; ++n, p *= -x) {
    const double term = p * (std::ldexp(1.0, n) - 2.0) / std::tgamma(0.5 * n + 1.0);
    sum += term;
    if (std::fabs(term) <= 1e-17 * std::fabs(sum)) break;
  }
  return sum;
}

// q > 784: phi = gelu + D with D = phi - gelu decaying like |u| e^-|u| and analytic
// (the kinks of the two relu limits cancel), so each moment is gelu's closed form plus
// a decaying integral; phi'' itself decays. remainder(f) gives D and D' without
// cancellation.
struct Remainder {
  double (*d)(double);
  double (*dd)(double);
};

double silu_d(double u) { return u * logistic_minus_normal_cdf(u); }
double silu_dd(double u) {
  return logistic_minus_normal_cdf(u) + u * (logistic(u) * logistic(-u) - normal_pdf(u));
}
// softplus - gelu = ln(1 + e^-|u|) + |u| Phi(-|u|); its derivative sigma - Phi - u phi_N.
double softplus_d(double u) {
  const double a = std::fabs(u);
  return std::log1p(std::exp(-a)) + a * normal_cdf(-a);
}
double softplus_dd(double u) { return logistic_minus_normal_cdf(u) - u * normal_pdf(u); }

Remainder remainder(Activation f) {
  return f.kind == Kind::silu ? Remainder{silu_d, silu_dd} : Remainder{softplus_d, softplus_dd};
}

const Activation kGelu{Kind::gelu};

double quadrature_second(Activation f, double q) {
  if (q <= kDecayingFrom) return gauss_expect([&](double u) { return activate(f, u) * activate(f, u); }, q);
  const Remainder r = remainder(f);
  return gelu_moments(q).second +
         gauss_expect_decaying([&](double u) { return r.d(u) * (activate(f, u) + activate(kGelu, u)); }, q);
}

double quadrature_dphi2(Activation f, double q) {
  if (q <= kDecayingFrom)
    return gauss_expect([&](double u) { return activate_derivative(f, u) * activate_derivative(f, u); }, q);
  const Remainder r = remainder(f);
  return gelu_moments(q).dphi2 + gauss_expect_decaying(
                                     [&](double u) { return r.dd(u) * (activate_derivative(f, u) + activate_derivative(kGelu, u)); },
                                     q);
}

// silu, softplus: every integrand analytic in |Im u| < pi.
ActivationMoments quadrature_moments(Activation f, double q) {
  ActivationMoments m;
  m.q = q;
  m.second = quadrature_second(f, q);
  m.dphi2 = quadrature_dphi2(f, q);
  auto ddphi_phi = [&](double u) { return activate_second_derivative(f, u) * activate(f, u); };
  if (q <= kDecayingFrom) {
    m.mean = gauss_expect([&](double u) { return activate(f, u); }, q);
    m.variance = gauss_expect(
        [&](double u) {
          const double d = activate(f, u) - m.mean;
          return d * d;
        },
        q);
    m.ddphi_phi = gauss_expect(ddphi_phi, q);
  } else {
    m.mean = gelu_moments(q).mean + gauss_expect_decaying(remainder(f).d, q);
    m.variance = m.second - m.mean * m.mean;
    m.ddphi_phi = gauss_expect_decaying(ddphi_phi, q);
  }
  return m;
}

}  // namespace

double erfcx(double x) {
  if (x < 10.0) {
    // exp(x^2) with x^2 = hi + lo split exactly, so the exponent carries no rounding.
    const double hi = x * x;
    const double lo = std::fma(x, x, -hi);
    return std::exp(hi) * (1.0 + lo) * std::erfc(x);
  }
  // Asymptotic series 1/(x sqrt pi) sum_n (-1)^n (2n-1)!! / (2 x^2)^n: at x >= 10 the
  // terms fall below 1e-17 of the first long before they start to grow (n ~ 100).
  const double r = 1.0 / (2.0 * x * x);
  double term = 1.0, sum = 1.0;
  for (int n = 1; n < 60 && std::fabs(term) > 1e-18; ++n) {
    term *= -(2.0 * n - 1.0) * r;
    sum += term;
  }
  return sum * std::numbers::inv_sqrtpi / x;
}

ActivationMoments gelu_moments(double q) {
  // With A = asin(q/(1+q)) = atan(q / sqrt(1+2q)) and R = q / ((1+q) sqrt(1+2q)):
  //   E[phi] = q / sqrt(2 pi (1+q)),   E[phi^2] = q (1/4 + A/(2 pi)) + q R / pi,
  //   E[phi'^2] = 1/4 + A/(2 pi) + R/pi + q / (2 pi (1+2q)^{3/2}),
  //   E[phi'' phi] = dV/dq - E[phi'^2] = R/pi (3/2 - q/(1+q) - q/(1+2q)) - q/(2 pi (1+2q)^{3/2}).
  const double r2 = std::sqrt(1.0 + 2.0 * q);
  const double A = std::atan2(q, r2);
  const double R = q / (1.0 + q) / r2;
  const double tail = q / (2.0 * kPi * (1.0 + 2.0 * q) * r2);
  ActivationMoments m;
  m.q = q;
  m.mean = q / std::sqrt(2.0 * kPi * (1.0 + q));
  m.second = q * (0.25 + A / (2.0 * kPi)) + q * R / kPi;
  m.variance = m.second - m.mean * m.mean;
  m.dphi2 = 0.25 + A / (2.0 * kPi) + R / kPi + tail;
  m.ddphi_phi = R / kPi * (1.5 - q / (1.0 + q) - q / (1.0 + 2.0 * q)) - tail;
  return m;
}

ActivationMoments selu_moments(double q) {
  // With E_k = E[e^{k u} 1{u < 0}] (the point mass of phi'' at 0 meets activate(0) = 0):
  //   E[phi] = lambda sqrt(q / (2 pi)) + lambda alpha (E_1 - 1/2)
  //   E[phi^2] = lambda^2 q / 2 + (lambda alpha)^2 (E_2 - 2 E_1 + 1/2)
  //   E[phi'^2] = lambda^2 / 2 + (lambda alpha)^2 E_2,  E[phi'' phi] = (lambda alpha)^2 (E_2 - E_1)
  // With x = sqrt(q/2): E_k - 1/2 = (erfcx(k x) - 1) / 2 and E_2 - 2 E_1 + 1/2 =
  // (erfcx(2x) - 2 erfcx(x) + 1) / 2, each taken without cancellation at small q.
  const double l = kSeluLambda, la = kSeluLambda * kSeluAlpha;
  const double x = std::sqrt(0.5 * q);
  const double e1m = 0.5 * erfcx_minus_one(x), e2m = 0.5 * erfcx_minus_one(2.0 * x);
  ActivationMoments m;
  m.q = q;
  m.mean = l * std::sqrt(q / (2.0 * kPi)) + la * e1m;
  m.second = 0.5 * l * l * q + la * la * 0.5 * erfcx_second_difference(x);
  m.variance = m.second - m.mean * m.mean;
  m.dphi2 = 0.5 * l * l + la * la * exp_below_zero(2.0, q);
  m.ddphi_phi = la * la * (e2m - e1m);
  return m;
}

ActivationMoments erf_moments(double q) {
  // E[erf^2] = (2/pi) asin(2q/(1+2q)) = (2/pi) atan(2q / sqrt(1+4q)),
  // E[erf'^2] = (4/pi) / sqrt(1+4q), E[erf'' erf] = -8q / (pi (1+2q) sqrt(1+4q)).
  const double r4 = std::sqrt(1.0 + 4.0 * q);
  ActivationMoments m;
  m.q = q;
  m.mean = 0.0;
  m.second = 2.0 / kPi * std::atan2(2.0 * q, r4);
  m.variance = m.second;
  m.dphi2 = 4.0 / (kPi * r4);
  m.ddphi_phi = -8.0 * q / (kPi * (1.0 + 2.0 * q) * r4);
  return m;
}

ActivationMoments silu_moments(double q) { return quadrature_moments(Activation{Kind::silu}, q); }
ActivationMoments softplus_moments(double q) {
  return quadrature_moments(Activation{Kind::softplus}, q);
}
double silu_softplus_second(Activation f, double q) { return quadrature_second(f, q); }
double silu_softplus_dphi2(Activation f, double q) { return quadrature_dphi2(f, q); }

double erf_product(double q1, double q2, double c) {
  const double x = 2.0 * c * std::sqrt(q1 * q2) / std::sqrt((1.0 + 2.0 * q1) * (1.0 + 2.0 * q2));
  return 2.0 / kPi * std::asin(std::fmin(1.0, std::fmax(-1.0, x)));
}

double erf_derivative_product(double q1, double q2, double c) {
  // (4/pi) E[exp(-u1^2 - u2^2)] = (4/pi) det(I + 2 Sigma)^{-1/2}.
  const double det = (1.0 + 2.0 * q1) * (1.0 + 2.0 * q2) - 4.0 * c * c * q1 * q2;
  return 4.0 / (kPi * std::sqrt(det));
}

bool vanishes_at_zero(Activation f) { return f.kind != Kind::sigmoid && f.kind != Kind::softplus; }

SmallQ small_q_moments(Activation f) {
  SmallQ c;
  if (f.kind == Kind::selu) {
    // phi ~ lambda u (u > 0), lambda alpha u (u < 0): E[phi] ~ lambda (1 - alpha) sqrt(q / (2 pi)).
    const double l2 = kSeluLambda * kSeluLambda;
    c.second = 0.5 * l2 * (1.0 + kSeluAlpha * kSeluAlpha);
    c.mean_sqrt = kSeluLambda * (1.0 - kSeluAlpha) / std::sqrt(2.0 * kPi);
    c.variance = c.second - c.mean_sqrt * c.mean_sqrt;
    c.second_dphi2 = c.second;
    return c;
  }
  // phi ~ phi'(0) u + phi''(0) u^2 / 2: E[phi] ~ phi''(0) q / 2, Var ~ E[phi^2] ~ phi'(0)^2 q.
  const double d = activate_derivative(f, 0.0);
  c.second = c.variance = c.second_dphi2 = d * d;
  c.mean_linear = 0.5 * activate_second_derivative(f, 0.0);
  return c;
}

bool unbounded_smooth(Activation f) {
  return f.kind == Kind::gelu || f.kind == Kind::selu || f.kind == Kind::silu ||
         f.kind == Kind::softplus;
}

ActivationMoments asymptotic_unit_moments(Activation f) {
  const double s = f.kind == Kind::selu ? kSeluLambda : 1.0;
  ActivationMoments m;
  m.q = 1.0;
  m.second = 0.5 * s * s;
  m.mean = s / std::sqrt(2.0 * kPi);
  m.variance = s * s * (kPi - 1.0) / (2.0 * kPi);
  m.dphi2 = 0.5 * s * s;
  m.ddphi_phi = 0.0;
  return m;
}

}  // namespace initlab::theory::detail
