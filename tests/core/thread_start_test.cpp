// A refused thread start (lib/core/thread_start.hpp) falls back to fewer threads:
// the random fills (random/parallel.hpp, on core/thread_pool) give the values of a
// run on one thread, where before the std::system_error ended the process in
// std::terminate. The refusal is injected with limit_thread_starts (as root, as CI
// runs, RLIMIT_NPROC does not stop thread starts). The pool's own fallback (the
// threads that started run every task) is checked in tests/core/thread_pool_test.cpp.
#include "core/thread_start.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "random/stream.hpp"

namespace initlab {
namespace {

// Allows `n` more thread starts for the life of the guard.
struct StartLimit {
  explicit StartLimit(std::size_t n) { limit_thread_starts(n); }
  ~StartLimit() { limit_thread_starts(std::nullopt); }
  StartLimit(const StartLimit&) = delete;
  StartLimit& operator=(const StartLimit&) = delete;
};

TEST(ThreadStart, LimitRefusesStartsBeyondItAndLeavesThePoolUnchanged) {
  std::atomic<int> ran{0};
  std::vector<std::thread> pool;
  pool.reserve(3);
  {
    StartLimit limit(2);
    EXPECT_TRUE(try_start_thread(pool, [&] { ++ran; }));
    EXPECT_TRUE(try_start_thread(pool, [&] { ++ran; }));
    EXPECT_FALSE(try_start_thread(pool, [&] { ++ran; }));
    EXPECT_EQ(pool.size(), 2u);
  }
  EXPECT_TRUE(try_start_thread(pool, [&] { ++ran; }));  // the limit is lifted
  for (auto& t : pool) t.join();
  EXPECT_EQ(ran.load(), 3);
}

// 300,001 normals on 8 threads cut into 8 ranges (random/parallel.hpp); with 0 or 3
// more helper starts allowed the ranges run on the pool's threads that started.
TEST(ThreadStart, RandomFillWithRefusedThreadsGivesTheOneThreadValues) {
  const std::size_t n = 300001;
  std::vector<double> one(n), some(n);
  random::Stream(5, 9).normal<double>(std::span<double>(one), 0.0, 1.0);
  for (std::size_t allowed : {0u, 3u}) {
    StartLimit limit(allowed);
    std::fill(some.begin(), some.end(), 0.0);
    random::Stream(5, 9, 8).normal<double>(std::span<double>(some), 0.0, 1.0);
    EXPECT_EQ(some, one) << allowed << " of 7 extra threads";
  }
}

}  // namespace
}  // namespace initlab
