// Normal N(0, std^2): stated moments and sample moments (tolerances: laws.hpp).
#include <gtest/gtest.h>

#include "init/initializer.hpp"
#include "init/laws.hpp"

namespace initlab::init {
namespace {

using testing::matches_law;
using testing::normal_law;

TEST(Normal, MomentsFloat) {
  EXPECT_TRUE(matches_law<float>(Normal{1.0}, {256, 256}, normal_law(1.0), random::Stream(1)));
  EXPECT_TRUE(matches_law<float>(Normal{0.01}, {512, 64}, normal_law(0.01), random::Stream(2)));
  EXPECT_TRUE(matches_law<float>(Normal{7.5}, {3, 5}, normal_law(7.5), random::Stream(3)));
}

TEST(Normal, MomentsDouble) {
  EXPECT_TRUE(matches_law<double>(Normal{1.0}, {256, 256}, normal_law(1.0), random::Stream(4)));
  EXPECT_TRUE(matches_law<double>(Normal{0.01}, {64, 512}, normal_law(0.01), random::Stream(5)));
  EXPECT_TRUE(matches_law<double>(Normal{7.5}, {5, 3}, normal_law(7.5), random::Stream(6)));
}

// The variance check tells N(0, 1) from N(0, 1.05^2) at N = 65536.
TEST(Normal, VarianceCheckHasPower) {
  const auto w = testing::draw<float>(Normal{1.0}, {256, 256}, random::Stream(7));
  EXPECT_FALSE(testing::variance_matches<float>(w, normal_law(1.05)));
}

TEST(Normal, Law) {
  EXPECT_EQ(Normal{0.01}.law(), "N(0, 0.01^2)");
  EXPECT_EQ(parse("note_standard_normal").rule(), Rule{Normal{1.0}});
}

}  // namespace
}  // namespace initlab::init
