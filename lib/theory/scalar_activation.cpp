// Scalar phi, phi' and phi'' (see scalar_activation.hpp).
#include "theory/scalar_activation.hpp"

#include <cmath>
#include <numbers>

#include "core/error.hpp"

namespace initlab::theory {

namespace {

using Kind = Activation::Kind;
constexpr double kInvSqrt2Pi = 0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2;

[[noreturn]] void unknown(const char* func, Activation f) {
  fail(func, "unknown activation kind ", static_cast<int>(f.kind));
}

}  // namespace

double normal_pdf(double u) { return kInvSqrt2Pi * std::exp(-0.5 * u * u); }
double normal_cdf(double u) { return 0.5 * std::erfc(-u / std::numbers::sqrt2); }

double logistic(double u) {
  if (u >= 0.0) return 1.0 / (1.0 + std::exp(-u));
  const double e = std::exp(u);
  return e / (1.0 + e);
}

double logistic_minus_normal_cdf(double u) {
  // sigma(u) - Phi(u) = Phi(-u) - sigma(-u): take the side where both are small.
  if (u <= 0.0) return logistic(u) - normal_cdf(u);
  return normal_cdf(-u) - logistic(-u);
}

double activate(Activation f, double u) {
  switch (f.kind) {
    case Kind::linear: return u;
    case Kind::tanh: return std::tanh(u);
    case Kind::relu: return u > 0.0 ? u : 0.0;
    case Kind::leaky_relu: return u > 0.0 ? u : f.slope * u;
    case Kind::sigmoid: return 1.0 / (1.0 + std::exp(-u));
    case Kind::gelu: return u * normal_cdf(u);
    case Kind::selu: return u > 0.0 ? kSeluLambda * u : kSeluLambda * kSeluAlpha * std::expm1(u);
    case Kind::silu: return u * logistic(u);
    case Kind::erf: return std::erf(u);
    case Kind::softplus: return (u > 0.0 ? u : 0.0) + std::log1p(std::exp(-std::fabs(u)));
  }
  unknown("theory::activate", f);
}

double activate_derivative(Activation f, double u) {
  switch (f.kind) {
    case Kind::linear: return 1.0;
    case Kind::tanh: {
      const double t = std::tanh(u);
      return 1.0 - t * t;
    }
    case Kind::relu: return u > 0.0 ? 1.0 : 0.0;
    case Kind::leaky_relu: return u > 0.0 ? 1.0 : f.slope;
    case Kind::sigmoid: {
      const double s = 1.0 / (1.0 + std::exp(-u));
      return s * (1.0 - s);
    }
    case Kind::gelu: return normal_cdf(u) + u * normal_pdf(u);
    case Kind::selu: return u > 0.0 ? kSeluLambda : kSeluLambda * kSeluAlpha * std::exp(u);
    case Kind::silu: return logistic(u) + u * logistic(u) * logistic(-u);
    case Kind::erf: return 2.0 * std::numbers::inv_sqrtpi * std::exp(-u * u);
    case Kind::softplus: return logistic(u);
  }
  unknown("theory::activate_derivative", f);
}

double activate_second_derivative(Activation f, double u) {
  switch (f.kind) {
    case Kind::linear:
    case Kind::relu:
    case Kind::leaky_relu: return 0.0;
    case Kind::tanh: {
      const double s = 1.0 / std::cosh(u);
      return -2.0 * std::tanh(u) * s * s;
    }
    case Kind::sigmoid: {
      const double s = logistic(u);
      return s * (1.0 - s) * (1.0 - 2.0 * s);
    }
    case Kind::gelu: return (2.0 - u * u) * normal_pdf(u);
    case Kind::selu: return u > 0.0 ? 0.0 : kSeluLambda * kSeluAlpha * std::exp(u);
    case Kind::silu: {
      const double s = logistic(u), t = logistic(-u);
      return s * t * (2.0 + u * (t - s));
    }
    case Kind::erf: return -4.0 * std::numbers::inv_sqrtpi * u * std::exp(-u * u);
    case Kind::softplus: return logistic(u) * logistic(-u);
  }
  unknown("theory::activate_second_derivative", f);
}

}  // namespace initlab::theory
