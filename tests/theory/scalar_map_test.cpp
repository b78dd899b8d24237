// The fixed point of a = tanh(alpha a) (theory/scalar_map.hpp).
#include <cmath>
#include <stdexcept>

#include <gtest/gtest.h>

#include "theory/scalar_map.hpp"

namespace initlab::theory {
namespace {

TEST(TanhFixedPoint, SolvesTheEquation) {
  for (double alpha : {1.01, 1.5, 2.0, 5.0}) {
    const double a = tanh_fixed_point(alpha);
    EXPECT_GT(a, 0.0);
    EXPECT_NEAR(std::tanh(alpha * a), a, 1e-14) << alpha;
    EXPECT_LT(tanh_fixed_point_slope(alpha), 1.0) << alpha;
  }
  // a = tanh(1.5 a): a* = 0.858560..., a*^2 = 0.737125 (the note's 1.5 I under tanh).
  EXPECT_NEAR(tanh_fixed_point(1.5), 0.85856, 1e-5);
  EXPECT_NEAR(tanh_fixed_point_slope(1.5), 1.5 * (1.0 - 0.85856 * 0.85856), 1e-4);
}

TEST(TanhFixedPoint, ZeroAtOrBelowOne) {
  EXPECT_EQ(tanh_fixed_point(1.0), 0.0);
  EXPECT_EQ(tanh_fixed_point(0.5), 0.0);
  EXPECT_THROW(tanh_fixed_point(-1.0), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::theory
