#include "nn/loss.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace initlab::nn {
namespace {

TEST(Loss, ParseAndNameRoundTrip) {
  for (const char* s : {"ce", "softmax_ce", "bce", "logistic", "mse", "mean_squared_error"}) {
    const Loss f = Loss::parse(s);
    EXPECT_EQ(Loss::parse(f.name()).kind, f.kind) << s;
  }
  EXPECT_TRUE(Loss::parse("ce").classification());
  EXPECT_FALSE(Loss::parse("mse").classification());
  EXPECT_THROW(Loss::parse("hinge"), std::invalid_argument);
}

TEST(SoftmaxCrossEntropy, EqualLogitsGiveLogC) {
  const Matrix<double> h({3, 10}, 0.7);
  const std::vector<std::size_t> y = {0, 4, 9};
  Matrix<double> dh;
  EXPECT_NEAR(softmax_cross_entropy(dh, h, std::span(y)), std::log(10.0), 1e-15);
  EXPECT_NEAR(dh(1, 4), (0.1 - 1.0) / 3.0, 1e-16);
  EXPECT_NEAR(dh(1, 3), 0.1 / 3.0, 1e-16);
}

TEST(SoftmaxCrossEntropy, StableForHugeLogits) {
  const Matrix<float> h = {{1e30f, 0.0f}, {0.0f, 1e30f}};
  const std::vector<std::size_t> y = {0, 0};
  Matrix<float> dh;
  const double loss = softmax_cross_entropy(dh, h, std::span(y));
  EXPECT_DOUBLE_EQ(loss, 0.5 * static_cast<double>(1e30f));  // row 0 costs 0, row 1 h_0 - h_1
  EXPECT_TRUE(std::isfinite(dh(1, 0)));
}

TEST(SoftmaxCrossEntropy, RejectsBadLabels) {
  const Matrix<double> h({2, 3}, 0.0);
  Matrix<double> dh;
  const std::vector<std::size_t> out_of_range = {0, 3}, too_few = {0};
  EXPECT_THROW(softmax_cross_entropy(dh, h, std::span(out_of_range)), std::invalid_argument);
  EXPECT_THROW(softmax_cross_entropy(dh, h, std::span(too_few)), std::invalid_argument);
}

TEST(SigmoidCrossEntropy, ZeroLogitCostsLn2Exactly) {
  const Matrix<double> h({4, 1}, 0.0);
  const std::vector<std::size_t> y = {0, 1, 1, 0};
  Matrix<double> dh;
  EXPECT_EQ(sigmoid_cross_entropy(dh, h, std::span(y)), std::numbers::ln2);
  EXPECT_EQ(dh(0, 0), 0.125);
  EXPECT_EQ(dh(1, 0), -0.125);
}

TEST(SigmoidCrossEntropy, StableForHugeLogits) {
  const Matrix<double> h = {{1000.0}, {-1000.0}, {-1000.0}};
  const std::vector<std::size_t> y = {1, 1, 0};
  Matrix<double> dh;
  EXPECT_DOUBLE_EQ(sigmoid_cross_entropy(dh, h, std::span(y)), 1000.0 / 3.0);
  EXPECT_DOUBLE_EQ(dh(1, 0), -1.0 / 3.0);
  EXPECT_EQ(dh(0, 0), 0.0);
}

TEST(SigmoidCrossEntropy, RejectsBadInput) {
  Matrix<double> dh;
  const std::vector<std::size_t> two = {2};
  EXPECT_THROW(sigmoid_cross_entropy(dh, Matrix<double>({1, 1}, 0.0), std::span(two)),
               std::invalid_argument);
  const std::vector<std::size_t> ok = {1};
  EXPECT_THROW(sigmoid_cross_entropy(dh, Matrix<double>({1, 2}, 0.0), std::span(ok)),
               std::invalid_argument);
  EXPECT_THROW(sigmoid_cross_entropy(dh, Matrix<double>({1, 1}, 0.0), Matrix<double>({1, 1}, 1.5)),
               std::invalid_argument);
}

TEST(MeanSquaredError, ByHand) {
  const Matrix<double> a = {{1, 2}, {3, 4}};
  const Matrix<double> y = {{0, 2}, {3, 1}};
  Matrix<double> da;
  EXPECT_EQ(mean_squared_error(da, a, y), (1.0 + 9.0) / 2.0);
  EXPECT_EQ(da, (Matrix<double>{{1, 0}, {0, 3}}));
  EXPECT_THROW(mean_squared_error(da, a, Matrix<double>({2, 3})), std::invalid_argument);
}

TEST(Accuracy, ArgmaxAndThreshold) {
  const Matrix<double> scores = {{0.1, 0.7, 0.2}, {3, 3, 1}, {-1, -2, -0.5}};
  EXPECT_EQ(predicted_classes(scores), (std::vector<std::size_t>{1, 0, 2}));
  const Matrix<double> logits = {{0.3}, {-0.1}, {0.0}};
  EXPECT_EQ(predicted_classes(logits), (std::vector<std::size_t>{1, 0, 0}));
  const std::vector<std::size_t> y = {1, 1, 2};
  EXPECT_EQ(correct_count(scores, std::span(y)), 2u);
  EXPECT_DOUBLE_EQ(accuracy(scores, std::span(y)), 2.0 / 3.0);
  const std::vector<std::size_t> short_labels = {1};
  EXPECT_THROW(accuracy(scores, std::span(short_labels)), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::nn
