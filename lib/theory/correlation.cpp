// The correlation map (Poole et al. 2016 section 2; Schoenholz et al. 2017 section 2)
// and the arc-cosine kernel of ReLU (Cho & Saul 2009).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "theory/meanfield.hpp"
#include "theory/scalar_activation.hpp"
#include "theory/smooth_moments.hpp"

namespace initlab::theory {

namespace {

using Kind = Activation::Kind;

void check_c(const char* func, double c) {
  if (!(c >= -1.0 && c <= 1.0)) fail(func, "correlation c = ", c, ", expected c in [-1, 1]");
}

// sqrt(1 - c^2) + (pi - arccos c) c: 2 pi E[relu(z1) relu(z2)] for unit variances.
double arccos_kernel(double c) {
  return std::sqrt((1.0 - c) * (1.0 + c)) + (std::numbers::pi - std::acos(c)) * c;
}

double tanh_product(double q1, double q2, double c) {
  return gauss_expect2([](double u1, double u2) { return std::tanh(u1) * std::tanh(u2); }, q1, q2,
                       c);
}

}  // namespace

double relu_correlation_map(double c) {
  check_c("theory::relu_correlation_map", c);
  return std::clamp(arccos_kernel(c) / std::numbers::pi, -1.0, 1.0);
}

double expected_product(Activation f, double q1, double q2, double c) {
  const char* func = "theory::expected_product";
  check_c(func, c);
  if (!(q1 >= 0.0) || !std::isfinite(q1)) fail(func, "q1 = ", q1, ", expected a finite q1 >= 0");
  if (!(q2 >= 0.0) || !std::isfinite(q2)) fail(func, "q2 = ", q2, ", expected a finite q2 >= 0");
  const double r = std::sqrt(q1) * std::sqrt(q2);
  switch (f.kind) {
    case Kind::linear:
      return c * r;
    case Kind::relu:
      return r * arccos_kernel(c) / (2.0 * std::numbers::pi);
    case Kind::leaky_relu: {
      // activate(u) = (1-s) relu(u) + s u and E[relu(u1) u2] = c sqrt(q1 q2) / 2.
      const double s = f.slope;
      return (1.0 - s) * (1.0 - s) * r * arccos_kernel(c) / (2.0 * std::numbers::pi) + s * c * r;
    }
    case Kind::tanh:
      return tanh_product(q1, q2, c);
    case Kind::sigmoid:
      // sigmoid(u) = (1 + tanh(u/2)) / 2 and E[tanh(u/2)] = 0.
      return 0.25 * (1.0 + tanh_product(q1 / 4.0, q2 / 4.0, c));
    case Kind::erf:
      return detail::erf_product(q1, q2, c);
    case Kind::gelu:
    case Kind::selu:
    case Kind::silu:
    case Kind::softplus:
      return gauss_expect2([f](double u1, double u2) { return activate(f, u1) * activate(f, u2); }, q1, q2,
                           c);
  }
  fail(func, "unknown activation kind ", static_cast<int>(f.kind));
}

double correlation_map(Activation f, double sw2, double sb2, double q, double c) {
  const char* func = "theory::correlation_map";
  check_c(func, c);
  if (!(sw2 >= 0.0) || !std::isfinite(sw2))
    fail(func, "sw2 = ", sw2, ", expected a finite sw2 >= 0");
  if (!(sb2 >= 0.0) || !std::isfinite(sb2))
    fail(func, "sb2 = ", sb2, ", expected a finite sb2 >= 0");
  const bool scale_free =
      (f.kind == Kind::linear || f.kind == Kind::relu || f.kind == Kind::leaky_relu) && sb2 == 0.0;
  const double qe = scale_free ? 1.0 : q;
  const double den = sw2 * second_moment(f, qe) + sb2;
  if (!(den > 0.0)) {
    fail(func, "q^{l+1} = sw2 V(q) + sb2 = 0 at q = ", q, ", sw2 = ", sw2, ", sb2 = ", sb2,
         ": the correlation is undefined");
  }
  const double num = sw2 * expected_product(f, qe, qe, c) + sb2;
  return std::clamp(num / den, -1.0, 1.0);
}

std::vector<double> correlation_trajectory(Activation f, double sw2, double sb2, double q,
                                           double c0, std::size_t depth) {
  std::vector<double> c;
  if (depth == 0) return c;
  check_c("theory::correlation_trajectory", c0);
  c.push_back(c0);
  while (c.size() < depth) c.push_back(correlation_map(f, sw2, sb2, q, c.back()));
  return c;
}

}  // namespace initlab::theory
