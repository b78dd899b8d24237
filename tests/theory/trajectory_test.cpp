// The length map over depth and the backward recursion (lib/theory/trajectory.cpp)
// against docs/theory.md §2, §4, §6, §7 and §15.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "theory/meanfield.hpp"

namespace initlab::theory {
namespace {

using Kind = Activation::Kind;
Activation act(Kind k, double slope = 0.01) { return Activation{k, slope}; }

// |x - printed| <= half a unit in the printed value's last digit.
void expect_printed(double x, double printed, double last_digit, const char* what) {
  EXPECT_NEAR(x, printed, 0.5 * last_digit) << what;
}

// The table of docs/theory.md §4: tanh, sw2 = 1, sb2 = 0, q^1 = 1 (q0 = 1).
TEST(Trajectory, TanhXavierTable) {
  const Trajectory t = trajectory(act(Kind::tanh), 1.0, 0.0, 1.0, 1000);
  auto q = [&](std::size_t l) { return t.layers[l - 1].q; };
  EXPECT_EQ(q(1), 1.0);
  expect_printed(q(2), 0.3943, 1e-4, "l=2");
  expect_printed(q(3), 0.2365, 1e-4, "l=3");
  expect_printed(q(5), 0.1279, 1e-4, "l=5");
  expect_printed(q(10), 0.05801, 1e-5, "l=10");
  expect_printed(q(20), 0.02729, 1e-5, "l=20");
  expect_printed(q(50), 0.01043, 1e-5, "l=50");
  expect_printed(q(100), 0.005121, 1e-6, "l=100");
  expect_printed(q(1000), 5.02e-4, 1e-6, "l=1000");
  EXPECT_EQ(t.overflow_at, 0u);
}

// q^l ~ 1/(2l - (5/6) ln l + C), C = -0.888: C(l) = 1/q^l - 2l + (5/6) ln l settles
// (measured -0.8875 at l = 1e3, -0.8893 at 1e4). A wrong log coefficient (1 instead
// of 5/6) would move C(l) by (1/6) ln 10 = 0.38 between the two.
TEST(Trajectory, TanhPowerLawAsymptote) {
  const Trajectory t = trajectory(act(Kind::tanh), 1.0, 0.0, 1.0, 10000);
  auto C = [&](std::size_t l) {
    return 1.0 / t.layers[l - 1].q - 2.0 * static_cast<double>(l) +
           5.0 / 6.0 * std::log(static_cast<double>(l));
  };
  EXPECT_NEAR(C(1000), -0.888, 0.002);
  EXPECT_NEAR(C(10000), -0.888, 0.002);
  EXPECT_LT(std::fabs(C(10000) - C(1000)), 0.003);
}

// U(+-1/sqrt n) is sw2 = 1/3: exponential decay, 8.9e-6 at l = 10.
TEST(Trajectory, TanhUniformNoteScaleVanishes) {
  const Trajectory t = trajectory(act(Kind::tanh), 1.0 / 3.0, 0.0, 1.0, 10);
  expect_printed(t.layers[9].q, 8.9e-6, 1e-7, "l=10");
}

// Deep decay in the log domain: ln q^l falls by ln 3 + ln(V(q)/q) -> ln 3 per layer
// and the plain value underflows to 0 without NaN or an overflow flag.
TEST(Trajectory, TanhDeepDecayStaysExactInLogDomain) {
  const Trajectory t = trajectory(act(Kind::tanh), 1.0 / 3.0, 0.0, 1.0, 800);
  const LayerTheory& a = t.layers[798];
  const LayerTheory& b = t.layers[799];
  EXPECT_NEAR(b.ln_q - a.ln_q, -std::log(3.0), 1e-12);
  EXPECT_LT(b.ln_q, -700.0);
  EXPECT_FALSE(std::isnan(b.q));
  EXPECT_EQ(t.overflow_at, 0u);
  EXPECT_EQ(b.dphi2, 1.0);
}

TEST(Trajectory, HeReluKeepsSecondMomentAndXavierReluHalves) {
  const Trajectory he = trajectory(act(Kind::relu), 2.0, 0.0, 1.7, 50);
  for (const LayerTheory& y : he.layers) {
    EXPECT_NEAR(y.second, 1.7, 1e-13);
    EXPECT_NEAR(y.q, 3.4, 1e-13);
    EXPECT_EQ(y.chi1, 1.0);
  }
  // Xavier on ReLU: E[(a^L)^2] = 2^-L q0; 2^-1100 is below the smallest double,
  // so the plain value rounds to 0 while ln stays exact.
  const Trajectory x = trajectory(act(Kind::relu), 1.0, 0.0, 1.0, 1100);
  EXPECT_NEAR(x.layers[9].second, std::ldexp(1.0, -10), 1e-16);
  EXPECT_NEAR(x.layers[1099].ln_second, -1100.0 * std::log(2.0), 1e-9);
  EXPECT_EQ(x.layers[1099].second, 0.0);
  EXPECT_EQ(x.overflow_at, 0u);
}

TEST(Trajectory, LinearWithBiasGrowsLinearly) {
  const Trajectory t = trajectory(act(Kind::linear), 1.0, 0.1, 2.0, 30);
  for (const LayerTheory& y : t.layers) {
    EXPECT_NEAR(y.q, 2.0 + 0.1 * static_cast<double>(y.layer), 1e-13);
  }
}

// docs/theory.md §6: forward factor per layer n_{l-1} Var(W^l).
TEST(Trajectory, UnequalWidthsFanModes) {
  const std::vector<std::size_t> n = {784, 300, 100, 500, 10};
  auto run = [&](const char* mode) {
    Architecture a;
    a.activations = {act(Kind::linear)};
    a.widths = n;
    a.weight_variance = weight_variances(1.0, n, mode);
    a.q0 = 1.0;
    return trajectory(a);
  };
  const Trajectory in = run("fan_in");
  const Trajectory out = run("fan_out");
  const Trajectory avg = run("fan_avg");
  double expect_avg = 1.0;
  for (std::size_t l = 1; l < n.size(); ++l) {
    const auto a = static_cast<double>(n[l - 1]);
    const auto b = static_cast<double>(n[l]);
    expect_avg *= 2.0 * a / (a + b);
    EXPECT_NEAR(in.layers[l - 1].q, 1.0, 1e-14);
    EXPECT_NEAR(out.layers[l - 1].q, static_cast<double>(n[0]) / b, 1e-12);  // telescopes
    EXPECT_NEAR(avg.layers[l - 1].q, expect_avg, 1e-12);
  }
  // Backward: fan_in changes qt by n_l / n_{l-1} per layer (qt^1 = n_L/n_1 qt^L),
  // fan_out preserves it per unit.
  EXPECT_NEAR(in.layers[0].qt, static_cast<double>(n[4]) / static_cast<double>(n[1]), 1e-14);
  for (const LayerTheory& y : out.layers) EXPECT_NEAR(y.qt, 1.0, 1e-14);
  // E[(dL/dW^l)^2] = qt^l E[(a^{l-1})^2], E[(a^0)^2] = q0.
  EXPECT_NEAR(in.layers[0].grad2, in.layers[0].qt * 1.0, 1e-15);
  EXPECT_NEAR(out.layers[2].grad2, out.layers[2].qt * out.layers[1].second, 1e-15);
}

// Xavier-tanh: |delta^1|^2 / |delta^L|^2 = prod chi_1(q^l) = 0.079 (L = 10), 0.0146 (L = 50).
TEST(Trajectory, XavierTanhGradientRatio) {
  for (auto [L, printed, digit] : {std::tuple{10u, 0.079, 1e-3}, std::tuple{50u, 0.0146, 1e-4}}) {
    const Trajectory t = trajectory(act(Kind::tanh), 1.0, 0.0, 1.0, L);
    double prod = 1.0;
    for (std::size_t l = 1; l < L; ++l) prod *= t.layers[l - 1].chi1;
    EXPECT_NEAR(t.layers[0].qt / t.layers[L - 1].qt, prod, 1e-15);
    expect_printed(prod, printed, digit, "prod chi_1");
  }
}

// N(0, 1) at width 784, linear: x784 per layer; q^l leaves the double range at
// l = 107 (107 ln 784 = 713.3 > ln DBL_MAX = 709.8). ln q^l stays exact; plain
// fields become NaN with the flag, never inf.
TEST(Trajectory, LinearStandardNormalOverflowsInLogDomainOnly) {
  const Trajectory t =
      trajectory(uniform_architecture(act(Kind::linear), 784.0, 0.0, 1.0, 200, 784));
  EXPECT_EQ(t.forward_overflow_at, 107u);
  EXPECT_EQ(t.overflow_at, 1u);  // qt^1 = 784^199 qt^L overflows too
  EXPECT_TRUE(std::isfinite(t.layers[105].q));
  for (const LayerTheory& y : t.layers) {
    EXPECT_NEAR(y.ln_q, static_cast<double>(y.layer) * std::log(784.0), 1e-12 * y.ln_q);
    EXPECT_NEAR(y.ln_qt, static_cast<double>(200 - y.layer) * std::log(784.0), 1e-9);
    for (double v : {y.q, y.second, y.variance, y.mean, y.qt, y.grad2, y.chi1}) {
      EXPECT_FALSE(std::isinf(v));
      if (std::isnan(v)) {
        EXPECT_TRUE(y.overflow);
      }
    }
  }
  EXPECT_TRUE(std::isnan(t.layers[199].q));
  EXPECT_TRUE(t.layers[199].overflow);
}

// N(0, 1) at width 784, tanh: saturated (E[a^2] = 0.971) yet chi_1 = 15.1.
TEST(Trajectory, TanhStandardNormalSaturatesButExplodesBackward) {
  const Trajectory t = trajectory(uniform_architecture(act(Kind::tanh), 784.0, 0.0, 1.0, 300, 784));
  expect_printed(t.layers[4].second, 0.971, 1e-3, "E[a^2]");
  expect_printed(t.layers[4].chi1, 15.1, 0.1, "chi_1");
  EXPECT_GT(t.overflow_at, 0u);  // 15.1^299 leaves the double range backward
  EXPECT_EQ(t.forward_overflow_at, 0u);
}

TEST(Trajectory, PerLayerActivations) {
  Architecture a = uniform_architecture(act(Kind::tanh), 1.0, 0.0, 1.0, 2);
  a.activations = {act(Kind::tanh), act(Kind::linear)};
  const Trajectory t = trajectory(a);
  EXPECT_NEAR(t.layers[1].q, second_moment(act(Kind::tanh), 1.0), 1e-15);
  EXPECT_EQ(t.layers[1].second, t.layers[1].q);
}

TEST(Trajectory, RejectsBadArchitectures) {
  Architecture a = uniform_architecture(act(Kind::tanh), 1.0, 0.0, 1.0, 3);
  Architecture bad = a;
  bad.widths.pop_back();
  EXPECT_THROW(trajectory(bad), std::invalid_argument);
  bad = a;
  bad.weight_variance[1] = -1.0;
  EXPECT_THROW(trajectory(bad), std::invalid_argument);
  bad = a;
  bad.activations = {act(Kind::tanh), act(Kind::tanh)};
  EXPECT_THROW(trajectory(bad), std::invalid_argument);
  bad = a;
  bad.q0 = std::nan("");
  EXPECT_THROW(trajectory(bad), std::invalid_argument);
  EXPECT_THROW(trajectory(act(Kind::relu), 2.0, 0.0, 1.0, 0), std::invalid_argument);
  const std::vector<std::size_t> n = {3, 4};
  EXPECT_THROW(weight_variances(1.0, n, "fan_middle"), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::theory
