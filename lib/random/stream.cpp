// Stream basics and the uniform law. Uniform words:
//   float:  element i = word i (block i / 4, word i % 4); u = (w >> 8) 2^-24.
//   double: element i = words 2h, 2h + 1 of block i / 2 (h = i % 2), high word
//           first; u = (64-bit word >> 11) 2^-53.
// Both give u in [0, 1) on an even grid; lo + (hi - lo) u is then clamped
// below hi, since rounding can reach hi.
#include <algorithm>
#include <cmath>
#include <span>

#include "core/error.hpp"
#include "random/fill_groups.hpp"
#include "random/parallel.hpp"
#include "random/stream.hpp"

namespace initlab::random {

namespace {

double uniform53(std::uint32_t high, std::uint32_t low) {
  const std::uint64_t bits = (std::uint64_t{high} << 32) | low;
  return static_cast<double>(bits >> 11) * 0x1p-53;
}

// Philox outputs -> out (K kLanes) = lo + width u, clamped below hi.
void uniform_group(const detail::Lanes& s, float lo, float width, float below_hi, float* out) {
  for (std::size_t j = 0; j < detail::kLanes; ++j) {
    for (std::size_t w = 0; w < 4; ++w) {
      const float x = lo + width * (static_cast<float>(s.x[w][j] >> 8) * 0x1p-24f);
      out[4 * j + w] = std::min(x, below_hi);
    }
  }
}

void uniform_group(const detail::Lanes& s, double lo, double width, double below_hi, double* out) {
  for (std::size_t j = 0; j < detail::kLanes; ++j) {
    for (std::size_t h = 0; h < 2; ++h) {
      const double x = lo + width * uniform53(s.x[2 * h][j], s.x[2 * h + 1][j]);
      out[2 * j + h] = std::min(x, below_hi);
    }
  }
}

}  // namespace

Stream::Stream(std::uint64_t seed, std::uint64_t id, int threads)
    : seed_(seed), id_(id), threads_(threads) {
  if (threads < 1) fail("Stream", "threads = ", threads, ", expected >= 1");
}

Stream Stream::split(std::uint64_t k) const {
  return Stream(seed_, detail::derive_id(id_, k, detail::kSplitDomain), threads_);
}

Stream Stream::with_threads(int n) const {
  if (n < 1) fail("Stream::with_threads", "n = ", n, ", expected >= 1");
  return Stream(seed_, id_, n);
}

std::uint32_t Stream::bits(std::uint64_t index) const {
  const std::uint64_t block = index / 4;
  const Counter out = philox4x32_10(
      {static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32),
       static_cast<std::uint32_t>(id_), static_cast<std::uint32_t>(id_ >> 32)},
      detail::key_of(seed_));
  return out[index % 4];
}

double Stream::uniform01(std::uint64_t index) const {
  const std::uint64_t block = index / 2;
  const Counter out = philox4x32_10(
      {static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32),
       static_cast<std::uint32_t>(id_), static_cast<std::uint32_t>(id_ >> 32)},
      detail::key_of(seed_));
  const std::size_t h = index % 2;
  return uniform53(out[2 * h], out[2 * h + 1]);
}

template <class T>
void Stream::uniform(std::span<T> out, T lo, T hi, std::uint64_t offset) const {
  if (!(std::isfinite(lo) && std::isfinite(hi) && lo < hi && std::isfinite(hi - lo))) {
    fail("Stream::uniform", "[lo, hi) = [", lo, ", ", hi, "), expected finite lo < hi");
  }
  detail::check_range("Stream::uniform", offset, out.size());
  constexpr std::size_t K = sizeof(T) == 4 ? 4 : 2;
  const T width = hi - lo;
  const T below_hi = std::nextafter(hi, lo);
  detail::parallel_ranges(out.size(), threads_, K * detail::kLanes, [&](std::size_t b, std::size_t e) {
    detail::for_groups<K>(seed_, id_, offset + b, e - b, out.data() + b,
                          [&](const detail::Lanes& s, T* u) { uniform_group(s, lo, width, below_hi, u); });
  });
}

template void Stream::uniform<float>(std::span<float>, float, float, std::uint64_t) const;
template void Stream::uniform<double>(std::span<double>, double, double, std::uint64_t) const;

}  // namespace initlab::random
