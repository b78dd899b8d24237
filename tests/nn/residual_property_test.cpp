// Residual blocks y = x + alpha branch(pre_norm(x)): backward against central
// finite differences (no pre-norm, LayerNorm, BatchNorm, with and without affine
// parameters), and alpha = 0 is the identity, forward and backward, exactly.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <optional>

#include "nn/model.hpp"
#include "nn/nn_testing.hpp"

namespace initlab::nn {
namespace {

using testing::random_matrix;

// Smooth activations only: a finite difference across a kink is not a derivative.
Activation smooth_activation() {
  return Activation::parse(
      *rc::gen::element<std::string>("tanh", "linear", "gelu", "silu", "erf", "softplus", "sigmoid")
           .as("branch activation"));
}

// The pre-norm: none, LayerNorm or BatchNorm, affine or not. eps = 1e-2 bounds
// inv_std by 10 whatever the batch, so the finite differences' truncation error
// relative to the gradient, O((step inv_std)^2) = O(1e-10), stays far below 1e-6.
std::optional<Norm> any_pre_norm() {
  const int kind = *rc::gen::inRange(0, 3).as("pre-norm: 0 none, 1 layer, 2 batch");
  if (kind == 0) return std::nullopt;
  Norm n;
  n.kind = kind == 1 ? Norm::Kind::layer : Norm::Kind::batch;
  n.affine = *rc::gen::arbitrary<bool>().as("pre-norm affine");
  n.eps = 1e-2;
  return n;
}

// One residual block on input width n, branch of 1-3 dense layers.
NetDescription residual_net(std::size_t n, double alpha) {
  NetDescription net;
  net.input = n;
  Residual r;
  r.alpha = alpha;
  r.pre_norm = any_pre_norm();
  const auto layers = *rc::gen::inRange<std::size_t>(1, 4).as("branch layers");
  for (std::size_t j = 0; j < layers; ++j) {
    DenseLayer d;
    d.width = j + 1 == layers ? n : *rc::gen::inRange<std::size_t>(1, 7).as("branch width");
    d.activation = smooth_activation();
    d.init = "xavier_normal";
    d.bias = "normal:0.5";
    r.branch.push_back(d);
  }
  net.blocks.push_back(r);
  return net;
}

// Objective f = sum(R * y): dL/dy = R. Every branch parameter, the pre-norm's
// gamma and beta, and the input; fd_matches as in nn_testing.hpp, its rounding
// floor scaled by the pre-norm's amplification (norm_amplification).
RC_GTEST_PROP(Residual, BackwardMatchesFiniteDifferences, ()) {
  const auto n = *rc::gen::inRange<std::size_t>(1, 7).as("n");
  const auto B = *rc::gen::inRange<std::size_t>(2, 6).as("B");
  const double alpha = *rc::gen::element(1.0, 0.5, -0.3, 2.0).as("alpha");
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  Model<double> model(residual_net(n, alpha), seed);
  const Matrix<double> x = random_matrix(B, n, seed + 1, -2.0, 2.0);
  const Matrix<double> R = random_matrix(B, n, seed + 2);
  const std::string mismatch = testing::model_fd_mismatch(model, x, R);
  RC_LOG() << mismatch << "\n";
  RC_ASSERT(mismatch.empty());
}

// alpha = 0: y = x + 0 r = x and dL/dx = dL/dy + (exact zeros from the branch),
// bit for bit; every branch gradient is exactly 0.
RC_GTEST_PROP(Residual, AlphaZeroIsTheIdentity, ()) {
  const auto n = *rc::gen::inRange<std::size_t>(1, 65).as("n");
  const auto B = *rc::gen::inRange<std::size_t>(2, 17).as("B");
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  Model<float> model(residual_net(n, 0.0), seed);
  const Matrix<float> x = random_matrix(B, n, seed + 1, -3.0, 3.0);
  const Matrix<float> dy = random_matrix(B, n, seed + 2);
  RC_ASSERT(model.forward(x) == x);
  model.backward(dy, true);
  RC_ASSERT(model.input_gradient() == dy);
  for (const Parameter<float>& p : model.parameters())
    for (float g : p.grad) RC_ASSERT(g == 0.0f);
}

}  // namespace
}  // namespace initlab::nn
