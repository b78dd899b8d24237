// SELU's self-normalizing fixed point and BatchNorm's gradient explosion in the
// block recursion (lib/theory/net_recursion.cpp, net_laws.cpp) against
// docs/theory.md §27 and §28.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "theory/net_recursion.hpp"
#include "theory/reference_quadrature.hpp"

namespace initlab::theory {
namespace {

using Kind = Activation::Kind;
const Activation kSelu{Kind::selu};

// Klambauer's fixed point itself (q* = 1, E[a] = 0, Var a = 1 to 1.6e-15) is asserted
// where selu's moments live (smooth_moments_test.cpp, smooth_fixed_point_test.cpp).
// Here the 64-layer SELU net as blocks, from q0 = 3: q -> V(q) contracts towards 1 with slope
// V'(q) = E[phi'^2] + E[phi'' phi] < 1 between q^1 and 1, so
// |q^l - 1| <= kappa^{l-1} |q^1 - 1|, kappa = max V' on [1, q^1] (a grid of 2001
// points; V' is smooth and monotone there, the 1e-3 margin covers the grid).
TEST(NetNormLaws, SeluNetConvergesToTheFixedPoint) {
  NetArchitecture net;
  net.input = 100;
  net.q0 = 3.0;
  for (int l = 0; l < 64; ++l) net.blocks.emplace_back(NetDense{kSelu, 100, 1.0, 0.0});
  const NetTrajectory t = net_trajectory(net);
  const double q1 = t.blocks[0].layers[0].q;
  double kappa = 0.0;
  for (int i = 0; i <= 2000; ++i) {
    const ActivationMoments m = moments(kSelu, 1.0 + (q1 - 1.0) * i / 2000.0);
    kappa = std::max(kappa, m.dphi2 + m.ddphi_phi);
  }
  kappa *= 1.001;
  ASSERT_LT(kappa, 1.0);
  for (std::size_t l = 1; l <= 64; ++l) {
    const double dev = std::pow(kappa, static_cast<double>(l - 1)) * std::fabs(q1 - 1.0);
    EXPECT_LE(std::fabs(t.blocks[l - 1].layers[0].q - 1.0), dev + 1e-13) << l;
  }
  EXPECT_NEAR(t.blocks[63].mean, 0.0, 1e-6);
  EXPECT_NEAR(t.blocks[63].second - t.blocks[63].mean * t.blocks[63].mean, 1.0, 1e-6);
}

NetArchitecture batchnorm_net(Activation f, double sw2, double sb2, double eps, int layers) {
  NetArchitecture net;
  net.input = 64;
  net.q0 = 1.0;
  for (int l = 0; l < layers; ++l) {
    net.blocks.emplace_back(NetDense{f, 64, sw2, sb2});
    net.blocks.emplace_back(NetNorm{NetNorm::Kind::batch, eps});
  }
  return net;
}

// Per dense + BN pair the gradient grows by sw2 E[phi'^2] / (v + eps), v = Var phi(h).
// For relu (sb2 = 0), v = c sw2 r with c = (pi - 1)/(2 pi) and r the previous BN's
// output second moment; at the fixed point r = v / (v + eps), i.e. c sw2 r + eps = c sw2,
// so the rate is (sw2 / 2) / (c sw2) = pi / (pi - 1) exactly, at every sw2 and eps:
// Yang et al. 2019's large-batch rate 1.46694 (docs/theory.md §28). The recursion's
// own sequence from x of second moment 1 is followed by hand in plain doubles.
TEST(NetNormLaws, BatchNormReluGradientRate) {
  const double lambda = std::numbers::pi / (std::numbers::pi - 1.0);
  const double c = (std::numbers::pi - 1.0) / (2.0 * std::numbers::pi);
  for (double sw2 : {0.3, 2.0, 9.0}) {
    for (double eps : {1e-5, 1e-2}) {
      EXPECT_NEAR(batchnorm_gradient_rate(Activation{Kind::relu}, sw2, 0.0, eps), lambda, 1e-14);
      const NetTrajectory t = net_trajectory(batchnorm_net(Activation{Kind::relu}, sw2, 0.0, eps, 32));
      double r = 1.0, total = 0.0;
      for (std::size_t l = 0; l < 32; ++l) {
        const double v = c * sw2 * r, gain = std::log(0.5 * sw2 / (v + eps));
        EXPECT_NEAR(t.blocks[2 * l].ln_gain + t.blocks[2 * l + 1].ln_gain, gain, 1e-14) << l;
        EXPECT_NEAR(t.blocks[2 * l + 1].second, v / (v + eps), 1e-15) << l;
        total += gain;
        r = v / (v + eps);
      }
      EXPECT_NEAR(t.ln_grad_input, total, 1e-12);
      EXPECT_NEAR(t.ln_grad_input, 32.0 * std::log(lambda) - std::log1p(eps / (c * sw2)), 1e-12 + 2.0 * eps * eps / (c * c * sw2 * sw2));
    }
  }
}

// tanh: the rate from the recursion's own moments against an independent
// Gauss-Legendre quadrature (tests/theory/reference_quadrature.hpp) of
// sw2 E[sech^4 h] / (Var tanh(h) + eps), h ~ N(0, sw2 r + sb2), at the fixed point
// r = v / (v + eps). The library's trapezoid rule is accurate to 1.2e-11 for
// E[sech^4] and 1.9e-13 for E[tanh^2] (docs/theory.md §3), so the relative band is
// 1.3e-11 / E[sech^4] + 2.1e-13 / v (the bounds rounded up).
TEST(NetNormLaws, BatchNormTanhRateAgainstQuadrature) {
  for (double sb2 : {0.0, 0.1}) {
    for (double sw2 : {0.5, 1.0, 4.0}) {
      const double eps = 1e-3;
      double r = 1.0, v = 0.0, d = 0.0;
      for (int i = 0; i < 100; ++i) {
        const double q = sw2 * r + sb2;
        v = testing::reference_expect([](double u) { return std::tanh(u) * std::tanh(u); }, q);
        d = testing::reference_expect([](double u) { return std::pow(1.0 / std::cosh(u), 4); }, q);
        r = v / (v + eps);
      }
      const double want = sw2 * d / (v + eps), rel = 1.3e-11 / d + 2.1e-13 / v;
      EXPECT_NEAR(batchnorm_gradient_rate(Activation{Kind::tanh}, sw2, sb2, eps), want, rel * want);
      const NetTrajectory t = net_trajectory(batchnorm_net(Activation{Kind::tanh}, sw2, sb2, eps, 40));
      const double gain = t.blocks[70].ln_gain + t.blocks[71].ln_gain;
      EXPECT_NEAR(gain, std::log(want), 2.0 * rel) << sw2;
    }
  }
}

// With sb2 = 0 the rate is at least 1 for every activation, sw2 and eps: with
// psi(z) = phi(sqrt(q) z), q = sw2 r, the Gaussian Poincare inequality
// Var psi(z) <= E[psi'(z)^2] = q E[phi'^2] gives sw2 E[phi'^2] >= v / r = v + eps,
// with equality only for linear phi (docs/theory.md §28): the gradient cannot be
// kept from exploding by the choice of sw2 or activation (Yang et al. 2019).
TEST(NetNormLaws, BatchNormGradientNeverShrinksWithoutBias) {
  for (Kind k : {Kind::tanh, Kind::sigmoid, Kind::relu, Kind::leaky_relu, Kind::gelu, Kind::selu,
                 Kind::silu, Kind::erf, Kind::softplus}) {
    for (double sw2 : {0.05, 0.5, 1.0, 2.0, 8.0, 100.0}) {
      EXPECT_GT(batchnorm_gradient_rate(Activation{k, 0.1}, sw2, 0.0, 1e-5), 1.0) << static_cast<int>(k) << " " << sw2;
    }
  }
  EXPECT_NEAR(batchnorm_gradient_rate(Activation{Kind::linear}, 3.0, 0.0, 1e-5), 1.0, 1e-15);
}

}  // namespace
}  // namespace initlab::theory
