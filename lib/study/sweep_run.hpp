#pragma once
// Running a whole sweep: which configurations are left (the journal's), where
// they run (a SweepExecutor: threads of this process here, MPI ranks in the
// tool), the journal appended as each finishes, and every record back in id order.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "study/sweep.hpp"
#include "study/sweep_estimate.hpp"
#include "study/sweep_spec.hpp"

namespace initlab::study {

// Calls from an executor to the coordinating process, one at a time.
struct SweepEvents {
  std::function<void(std::size_t id)> started;                      // handed to a worker
  std::function<void(std::size_t id, const std::string& line)> finished;  // its record line
};

// Where configurations run. Exactly one process of a job is the coordinator: it
// alone holds the list of configurations to run, gets the events and writes files.
class SweepExecutor {
 public:
  virtual ~SweepExecutor() = default;
  virtual bool coordinator() const = 0;
  virtual std::size_t workers() const = 0;  // configurations that can run at once
  // Runs `work(id)` (which returns the record line) for every id of `todo` (read
  // on the coordinator only) and returns when all have finished.
  virtual void run(const std::vector<std::size_t>& todo,
                   const std::function<std::string(std::size_t)>& work,
                   const SweepEvents& events) = 0;
};

// `threads` (>= 1) workers in this process, each taking the next id of todo.
std::unique_ptr<SweepExecutor> thread_executor(int threads);

struct SweepProgress {
  std::size_t done = 0, running = 0, left = 0, total = 0;
  double seconds = 0.0;      // since this run started
  double eta_seconds = -1;   // -1 until something has finished in this run
};

struct SweepRunOptions {
  std::filesystem::path dir;  // holds journal.jsonl
  bool resume = false;
  std::function<void(const SweepProgress&)> progress;  // coordinator, after each event
};

struct SweepOutcome {
  std::vector<SweepRecord> records;  // coordinator: one per configuration, in id order
  std::size_t resumed = 0;           // taken from the journal
  std::size_t ok = 0, diverged = 0, failed = 0;
  SweepTiming timing;                // coordinator: what this run measured
};

// Runs every configuration not yet in DIR's journal. On the coordinator the
// outcome holds all records; elsewhere it is empty.
SweepOutcome run_sweep(const SweepSpec& spec, SweepExecutor& executor,
                       const SweepRunOptions& options);

}  // namespace initlab::study
