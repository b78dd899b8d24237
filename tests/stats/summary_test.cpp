// Summaries across seeds and along depth (lib/stats/summary.hpp), on values with
// known answers.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "stats/summary.hpp"

namespace initlab::stats {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(Spread, MeanSdMinMax) {
  const std::vector<double> v = {1.0, 2.0, 3.0, 6.0};
  const Spread s = spread(v);
  EXPECT_DOUBLE_EQ(s.mean, 3.0);
  EXPECT_DOUBLE_EQ(s.sd, std::sqrt(14.0 / 3.0));  // (4 + 1 + 0 + 9) / (4 - 1)
  EXPECT_DOUBLE_EQ(s.lo, 1.0);
  EXPECT_DOUBLE_EQ(s.hi, 6.0);
}

TEST(Spread, OneSeedHasNoSd) {
  const std::vector<double> v = {5.0};
  EXPECT_TRUE(std::isnan(spread(v).sd));
  EXPECT_TRUE(std::isnan(log_spread(v).log_sd));
}

TEST(Spread, RejectsEmptyAndNonFinite) {
  EXPECT_THROW(spread(std::vector<double>{}), std::invalid_argument);
  EXPECT_THROW(spread(std::vector<double>{1.0, kInf}), std::invalid_argument);
  EXPECT_THROW(log_spread(std::vector<double>{1.0, kInf}), std::invalid_argument);
  EXPECT_THROW(log_spread(std::vector<double>{std::nan("")}), std::invalid_argument);
}

TEST(LogSpread, MatchesPlainSpreadOfTheValues) {
  const std::vector<double> v = {0.5, 2.0, 4.0};
  std::vector<double> logs;
  for (double x : v) logs.push_back(std::log(x));
  const Spread p = spread(v);
  const LogSpread s = log_spread(logs);
  EXPECT_NEAR(std::exp(s.log_mean), p.mean, 1e-15);
  EXPECT_NEAR(std::exp(s.log_sd), p.sd, 1e-14);
  EXPECT_DOUBLE_EQ(s.log_lo, std::log(0.5));
  EXPECT_DOUBLE_EQ(s.log_hi, std::log(4.0));
  EXPECT_NEAR(s.sd_log, spread(logs).sd, 1e-15);
}

TEST(LogSpread, ExactBeyondTheDoubleRange) {
  // values e^1000 and e^1000 * 3: mean 2 e^1000, sd sqrt(2) e^1000
  const std::vector<double> logs = {1000.0, 1000.0 + std::log(3.0)};
  const LogSpread s = log_spread(logs);
  EXPECT_NEAR(s.log_mean, 1000.0 + std::log(2.0), 1e-12);
  EXPECT_NEAR(s.log_sd, 1000.0 + 0.5 * std::log(2.0), 1e-12);
}

TEST(LogSpread, ZerosAreAllowed) {
  const std::vector<double> logs = {-kInf, std::log(2.0)};
  const LogSpread s = log_spread(logs);
  EXPECT_NEAR(std::exp(s.log_mean), 1.0, 1e-15);
  EXPECT_EQ(s.log_lo, -kInf);
  EXPECT_TRUE(std::isnan(s.sd_log));
  const LogSpread z = log_spread(std::vector<double>{-kInf, -kInf});
  EXPECT_EQ(z.log_mean, -kInf);
  EXPECT_EQ(z.log_sd, -kInf);
}

TEST(DeviationInSd, DistanceInUnitsOfTheSpread) {
  // mean 3, theory 2, sd 0.5 -> 2 sds
  EXPECT_NEAR(*deviation_in_sd(std::log(3.0), std::log(0.5), std::log(2.0)), 2.0, 1e-14);
  // the same at a scale of e^800
  EXPECT_NEAR(*deviation_in_sd(800 + std::log(3.0), 800 + std::log(0.5), 800 + std::log(2.0)),
              2.0, 1e-12);
  EXPECT_FALSE(deviation_in_sd(0.0, -kInf, 0.0));  // sd = 0
  EXPECT_FALSE(deviation_in_sd(0.0, std::nan(""), 0.0));
  EXPECT_FALSE(deviation_in_sd(std::nan(""), 0.0, 0.0));
}

TEST(LogSlope, ExponentialTrajectoryGivesItsRate) {
  std::vector<double> logq;
  for (int l = 1; l <= 50; ++l) logq.push_back(0.3 + l * std::log(2.25));
  EXPECT_NEAR(*log_slope(logq), std::log(2.25), 1e-13);
  std::vector<double> flat(10, 0.7);
  EXPECT_NEAR(*log_slope(flat), 0.0, 1e-15);
}

TEST(LogSlope, SkipsOverflowedLayers) {
  std::vector<double> logq;
  for (int l = 1; l <= 10; ++l) logq.push_back(-0.5 * l);
  logq[3] = std::nan("");
  logq[9] = -kInf;
  EXPECT_NEAR(*log_slope(logq), -0.5, 1e-14);
  EXPECT_FALSE(log_slope(std::vector<double>{1.0}));
  EXPECT_FALSE(log_slope(std::vector<double>{1.0, std::nan("")}));
}

TEST(BreakDepth, FirstLayerOutsideTheBand) {
  // q0 = 1, q^l = 2^l: 2^9 = 512 inside, 2^10 = 1024 > 1e3
  std::vector<double> grow, vanish;
  for (int l = 1; l <= 20; ++l) {
    grow.push_back(l * std::log(2.0));
    vanish.push_back(-l * std::log(2.0));  // 2^-10 = 9.8e-4 < 1e-3
  }
  EXPECT_EQ(*break_depth(0.0, grow), 10u);
  EXPECT_EQ(*break_depth(0.0, vanish), 10u);
  // relative to q0: q0 = 8 shifts the break by 3 layers for the vanishing one
  EXPECT_EQ(*break_depth(std::log(8.0), vanish), 7u);
  EXPECT_EQ(*break_depth(std::log(8.0), grow), 13u);
}

TEST(BreakDepth, NoneWhenTheSignalStays) {
  std::vector<double> tanh_like;  // 1/(2l), l = 1..100: 0.005 at l = 100, inside
  for (int l = 1; l <= 100; ++l) tanh_like.push_back(-std::log(2.0 * l));
  EXPECT_FALSE(break_depth(0.0, tanh_like));
  // with a band [1/90, 90]: 1/(2l) < 1/90 first at l = 46
  EXPECT_EQ(*break_depth(0.0, tanh_like, 90.0), 46u);
}

// In standard errors of a mean over n values: sd / sqrt(n).
TEST(DeviationInSe, DividesBySdOverSqrtN) {
  EXPECT_NEAR(*deviation_in_se(std::log(3.0), std::log(0.5), 4, std::log(2.0)), 1.0 / 0.25, 1e-12);
  EXPECT_NEAR(*deviation_in_sd(std::log(3.0), std::log(0.5), std::log(2.0)), 2.0, 1e-12);
  EXPECT_FALSE(deviation_in_se(std::log(3.0), std::log(0.5), 1, std::log(2.0)));
}

TEST(BreakDepth, OverflowBreaks) {
  std::vector<double> q = {0.0, 0.1, std::nan(""), 0.0};
  EXPECT_EQ(*break_depth(0.0, q), 3u);
  EXPECT_THROW(break_depth(0.0, q, 1.0), std::invalid_argument);
  EXPECT_THROW(break_depth(kInf, q), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::stats
