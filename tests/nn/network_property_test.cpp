// The whole network's backward against central finite differences, and the exact
// laws of linear networks (identity and orthogonal layers).

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <limits>

#include "nn/network.hpp"
#include "nn/nn_testing.hpp"

namespace initlab::nn {
namespace {

using testing::fd_gradient;
using testing::fd_matches;
using testing::random_matrix;
using testing::weighted_sum;

constexpr double kEps = std::numeric_limits<double>::epsilon();

Activation any_activation() {
  Activation f;
  f.kind = static_cast<Activation::Kind>(*rc::gen::inRange(0, Activation::kKinds).as("activation kind"));
  if (f.kind == Activation::Kind::leaky_relu) f.slope = *rc::gen::inRange(0, 100).as("slope * 100") / 100.0;
  return f;
}

bool has_kink(Activation f) {
  return f.kind == Activation::Kind::relu || f.kind == Activation::Kind::leaky_relu ||
         f.kind == Activation::Kind::selu;
}

// Depth 1-6, widths 1-6, a random activation per layer, xavier weights and
// N(0, 0.25) biases; objective sum(R * h^L), so dL/dh^L = R. Relative error
// <= 1e-6 per layer's dW and db, plus the rounding floor of nn_testing.hpp for
// layers whose gradient is tiny.
RC_GTEST_PROP(Network, BackwardMatchesFiniteDifferences, ()) {
  const auto L = *rc::gen::inRange<std::size_t>(1, 7).as("L");
  NetworkConfig cfg;
  for (std::size_t l = 0; l <= L; ++l) cfg.widths.push_back(*rc::gen::inRange<std::size_t>(1, 7).as("width"));
  for (std::size_t l = 0; l < L; ++l) cfg.activations.push_back(any_activation());
  cfg.inits = {"xavier_normal"};
  cfg.bias_init = "normal:0.5";
  cfg.seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  Network<double> net(cfg);
  const auto B = *rc::gen::inRange<std::size_t>(1, 5).as("B");
  const Matrix<double> x = random_matrix(B, cfg.widths[0], cfg.seed + 1, -2.0, 2.0);
  const Matrix<double> R = random_matrix(B, cfg.widths[L], cfg.seed + 2);

  net.forward(x);
  // Keep ReLU-type pre-activations at least 1e-4 from the kink: a step of 1e-6
  // in any parameter moves them by far less (|x|, |W| = O(1), depth <= 6).
  for (std::size_t l = 0; l + 1 < L; ++l)
    if (has_kink(cfg.activations[l]))
      for (double v : net.cache()[l].h) RC_PRE(std::abs(v) > 1e-4);
  const Gradients<double> g = net.backward(R);
  const double scale = testing::abs_weighted_sum(net.cache().back().h, R);

  std::vector<LayerCache<double>> tmp;
  const auto loss = [&] {
    net.forward(x, tmp);
    return weighted_sum(tmp.back().h, R);
  };
  for (std::size_t l = 1; l <= L; ++l) {
    const auto fW = fd_gradient(loss, net.W(l).data(), net.W(l).size());
    const auto fb = fd_gradient(loss, net.b(l).data(), net.b(l).size());
    RC_ASSERT(fd_matches(g.dW[l - 1].data(), fW.data(), fW.size(), scale));
    RC_ASSERT(fd_matches(g.db[l - 1].data(), fb.data(), fb.size(), scale));
  }
}

// A linear network with identity:ALPHA layers and zero bias maps x to
// ALPHA^L x. Each layer's GEMM sums one non-zero product alpha x_j with exact
// zeros, so it rounds once: |a^L - alpha^L x| <= (2L + 1) eps |alpha^L x|
// (L roundings in the network, L in pow, 1 in the final product).
RC_GTEST_PROP(Network, LinearIdentityLayersScaleByAlphaToTheL, ()) {
  const auto L = *rc::gen::inRange<std::size_t>(1, 21).as("L");
  const auto n = *rc::gen::inRange<std::size_t>(1, 9).as("n");
  const double alpha = *rc::gen::element(0.5, 1.5, 2.0, 0.9, -1.25).as("alpha");
  NetworkConfig cfg;
  cfg.widths.assign(L + 1, n);
  cfg.activations = {Activation::parse("linear")};
  cfg.inits = {"identity:" + std::to_string(alpha)};
  Network<double> net(cfg);
  const auto B = *rc::gen::inRange<std::size_t>(1, 5).as("B");
  const Matrix<double> x = random_matrix(B, n, *rc::gen::arbitrary<std::uint64_t>().as("input seed"));
  const Matrix<double>& y = net.forward(x);
  const double scale = std::pow(alpha, static_cast<double>(L));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double expect = scale * x.data()[i];
    RC_ASSERT(std::abs(y.data()[i] - expect) <=
              static_cast<double>(2 * L + 1) * kEps * std::abs(expect));
  }
}

// Square orthogonal layers preserve every row's norm. Each layer changes the
// norm by at most ||Q^T Q - I|| (Householder QR: a small multiple of n eps) plus
// the GEMM's rounding (n eps): the bound 4 L n eps is the "L n eps" of
// docs/theory.md §8 with that constant.
RC_GTEST_PROP(Network, SquareOrthogonalLayersPreserveNorm, ()) {
  const auto L = *rc::gen::inRange<std::size_t>(1, 11).as("L");
  const auto n = *rc::gen::inRange<std::size_t>(2, 65).as("n");
  NetworkConfig cfg;
  cfg.widths.assign(L + 1, n);
  cfg.activations = {Activation::parse("linear")};
  cfg.inits = {"orthogonal"};
  cfg.seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  Network<double> net(cfg);
  const Matrix<double> x = random_matrix(3, n, cfg.seed + 1);
  const Matrix<double>& y = net.forward(x);
  for (std::size_t r = 0; r < 3; ++r) {
    double nx = 0.0, ny = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      nx += x(r, j) * x(r, j);
      ny += y(r, j) * y(r, j);
    }
    RC_ASSERT(std::abs(std::sqrt(ny) - std::sqrt(nx)) <=
              4.0 * static_cast<double>(L * n) * kEps * std::sqrt(nx));
  }
}

}  // namespace
}  // namespace initlab::nn
