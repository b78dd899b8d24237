// dense_backward against central finite differences of sum(R * y), y = x W^T + b.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "nn/dense.hpp"
#include "nn/nn_testing.hpp"

namespace initlab::nn {
namespace {

using testing::fd_gradient;
using testing::kFdTolerance;
using testing::random_matrix;
using testing::random_vector;
using testing::relative_error;
using testing::weighted_sum;

RC_GTEST_PROP(Dense, BackwardMatchesFiniteDifferences, ()) {
  const auto B = static_cast<std::size_t>(*rc::gen::inRange(1, 6).as("B"));
  const auto in = static_cast<std::size_t>(*rc::gen::inRange(1, 7).as("in"));
  const auto out = static_cast<std::size_t>(*rc::gen::inRange(1, 7).as("out"));
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  Matrix<double> x = random_matrix(B, in, seed);
  Matrix<double> W = random_matrix(out, in, seed + 1);
  Vector<double> b = random_vector(out, seed + 2);
  const Matrix<double> R = random_matrix(B, out, seed + 3);

  Matrix<double> y, dx, dW;
  Vector<double> db;
  dense_forward(y, x, W, b);
  dense_backward(&dx, dW, db, R, x, W);

  Matrix<double> tmp;
  const auto loss = [&] {
    dense_forward(tmp, x, W, b);
    return weighted_sum(tmp, R);
  };
  const auto fx = fd_gradient(loss, x.data(), x.size());
  const auto fW = fd_gradient(loss, W.data(), W.size());
  const auto fb = fd_gradient(loss, b.data(), b.size());
  RC_ASSERT(relative_error(dx.data(), fx.data(), x.size()) <= kFdTolerance);
  RC_ASSERT(relative_error(dW.data(), fW.data(), W.size()) <= kFdTolerance);
  RC_ASSERT(relative_error(db.data(), fb.data(), b.size()) <= kFdTolerance);
}

// The forward kernel equals the definition y_rj = b_j + sum_k x_rk W_jk (both
// sum the same products; the bound allows BLAS's different summation order:
// in * eps * max|x||W| with in <= 64, |x|, |W| <= 1 gives < 64 * 2.2e-16).
RC_GTEST_PROP(Dense, ForwardMatchesDefinition, ()) {
  const auto B = static_cast<std::size_t>(*rc::gen::inRange(1, 40).as("B"));
  const auto in = static_cast<std::size_t>(*rc::gen::inRange(1, 64).as("in"));
  const auto out = static_cast<std::size_t>(*rc::gen::inRange(1, 40).as("out"));
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  const Matrix<double> x = random_matrix(B, in, seed);
  const Matrix<double> W = random_matrix(out, in, seed + 1);
  const Vector<double> b = random_vector(out, seed + 2);
  Matrix<double> y;
  dense_forward(y, x, W, b);
  RC_ASSERT(y.shape()[0] == B && y.shape()[1] == out);
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t j = 0; j < out; ++j) {
      double s = b(j);
      for (std::size_t k = 0; k < in; ++k) s += x(r, k) * W(j, k);
      RC_ASSERT(std::abs(y(r, j) - s) <= 1e-13);
    }
}

}  // namespace
}  // namespace initlab::nn
