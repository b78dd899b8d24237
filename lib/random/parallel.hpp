#pragma once
// Internal to lib/random: runs f(begin, end) over [0, n) on `threads` threads,
// cutting at multiples of `align` elements. Every random number is a pure
// function of its index, so the cut points never change the values. A range
// whose thread the system refuses runs on the calling thread (core/thread_start).

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

#include "core/thread_start.hpp"

namespace initlab::random::detail {

// Below this many elements one thread is used (a thread start costs ~20 us).
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
  std::vector<std::thread> pool;
  pool.reserve(t - 1);
  std::size_t refused_from = n;  // ranges from here on: no thread, run below
  for (std::size_t k = 1; k < t; ++k) {
    const std::size_t begin = std::min(n, k * chunk);
    const std::size_t end = std::min(n, begin + chunk);
    if (begin < end && !try_start_thread(pool, [&f, begin, end] { f(begin, end); })) {
      refused_from = begin;
      break;
    }
  }
  f(std::size_t{0}, std::min(n, chunk));
  for (std::size_t begin = refused_from; begin < n; begin += chunk) f(begin, std::min(n, begin + chunk));
  for (auto& th : pool) th.join();
}

}  // namespace initlab::random::detail
