// Truncated normal std * (Z | a <= Z <= b): the stated moments equal the exact ones
// (laws.hpp computes them independently of lib/random), one draw matches them, and
// every draw stays in [a std, b std].
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "init/initializer.hpp"
#include "init/laws.hpp"

namespace initlab::init {
namespace {

using testing::draw;
using testing::matches_law;
using testing::truncated_law;

// [lo, hi] widened by 4 ulps of T: w = T(std) * z is rounded once.
template <class T>
void expect_in_bounds(const std::vector<T>& w, double lo, double hi) {
  const double slack = 4.0 * std::numeric_limits<T>::epsilon();
  const double l = lo - slack * std::abs(lo);
  const double h = hi + slack * std::abs(hi);
  for (T x : w) {
    ASSERT_LE(l, static_cast<double>(x));
    ASSERT_LE(static_cast<double>(x), h);
  }
}

template <class T>
void check_truncated(double sd, double a, double b, FanShape s, std::uint64_t seed) {
  const TruncatedNormal t{sd, a, b};
  EXPECT_TRUE(matches_law<T>(t, s, truncated_law(sd, a, b), random::Stream(seed)))
      << "sd " << sd << " on [" << a << ", " << b << "]";
  expect_in_bounds(draw<T>(t, s, random::Stream(seed + 1)), a * sd, b * sd);
}

TEST(TruncatedNormal, MomentsAndBoundsFloat) {
  check_truncated<float>(1.0, -2.0, 2.0, {256, 256}, 1);
  check_truncated<float>(0.02, -2.0, 2.0, {128, 512}, 2);
  check_truncated<float>(1.5, -0.5, 3.0, {256, 256}, 3);   // asymmetric: mean > 0
  check_truncated<float>(1.0, 2.5, 4.0, {256, 256}, 4);    // one tail only
  check_truncated<float>(0.1, -1.0, -0.9, {64, 64}, 5);    // narrow
}

TEST(TruncatedNormal, MomentsAndBoundsDouble) {
  check_truncated<double>(1.0, -2.0, 2.0, {256, 256}, 6);
  check_truncated<double>(0.02, -2.0, 2.0, {512, 128}, 7);
  check_truncated<double>(1.5, -0.5, 3.0, {256, 256}, 8);
  check_truncated<double>(1.0, 2.5, 4.0, {256, 256}, 9);
  check_truncated<double>(0.1, -1.0, -0.9, {64, 64}, 10);
}

// The variance on [-2, 2] is 0.87962566103423978^2 std^2 (Keras's constant), not std^2.
TEST(TruncatedNormal, StatesTheTruncatedVariance) {
  const double v = TruncatedNormal{3.0, -2.0, 2.0}.moments({2, 2}).variance;
  EXPECT_NEAR(v / 9.0, 0.87962566103423978 * 0.87962566103423978, 1e-15);
  // The check tells the truncated law from the plain normal of the same std.
  const auto w = draw<double>(TruncatedNormal{1.0, -2.0, 2.0}, {256, 256}, random::Stream(11));
  EXPECT_FALSE(testing::variance_matches<double>(w, testing::normal_law(1.0)));
}

TEST(TruncatedNormal, Law) {
  EXPECT_EQ((TruncatedNormal{0.02, -2.0, 2.0}.law()), "0.02 * N(0, 1) truncated to [-2, 2]");
  EXPECT_EQ(parse("truncated_normal:0.02").rule(), (Rule{TruncatedNormal{0.02, -2.0, 2.0}}));
  EXPECT_EQ(parse("truncated_normal:1,-1,3").rule(), (Rule{TruncatedNormal{1.0, -1.0, 3.0}}));
}

}  // namespace
}  // namespace initlab::init
