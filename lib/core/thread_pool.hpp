#pragma once
// The one thread pool of initlab: parallel_for hands the tasks 0 .. n-1 out, in
// order, from a shared counter to the calling thread and to helper threads of one
// process-wide pool. Helpers are started on first need and kept for the process's
// lifetime, so whatever a thread keeps for itself (thread_local scratch, OpenBLAS's
// per-thread buffers) survives from one call to the next. Used by the studies that
// run independent pieces of work at once (variance networks, sweep configurations)
// and by the random fills (random/parallel.hpp: ranges of one fill).
//
// Guarantees:
//  - every task runs exactly once, unless a task throws: then no further task is
//    handed out, the call waits for the running ones and rethrows the first exception;
//  - worker indices are in [0, threads): the caller is worker 0, so per-worker
//    state can live in a vector of `threads` entries;
//  - a helper thread that cannot be started (core/thread_start: std::thread throws
//    std::system_error at a process or memory limit) is not an error: the tasks run
//    on the threads that did start, down to the caller alone, and the return value
//    says how many; tests inject the refusal with limit_thread_starts;
//  - a call made from inside a task, or while another thread's call is running, runs
//    its tasks on the calling thread alone (no deadlock, no oversubscription).
// No xtensor here.

#include <cstddef>
#include <functional>

namespace initlab {

// task(i, worker) for every i in [0, n) on at most `threads` threads (>= 1; throws
// std::invalid_argument otherwise). Returns the number of workers that ran tasks
// (1 when n <= 1 or threads == 1).
std::size_t parallel_for(std::size_t n, std::size_t threads,
                         const std::function<void(std::size_t task, std::size_t worker)>& task);

// Helper threads the pool holds now (started by earlier calls; for tests and `info`).
std::size_t pool_helpers();

}  // namespace initlab
