#include "core/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/thread_start.hpp"

namespace initlab {

namespace {

thread_local bool in_task = false;  // this thread is running a task of some call

// One job at a time: the caller publishes it under mu_ with a new generation,
// helpers 1..job_helpers_ take part, the caller waits until all of them are done.
class Pool {
 public:
  ~Pool() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

  std::size_t run(std::size_t n, std::size_t threads,
                  const std::function<void(std::size_t, std::size_t)>& task) {
    if (in_task || threads == 1 || n <= 1) return run_inline(n, task);
    std::unique_lock call(call_mu_, std::try_to_lock);
    if (!call.owns_lock()) return run_inline(n, task);
    const std::size_t want = std::min(threads, n) - 1;
    std::unique_lock lock(mu_);
    start_helpers(want);
    const std::size_t helpers = std::min(want, threads_.size());
    task_ = &task;
    n_ = n;
    next_ = 0;
    failed_ = false;
    job_helpers_ = helpers;
    running_ = helpers;
    ++generation_;
    lock.unlock();
    wake_.notify_all();
    work(0);
    lock.lock();
    idle_.wait(lock, [&] { return running_ == 0; });
    task_ = nullptr;
    std::exception_ptr error = std::exchange(error_, nullptr);
    lock.unlock();
    if (error) std::rethrow_exception(error);
    return helpers + 1;
  }

  std::size_t helpers() {
    std::lock_guard lock(mu_);
    return threads_.size();
  }

 private:
  std::mutex call_mu_;  // held by the call that owns the helpers
  std::mutex mu_;
  std::condition_variable wake_, idle_;
  std::vector<std::thread> threads_;
  const std::function<void(std::size_t, std::size_t)>* task_ = nullptr;
  std::size_t n_ = 0, job_helpers_ = 0, running_ = 0;
  std::uint64_t generation_ = 0;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> failed_{false};
  std::exception_ptr error_;
  bool stop_ = false;

  static std::size_t run_inline(std::size_t n, const std::function<void(std::size_t, std::size_t)>& task) {
    for (std::size_t i = 0; i < n; ++i) task(i, 0);
    return 1;
  }

  // Starts helpers until `want` exist; one that cannot start (core/thread_start)
  // ends the attempt (the job runs on fewer threads). Called with mu_ held.
  void start_helpers(std::size_t want) {
    threads_.reserve(want);
    while (threads_.size() < want) {
      const std::size_t index = threads_.size() + 1;
      if (!try_start_thread(threads_, [this, index, seen = generation_] { helper(index, seen); })) return;
    }
  }

  // Tasks from the shared counter until none are left or one has thrown.
  void work(std::size_t worker) {
    in_task = true;
    for (std::size_t i; !failed_ && (i = next_.fetch_add(1)) < n_;) {
      try {
        (*task_)(i, worker);
      } catch (...) {
        std::lock_guard lock(mu_);
        if (!error_) error_ = std::current_exception();
        failed_ = true;
      }
    }
    in_task = false;
  }

  void helper(std::size_t index, std::uint64_t seen) {
    std::unique_lock lock(mu_);
    while (true) {
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      if (index > job_helpers_) continue;
      lock.unlock();
      work(index);
      lock.lock();
      if (--running_ == 0) idle_.notify_all();
    }
  }
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

std::size_t parallel_for(std::size_t n, std::size_t threads,
                         const std::function<void(std::size_t, std::size_t)>& task) {
  if (threads < 1) fail("parallel_for", "threads ", threads, "; expected >= 1");
  return pool().run(n, threads, task);
}

std::size_t pool_helpers() { return pool().helpers(); }

}  // namespace initlab
