#pragma once
// Internal to lib/random: Box-Muller on Philox outputs, vectorized with xsimd
// in box_muller.cpp. A pair (u1, u2) gives r = sqrt(-2 ln u1) and the two
// normals r cos(2 pi u2), r sin(2 pi u2); u1 lies in (0, 1], so ln u1 is
// finite.
//   float:  block b gives elements 4b..4b+3; words (0, 1) -> elements 4b (cos),
//           4b+1 (sin); words (2, 3) -> 4b+2 (cos), 4b+3 (sin).
//           u1 = ((w0 >> 8) + 1) 2^-24, u2 = (int(w1) >> 8) 2^-24 in [-1/2, 1/2),
//           evaluated by float_math.hpp; |z| <= sqrt(48 ln 2) = 5.77.
//   double: block b gives elements 2b (cos), 2b+1 (sin); u1 from words (0, 1),
//           u2 from words (2, 3), 53 bits each; u1 = (k + 1/2) 2^-53, |z| <= 8.7;
//           xsimd's log and sincos.

#include <cstdint>

#include "random/philox_soa.hpp"

namespace initlab::random::detail {

// s (4, kLanes) Philox outputs of consecutive blocks -> out (K kLanes) =
// mean + std z in element order (K = 4 for float, 2 for double), computed as
// fma(r std, cos, mean); mean 0, std 1 gives z exactly.
void box_muller_group(const Lanes& s, float mean, float std, float* out);
void box_muller_group(const Lanes& s, double mean, double std, double* out);

// Lane j of s holds the Philox output of the block of element e_j, and
// which[j] = e_j % K -> z[j] = that element's standard normal, j < kLanes;
// bit-identical to the value box_muller_group(s, 0, 1, .) gives the element.
void box_muller_pick(const Lanes& s, const std::uint32_t* which, float* z);
void box_muller_pick(const Lanes& s, const std::uint32_t* which, double* z);

}  // namespace initlab::random::detail
