// The float log and sincos of lib/random/float_math.hpp, checked exhaustively
// over all 2^24 arguments against double-precision std::log, std::sin, std::cos.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "random/float_math.hpp"

namespace initlab::random {
namespace {

// |x - ref| in units of the float ulp of ref.
double ulps(float x, double ref) { return std::abs(x - ref) / std::ldexp(1.0, std::ilogb(ref) - 23); }

TEST(FloatMath, LnU24WithinOneUlpEverywhere) {
  double worst = 0.0;
  for (std::uint32_t k = 0; k + 1 < (1u << 24); ++k) {
    worst = std::max(worst, ulps(detail::ln_u24(k), std::log((k + 1.0) * 0x1p-24)));
  }
  EXPECT_LT(worst, 1.0);
  EXPECT_EQ(detail::ln_u24((1u << 24) - 1), 0.0f);  // u = 1
  EXPECT_NEAR(detail::ln_u24(0), -24.0 * std::numbers::ln2, 2e-6);
}

TEST(FloatMath, SincosTurn24WithinTwoUlpEverywhere) {
  double worst_ulps = 0.0;
  double worst_abs = 0.0;
  for (std::int32_t k = -(1 << 23); k < (1 << 23); ++k) {
    float s = 0.0f;
    float c = 0.0f;
    detail::sincos_turn24(k, s, c);
    const double angle = 2.0 * std::numbers::pi * k * 0x1p-24;
    const double rs = std::sin(angle);
    const double rc = std::cos(angle);
    worst_abs = std::max({worst_abs, std::abs(s - rs), std::abs(c - rc)});
    // Relative accuracy away from the zeros (there the absolute bound speaks).
    if (std::abs(rs) > 1e-6) worst_ulps = std::max(worst_ulps, ulps(s, rs));
    if (std::abs(rc) > 1e-6) worst_ulps = std::max(worst_ulps, ulps(c, rc));
  }
  EXPECT_LE(worst_ulps, 2.0);
  EXPECT_LE(worst_abs, 0x1p-23);
  float s = 1.0f;
  float c = 0.0f;
  detail::sincos_turn24(0, s, c);
  EXPECT_EQ(s, 0.0f);
  EXPECT_EQ(c, 1.0f);
  detail::sincos_turn24(1 << 22, s, c);  // a quarter turn
  EXPECT_EQ(s, 1.0f);
  EXPECT_EQ(std::abs(c), 0.0f);
}

}  // namespace
}  // namespace initlab::random
