// stats::empirical_bernstein_half_width (lib/stats/empirical_bernstein.hpp): the formula
// at hand-computed points, its limits, and its errors.
#include "stats/empirical_bernstein.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace initlab::stats {
namespace {

TEST(EmpiricalBernstein, HalfWidthMatchesTheFormula) {
  // V = 0.25, b = 1, N = 1000, p = 1e-6: ln(4e6) = 15.2018...
  const double ln = std::log(4e6);
  EXPECT_NEAR(empirical_bernstein_half_width(0.25, 1.0, 1000, 1e-6),
              std::sqrt(0.5 * ln / 1000.0) + 7.0 * ln / (3.0 * 999.0), 1e-15);
  // No spread and no range: the mean is exact.
  EXPECT_EQ(empirical_bernstein_half_width(0.0, 0.0, 2, 0.5), 0.0);
  // A constant sample still pays for the range (its variance is estimated, not known).
  EXPECT_NEAR(empirical_bernstein_half_width(0.0, 3.0, 101, 1e-6), 7.0 * 3.0 * ln / 300.0, 1e-15);
}

// The variance term narrows like 1/sqrt(N), the range term like 1/(N - 1).
TEST(EmpiricalBernstein, NarrowsLikeOneOverRootN) {
  EXPECT_NEAR(empirical_bernstein_half_width(0.3, 0.0, 1'000'000, 1e-6) /
                  empirical_bernstein_half_width(0.3, 0.0, 4'000'000, 1e-6),
              2.0, 1e-12);
  EXPECT_NEAR(empirical_bernstein_half_width(0.0, 2.0, 1'001, 1e-6) /
                  empirical_bernstein_half_width(0.0, 2.0, 4'001, 1e-6),
              4.0, 1e-12);
}

TEST(EmpiricalBernstein, RejectsBadArguments) {
  EXPECT_THROW(empirical_bernstein_half_width(0.1, 1.0, 1, 1e-6), std::invalid_argument);
  EXPECT_THROW(empirical_bernstein_half_width(-0.1, 1.0, 10, 1e-6), std::invalid_argument);
  EXPECT_THROW(empirical_bernstein_half_width(0.1, NAN, 10, 1e-6), std::invalid_argument);
  EXPECT_THROW(empirical_bernstein_half_width(0.1, 1.0, 10, 0.0), std::invalid_argument);
  EXPECT_THROW(empirical_bernstein_half_width(0.1, 1.0, 10, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::stats
