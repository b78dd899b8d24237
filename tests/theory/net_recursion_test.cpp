// The block-by-block recursion (lib/theory/net_recursion.cpp) against
// docs/theory.md §25 (plain nets, zero branches), §26 (residual growth and the
// 1/sqrt(L) bound) and §27 (LayerNorm's reset). §28's BatchNorm rate and the SELU
// fixed point: net_norm_laws_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "theory/net_recursion.hpp"

namespace initlab::theory {
namespace {

using Kind = Activation::Kind;
constexpr double kEps = std::numeric_limits<double>::epsilon();

NetDense dense(Kind k, std::size_t n, double sw2, double sb2 = 0.0) {
  return NetDense{Activation{k, 0.01}, n, sw2, sb2};
}

NetArchitecture residual_net(std::size_t n, std::size_t blocks, NetResidual r, double q0 = 1.0) {
  NetArchitecture net;
  net.input = n;
  net.q0 = q0;
  for (std::size_t k = 0; k < blocks; ++k) net.blocks.emplace_back(r);
  return net;
}

// A plain net is theory::trajectory: the forward values are the same doubles (the
// same function computes them); the backward ones agree to rounding (the factor
// n_l Var(W^l) is formed as sw2 / n_{l-1} * n_l instead of n_l Var(W^l): each of
// the L steps may differ by a few units in the last place of ln qt).
TEST(NetRecursion, PlainNetIsTheTrajectory) {
  for (Kind k : {Kind::linear, Kind::relu, Kind::tanh, Kind::sigmoid, Kind::selu, Kind::gelu}) {
    Architecture arch;
    arch.activations = {Activation{k, 0.01}};
    arch.widths = {30, 50, 20, 80, 40, 40, 10};
    arch.weight_variance = weight_variances(1.7, arch.widths, "fan_avg");
    arch.sb2 = 0.05;
    arch.q0 = 0.8;
    arch.qt_last = 1.3;
    const Trajectory want = trajectory(arch);
    const NetTrajectory got = net_trajectory(net_architecture(arch));
    ASSERT_EQ(got.blocks.size(), want.layers.size());
    for (std::size_t l = 0; l < want.layers.size(); ++l) {
      const LayerTheory& a = want.layers[l];
      const LayerTheory& b = got.blocks[l].layers.at(0);
      EXPECT_EQ(b.layer, a.layer);
      EXPECT_EQ(b.ln_q, a.ln_q) << l;
      EXPECT_EQ(b.ln_second, a.ln_second) << l;
      EXPECT_EQ(b.mean, a.mean) << l;
      EXPECT_EQ(b.chi1, a.chi1) << l;
      EXPECT_EQ(got.blocks[l].ln_second, a.ln_second) << l;
      const double tol = 8.0 * kEps * static_cast<double>(want.layers.size()) * (1.0 + std::fabs(a.ln_qt));
      EXPECT_NEAR(b.ln_qt, a.ln_qt, tol) << l;
      EXPECT_NEAR(b.ln_grad2, a.ln_grad2, tol) << l;
    }
  }
}

// N(0, 1) weights at width 784 on a linear net: q^l = 784^l leaves the double range
// at l = 107 and the ln stays l ln 784 (docs/theory.md §2.3), here at depth 1000.
TEST(NetRecursion, DeepPlainNetStaysInLogs) {
  const NetTrajectory t = net_trajectory(net_architecture(uniform_architecture(
      Activation{Kind::linear}, 784.0, 0.0, 1.0, 1000, 784)));
  EXPECT_NEAR(t.blocks[999].ln_second, 1000.0 * std::log(784.0), 1e-9);
  EXPECT_TRUE(std::isnan(t.blocks[999].second));
  EXPECT_EQ(t.overflow_at, 1u);  // the backward values overflow from layer 1 upwards
  EXPECT_NEAR(t.ln_grad_input, 1000.0 * std::log(784.0), 1e-9);
}

// A residual block whose branch is zero is the identity, forward and backward:
// alpha = 0, or a last branch layer with zero weights and bias and phi(0) = 0.
TEST(NetRecursion, ZeroBranchIsTheIdentity) {
  NetResidual off{{dense(Kind::tanh, 16, 1.3), dense(Kind::relu, 16, 2.0)}, std::nullopt, 0.0};
  NetResidual dead{{dense(Kind::relu, 24, 2.0), dense(Kind::tanh, 16, 0.0)}, NetNorm{}, 1.0};
  for (const NetResidual& r : {off, dead}) {
    NetArchitecture net = residual_net(16, 5, r, 0.7);
    net.mean0 = -0.3;
    net.qt_last = 2.5;
    const NetTrajectory t = net_trajectory(net);
    for (const BlockTheory& b : t.blocks) {
      EXPECT_EQ(b.ln_second, std::log(0.7));
      EXPECT_EQ(b.mean_ratio, -0.3 / std::sqrt(0.7));
      EXPECT_EQ(b.branch_share, 0.0);
      EXPECT_EQ(b.ln_gain, 0.0);
      EXPECT_DOUBLE_EQ(b.grad, 2.5);
    }
    EXPECT_DOUBLE_EQ(t.grad_input, 2.5);
  }
}

// Yang & Schoenholz's full residual block, x + alpha V relu(W x): the branch ends in
// a zero-mean linear layer, so q_{l+1} = q_l (1 + alpha^2 sw2 sv2 / 2) exactly, and
// backward qt_l = qt_{l+1} (1 + alpha^2 sw2 sv2 / 2) (chi of relu then linear).
// At alpha = 1, sw2 = 2, sv2 = 1 that is 2^L: beyond double range at L = 1100.
TEST(NetRecursion, ReluResidualIsExponential) {
  for (double alpha : {1.0, 0.3, -0.7}) {
    const double sw2 = 2.0, sv2 = 1.0, c = 1.0 + alpha * alpha * sw2 * sv2 / 2.0;
    NetResidual r{{dense(Kind::relu, 64, sw2), dense(Kind::linear, 32, sv2)}, std::nullopt, alpha};
    const NetTrajectory t = net_trajectory(residual_net(32, 1100, r, 1.5));
    for (std::size_t k : {1u, 10u, 500u, 1100u}) {
      const double want = std::log(1.5) + static_cast<double>(k) * std::log(c);
      EXPECT_NEAR(t.blocks[k - 1].ln_second, want, 4.0 * kEps * static_cast<double>(k) * std::fabs(want));
      EXPECT_NEAR(t.blocks[k - 1].mean_ratio, 0.0, 0.0);
    }
    const double back = 1100.0 * std::log(c);
    EXPECT_NEAR(t.ln_grad_input, back, 4.0 * kEps * 1100.0 * back);
    EXPECT_NEAR(t.blocks[0].branch_share, (c - 1.0) / c, 1e-15);
  }
}

// A branch ending in relu has mean E[relu] = sqrt(q/(2 pi)) > 0, so the cross term
// 2 alpha E[x] E[branch] is not 0 and the stream's mean grows with it (§26).
TEST(NetRecursion, ReluEndingBranchAddsTheMeanCrossTerm) {
  NetResidual r{{dense(Kind::relu, 20, 2.0)}, std::nullopt, 0.5};
  const NetTrajectory t = net_trajectory(residual_net(20, 2, r, 1.0));
  double s = 1.0, m = 0.0;
  for (std::size_t k = 0; k < 2; ++k) {
    const double q = 2.0 * s, mb = std::sqrt(q / (2.0 * std::numbers::pi));
    s = s + 0.25 * q / 2.0 + 2.0 * 0.5 * m * mb;
    m = m + 0.5 * mb;
    EXPECT_NEAR(t.blocks[k].second, s, 1e-15 * s);
    EXPECT_NEAR(t.blocks[k].mean, m, 1e-15 * (1.0 + m));
  }
}

// x + alpha tanh(W x): q_{l+1} = q_l + alpha^2 V(sw2 q_l) with
// 1 - sqrt(2 / (pi q)) <= V(q) <= 1 (E[sech^2 u] <= phi_q(0) int sech^2 = sqrt(2/(pi q))),
// so for l > m: q_m + alpha^2 (l - m)(1 - sqrt(2/(pi sw2 q_m))) <= q_l <= q_m + alpha^2 (l - m):
// a power law of exponent 1. The exponent measured between 100 and 1000 blocks,
// ln(q_1000 / q_100) / ln 10, lies between the two bounds evaluated at q_100
// (measured: q_100 = 84.45, q_1000 = 948.4, exponent 1.0504 in [1.0307, 1.0666]).
TEST(NetRecursion, TanhResidualIsAPowerLaw) {
  const double alpha = 1.0, sw2 = 1.0;
  NetResidual r{{dense(Kind::tanh, 50, sw2)}, std::nullopt, alpha};
  const NetTrajectory t = net_trajectory(residual_net(50, 1000, r, 1.0));
  const double q100 = t.blocks[99].second, q1000 = t.blocks[999].second;
  const double lo = q100 + 900.0 * alpha * alpha * (1.0 - std::sqrt(2.0 / (std::numbers::pi * sw2 * q100)));
  const double hi = q100 + 900.0 * alpha * alpha;
  const double p = std::log(q1000 / q100) / std::log(10.0);
  EXPECT_GE(p, std::log(lo / q100) / std::log(10.0));
  EXPECT_LE(p, std::log(hi / q100) / std::log(10.0));
  for (std::size_t k = 1; k < 1000; ++k) EXPECT_LE(t.blocks[k].second, t.blocks[k - 1].second + alpha * alpha);
  // Backward: ln(qt_0 / qt_L) = sum_k ln(1 + x_k), x_k = alpha^2 sw2 E[sech^4 u], u ~ N(0, q),
  // q = sw2 q_k. With phi_q(0)(1 - u^2/(2q)) <= phi_q(u) <= phi_q(0), int sech^4 = 4/3 and
  // int u^2 sech^4 = (pi^2 - 6)/9: x_k lies in phi_q(0) alpha^2 sw2 [4/3 - (pi^2 - 6)/(18 q), 4/3],
  // and x - x^2/2 <= ln(1 + x) <= x. It grows like sqrt(L) (x_k ~ 1/sqrt(k)), not exponentially.
  double lo_g = 0.0, hi_g = 0.0;
  for (std::size_t k = 0; k < 1000; ++k) {
    const double q = sw2 * (k == 0 ? 1.0 : t.blocks[k - 1].second);
    const double phi0 = 1.0 / std::sqrt(2.0 * std::numbers::pi * q);
    const double x_hi = phi0 * alpha * alpha * sw2 * 4.0 / 3.0;
    const double x_lo = std::max(0.0, phi0 * alpha * alpha * sw2 * (4.0 / 3.0 - (std::numbers::pi * std::numbers::pi - 6.0) / (18.0 * q)));
    hi_g += x_hi;
    lo_g += x_lo - x_lo * x_lo / 2.0;
  }
  EXPECT_LE(t.ln_grad_input, hi_g);
  EXPECT_GE(t.ln_grad_input, lo_g);
}

// alpha = 1/sqrt(L) on the full relu residual: q_L / q_0 = (1 + c / L)^L with
// c = sw2 sv2 / 2, and e^{c - c^2 / (2L)} <= (1 + c/L)^L <= e^c (from
// x - x^2/2 <= ln(1 + x) <= x): bounded at any depth, -> e^c.
TEST(NetRecursion, InverseSqrtDepthBoundsTheGrowth) {
  const double sw2 = 2.0, sv2 = 1.5, c = sw2 * sv2 / 2.0;
  for (std::size_t L : {1u, 4u, 16u, 100u, 1000u, 10000u}) {
    const double alpha = 1.0 / std::sqrt(static_cast<double>(L));
    NetResidual r{{dense(Kind::relu, 40, sw2), dense(Kind::linear, 40, sv2)}, std::nullopt, alpha};
    const NetTrajectory t = net_trajectory(residual_net(40, L, r, 1.0));
    const double g = t.blocks.back().ln_second;
    const double tol = 16.0 * kEps * static_cast<double>(L);
    EXPECT_LE(g, c + tol) << L;
    EXPECT_GE(g, c - c * c / (2.0 * static_cast<double>(L)) - tol) << L;
    EXPECT_LE(t.ln_grad_input, c + tol) << L;
    EXPECT_GE(t.ln_grad_input, c - c * c / (2.0 * static_cast<double>(L)) - tol) << L;
  }
}

// LayerNorm's output has per-example second moment r = v / (v + eps), v the input's
// centred variance (relu at q: (pi - 1)/(2 pi) q), mean 0, and backward gain
// (1 - (1 + 2r - r^2)/n) / (v + eps) over its n units.
TEST(NetRecursion, LayerNormResetsTheSecondMoment) {
  for (double sw2 : {0.01, 2.0, 1e6}) {
    NetArchitecture net;
    net.input = 10;
    net.q0 = 3.0;
    net.blocks = {dense(Kind::relu, 30, sw2), NetNorm{NetNorm::Kind::layer, 1e-5}};
    const NetTrajectory t = net_trajectory(net);
    const double v = (std::numbers::pi - 1.0) / (2.0 * std::numbers::pi) * sw2 * 3.0;
    EXPECT_NEAR(t.blocks[1].second, v / (v + 1e-5), 1e-15);
    EXPECT_NEAR(t.blocks[1].second, norm_second(v, 1e-5), 1e-15);
    EXPECT_EQ(t.blocks[1].mean, 0.0);
    const double r = v / (v + 1e-5);
    EXPECT_NEAR(t.blocks[1].ln_gain, std::log1p(-(1.0 + 2.0 * r - r * r) / 30.0) - std::log(v + 1e-5), 1e-14);
  }
}

// After a pre-LayerNorm residual stack the branch always sees second moment ~1,
// so with a zero-mean branch q grows linearly: q_{l+1} = q_l + alpha^2 sv2 sw2 r / 2.
TEST(NetRecursion, PreNormResidualGrowsLinearly) {
  const double eps = 1e-5;
  NetResidual r{{dense(Kind::relu, 64, 2.0), dense(Kind::linear, 32, 1.0)}, NetNorm{NetNorm::Kind::layer, eps}, 1.0};
  const NetTrajectory t = net_trajectory(residual_net(32, 32, r, 1.0));
  double q = 1.0;
  for (const BlockTheory& b : t.blocks) {
    q += norm_second(q, eps);  // the stream's mean stays 0: v = q
    EXPECT_NEAR(b.second, q, 1e-13 * q);
  }
}

TEST(NetRecursion, BlockKindsAreNamed) {
  NetArchitecture net = residual_net(8, 1, NetResidual{{dense(Kind::relu, 8, 2.0)}, std::nullopt, 1.0});
  net.blocks.emplace_back(NetNorm{NetNorm::Kind::layer, 1e-5});
  net.blocks.emplace_back(NetNorm{NetNorm::Kind::batch, 1e-5});
  net.blocks.emplace_back(dense(Kind::tanh, 4, 1.0));
  const NetTrajectory t = net_trajectory(net);
  EXPECT_EQ(to_string(t.blocks[0].kind), "residual");
  EXPECT_EQ(to_string(t.blocks[1].kind), "layernorm");
  EXPECT_EQ(to_string(t.blocks[2].kind), "batchnorm");
  EXPECT_EQ(to_string(t.blocks[3].kind), "dense");
  EXPECT_EQ(t.blocks[3].width, 4u);
  EXPECT_EQ(t.blocks[2].width, 8u);
  EXPECT_EQ(t.blocks[0].layers.at(0).layer, 1u);
  EXPECT_EQ(t.blocks[3].layers.at(0).layer, 2u);  // dense layers numbered as nn::Model draws them
}

// BatchNorm's v is the batch variance; a unit's bias is constant over the batch, so
// after a biased layer the recursion's v is too large and the block says so (§25).
TEST(NetRecursion, BatchNormAfterABiasIsNotApplicable) {
  NetArchitecture net;
  net.input = 8;
  net.blocks = {dense(Kind::relu, 8, 2.0, 0.0), NetNorm{NetNorm::Kind::batch, 1e-5},
                dense(Kind::relu, 8, 2.0, 0.1), NetNorm{NetNorm::Kind::batch, 1e-5},
                NetNorm{NetNorm::Kind::layer, 1e-5}};
  const NetTrajectory t = net_trajectory(net);
  EXPECT_TRUE(t.blocks[1].not_applicable.empty());
  EXPECT_NE(t.blocks[3].not_applicable.find("sb2 = 0.1"), std::string::npos) << t.blocks[3].not_applicable;
  EXPECT_TRUE(t.blocks[4].not_applicable.empty());  // LayerNorm's v counts the bias spread, as it should
}

TEST(NetRecursion, BadArchitectureNamesTheBlock) {
  NetArchitecture net = residual_net(8, 3, NetResidual{{dense(Kind::relu, 9, 2.0)}, std::nullopt, 1.0});
  EXPECT_THROW(
      {
        try {
          net_trajectory(net);
        } catch (const std::invalid_argument& e) {
          EXPECT_NE(std::string(e.what()).find("block 1: residual branch ends at width 9"), std::string::npos)
              << e.what();
          throw;
        }
      },
      std::invalid_argument);
  net = residual_net(8, 2, NetResidual{{dense(Kind::relu, 8, -1.0)}, std::nullopt, 1.0});
  EXPECT_THROW(net_trajectory(net), std::invalid_argument);
  net.blocks = {NetNorm{NetNorm::Kind::batch, 0.0}};
  EXPECT_THROW(net_trajectory(net), std::invalid_argument);
  net.blocks = {NetNorm{}};
  net.logits = true;
  EXPECT_THROW(net_trajectory(net), std::invalid_argument);
  net.logits = false;
  net.mean0 = 2.0;  // > sqrt(q0) = 1
  EXPECT_THROW(net_trajectory(net), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::theory
