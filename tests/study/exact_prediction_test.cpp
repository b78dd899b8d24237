// The exact prediction for deterministic weights (study/exact_prediction.hpp),
// against the network itself: forward values entry by entry, and the backward
// expectation over g ~ N(0, I) as sum_k |J e_k|^2 (backward from each basis vector).
#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "init/initializer.hpp"
#include "nn/network.hpp"
#include "study/exact_prediction.hpp"

namespace initlab::study {
namespace {

Matrix<double> inputs(std::size_t B, std::size_t n0) {
  Matrix<double> x({B, n0});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = std::sin(1.0 + 0.7 * static_cast<double>(i));
  return x;
}

// Measured by the network: per layer the pooled E[h^2] and E over g of E[(dh)^2].
void check_against_network(const std::string& spec, Activation f, std::vector<std::size_t> widths) {
  const Matrix<double> x = inputs(3, widths[0]);
  const std::vector<Matrix<double>> xs = {x};
  const theory::Trajectory t = exact_trajectory(init::parse(spec), f, widths, xs);
  nn::NetworkConfig nc;
  nc.widths = widths;
  nc.activations = {f};
  nc.inits = {spec};
  nn::Network<double> net(nc);
  const std::size_t L = widths.size() - 1, nL = widths.back();
  net.forward(x);
  std::vector<double> q(L), qt(L, 0.0);
  for (std::size_t l = 0; l < L; ++l) {
    const auto& h = net.cache()[l].h;
    double s = 0.0;
    for (std::size_t i = 0; i < h.size(); ++i) s += h.data()[i] * h.data()[i];
    q[l] = s / static_cast<double>(h.size());
  }
  for (std::size_t k = 0; k < nL; ++k) {
    Matrix<double> g({3, nL});
    g.fill(0.0);
    for (std::size_t b = 0; b < 3; ++b) g(b, k) = 1.0;
    const auto& grads = net.backward(g);
    for (std::size_t l = 0; l < L; ++l) {
      const auto& dh = grads.dh[l];
      double s = 0.0;
      for (std::size_t i = 0; i < dh.size(); ++i) s += dh.data()[i] * dh.data()[i];
      qt[l] += s / static_cast<double>(dh.size());
    }
  }
  for (std::size_t l = 0; l < L; ++l) {
    EXPECT_NEAR(t.layers[l].q, q[l], 1e-12 * (1.0 + q[l])) << spec << " layer " << l + 1;
    EXPECT_NEAR(t.layers[l].qt, qt[l], 1e-12 * (1.0 + qt[l])) << spec << " layer " << l + 1;
  }
}

TEST(ExactPrediction, IdentityMatchesTheNetwork) {
  check_against_network("identity:1.5", Activation{Activation::Kind::tanh}, {4, 4, 4, 4});
  check_against_network("identity:0.7", Activation{Activation::Kind::relu}, {4, 6, 3, 5});
}

TEST(ExactPrediction, ConstantMatchesTheNetwork) {
  check_against_network("constant:0.3", Activation{Activation::Kind::tanh}, {3, 4, 4, 2});
}

// ReLU with W = alpha I keeps the positive entries and multiplies them by alpha:
// from layer 3 on (h^2 >= 0) q grows by alpha^2 per layer, not by the mean-field alpha^2 / 2.
TEST(ExactPrediction, ReluIdentityGrowsByAlphaSquared) {
  const std::vector<Matrix<double>> xs = {inputs(5, 8)};
  const std::vector<std::size_t> widths(7, 8);
  const theory::Trajectory t = exact_trajectory(init::parse("identity:1.5"), Activation{Activation::Kind::relu}, widths, xs);
  for (std::size_t l = 3; l <= 6; ++l) {
    EXPECT_NEAR(t.layers[l - 1].ln_q - t.layers[l - 2].ln_q, std::log(2.25), 1e-12);
  }
}

TEST(ExactPrediction, OnlyDeterministicWeights) {
  EXPECT_TRUE(has_exact_prediction(init::parse("identity:2"), 0.0));
  EXPECT_TRUE(has_exact_prediction(init::parse("zeros"), 0.0));
  EXPECT_FALSE(has_exact_prediction(init::parse("identity:2"), 0.1));
  EXPECT_FALSE(has_exact_prediction(init::parse("lecun_normal"), 0.0));
  const std::vector<Matrix<double>> xs = {inputs(2, 4)};
  const std::vector<std::size_t> widths = {4, 4};
  EXPECT_THROW(exact_trajectory(init::parse("orthogonal"), Activation{}, widths, xs), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::study
