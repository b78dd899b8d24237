// Histograms (lib/stats/histogram.hpp): counts of a hand-made matrix.
#include <cmath>
#include <limits>
#include <stdexcept>

#include <gtest/gtest.h>

#include "stats/histogram.hpp"

namespace initlab::stats {
namespace {

TEST(Histogram, CountsEveryEntryOnce) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // 4 bins on [-1, 1]: edges -1, -0.5, 0, 0.5, 1; 1 (== hi) goes in the last bin
  const Matrix<double> x = {{-1.0, -0.5, 0.0, 0.5}, {1.0, 2.0, -3.0, nan}};
  const Histogram h = histogram(x, 4, -1.0, 1.0);
  ASSERT_EQ(h.counts.size(), 4u);
  EXPECT_EQ(h.counts[0], 1.0);
  EXPECT_EQ(h.counts[1], 1.0);
  EXPECT_EQ(h.counts[2], 1.0);
  EXPECT_EQ(h.counts[3], 2.0);
  EXPECT_EQ(h.below, 1.0);
  EXPECT_EQ(h.above, 1.0);
  EXPECT_EQ(h.nonfinite, 1.0);
  EXPECT_EQ(h.total(), 8.0);
  EXPECT_DOUBLE_EQ(h.bin_lo(1), -0.5);
  EXPECT_DOUBLE_EQ(h.bin_hi(3), 1.0);
}

TEST(Histogram, FloatTanhPictureAddsUpOverSeeds) {
  const Matrix<float> a = {{0.1f, -0.1f}, {0.99f, -1.0f}};
  Histogram sum = histogram(a, 200, -1.2, 1.2);
  sum += histogram(a, 200, -1.2, 1.2);
  EXPECT_EQ(sum.total(), 8.0);
  // 0.1 lies in bin floor((0.1 + 1.2) / 0.012) = 108
  EXPECT_EQ(sum.counts[108], 2.0);
  EXPECT_EQ(sum.counts[91], 2.0);  // -0.1 -> floor(1.1 / 0.012) = 91
}

TEST(Histogram, RejectsBadRangesAndMismatchedSums) {
  EXPECT_THROW(Histogram(0, -1.0, 1.0), std::invalid_argument);
  EXPECT_THROW(Histogram(10, 1.0, 1.0), std::invalid_argument);
  EXPECT_THROW(Histogram(10, 0.0, std::numeric_limits<double>::infinity()), std::invalid_argument);
  Histogram a(10, -1.0, 1.0);
  EXPECT_THROW(a += Histogram(20, -1.0, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::stats
