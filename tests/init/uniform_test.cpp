// Uniform U(-a, a): stated moments, sample moments (tolerances: laws.hpp), bounds.
#include <gtest/gtest.h>

#include "init/initializer.hpp"
#include "init/laws.hpp"

namespace initlab::init {
namespace {

using testing::draw;
using testing::matches_law;
using testing::uniform_law;

template <class T>
void check_uniform(double a, FanShape s, std::uint64_t seed) {
  const Uniform u{a};
  EXPECT_TRUE(matches_law<T>(u, s, uniform_law(a), random::Stream(seed)));
  const auto w = draw<T>(u, s, random::Stream(seed + 1));
  const T hi = static_cast<T>(a);
  for (T x : w) {
    ASSERT_LE(-hi, x);
    ASSERT_LE(x, hi);
  }
}

TEST(Uniform, MomentsAndBoundsFloat) {
  check_uniform<float>(1.0, {256, 256}, 1);
  check_uniform<float>(0.05, {300, 100}, 2);
  check_uniform<float>(3.0, {1, 4096}, 3);
}

TEST(Uniform, MomentsAndBoundsDouble) {
  check_uniform<double>(1.0, {256, 256}, 4);
  check_uniform<double>(0.05, {100, 300}, 5);
  check_uniform<double>(3.0, {4096, 1}, 6);
}

// A uniform of the wrong width fails the variance check: U(-1, 1) against the
// law of U(-1.1, 1.1) (variance 21% larger) at N = 65536.
TEST(Uniform, VarianceCheckHasPower) {
  const auto w = draw<double>(Uniform{1.0}, {256, 256}, random::Stream(7));
  EXPECT_FALSE(testing::variance_matches<double>(w, uniform_law(1.1)));
}

TEST(Uniform, Law) {
  EXPECT_EQ(Uniform{0.5}.law(), "U(-0.5, 0.5)");
  EXPECT_EQ(Uniform{0.5}.moments({3, 4}).variance, 0.25 / 3.0);
}

}  // namespace
}  // namespace initlab::init
