#pragma once
// Internal to lib/random: runs f(begin, end) over [0, n) on `threads` threads of
// core/thread_pool, cutting at multiples of `align` elements. Every random number
// is a pure function of its index, so neither the cut points nor which thread runs
// a range change the values; ranges whose helper the system refuses run on the
// threads that started (the pool's fallback), down to the calling thread alone.

#include <algorithm>
#include <cstddef>

#include "core/thread_pool.hpp"

namespace initlab::random::detail {

// Below this many elements one thread is used (handing a range to a helper costs a wake-up).
inline constexpr std::size_t kMinPerThread = std::size_t{1} << 15;

template <class F>
void parallel_ranges(std::size_t n, int threads, std::size_t align, F f) {
  const std::size_t most = std::max<std::size_t>(1, n / kMinPerThread);
  const std::size_t t = std::min(static_cast<std::size_t>(std::max(threads, 1)), most);
  if (t <= 1) {
    f(std::size_t{0}, n);
    return;
  }
  std::size_t chunk = (n + t - 1) / t;
  chunk = (chunk + align - 1) / align * align;
  parallel_for(t, t, [&](std::size_t k, std::size_t) {
    const std::size_t begin = std::min(n, k * chunk);
    const std::size_t end = std::min(n, begin + chunk);
    if (begin < end) f(begin, end);
  });
}

}  // namespace initlab::random::detail
