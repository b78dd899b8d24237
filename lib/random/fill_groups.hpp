#pragma once
// Internal to lib/random: the loop shared by every fill. Elements are produced
// a group at a time, a group being kLanes consecutive Philox blocks of K
// elements each; element e belongs to group e / (K kLanes). A fill of
// [offset, offset + n) generates every group it touches and keeps only its
// part, so element e never depends on the range it was drawn in.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "core/error.hpp"
#include "random/philox_soa.hpp"

namespace initlab::random::detail {

// Throws if the element range [offset, offset + n) does not fit in 64 bits.
inline void check_range(const char* func, std::uint64_t offset, std::size_t n) {
  if (n > std::numeric_limits<std::uint64_t>::max() - offset) {
    fail(func, "offset ", offset, " + size ", n, " overflows the 64-bit element index");
  }
}

// gen(s, dst): s holds the Philox outputs of one group; writes the group's
// K kLanes values in element order to dst. Groups that lie inside
// [offset, offset + n) are generated straight into out; the partial groups at
// either end go through a buffer.
template <std::size_t K, class V, class Gen>
void for_groups(std::uint64_t seed, std::uint64_t id, std::uint64_t offset, std::size_t n, V* out,
                Gen&& gen) {
  constexpr std::uint64_t G = K * kLanes;
  const Key key = key_of(seed);
  Lanes s;
  alignas(64) V buf[G];
  const std::uint64_t end = offset + n;
  std::uint64_t e = offset;
  while (e < end) {
    const std::uint64_t g = e / G;
    const std::uint64_t base = g * G;
    const std::uint64_t start = e - base;
    const std::uint64_t stop = std::min(end - base, G);
    philox_consecutive(s, g * kLanes, id, key);
    V* dst = out + (e - offset);
    if (start == 0 && stop == G) {
      gen(s, dst);
    } else {
      gen(s, buf);
      std::copy(buf + start, buf + stop, dst);
    }
    e = base + stop;
  }
}

}  // namespace initlab::random::detail
