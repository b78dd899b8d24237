// Mean and sample standard deviation across seeds (lib/study/mean_sd.cpp).
#include "study/mean_sd.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace initlab::study {
namespace {

TEST(MeanSd, SampleStatisticsOfTheFiniteValues) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const MeanSd r = mean_sd({1.0, nan, 2.0, 6.0, std::numeric_limits<double>::infinity()});
  EXPECT_EQ(r.n, 3u);
  EXPECT_DOUBLE_EQ(r.mean, 3.0);
  EXPECT_DOUBLE_EQ(r.sd, std::sqrt(7.0));  // (4 + 1 + 9) / (3 - 1)
  const MeanSd one = mean_sd({5.0});
  EXPECT_EQ(one.n, 1u);
  EXPECT_EQ(one.sd, 0.0);
  const MeanSd none = mean_sd({nan});
  EXPECT_EQ(none.n, 0u);
  EXPECT_TRUE(std::isnan(none.mean));
  EXPECT_TRUE(std::isnan(none.sd));
}

}  // namespace
}  // namespace initlab::study
