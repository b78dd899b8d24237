// Each loss's gradient against central finite differences of the loss itself,
// plus the exact laws of cross-entropy: non-negative, gradient rows sum to 0.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <limits>

#include "nn/loss.hpp"
#include "nn/nn_testing.hpp"

namespace initlab::nn {
namespace {

using testing::fd_gradient;
using testing::kFdTolerance;
using testing::random_matrix;
using testing::relative_error;

std::vector<std::size_t> random_labels(std::size_t B, std::size_t C) {
  std::vector<std::size_t> y(B);
  for (auto& v : y) v = static_cast<std::size_t>(*rc::gen::inRange<std::size_t>(0, C).as("label"));
  return y;
}

RC_GTEST_PROP(SoftmaxCrossEntropy, GradientMatchesFiniteDifferences, ()) {
  const auto B = *rc::gen::inRange<std::size_t>(1, 7).as("B");
  const auto C = *rc::gen::inRange<std::size_t>(2, 8).as("C");
  Matrix<double> h = random_matrix(B, C, *rc::gen::arbitrary<std::uint64_t>().as("logit seed"), -5.0, 5.0);
  const auto y = random_labels(B, C);
  Matrix<double> dh, tmp;
  softmax_cross_entropy(dh, h, std::span(y));
  const auto fd = fd_gradient([&] { return softmax_cross_entropy(tmp, h, std::span(y)); },
                              h.data(), h.size());
  RC_ASSERT(relative_error(dh.data(), fd.data(), h.size()) <= kFdTolerance);
}

// Loss >= 0 exactly (it is computed as (max - h_y) + log(sum) with both terms
// >= 0), finite for logits up to 1e4, and every gradient row sums to 0 up to
// rounding: the row is (p_j - [j = y]) / B with sum_j p_j = 1 to (C + 2) ulps.
RC_GTEST_PROP(SoftmaxCrossEntropy, NonNegativeAndRowsSumToZero, ()) {
  const auto B = *rc::gen::inRange<std::size_t>(1, 9).as("B");
  const auto C = *rc::gen::inRange<std::size_t>(2, 12).as("C");
  const double scale = *rc::gen::element(1.0, 10.0, 1e4).as("scale");
  const Matrix<double> h = random_matrix(B, C, *rc::gen::arbitrary<std::uint64_t>().as("logit seed"), -scale, scale);
  const auto y = random_labels(B, C);
  Matrix<double> dh;
  const double loss = softmax_cross_entropy(dh, h, std::span(y));
  RC_ASSERT(std::isfinite(loss));
  RC_ASSERT(loss >= 0.0);
  const double eps = std::numeric_limits<double>::epsilon();
  for (std::size_t r = 0; r < B; ++r) {
    double s = 0.0;
    for (std::size_t j = 0; j < C; ++j) s += dh(r, j);
    RC_ASSERT(std::abs(s) <= 2.0 * static_cast<double>(C + 2) * eps / static_cast<double>(B));
  }
}

RC_GTEST_PROP(SigmoidCrossEntropy, LabelGradientMatchesFiniteDifferences, ()) {
  const auto B = *rc::gen::inRange<std::size_t>(1, 9).as("B");
  Matrix<double> h = random_matrix(B, 1, *rc::gen::arbitrary<std::uint64_t>().as("logit seed"), -6.0, 6.0);
  const auto y = random_labels(B, 2);
  Matrix<double> dh, tmp;
  const double loss = sigmoid_cross_entropy(dh, h, std::span(y));
  RC_ASSERT(loss >= 0.0);
  const auto fd = fd_gradient([&] { return sigmoid_cross_entropy(tmp, h, std::span(y)); },
                              h.data(), h.size());
  RC_ASSERT(relative_error(dh.data(), fd.data(), h.size()) <= kFdTolerance);
}

RC_GTEST_PROP(SigmoidCrossEntropy, SoftTargetGradientMatchesFiniteDifferences, ()) {
  const auto B = *rc::gen::inRange<std::size_t>(1, 6).as("B");
  const auto n = *rc::gen::inRange<std::size_t>(1, 6).as("n");
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  Matrix<double> h = random_matrix(B, n, seed, -6.0, 6.0);
  const Matrix<double> y = random_matrix(B, n, seed + 1, 0.0, 1.0);
  Matrix<double> dh, tmp;
  sigmoid_cross_entropy(dh, h, y);
  const auto fd =
      fd_gradient([&] { return sigmoid_cross_entropy(tmp, h, y); }, h.data(), h.size());
  RC_ASSERT(relative_error(dh.data(), fd.data(), h.size()) <= kFdTolerance);
}

// The label overload is the matrix overload with 0/1 targets, bit for bit.
RC_GTEST_PROP(SigmoidCrossEntropy, LabelsEqualZeroOneTargets, ()) {
  const auto B = *rc::gen::inRange<std::size_t>(1, 9).as("B");
  const Matrix<double> h = random_matrix(B, 1, *rc::gen::arbitrary<std::uint64_t>().as("logit seed"), -50.0, 50.0);
  const auto y = random_labels(B, 2);
  Matrix<double> Y({B, 1});
  for (std::size_t r = 0; r < B; ++r) Y(r, 0) = static_cast<double>(y[r]);
  Matrix<double> d1, d2;
  RC_ASSERT(sigmoid_cross_entropy(d1, h, std::span(y)) == sigmoid_cross_entropy(d2, h, Y));
  RC_ASSERT(d1 == d2);
}

RC_GTEST_PROP(MeanSquaredError, GradientMatchesFiniteDifferences, ()) {
  const auto B = *rc::gen::inRange<std::size_t>(1, 6).as("B");
  const auto n = *rc::gen::inRange<std::size_t>(1, 6).as("n");
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  Matrix<double> a = random_matrix(B, n, seed, -3.0, 3.0);
  const Matrix<double> y = random_matrix(B, n, seed + 1, -3.0, 3.0);
  Matrix<double> da, tmp;
  mean_squared_error(da, a, y);
  const auto fd = fd_gradient([&] { return mean_squared_error(tmp, a, y); }, a.data(), a.size());
  RC_ASSERT(relative_error(da.data(), fd.data(), a.size()) <= kFdTolerance);
}

}  // namespace
}  // namespace initlab::nn
