#include "nn/network.hpp"

#include <gtest/gtest.h>

#include <span>
#include <stdexcept>
#include <string>

#include "init/draw.hpp"
#include "init/initializer.hpp"
#include "nn/nn_testing.hpp"
#include "nn/loss.hpp"
#include "nn/optimizer.hpp"
#include "random/stream.hpp"

namespace initlab::nn {
namespace {

using testing::random_matrix;

NetworkConfig config(std::vector<std::size_t> widths, std::string acts, std::string init) {
  NetworkConfig c;
  c.widths = std::move(widths);
  c.activations = Activation::parse_list(acts);
  c.inits = {std::move(init)};
  return c;
}

// Expects an std::invalid_argument whose message contains every fragment.
template <class F>
void expect_error(F&& f, std::initializer_list<std::string> fragments) {
  try {
    f();
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    for (const auto& s : fragments)
      EXPECT_NE(std::string(e.what()).find(s), std::string::npos) << e.what() << " lacks " << s;
  }
}

TEST(Network, RejectsBadConfigsNamingTheValue) {
  expect_error([] { Network<double>(config({}, "relu", "he_normal")); }, {"Network", "()"});
  expect_error([] { Network<double>(config({3}, "relu", "he_normal")); }, {"(3)", "at least 2"});
  expect_error([] { Network<double>(config({3, 0, 2}, "relu", "he_normal")); },
               {"(3, 0, 2)", "n_1 = 0"});
  expect_error([] { Network<double>(config({3, 4, 2}, "relu,relu,relu", "he_normal")); },
               {"3 activations", "2 layers"});
  auto c = config({3, 4, 2}, "relu", "he_normal");
  c.inits = {"he_normal", "he_normal", "he_normal"};
  expect_error([&] { Network<double>{c}; }, {"3 init specs", "2 layers"});
  expect_error([] { Network<double>(config({3, 4, 2}, "relu", "bogus_init")); }, {"bogus_init"});
  expect_error([] { Activation::parse_list("relu,mish"); }, {"mish"});
}

TEST(Network, ForwardAndBackwardRejectShapeMismatch) {
  Network<double> net(config({3, 4, 2}, "tanh,linear", "xavier_normal"));
  expect_error([&] { net.backward(Matrix<double>({1, 2})); }, {"forward"});
  expect_error([&] { net.forward(Matrix<double>({5, 4})); }, {"(5, 4)", "(B, 3)"});
  net.forward(Matrix<double>({5, 3}, 0.1));
  expect_error([&] { net.backward(Matrix<double>({5, 3})); }, {"(5, 3)", "(5, 2)"});
}

TEST(Network, ShapesAndParameterCount) {
  Network<float> net(config({784, 300, 10}, "tanh,linear", "xavier_normal"));
  EXPECT_EQ(net.depth(), 2u);
  EXPECT_EQ(net.W(1).shape()[0], 300u);
  EXPECT_EQ(net.W(1).shape()[1], 784u);
  EXPECT_EQ(net.b(2).size(), 10u);
  EXPECT_EQ(net.parameter_count(), 300u * 785u + 10u * 301u);
  const Matrix<float>& y = net.forward(Matrix<float>({7, 784}, 0.5f));
  EXPECT_EQ(y.shape()[0], 7u);
  EXPECT_EQ(y.shape()[1], 10u);
}

// W^l comes from Stream(seed, 0, threads).split(2l), b^l from split(2l + 1), so
// a layer's weights do not depend on the other layers or on the thread count.
TEST(Network, WeightsComeFromTheDocumentedStreams) {
  auto c = config({5, 6, 4}, "relu", "he_normal");
  c.bias_init = "normal:0.1";
  c.seed = 77;
  Network<double> net(c);
  const random::Stream root(77);
  const auto he = init::parse("he_normal");
  EXPECT_EQ(net.W(2), init::draw<double>(he, FanShape{4, 6}, root.split(4)));
  const Matrix<double> b1 = init::draw<double>(init::parse("normal:0.1"), FanShape{6, 1}, root.split(3));
  for (std::size_t j = 0; j < 6; ++j) EXPECT_EQ(net.b(1)(j), b1(j, 0));
  c.threads = 2;
  Network<double> net2(c);
  EXPECT_EQ(net2.W(1), net.W(1));
  c.seed = 78;
  Network<double> net3(c);
  EXPECT_NE(net3.W(1), net.W(1));
}

TEST(Network, PerLayerInitsAndZeroBiasByDefault) {
  auto c = config({2, 3, 3, 1}, "relu,relu,sigmoid", "");
  c.inits = {"ones", "identity:2", "zeros"};
  Network<double> net(c);
  EXPECT_EQ(net.W(1), Matrix<double>({3, 2}, 1.0));
  EXPECT_EQ(net.W(2), (Matrix<double>{{2, 0, 0}, {0, 2, 0}, {0, 0, 2}}));
  EXPECT_EQ(net.W(3), Matrix<double>({1, 3}, 0.0));
  for (std::size_t l = 1; l <= 3; ++l)
    for (double v : net.b(l)) EXPECT_EQ(v, 0.0);
}

TEST(Network, NoReallocationWhileTheBatchSizeIsFixed) {
  Network<float> net(config({8, 16, 4}, "relu,linear", "he_normal"));
  const Matrix<float> x = random_matrix(10, 8, 1);
  const Matrix<float> d = random_matrix(10, 4, 2);
  net.forward(x);
  net.backward(d);
  const float* h = net.cache()[0].h.data();
  const float* dW = net.gradients().dW[0].data();
  const float* dh = net.gradients().dh[0].data();
  for (int i = 0; i < 3; ++i) {
    net.forward(x);
    net.backward(d);
  }
  EXPECT_EQ(net.cache()[0].h.data(), h);
  EXPECT_EQ(net.gradients().dW[0].data(), dW);
  EXPECT_EQ(net.gradients().dh[0].data(), dh);
}

// reinitialize(c) holds exactly what Network(c) holds, in the same buffers.
TEST(Network, ReinitializeEqualsANewNetworkInTheSameBuffers) {
  auto c = config({6, 5, 4}, "relu", "he_normal");
  c.seed = 3;
  Network<double> net(c);
  const double* w1 = net.W(1).data();
  c.seed = 4;
  c.inits = {"orthogonal", "normal:0.5"};
  c.activations = Activation::parse_list("tanh,linear");
  c.bias_init = "normal:0.1";
  net.reinitialize(c);
  const Network<double> fresh(c);
  for (std::size_t l = 1; l <= 2; ++l) {
    EXPECT_EQ(net.W(l), fresh.W(l));
    EXPECT_EQ(net.b(l), fresh.b(l));
    EXPECT_EQ(net.activations()[l - 1].kind, fresh.activations()[l - 1].kind);
  }
  EXPECT_EQ(net.W(1).data(), w1);
  c.widths = {6, 5, 3};
  expect_error([&] { net.reinitialize(c); }, {"reinitialize", "(6, 5, 3)", "(6, 5, 4)"});
}

TEST(Network, ConstForwardMatchesCachedForward) {
  Network<double> net(config({4, 5, 3}, "tanh,linear", "xavier_normal"));
  const Matrix<double> x = random_matrix(6, 4, 3);
  std::vector<LayerCache<double>> out;
  net.forward(x, out);
  net.forward(x);
  EXPECT_EQ(out[1].h, net.cache()[1].h);
  EXPECT_EQ(out[0].a, net.cache()[0].a);
  EXPECT_EQ(net.input(), x);
}

// The note's zero-init lesson. Units of a hidden layer are interchangeable when
// their incoming weights (rows of W^l) and outgoing weights (columns of W^{l+1})
// are equal: they compute the same h, receive the same dL/dh and the same
// update, for any number of SGD steps. Equality holds up to rounding only,
// because BLAS sums different output columns in different orders (edge kernels):
// a spread of a few ulps per step, which the (bounded, softmax CE) dynamics can
// amplify only mildly over 50 steps. The bound 1e-10 relative to the largest
// weight is 6 orders above that and 8 below what random inits give (>= 1e-2).
double max_row_spread(const Matrix<double>& M) {
  double s = 0.0;
  for (std::size_t i = 1; i < M.shape()[0]; ++i)
    for (std::size_t j = 0; j < M.shape()[1]; ++j) s = std::max(s, std::abs(M(i, j) - M(0, j)));
  return s;
}

double max_abs(const Matrix<double>& M) {
  double s = 0.0;
  for (double v : M) s = std::max(s, std::abs(v));
  return s;
}

// Largest spread between the units of hidden layers 1 and 2 (their gradients at
// every step and their weights at the end), relative to the largest weight.
double train_and_measure_spread(const std::string& init, std::size_t steps) {
  auto c = config({3, 6, 5, 2}, "tanh,relu,linear", init);
  c.seed = 5;
  Network<double> net(c);
  Optimizer<double> opt(OptimizerConfig::parse("sgd", 0.1));
  const Matrix<double> x = random_matrix(16, 3, 11, -2.0, 2.0);
  std::vector<std::size_t> y(16);
  for (std::size_t i = 0; i < 16; ++i) y[i] = (i * 7) % 3 == 0 ? 1 : 0;
  Matrix<double> d;
  double spread = 0.0, scale = 0.0;
  for (std::size_t s = 0; s < steps; ++s) {
    net.forward(x);
    softmax_cross_entropy(d, net.cache().back().h, std::span<const std::size_t>(y));
    const Gradients<double>& g = net.backward(d);
    spread = std::max({spread, max_row_spread(g.dW[0]), max_row_spread(g.dW[1])});
    opt.step(net, g);
    scale = std::max({scale, max_abs(net.W(1)), max_abs(net.W(2))});
  }
  spread = std::max({spread, max_row_spread(net.W(1)), max_row_spread(net.W(2))});
  return scale == 0.0 ? spread : spread / scale;
}

TEST(Network, ConstantInitKeepsHiddenUnitsIdentical) {
  EXPECT_LE(train_and_measure_spread("constant:0.3", 50), 1e-10);
  EXPECT_LE(train_and_measure_spread("constant:-0.7", 50), 1e-10);
  EXPECT_EQ(train_and_measure_spread("zeros", 50), 0.0);  // every hidden gradient is exactly 0
}

TEST(Network, RandomInitBreaksSymmetry) {
  for (const char* init : {"he_normal", "xavier_uniform", "normal:0.01", "orthogonal"})
    EXPECT_GT(train_and_measure_spread(init, 5), 1e-2) << init;
}

}  // namespace
TEST(Network, AssignCopiesAKeptDrawUnderAnotherActivation) {
  const Network<float> drawn(config({5, 4, 3}, "tanh", "orthogonal"));
  std::vector<Matrix<float>> W{drawn.W(1), drawn.W(2)};
  std::vector<Vector<float>> b{drawn.b(1), drawn.b(2)};
  Network<float> net(config({5, 4, 3}, "linear", "lecun_normal"));
  net.assign(Activation::parse("relu"), W, b);
  for (std::size_t l = 1; l <= 2; ++l) {
    EXPECT_EQ(net.W(l), drawn.W(l));
    EXPECT_EQ(net.b(l), drawn.b(l));
    EXPECT_EQ(net.activations()[l - 1].name(), "relu");
  }
  W[1] = Matrix<float>::from_shape({3, 5});
  expect_error([&] { net.assign(Activation::parse("relu"), W, b); },
               {"Network::assign", "layer 2", "(3, 5)", "(3, 4)"});
  W.pop_back();
  expect_error([&] { net.assign(Activation::parse("relu"), W, b); }, {"Network::assign", "1 weight", "expected 2"});
}

}  // namespace initlab::nn
