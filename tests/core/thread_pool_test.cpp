#include "core/thread_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/thread_start.hpp"

namespace initlab {
namespace {

// Runs n tasks on `threads`; each task records itself and its worker.
struct Record {
  std::vector<std::atomic<int>> runs;
  std::mutex mu;
  std::set<std::size_t> workers;
  std::set<std::thread::id> ids;
  explicit Record(std::size_t n) : runs(n) {}
  void operator()(std::size_t i, std::size_t w) {
    ++runs[i];
    std::lock_guard lock(mu);
    workers.insert(w);
    ids.insert(std::this_thread::get_id());
  }
};

TEST(ThreadPool, RunsEveryTaskExactlyOnce) {
  for (std::size_t threads : std::vector<std::size_t>{1, 2, 3, 8}) {
    for (std::size_t n : std::vector<std::size_t>{0, 1, 2, 7, 1000}) {
      Record rec(n);
      const std::size_t used = parallel_for(n, threads, [&](std::size_t i, std::size_t w) { rec(i, w); });
      for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(rec.runs[i].load(), 1) << "task " << i << " of " << n;
      EXPECT_GE(used, 1u);
      EXPECT_LE(used, std::max<std::size_t>(1, std::min(threads, n)));
      for (std::size_t w : rec.workers) EXPECT_LT(w, threads);
      EXPECT_LE(rec.ids.size(), used);
    }
  }
}

TEST(ThreadPool, UsesSeveralThreadsAndKeepsThem) {
  // Tasks that wait for each other can only finish if two threads run them at once.
  std::atomic<int> arrived{0};
  const std::size_t used = parallel_for(2, 2, [&](std::size_t, std::size_t) {
    ++arrived;
    while (arrived.load() < 2) std::this_thread::yield();
  });
  EXPECT_EQ(used, 2u);
  const std::size_t helpers = pool_helpers();
  EXPECT_GE(helpers, 1u);
  parallel_for(10, 2, [](std::size_t, std::size_t) {});
  EXPECT_EQ(pool_helpers(), helpers);  // no new thread for a second call
}

TEST(ThreadPool, CallerIsWorkerZero) {
  const auto caller = std::this_thread::get_id();
  parallel_for(100, 3, [&](std::size_t, std::size_t w) {
    EXPECT_EQ(w == 0, std::this_thread::get_id() == caller) << "worker " << w;
  });
}

TEST(ThreadPool, RethrowsTheFirstErrorAndStopsHandingOut) {
  // Task 3 throws. No task after it may finish before the throw has been seen,
  // whichever thread runs task 3 and however it is scheduled: they wait for
  // `thrown` (set just before the throw) and then take 1 ms each. Were the pool
  // to go on handing out, the 99,996 later tasks would take at least 50 s on
  // two threads; the pool stops within a few of them.
  std::atomic<std::size_t> ran{0};
  std::atomic<bool> thrown{false};
  EXPECT_THROW(parallel_for(100000, 2,
                            [&](std::size_t i, std::size_t) {
                              ++ran;
                              if (i == 3) {
                                thrown = true;
                                throw std::runtime_error("task 3");
                              }
                              if (i < 3) return;
                              while (!thrown) std::this_thread::yield();
                              std::this_thread::sleep_for(std::chrono::milliseconds(1));
                            }),
               std::runtime_error);
  EXPECT_LT(ran.load(), 100000u);
  // the pool works again after an error
  Record rec(50);
  parallel_for(50, 2, [&](std::size_t i, std::size_t w) { rec(i, w); });
  for (std::size_t i = 0; i < 50; ++i) EXPECT_EQ(rec.runs[i].load(), 1);
}

TEST(ThreadPool, NestedCallRunsOnTheCallingThread) {
  std::atomic<int> inner{0};
  parallel_for(4, 2, [&](std::size_t, std::size_t) {
    const auto me = std::this_thread::get_id();
    const std::size_t used = parallel_for(5, 2, [&](std::size_t, std::size_t w) {
      EXPECT_EQ(w, 0u);
      EXPECT_EQ(std::this_thread::get_id(), me);
      ++inner;
    });
    EXPECT_EQ(used, 1u);
  });
  EXPECT_EQ(inner.load(), 20);
}

TEST(ThreadPool, ConcurrentCallsFromTwoThreadsBothFinish) {
  Record a(500), b(500);
  std::thread other([&] { parallel_for(500, 2, [&](std::size_t i, std::size_t w) { a(i, w); }); });
  parallel_for(500, 2, [&](std::size_t i, std::size_t w) { b(i, w); });
  other.join();
  for (std::size_t i = 0; i < 500; ++i) {
    EXPECT_EQ(a.runs[i].load(), 1);
    EXPECT_EQ(b.runs[i].load(), 1);
  }
}

TEST(ThreadPool, FallsBackToTheThreadsThatStarted) {
  const std::size_t have = pool_helpers();
  limit_thread_starts(0);  // no further helper can start
  Record rec(200);
  const std::size_t used = parallel_for(200, have + 3, [&](std::size_t i, std::size_t w) { rec(i, w); });
  limit_thread_starts(std::nullopt);
  EXPECT_EQ(used, have + 1);
  for (std::size_t i = 0; i < 200; ++i) EXPECT_EQ(rec.runs[i].load(), 1);
  EXPECT_EQ(pool_helpers(), have);
}

TEST(ThreadPool, RejectsZeroThreads) {
  EXPECT_THROW(parallel_for(3, 0, [](std::size_t, std::size_t) {}), std::invalid_argument);
}

}  // namespace
}  // namespace initlab
