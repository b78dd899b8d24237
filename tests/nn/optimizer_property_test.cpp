// lr = 0 leaves every parameter bit-identical, for every optimizer, random
// networks and random gradients (including steps after state has built up).

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "nn/nn_testing.hpp"
#include "nn/optimizer.hpp"

namespace initlab::nn {
namespace {

RC_GTEST_PROP(Optimizer, ZeroLearningRateLeavesRandomNetsUnchanged, ()) {
  const auto L = *rc::gen::inRange<std::size_t>(1, 5).as("L");
  NetworkConfig c;
  for (std::size_t l = 0; l <= L; ++l) c.widths.push_back(*rc::gen::inRange<std::size_t>(1, 9).as("width"));
  c.activations = {Activation::parse("tanh")};
  c.inits = {"he_normal"};
  c.bias_init = "normal:1";
  c.seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  Network<float> net(c);
  std::vector<Matrix<float>> W0;
  std::vector<Vector<float>> b0;
  for (std::size_t l = 1; l <= L; ++l) {
    W0.push_back(net.W(l));
    b0.push_back(net.b(l));
  }
  const std::string spec = *rc::gen::element<std::string>("sgd", "momentum:0.9", "rmsprop", "adam").as("spec");
  Optimizer<float> opt(OptimizerConfig::parse(spec, 0.0), true);
  const auto steps = *rc::gen::inRange(1, 5).as("steps");
  for (std::uint64_t s = 0; s < static_cast<std::uint64_t>(steps); ++s) {
    const auto B = *rc::gen::inRange<std::size_t>(1, 6).as("B");
    const Matrix<float> x = testing::random_matrix(B, c.widths[0], c.seed + 2 * s, -3.0, 3.0);
    const Matrix<float> d = testing::random_matrix(B, c.widths[L], c.seed + 2 * s + 1, -3.0, 3.0);
    net.forward(x);
    opt.step(net, net.backward(d));
  }
  for (std::size_t l = 1; l <= L; ++l) {
    RC_ASSERT(net.W(l) == W0[l - 1]);
    RC_ASSERT(net.b(l) == b0[l - 1]);
  }
}

}  // namespace
}  // namespace initlab::nn
