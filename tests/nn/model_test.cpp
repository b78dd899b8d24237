// Model: a plain description computes what nn::Network computes (same seed split),
// the seeding and parameter listing as documented, the errors, buffer reuse.

#include <gtest/gtest.h>

#include <stdexcept>

#include "nn/model.hpp"
#include "nn/network.hpp"
#include "nn/nn_testing.hpp"

namespace initlab::nn {
namespace {

using testing::random_matrix;

DenseLayer dense(std::size_t width, const char* activation, const char* init,
                 const char* bias = "normal:0.1") {
  DenseLayer d;
  d.width = width;
  d.activation = Activation::parse(activation);
  d.init = init;
  d.bias = bias;
  return d;
}

NetDescription plain_net() {
  NetDescription net;
  net.input = 5;
  net.blocks = {dense(7, "tanh", "lecun_normal"), dense(3, "relu", "he_uniform"),
                dense(4, "linear", "orthogonal")};
  return net;
}

NetworkConfig plain_config(std::uint64_t seed) {
  NetworkConfig cfg;
  cfg.widths = {5, 7, 3, 4};
  cfg.activations = Activation::parse_list("tanh,relu,linear");
  cfg.inits = {"lecun_normal", "he_uniform", "orthogonal"};
  cfg.bias_init = "normal:0.1";
  cfg.seed = seed;
  return cfg;
}

// Same kernels, same streams: forward values, weights and gradients equal bit for bit.
template <class T>
void expect_same_as_network() {
  Model<T> model(plain_net(), 42);
  Network<T> net(plain_config(42));
  const Matrix<T> x = random_matrix(6, 5, 1);
  const Matrix<T> dh = random_matrix(6, 4, 2);
  EXPECT_EQ(model.forward(x), net.forward(x));
  model.backward_logits(dh);
  net.backward(dh);
  for (std::size_t l = 1; l <= 3; ++l) {
    const auto& d = std::get<DenseBlock<T>>(model.block(l - 1));
    EXPECT_EQ(d.W, net.W(l));
    EXPECT_EQ(d.b, net.b(l));
    EXPECT_EQ(d.h, net.cache()[l - 1].h);
    EXPECT_EQ(d.dW, net.gradients().dW[l - 1]);
    EXPECT_EQ(d.db, net.gradients().db[l - 1]);
  }
}

TEST(Model, PlainNetComputesWhatNetworkComputes) {
  expect_same_as_network<float>();
  expect_same_as_network<double>();
}

// Norm blocks take no stream: inserting them leaves every weight as it was; a
// residual's branch layers count in order (dense layer 2 here is the branch's).
TEST(Model, DenseLayersAreNumberedInOrderNormsDrawNothing) {
  NetDescription with_norms = plain_net();
  with_norms.blocks.insert(with_norms.blocks.begin() + 1, Norm{});
  Norm bn;
  bn.kind = Norm::Kind::batch;
  bn.affine = true;
  with_norms.blocks.insert(with_norms.blocks.begin() + 3, bn);
  const Model<double> a(plain_net(), 7), b(with_norms, 7, 2);
  EXPECT_EQ(std::get<DenseBlock<double>>(a.block(0)).W, std::get<DenseBlock<double>>(b.block(0)).W);
  EXPECT_EQ(std::get<DenseBlock<double>>(a.block(1)).W, std::get<DenseBlock<double>>(b.block(2)).W);
  EXPECT_EQ(std::get<DenseBlock<double>>(a.block(2)).b, std::get<DenseBlock<double>>(b.block(4)).b);
  const auto& n = std::get<NormBlock<double>>(b.block(3));
  EXPECT_EQ(n.gamma, xt::ones<double>({3}));
  EXPECT_EQ(n.beta, xt::zeros<double>({3}));

  NetDescription res;
  res.input = 5;
  Residual r;
  r.branch = {dense(7, "tanh", "he_uniform"), dense(5, "linear", "he_uniform")};
  res.blocks = {dense(5, "tanh", "lecun_normal"), r};
  const Model<double> c(res, 7);
  const auto& branch = std::get<ResidualBlock<double>>(c.block(1)).branch;
  Matrix<double> W = Matrix<double>::from_shape({7, 5});
  init::parse("he_uniform")(std::span<double>(W.data(), W.size()), FanShape{7, 5},
                            random::Stream(7).split(4));
  EXPECT_EQ(branch[0].W, W);
}

TEST(Model, ParametersAreListedInBlockOrder) {
  NetDescription net;
  net.input = 3;
  Norm ln;
  ln.affine = true;
  Residual r;
  r.pre_norm = ln;
  r.branch = {dense(4, "relu", "he_normal"), dense(3, "linear", "xavier_normal")};
  net.blocks = {dense(3, "tanh", "lecun_normal"), ln, r, Norm{}, dense(2, "linear", "xavier_normal")};
  Model<float> model(net, 1);
  std::vector<std::string> names;
  std::size_t total = 0;
  for (const auto& p : model.parameters()) {
    names.push_back(p.name);
    total += p.value.size();
    EXPECT_EQ(p.value.size(), p.rows * p.cols);
    EXPECT_EQ(p.grad.size(), p.value.size());
  }
  const std::vector<std::string> expect = {
      "block 1 W", "block 1 b", "block 2 gamma", "block 2 beta", "block 3 pre-norm gamma",
      "block 3 pre-norm beta", "block 3 branch 1 W", "block 3 branch 1 b", "block 3 branch 2 W",
      "block 3 branch 2 b", "block 5 W", "block 5 b"};
  EXPECT_EQ(names, expect);
  EXPECT_EQ(total, model.parameter_count());
  EXPECT_EQ(total, 12u + 6u + 6u + 16u + 15u + 8u);
}

TEST(Model, RejectsBadInputNamingTheBlock) {
  NetDescription net = plain_net();
  std::get<DenseLayer>(net.blocks[1]).init = "no_such_init";
  try {
    Model<double> m(net, 1);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("block 2 init"), std::string::npos) << e.what();
  }
  NetDescription bad = plain_net();
  std::get<DenseLayer>(bad.blocks[0]).width = 0;
  EXPECT_THROW(Model<double>(bad, 1), std::invalid_argument);
  EXPECT_THROW(Model<double>(plain_net(), 1, 0), std::invalid_argument);

  Model<double> m(plain_net(), 1);
  EXPECT_THROW(m.backward(random_matrix(2, 4, 1)), std::invalid_argument);  // no forward yet
  EXPECT_THROW(m.forward(random_matrix(2, 4, 1)), std::invalid_argument);   // width 4, not 5
  m.forward(random_matrix(2, 5, 1));
  EXPECT_THROW(m.backward(random_matrix(3, 4, 1)), std::invalid_argument);  // batch 3, not 2
  NetDescription norm_last = plain_net();
  norm_last.blocks.push_back(Norm{});
  Model<double> n(norm_last, 1);
  n.forward(random_matrix(2, 5, 1));
  EXPECT_THROW(n.backward_logits(random_matrix(2, 4, 1)), std::invalid_argument);
}

// With the batch size fixed, forward and backward reuse every buffer.
TEST(Model, NoReallocationWhileTheBatchSizeIsFixed) {
  NetDescription net = plain_net();
  Norm bn;
  bn.kind = Norm::Kind::batch;
  Residual r;
  r.pre_norm = Norm{};
  r.branch = {dense(3, "gelu", "he_normal")};
  net.blocks.insert(net.blocks.begin() + 2, bn);
  net.blocks.insert(net.blocks.begin() + 3, r);
  Model<float> model(net, 3);
  const Matrix<float> x = random_matrix(8, 5, 1), d = random_matrix(8, 4, 2);
  model.forward(x);
  model.backward(d, true);
  std::vector<const float*> before;
  for (std::size_t k = 0; k < model.size(); ++k) {
    before.push_back(model.output(k).data());
    before.push_back(model.output_gradient(k).data());
  }
  for (int i = 0; i < 3; ++i) {
    model.forward(x);
    model.backward(d, true);
  }
  for (std::size_t k = 0; k < model.size(); ++k) {
    EXPECT_EQ(model.output(k).data(), before[2 * k]);
    EXPECT_EQ(model.output_gradient(k).data(), before[2 * k + 1]);
  }
}

}  // namespace
}  // namespace initlab::nn
