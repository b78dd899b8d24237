#pragma once
// Counter-based random streams: every number is a pure function of
// (seed, stream id, index), computed with Philox4x32-10 (Salmon, Moraes, Dror &
// Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC 2011). Consequences:
//  - a tensor's values do not depend on how many threads filled it;
//  - layer l's weights, drawn by a network from Stream(seed).split(2l) (its
//    biases from split(2l + 1)), do not depend on how many other tensors were
//    drawn before them.
//
// Layout of one Philox call: key = {seed_lo, seed_hi},
// counter = {block_lo, block_hi, id_lo, id_hi}; one block gives four 32-bit words.
// Element i of a fill uses the words of block i / k (k = elements per block:
// float uniform 4, float normal 4, double uniform 2, double normal 2), so element
// i's value is the same whatever range [offset, offset + n) it was drawn in.
// Raw words and uniforms are identical on every machine; normal values can
// differ in the last bit between builds for different instruction sets (the
// vectorized log / sin / cos round differently), never between thread counts
// or ranges. Exact word layouts: stream.cpp (uniform), box_muller.hpp
// (normal), truncated_normal.cpp (truncated normal).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace initlab::random {

using Counter = std::array<std::uint32_t, 4>;
using Key = std::array<std::uint32_t, 2>;

// One Philox4x32-10 block; matches r123::Philox4x32 bit for bit.
Counter philox4x32_10(Counter ctr, Key key);

// Philox4x32-10 on n consecutive counters {first, first+1, ...} (64-bit block
// index in words 0-1, `hi` in words 2-3), written as 4n words:
// out[4j + w] = philox4x32_10({first + j, hi}, key)[w]. Vectorized.
void philox4x32_10_blocks(std::uint64_t first, std::uint64_t hi, Key key,
                          std::size_t n, std::uint32_t* out);

class Stream {
 public:
  explicit Stream(std::uint64_t seed, std::uint64_t id = 0, int threads = 1);

  std::uint64_t seed() const { return seed_; }
  std::uint64_t id() const { return id_; }
  int threads() const { return threads_; }

  // A child stream, e.g. one per tensor: split(k) is independent of split(m) for
  // k != m and of the parent. Deterministic: same (seed, id, k) -> same child.
  Stream split(std::uint64_t k) const;
  // The same stream filled with n threads (values do not change).
  Stream with_threads(int n) const;

  // The raw 32-bit word `index` of this stream (block index/4, word index%4).
  std::uint32_t bits(std::uint64_t index) const;
  // A uniform double in [0, 1) with 53 random bits, a pure function of index.
  double uniform01(std::uint64_t index) const;

  // out[i] ~ U[lo, hi) for element offset + i.
  template <class T>
  void uniform(std::span<T> out, T lo, T hi, std::uint64_t offset = 0) const;
  // out[i] ~ N(mean, std^2) for element offset + i (Box-Muller, vectorized).
  template <class T>
  void normal(std::span<T> out, T mean, T std, std::uint64_t offset = 0) const;
  // out[i] ~ std * Z, Z ~ N(0, 1) conditioned on a <= Z <= b (a < b, bounds in
  // units of std, may be infinite). Exact: rejection from the normal stream
  // where the interval's mass Phi(b) - Phi(a) >= 0.3 (an element keeps the
  // value normal() gives it when that lies in [a, b]; otherwise it redraws
  // from retry streams), inverse CDF where it is smaller. Its moments:
  // truncated_normal_moments (normal_math.hpp).
  template <class T>
  void truncated_normal(std::span<T> out, T std, T a, T b, std::uint64_t offset = 0) const;

 private:
  std::uint64_t seed_;
  std::uint64_t id_;
  int threads_;
};

}  // namespace initlab::random
