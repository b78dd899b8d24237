// Philox4x32-10, scalar and vectorized, equals r123::Philox4x32 on arbitrary
// counters and keys.
#include <Random123/philox.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <vector>

#include "random/stream.hpp"

namespace initlab::random {
namespace {

r123::Philox4x32::ctr_type reference(Counter c, Key k) {
  r123::Philox4x32 ref;
  return ref({{c[0], c[1], c[2], c[3]}}, {{k[0], k[1]}});
}

RC_GTEST_PROP(Philox, ScalarMatchesRandom123, ()) {
  const auto c = *rc::gen::arbitrary<Counter>().as("c");
  const auto k = *rc::gen::arbitrary<Key>().as("k");
  const auto r = reference(c, k);
  RC_ASSERT(philox4x32_10(c, k) == (Counter{r.v[0], r.v[1], r.v[2], r.v[3]}));
}

RC_GTEST_PROP(Philox, BlocksMatchRandom123, ()) {
  const auto first = *rc::gen::arbitrary<std::uint64_t>().as("first");
  const auto hi = *rc::gen::arbitrary<std::uint64_t>().as("hi");
  const auto key = *rc::gen::arbitrary<Key>().as("key");
  const auto n = *rc::gen::inRange<std::size_t>(0, 100).as("n");
  std::vector<std::uint32_t> out(4 * n);
  philox4x32_10_blocks(first, hi, key, n, out.data());
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint64_t b = first + j;  // 64-bit block index, wraps mod 2^64
    const auto r = reference({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32),
                              static_cast<std::uint32_t>(hi), static_cast<std::uint32_t>(hi >> 32)},
                             key);
    for (std::size_t w = 0; w < 4; ++w) RC_ASSERT(out[4 * j + w] == r.v[w]);
  }
}

// Stream::bits(i) is word i % 4 of block i / 4 under key = seed, id in words 2-3.
RC_GTEST_PROP(Philox, StreamBitsAreTheDocumentedWords, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  const auto id = *rc::gen::arbitrary<std::uint64_t>().as("id");
  const auto index = *rc::gen::arbitrary<std::uint64_t>().as("index");
  const std::uint64_t b = index / 4;
  const auto r = reference({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32),
                            static_cast<std::uint32_t>(id), static_cast<std::uint32_t>(id >> 32)},
                           {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)});
  RC_ASSERT(Stream(seed, id).bits(index) == r.v[index % 4]);
}

}  // namespace
}  // namespace initlab::random
