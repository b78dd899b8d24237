// LSUV (lib/nn/lsuv.cpp): the spec, the tolerance applied to the variance (not the
// standard deviation), one exact rescaling without bias, and the iteration cap.
#include "nn/lsuv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "nn/nn_testing.hpp"

namespace initlab::nn {
namespace {

using Kind = Activation::Kind;

// x (B, n) with every entry +-1 in balanced columns: mean 0, variance 1 exactly.
Matrix<double> unit_batch(std::size_t B, std::size_t n) {
  Matrix<double> x({B, n});
  for (std::size_t i = 0; i < B; ++i)
    for (std::size_t j = 0; j < n; ++j) x(i, j) = ((i + j) % 2 == 0) ? 1.0 : -1.0;
  return x;
}

// One linear layer W = sqrt(alpha) I, no bias: Var(h^1) = alpha exactly.
Network<double> scaled_identity(std::size_t n, double alpha) {
  NetworkConfig c;
  c.widths = {n, n};
  c.activations = {Activation{Kind::linear, 0.0}};
  c.inits = {"identity"};
  Network<double> net(c);
  net.W(1) *= std::sqrt(alpha);
  return net;
}

TEST(Lsuv, ParsesItsSpec) {
  const Lsuv d = parse_lsuv("lsuv");
  EXPECT_EQ(d.tol, 0.1);
  EXPECT_EQ(d.max_iter, 10u);
  EXPECT_EQ(d.spec(), "lsuv:tol=0.1,max_iter=10");
  const Lsuv c = parse_lsuv("lsuv:tol=0.02,max_iter=25");
  EXPECT_EQ(c.tol, 0.02);
  EXPECT_EQ(c.max_iter, 25u);
  EXPECT_EQ(parse_lsuv(c.spec()).spec(), c.spec());
  EXPECT_TRUE(is_lsuv("lsuv"));
  EXPECT_TRUE(is_lsuv("lsuv:tol=0.2"));
  EXPECT_FALSE(is_lsuv("lsuvx"));
  EXPECT_FALSE(is_lsuv("orthogonal"));
  for (const char* bad : {"lsuv:tol=0", "lsuv:tol=1.5", "lsuv:max_iter=0", "lsuv:max_iter=2.5",
                          "lsuv:tol=x", "lsuv:gain=2", "lsuv:", "orthogonal"}) {
    EXPECT_THROW(parse_lsuv(bad), std::invalid_argument) << bad;
  }
}

// Var(h) = 1.08 is inside tol = 0.1: nothing is rescaled. Var(h) = 1.15 is outside
// on the variance although its sd 1.072 is within 0.1 of 1: rescaled once, to 1.
TEST(Lsuv, TheToleranceIsOnTheVariance) {
  const Matrix<double> x = unit_batch(8, 6);
  Network<double> inside = scaled_identity(6, 1.08);
  const auto a = lsuv(inside, x, Lsuv{});
  EXPECT_EQ(a[0].rescalings, 0u);
  EXPECT_NEAR(a[0].variance, 1.08, 1e-12);
  EXPECT_TRUE(a[0].converged);
  Network<double> outside = scaled_identity(6, 1.15);
  const auto b = lsuv(outside, x, Lsuv{});
  EXPECT_EQ(b[0].rescalings, 1u);
  EXPECT_NEAR(b[0].variance, 1.0, 1e-14);
  EXPECT_NEAR(b[0].scale, 1.0 / std::sqrt(1.15), 1e-14);
  EXPECT_NEAR(outside.W(1)(0, 0), 1.0, 1e-14);  // sqrt(1.15) / sqrt(1.15)
}

// A bias that carries more than the unit variance cannot be scaled away: LSUV stops
// at max_iter and says it did not converge.
TEST(Lsuv, StopsAtTheCapWhenTheBiasDominates) {
  NetworkConfig c;
  c.widths = {16, 16};
  c.activations = {Activation{Kind::tanh, 0.0}};
  c.inits = {"orthogonal"};
  c.bias_init = "normal:3";
  c.seed = 4;
  Network<double> net(c);
  const auto r = lsuv(net, unit_batch(32, 16), Lsuv{0.1, 7});
  EXPECT_EQ(r[0].rescalings, 7u);
  EXPECT_FALSE(r[0].converged);
  EXPECT_GT(r[0].variance, 1.1);
}

TEST(Lsuv, LeavesTheCacheOnTheFinalWeights) {
  NetworkConfig c;
  c.widths = {12, 20, 9};
  c.activations = {Activation{Kind::relu, 0.0}};
  c.inits = {"orthogonal"};
  Network<double> net(c);
  const Matrix<double> x = testing::random_matrix(10, 12, 3);
  const auto r = lsuv(net, x, Lsuv{});
  ASSERT_EQ(r.size(), 2u);
  for (std::size_t l = 1; l <= 2; ++l) {
    const Matrix<double>& h = net.cache()[l - 1].h;
    EXPECT_NEAR(xt::variance(h)(), r[l - 1].variance, 1e-12);
    EXPECT_NEAR(r[l - 1].variance, 1.0, 1e-12);  // no bias: one exact rescaling
  }
  EXPECT_THROW(lsuv(net, testing::random_matrix(10, 11, 3), Lsuv{}), std::invalid_argument);
}

DenseLayer dense(std::size_t width, const char* activation) {
  return DenseLayer{width, Activation::parse(activation), "orthogonal", "zeros"};
}

// On a described net LSUV fits every dense layer in seeding order, residual branch
// layers included, each on its own input: without bias one exact rescaling each.
TEST(Lsuv, FitsEveryDenseLayerOfABlockNet) {
  NetDescription d;
  d.input = 12;
  Residual r;
  r.branch = {dense(16, "relu"), dense(10, "linear")};
  r.pre_norm = Norm{};
  d.blocks = {dense(10, "tanh"), Block{r}, Block{Norm{Norm::Kind::batch, true, 1e-5}}, dense(3, "linear")};
  Model<double> model(d, 7);
  const Matrix<double> x = testing::random_matrix(20, 12, 3);
  const auto out = lsuv(model, x, Lsuv{});
  ASSERT_EQ(out.size(), 4u);  // block 1, the branch's two layers, block 4
  for (std::size_t j = 0; j < out.size(); ++j) {
    EXPECT_EQ(out[j].layer, j + 1);
    EXPECT_NEAR(out[j].variance, 1.0, 1e-12) << j;
    EXPECT_TRUE(out[j].converged);
  }
  // The caches hold the pass on x with the final weights.
  const auto& branch = std::get<ResidualBlock<double>>(model.block(1)).branch;
  EXPECT_NEAR(xt::variance(branch[1].h)(), 1.0, 1e-12);
  EXPECT_NEAR(xt::variance(std::get<DenseBlock<double>>(model.block(3)).h)(), 1.0, 1e-12);
  EXPECT_THROW(lsuv(model, testing::random_matrix(20, 11, 3), Lsuv{}), std::invalid_argument);
}

// A plain description as a Model: the Network's weights and kernels, so LSUV
// applies the same factors bit for bit.
TEST(Lsuv, AModelOfAPlainNetRescalesAsTheNetwork) {
  NetworkConfig c;
  c.widths = {12, 20, 9};
  c.activations = {Activation{Kind::relu, 0.0}, Activation{Kind::linear, 0.0}};
  c.inits = {"orthogonal"};
  c.bias_init = "normal:0.1";
  c.seed = 5;
  Network<double> net(c);
  NetDescription d;
  d.input = 12;
  d.blocks = {DenseLayer{20, c.activations[0], "orthogonal", "normal:0.1"},
              DenseLayer{9, c.activations[1], "orthogonal", "normal:0.1"}};
  Model<double> model(d, 5);
  const Matrix<double> x = testing::random_matrix(10, 12, 3);
  const auto a = lsuv(net, x, Lsuv{0.01, 10});
  const auto b = lsuv(model, x, Lsuv{0.01, 10});
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t l = 0; l < a.size(); ++l) {
    EXPECT_EQ(a[l].scale, b[l].scale);
    EXPECT_EQ(a[l].rescalings, b[l].rescalings);
  }
  EXPECT_EQ(std::get<DenseBlock<double>>(model.block(1)).W, net.W(2));
}

}  // namespace
}  // namespace initlab::nn
