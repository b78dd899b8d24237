// Philox4x32-10 (Salmon et al., SC 2011): ten rounds of
//   (x0, x1, x2, x3) -> (hi(M1 x2) ^ x1 ^ k0, lo(M1 x2), hi(M0 x0) ^ x3 ^ k1, lo(M0 x0))
// with the key bumped by the Weyl constants (W0, W1) between rounds; the same
// round, constants and word order as Random123's philox4x32_R.
#include <algorithm>

#include "random/philox_soa.hpp"
#include "random/stream.hpp"

namespace initlab::random {

Counter philox4x32_10(Counter ctr, Key key) {
  for (int round = 0; round < 10; ++round) {
    const std::uint64_t p0 = std::uint64_t{detail::kM0} * ctr[0];
    const std::uint64_t p1 = std::uint64_t{detail::kM1} * ctr[2];
    ctr = {static_cast<std::uint32_t>(p1 >> 32) ^ ctr[1] ^ key[0], static_cast<std::uint32_t>(p1),
           static_cast<std::uint32_t>(p0 >> 32) ^ ctr[3] ^ key[1], static_cast<std::uint32_t>(p0)};
    key[0] += detail::kW0;
    key[1] += detail::kW1;
  }
  return ctr;
}

// kLanes counters at a time in structure-of-arrays form, interleaved on store:
// out (n, 4) row-major.
void philox4x32_10_blocks(std::uint64_t first, std::uint64_t hi, Key key, std::size_t n,
                          std::uint32_t* out) {
  detail::Lanes s;
  for (std::size_t done = 0; done < n; done += detail::kLanes) {
    detail::philox_consecutive(s, first + done, hi, key);
    const std::size_t m = std::min(detail::kLanes, n - done);
    std::uint32_t* o = out + 4 * done;
    for (std::size_t j = 0; j < m; ++j) {
      o[4 * j + 0] = s.x[0][j];
      o[4 * j + 1] = s.x[1][j];
      o[4 * j + 2] = s.x[2][j];
      o[4 * j + 3] = s.x[3][j];
    }
  }
}

}  // namespace initlab::random
