#pragma once
// Internal to lib/random: the two float functions of Box-Muller on 24-bit
// grids, written branch-free so that GCC vectorizes loops over them, and
// cheaper than general-purpose log / sincos because the arguments are known:
//  - ln_u24(k) = ln u, u = (k + 1) 2^-24 in [2^-24, 1] (exact in float), k < 2^24;
//  - sincos_turn24(k) = sin, cos of 2 pi k 2^-24, k in [-2^23, 2^23).
// Polynomials: Cephes logf, sinf, cosf (S. Moshier), whose minimax
// coefficients are published for these reduced ranges. Errors, checked
// exhaustively over all 2^24 arguments in tests/random/float_math_test.cpp:
// ln within 1 ulp, sin and cos within 2 ulp and 2^-23 absolute.

#include <bit>
#include <cstdint>
#include <numbers>

namespace initlab::random::detail {

inline float ln_u24(std::uint32_t k) {
  const float u = static_cast<float>(k + 1) * 0x1p-24f;
  // u = m 2^e with m in [sqrt(1/2), sqrt(2)): offsetting the bits by
  // 1 - sqrt(1/2) carries m >= sqrt(1/2) into the next exponent.
  constexpr std::uint32_t sqrt_half = 0x3F3504F3u;
  const std::uint32_t shifted = std::bit_cast<std::uint32_t>(u) + (0x3F800000u - sqrt_half);
  const float e = static_cast<float>(static_cast<std::int32_t>(shifted >> 23) - 127);
  const float f = std::bit_cast<float>((shifted & 0x007FFFFFu) + sqrt_half) - 1.0f;
  const float z = f * f;
  float p = 7.0376836292e-2f;
  p = p * f - 1.1514610310e-1f;
  p = p * f + 1.1676998740e-1f;
  p = p * f - 1.2420140846e-1f;
  p = p * f + 1.4249322787e-1f;
  p = p * f - 1.6668057665e-1f;
  p = p * f + 2.0000714765e-1f;
  p = p * f - 2.4999993993e-1f;
  p = p * f + 3.3333331174e-1f;
  // ln 2 = 0.693359375 - 2.12194440e-4 (split so e ln 2 keeps its precision).
  const float y = f * z * p + e * -2.12194440e-4f - 0.5f * z;
  return f + y + e * 0.693359375f;
}

inline void sincos_turn24(std::int32_t k, float& s, float& c) {
  // Exact reduction on the integer: k = q 2^22 + r, q the nearest quarter
  // turn (-2..1), r in [-2^21, 2^21), so x = 2 pi r 2^-24 lies in [-pi/4, pi/4).
  const std::int32_t q = (k + (1 << 21)) >> 22;
  const std::int32_t r = k - q * (1 << 22);
  constexpr float turn = static_cast<float>(2.0 * std::numbers::pi * 0x1p-24);
  const float x = static_cast<float>(r) * turn;
  const float z = x * x;
  const float sx = x + x * z * ((-1.9515295891e-4f * z + 8.3321608736e-3f) * z - 1.6666654611e-1f);
  const float cx =
      1.0f - 0.5f * z + z * z * ((2.443315711809948e-5f * z - 1.388731625493765e-3f) * z + 4.166664568298827e-2f);
  // Rotate by q quarter turns: odd q swaps sin and cos; sin is negated for
  // q = 2, 3 (mod 4), cos for q = 1, 2 (mod 4).
  const bool swap = (q & 1) != 0;
  const std::uint32_t s_sign = static_cast<std::uint32_t>(q & 2) << 30;
  const std::uint32_t c_sign = static_cast<std::uint32_t>((q + 1) & 2) << 30;
  s = std::bit_cast<float>(std::bit_cast<std::uint32_t>(swap ? cx : sx) ^ s_sign);
  c = std::bit_cast<float>(std::bit_cast<std::uint32_t>(swap ? sx : cx) ^ c_sign);
}

}  // namespace initlab::random::detail
