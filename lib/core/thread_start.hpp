#pragma once
// Starting worker threads without aborting when the system refuses one.
// std::thread's constructor throws std::system_error (EAGAIN) when a process,
// user or memory limit is reached; a pool that let it escape ended the run in
// std::terminate ("terminate called without an active exception", issue 17
// item 7). The two places that start threads, core/thread_pool (the studies'
// workers, the sweep's executor, the random fills) and the MPI executor's local
// worker, start them through try_start_thread and run the work that a refused
// thread would have done on the threads they have: on the calling thread alone
// if none started.
//
// Tests inject the failure with limit_thread_starts(n): from then on only n more
// thread starts succeed in this process, the rest fail as the system would.

#include <cstddef>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace initlab {

namespace detail {
// False where a start must fail (the limit of limit_thread_starts is used up);
// otherwise counts the start against that limit.
bool thread_start_allowed();
}  // namespace detail

// After this call, n more thread starts succeed and every later one fails;
// std::nullopt lifts the limit. For tests (injecting a refused thread start).
void limit_thread_starts(std::optional<std::size_t> n);

// Starts std::thread(f) at the end of `pool`; false where the system (or the test
// limit) refuses the thread, with `pool` unchanged. `pool` must have capacity for
// one more thread (reserve first) so that growing it cannot throw.
template <class F>
bool try_start_thread(std::vector<std::thread>& pool, F&& f) {
  if (!detail::thread_start_allowed()) return false;
  try {
    pool.emplace_back(std::forward<F>(f));
    return true;
  } catch (const std::system_error&) {
    return false;
  }
}

}  // namespace initlab
