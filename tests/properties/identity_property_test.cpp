// Scaled identities are deterministic (docs/theory.md §8 and §15, the note's 2x2 deep
// linear example at any width): no statistics, only rounding. Double throughout:
// alpha = 4 at L = 100 multiplies the second moment by 16^100 ~ 1e120.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "properties/harness.hpp"
#include "properties/tolerance.hpp"

namespace initlab::properties {
namespace {

// alpha = k / 100, k in [25, 400]: [0.25, 4] on a grid that includes 1 exactly.
double gen_alpha(int lo = 25, int hi = 400) { return *rc::gen::inRange(lo, hi + 1).as("alpha * 100") / 100.0; }

std::string identity_spec(double alpha) { return "identity:" + std::to_string(alpha); }

// Second moment of every layer of input b: m_0 = |x_b|^2/n, m_1, ..., m_L.
std::vector<double> layer_moments(const nn::Network<double>& net, std::size_t b) {
  std::vector<double> m{row_second_moments(net.input())[b]};
  for (const auto& c : net.cache()) m.push_back(row_second_moments(c.a)[b]);
  return m;
}

// Linear, W = alpha I: ln(m_L / m_0) = 2 L ln(alpha) to rounding, and the signal
// grows (alpha > 1), shrinks (alpha < 1) or stays (alpha = 1) monotonically layer
// by layer. Backward: delta^1 = alpha^{L-1} delta^L, so the same law with L - 1.
RC_GTEST_PROP(ScaledIdentity, LinearScalesByAlphaToTheTwoL, ()) {
  const double alpha = gen_alpha();
  const std::size_t n = gen_size("n", 1, 256);
  const std::size_t depth = gen_size("depth", 1, 100);
  const std::size_t batch = gen_size("batch", 1, 16);
  const std::uint64_t seed = gen_seed();
  auto net = make_network<double>(equal_widths(depth, n), "linear", identity_spec(alpha), seed);
  net.forward(gaussian_inputs<double>(batch, n, seed));
  const double L = static_cast<double>(depth);
  for (std::size_t b = 0; b < batch; ++b) {
    const std::vector<double> m = layer_moments(net, b);
    RC_ASSERT(std::abs(std::log(m.back() / m.front()) - 2.0 * L * std::log(alpha)) <=
              identity_log_tolerance<double>(depth, n, alpha));
    for (std::size_t l = 1; l <= depth; ++l) {
      if (alpha > 1.0) RC_ASSERT(m[l] > m[l - 1]);
      if (alpha < 1.0) RC_ASSERT(m[l] < m[l - 1]);
      if (alpha == 1.0) RC_ASSERT(m[l] == m[l - 1]);
    }
  }
  const Matrix<double> g = gaussian_inputs<double>(batch, n, ~seed);
  const auto& grads = net.backward(g);
  const std::vector<double> top = row_second_moments(g), bottom = row_second_moments(grads.dh.front());
  for (std::size_t b = 0; b < batch; ++b) {
    RC_ASSERT(std::abs(std::log(bottom[b] / top[b]) - 2.0 * (L - 1.0) * std::log(alpha)) <=
              identity_log_tolerance<double>(depth, n, alpha));
  }
}

// tanh, W = alpha I with alpha < 1: |tanh(alpha y)| <= alpha |y|, so the signal
// vanishes monotonically, at least as fast as the linear alpha^{2l} (rounding:
// tolerance.hpp, tanh_contraction_slack).
RC_GTEST_PROP(ScaledIdentity, TanhVanishesBelowOne, ()) {
  const double alpha = gen_alpha(25, 99);
  const std::size_t n = gen_size("n", 1, 256);
  const std::size_t depth = gen_size("depth", 1, 100);
  const std::size_t batch = gen_size("batch", 1, 16);
  const std::uint64_t seed = gen_seed();
  auto net = make_network<double>(equal_widths(depth, n), "tanh", identity_spec(alpha), seed);
  net.forward(gaussian_inputs<double>(batch, n, seed));
  const double slack = tanh_contraction_slack(n);
  for (std::size_t b = 0; b < batch; ++b) {
    const std::vector<double> m = layer_moments(net, b);
    for (std::size_t l = 1; l <= depth; ++l) {
      RC_ASSERT(m[l] < m[l - 1]);
      RC_ASSERT(m[l] <= alpha * alpha * m[l - 1] * slack);
    }
  }
}

// u* > 0 with u* = tanh(1.5 u*), by Newton from 1 (g(u) = tanh(1.5u) - u is
// concave on u > 0, so Newton from the right converges monotonically).
double saturation_point() {
  double u = 1.0;
  for (int i = 0; i < 100; ++i) {
    const double t = std::tanh(1.5 * u);
    const double step = (t - u) / (1.5 * (1.0 - t * t) - 1.0);
    u -= step;
    if (std::abs(step) < 1e-17) break;
  }
  return u;
}

// The scalar map u -> tanh(1.5 u) iterated L times from u0, in long double.
long double iterate(long double u0, std::size_t depth) {
  for (std::size_t l = 0; l < depth; ++l) u0 = std::tanh(1.5L * u0);
  return u0;
}

// tanh, W = 1.5 I: no explosion. Each unit converges to sign(x_i) u*, u* = 0.858560
// (E[a^2] -> u*^2 = 0.7371), docs/theory.md §8. The map is increasing, so a unit
// started anywhere in [x_min, x_max] is after L layers between the iterates of the
// two ends: |a^L_i| - u* is bounded by the worse of the two (computed here in long
// double). Rounding: tolerance.hpp, saturation_rounding_tolerance.
RC_GTEST_PROP(ScaledIdentity, TanhSaturatesAtOnePointFive, ()) {
  const std::size_t n = gen_size("n", 1, 256);
  const std::size_t depth = gen_size("depth", 60, 120);
  const std::size_t batch = gen_size("batch", 1, 16);
  const std::uint64_t seed = gen_seed();
  const double u_star = saturation_point();
  RC_ASSERT(std::abs(u_star - 0.858560) <= 5e-7);
  RC_ASSERT(std::abs(u_star * u_star - 0.7371) <= 5e-5);

  // Inputs with |x| in [0.01, 3]: sign * (0.01 + 2.99 U).
  constexpr double x_min = 0.01, x_max = 3.0;
  Matrix<double> x({batch, n});
  const random::Stream rng(seed, 3);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double u = rng.uniform01(2 * i), s = rng.uniform01(2 * i + 1) < 0.5 ? -1.0 : 1.0;
    x.data()[i] = s * (x_min + (x_max - x_min) * u);
  }
  const double converge = static_cast<double>(
      std::max(std::abs(iterate(x_min, depth) - u_star), std::abs(iterate(x_max, depth) - u_star)));
  const double tol = converge + saturation_rounding_tolerance(depth);

  auto net = make_network<double>(equal_widths(depth, n), "tanh", "identity:1.5", seed);
  const Matrix<double>& a = net.forward(x);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double target = x.data()[i] > 0 ? u_star : -u_star;
    RC_ASSERT(std::abs(a.data()[i] - target) <= tol);
  }
  for (std::size_t b = 0; b < batch; ++b) {
    const std::vector<double> m = layer_moments(net, b);
    for (std::size_t l = 1; l <= depth; ++l) RC_ASSERT(m[l] < 1.0);  // never explodes
    RC_ASSERT(std::abs(m.back() - u_star * u_star) <= 2.0 * tol);
  }
}

}  // namespace
}  // namespace initlab::properties
