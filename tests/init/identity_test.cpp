// Identity: alpha on the main diagonal of (out, in), 0 elsewhere; the stated
// moments are the population moments of that matrix.
#include <gtest/gtest.h>

#include "init/initializer.hpp"
#include "init/laws.hpp"

namespace initlab::init {
namespace {

using testing::draw;

template <class T>
void check_identity(double alpha, FanShape s) {
  const Identity id{alpha};
  const auto w = draw<T>(id, s, random::Stream(1));
  for (std::size_t i = 0; i < s.out; ++i) {
    for (std::size_t j = 0; j < s.in; ++j) {
      ASSERT_EQ(w[i * s.in + j], i == j ? static_cast<T>(alpha) : T(0)) << i << ", " << j;
    }
  }
  const Moments m = id.moments(s);
  const DrawStats st = draw_stats(std::span<const T>(w));
  const double a = static_cast<double>(static_cast<T>(alpha));
  const double scale = a * a + 1e-300;
  EXPECT_NEAR(m.mean, st.mean * alpha / a, 1e-14 * std::abs(alpha));
  EXPECT_NEAR(m.variance, st.variance * (alpha * alpha) / (a * a), 1e-14 * scale);
}

const FanShape kShapes[] = {{1, 1}, {2, 2}, {3, 7}, {7, 3}, {64, 64}};

TEST(Identity, DiagonalFloat) {
  for (FanShape s : kShapes) {
    check_identity<float>(1.0, s);
    check_identity<float>(1.5, s);
    check_identity<float>(-0.5, s);
  }
}

TEST(Identity, DiagonalDouble) {
  for (FanShape s : kShapes) {
    check_identity<double>(1.0, s);
    check_identity<double>(1.5, s);
    check_identity<double>(-0.5, s);
  }
}

// The note's 2x2 example: W = 1.5 I has mean 0.75 and variance 0.5625 over its 4 entries.
TEST(Identity, NoteExample) {
  const Moments m = parse("identity:1.5").moments({2, 2});
  EXPECT_DOUBLE_EQ(m.mean, 0.75);
  EXPECT_DOUBLE_EQ(m.variance, 1.5 * 1.5 * 0.5 - 0.75 * 0.75);
  EXPECT_EQ(parse("identity").rule(), Rule{Identity{1.0}});
  EXPECT_EQ(Identity{0.5}.law(), "0.5 * I");
}

}  // namespace
}  // namespace initlab::init
