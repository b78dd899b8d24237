// Model end to end on a mixed network (dense, LayerNorm, residual blocks with
// LayerNorm and BatchNorm pre-norms, BatchNorm, dense output), its backward against
// central finite differences for every parameter and the input.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "nn/model.hpp"
#include "nn/nn_testing.hpp"

namespace initlab::nn {
namespace {

using testing::random_matrix;

DenseLayer dense(std::size_t width, const char* activation, const char* init) {
  DenseLayer d;
  d.width = width;
  d.activation = Activation::parse(activation);
  d.init = init;
  d.bias = "normal:0.3";
  return d;
}

// eps = 1e-2 bounds every norm's inv_std by 10, so the truncation error of the
// central differences relative to the gradient is O((step inv_std)^2) = O(1e-10)
// (composed through <= 9 smooth layers of O(1) Lipschitz constant), far below the
// 1e-6 of fd_matches.
Norm norm(Norm::Kind kind, bool affine) {
  Norm n;
  n.kind = kind;
  n.affine = affine;
  n.eps = 1e-2;
  return n;
}

NetDescription mixed_net(std::size_t n0, std::size_t w, std::size_t h, std::size_t out, bool affine) {
  NetDescription net;
  net.input = n0;
  net.blocks.push_back(dense(w, "tanh", "lecun_normal"));
  net.blocks.push_back(norm(Norm::Kind::layer, affine));
  Residual r1;
  r1.pre_norm = norm(Norm::Kind::layer, affine);
  r1.branch = {dense(h, "gelu", "he_normal"), dense(w, "linear", "xavier_normal")};
  net.blocks.push_back(r1);
  net.blocks.push_back(norm(Norm::Kind::batch, affine));
  Residual r2;
  r2.pre_norm = norm(Norm::Kind::batch, !affine);
  r2.alpha = 0.7;
  r2.branch = {dense(w, "silu", "lecun_normal")};
  net.blocks.push_back(r2);
  net.blocks.push_back(dense(out, "linear", "xavier_normal"));
  return net;
}

RC_GTEST_PROP(Model, MixedNetBackwardMatchesFiniteDifferences, ()) {
  const auto n0 = *rc::gen::inRange<std::size_t>(1, 6).as("n_0");
  const auto w = *rc::gen::inRange<std::size_t>(2, 7).as("width");
  const auto h = *rc::gen::inRange<std::size_t>(1, 7).as("branch width");
  const auto out = *rc::gen::inRange<std::size_t>(1, 5).as("outputs");
  const auto B = *rc::gen::inRange<std::size_t>(2, 6).as("B");
  const bool affine = *rc::gen::arbitrary<bool>().as("affine norms");
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  Model<double> model(mixed_net(n0, w, h, out, affine), seed);
  const Matrix<double> x = random_matrix(B, n0, seed + 1, -2.0, 2.0);
  const Matrix<double> R = random_matrix(B, out, seed + 2);
  const std::string mismatch = testing::model_fd_mismatch(model, x, R);
  RC_LOG() << mismatch << "\n";
  RC_ASSERT(mismatch.empty());
}

}  // namespace
}  // namespace initlab::nn
