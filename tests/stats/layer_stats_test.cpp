// Per-layer statistics (lib/stats/layer_stats.hpp) on small hand-made caches
// whose answers are worked out by hand.
#include <cmath>
#include <limits>
#include <stdexcept>

#include <gtest/gtest.h>

#include "stats/layer_stats.hpp"

namespace initlab::stats {
namespace {


template <class T>
class LayerStatsTyped : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(LayerStatsTyped, Types);

TYPED_TEST(LayerStatsTyped, SecondMomentMeanAndCentredVariance) {
  using T = TypeParam;
  // h (2, 2): mean of squares (1 + 4 + 9 + 0) / 4 = 3.5
  const Matrix<T> h = {{1, -2}, {3, 0}};
  // a (2, 2) = {1, 2, 3, 4}: E[a^2] = 30/4, E[a] = 2.5, Var = 7.5 - 6.25 = 1.25
  const Matrix<T> a = {{1, 2}, {3, 4}};
  const ForwardStats s = forward_stats(h, a, Activation{Activation::Kind::linear});
  EXPECT_TRUE(s.finite);
  EXPECT_NEAR(s.log_q, std::log(3.5), 1e-12);
  EXPECT_NEAR(s.log_a2, std::log(7.5), 1e-12);
  EXPECT_NEAR(s.mean, 2.5, 1e-12);
  EXPECT_NEAR(s.log_var, std::log(1.25), 1e-12);
  EXPECT_TRUE(std::isnan(s.saturated));  // linear: not applicable
  EXPECT_TRUE(std::isnan(s.dead));
}

TYPED_TEST(LayerStatsTyped, TanhSaturationAndDeadUnits) {
  using T = TypeParam;
  // rows are examples, columns units; |a| > 0.99 in 3 of 6 entries; unit 0 is
  // saturated for both examples (dead), unit 1 for one, unit 2 for none.
  const Matrix<T> a = {{T(0.995), T(-0.995), T(0.5)}, {T(-0.999), T(0.2), T(0.98)}};
  const ForwardStats s = forward_stats(a, a, Activation{Activation::Kind::tanh});
  EXPECT_DOUBLE_EQ(s.saturated, 0.5);
  EXPECT_DOUBLE_EQ(s.dead, 1.0 / 3.0);
}

TYPED_TEST(LayerStatsTyped, ReluInactiveAndDeadUnits) {
  using T = TypeParam;
  const Matrix<T> h = {{-1, 2, -3, 0}, {-2, -1, 5, 1}};
  const Matrix<T> a = {{0, 2, 0, 0}, {0, 0, 5, 1}};
  const ForwardStats s = forward_stats(h, a, Activation{Activation::Kind::relu});
  EXPECT_DOUBLE_EQ(s.saturated, 5.0 / 8.0);  // five zeros
  EXPECT_DOUBLE_EQ(s.dead, 1.0 / 4.0);       // only unit 0 is zero for both examples
}

TYPED_TEST(LayerStatsTyped, SigmoidAndLeakyRules) {
  using T = TypeParam;
  const Matrix<T> a = {{T(0.005), T(0.5)}, {T(0.995), T(0.3)}};
  const ForwardStats sig = forward_stats(a, a, Activation{Activation::Kind::sigmoid});
  EXPECT_DOUBLE_EQ(sig.saturated, 0.5);
  EXPECT_DOUBLE_EQ(sig.dead, 0.5);
  const Matrix<T> h = {{-1, 2}, {-3, -4}};
  const ForwardStats leaky = forward_stats(h, h, Activation{Activation::Kind::leaky_relu, 0.1});
  EXPECT_DOUBLE_EQ(leaky.saturated, 0.75);
  EXPECT_DOUBLE_EQ(leaky.dead, 0.5);
}

TYPED_TEST(LayerStatsTyped, LogScaleIsAddedBack) {
  using T = TypeParam;
  const Matrix<T> h = {{1, -2}, {3, 0}};
  const double s = 500.0 * std::log(2.0);  // the stored values are 2^-500 times the true ones
  const ForwardStats st = forward_stats(h, h, Activation{Activation::Kind::relu}, s);
  EXPECT_NEAR(st.log_q, std::log(3.5) + 2.0 * s, 1e-10);
  EXPECT_NEAR(log_mean_square(h, s), std::log(3.5) + 2.0 * s, 1e-10);
}

TYPED_TEST(LayerStatsTyped, NonFiniteEntriesAreFlagged) {
  using T = TypeParam;
  const T inf = std::numeric_limits<T>::infinity();
  const Matrix<T> h = {{1, inf}, {3, 0}};
  const ForwardStats s = forward_stats(h, h, Activation{Activation::Kind::linear});
  EXPECT_FALSE(s.finite);
  EXPECT_TRUE(std::isnan(s.log_q));
  const Matrix<T> n = {{1, std::numeric_limits<T>::quiet_NaN()}, {3, 0}};
  EXPECT_TRUE(std::isnan(log_mean_square(n)));
  EXPECT_FALSE(forward_stats(n, n, Activation{Activation::Kind::linear}).finite);
  const BackwardStats b = backward_stats(h, n);
  EXPECT_FALSE(b.finite);
}

TYPED_TEST(LayerStatsTyped, ZeroLayerHasMinusInfiniteLog) {
  using T = TypeParam;
  const Matrix<T> z = {{0, 0}, {0, 0}};
  const ForwardStats s = forward_stats(z, z, Activation{Activation::Kind::relu});
  EXPECT_TRUE(s.finite);
  EXPECT_EQ(s.log_q, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(s.mean, 0.0);
  EXPECT_DOUBLE_EQ(s.saturated, 1.0);
}

TYPED_TEST(LayerStatsTyped, BackwardSecondMomentAndWeightGradientNorm) {
  using T = TypeParam;
  const Matrix<T> dh = {{1, -1}, {2, 0}};  // mean square 6/4
  const Matrix<T> dW = {{3, 4}, {0, 0}};   // Frobenius norm 5
  const BackwardStats b = backward_stats(dh, dW);
  EXPECT_TRUE(b.finite);
  EXPECT_NEAR(b.log_grad2, std::log(1.5), 1e-12);
  EXPECT_NEAR(b.log_dw_norm, std::log(5.0), 1e-12);
  const BackwardStats scaled = backward_stats(dh, dW, 1.0, 2.0);
  EXPECT_NEAR(scaled.log_grad2, std::log(1.5) + 2.0, 1e-12);
  EXPECT_NEAR(scaled.log_dw_norm, std::log(5.0) + 2.0, 1e-12);
}

TEST(LayerStats, ExactWhereTheSecondMomentOverflowsADouble) {
  // every entry 1e300: mean of squares 1e600, beyond double, its log is exact
  const Matrix<double> h = {{1e300, -1e300}, {1e300, 1e300}};
  EXPECT_NEAR(log_mean_square(h), 600.0 * std::log(10.0), 1e-10);
  const ForwardStats s = forward_stats(h, h, Activation{Activation::Kind::linear});
  EXPECT_TRUE(s.finite);
  EXPECT_NEAR(s.mean, 0.5e300, 1e285);
  // Var = E[a^2] - E[a]^2 = 1e600 (1 - 1/4)
  EXPECT_NEAR(s.log_var, 600.0 * std::log(10.0) + std::log(0.75), 1e-10);
}

TEST(LayerStats, RejectsMismatchedShapes) {
  const Matrix<double> h = {{1, 2}};
  const Matrix<double> a = {{1}, {2}};
  EXPECT_THROW(forward_stats(h, a, Activation{}), std::invalid_argument);
  EXPECT_THROW(log_mean_square(Matrix<double>()), std::invalid_argument);
}

TEST(LayerStats, SaturationRuleNames) {
  EXPECT_EQ(saturation_for(Activation{Activation::Kind::tanh}), Saturation::tanh_like);
  EXPECT_EQ(saturation_for(Activation{Activation::Kind::relu}), Saturation::relu_zero);
  EXPECT_EQ(describe(Saturation::tanh_like), "saturated: |a| > 0.99");
}

}  // namespace
}  // namespace initlab::stats
