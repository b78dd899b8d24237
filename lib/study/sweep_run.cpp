#include "study/sweep_run.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <optional>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "study/sweep_journal.hpp"

namespace initlab::study {

namespace {

class ThreadExecutor final : public SweepExecutor {
 public:
  explicit ThreadExecutor(int threads) : threads_(static_cast<std::size_t>(threads)) {}
  bool coordinator() const override { return true; }
  std::size_t workers() const override { return threads_; }

  void run(const std::vector<std::size_t>& todo,
           const std::function<std::string(std::size_t)>& work,
           const SweepEvents& events) override {
    std::mutex mutex;
    parallel_for(todo.size(), threads_, [&](std::size_t k, std::size_t) {
      {
        std::lock_guard lock(mutex);
        events.started(todo[k]);
      }
      const std::string line = work(todo[k]);
      std::lock_guard lock(mutex);
      events.finished(todo[k], line);
    });
  }

 private:
  std::size_t threads_;
};

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Adds the time from its construction to its destruction to `total`.
class Stopwatch {
 public:
  explicit Stopwatch(double& total) : total_(total), start_(Clock::now()) {}
  ~Stopwatch() { total_ += seconds_since(start_); }
  Stopwatch(const Stopwatch&) = delete;
  Stopwatch& operator=(const Stopwatch&) = delete;

 private:
  double& total_;
  Clock::time_point start_;
};

// Every record of the journal into out, in id order, with the status counts and
// the time it took added to the coordinator's.
void collect_records(SweepOutcome& out, const SweepJournal& journal, const SweepSpec& spec) {
  const Stopwatch busy(out.timing.coordinator_seconds);
  for (const auto& [id, line] : journal.done()) {
    out.records.push_back(record_from_line(line, journal.path().string()));
    const SweepStatus s = out.records.back().status;
    (s == SweepStatus::ok ? out.ok : s == SweepStatus::diverged ? out.diverged : out.failed) += 1;
  }
  if (out.records.size() != spec.size())
    fail("sweep", out.records.size(), " of ", spec.size(), " configurations finished; expected all");
}

}  // namespace

std::unique_ptr<SweepExecutor> thread_executor(int threads) {
  if (threads < 1) fail("thread_executor", "threads ", threads, "; expected >= 1");
  return std::make_unique<ThreadExecutor>(threads);
}

SweepOutcome run_sweep(const SweepSpec& spec, SweepExecutor& executor,
                       const SweepRunOptions& options) {
  SweepOutcome out;
  std::optional<SweepJournal> journal;
  std::vector<std::size_t> todo;
  if (executor.coordinator()) {
    journal.emplace(options.dir, spec, options.resume);
    out.resumed = journal->done().size();
    for (std::size_t id = 0; id < spec.size(); ++id)
      if (!journal->done().count(id)) todo.push_back(id);
  }
  const auto start = Clock::now();
  SweepTiming& timing = out.timing;
  timing.workers = executor.workers();
  std::map<std::size_t, Clock::time_point> handed_out;
  SweepProgress p;
  p.total = spec.size();
  p.done = out.resumed;
  p.left = todo.size();
  std::size_t finished_here = 0;
  auto report = [&] {
    if (!options.progress) return;
    p.seconds = seconds_since(start);
    p.eta_seconds = finished_here == 0 ? -1.0
                                       : p.seconds / static_cast<double>(finished_here) *
                                             static_cast<double>(p.left + p.running);
    options.progress(p);
  };
  SweepEvents events;
  events.started = [&](std::size_t id) {
    const Stopwatch busy(timing.coordinator_seconds);
    handed_out[id] = Clock::now();
    --p.left;
    ++p.running;
    report();
  };
  events.finished = [&](std::size_t id, const std::string& line) {
    const Stopwatch busy(timing.coordinator_seconds);
    timing.config_seconds.push_back(seconds_since(handed_out[id]));
    timing.record_bytes.push_back(static_cast<double>(line.size()));
    handed_out.erase(id);
    journal->append(id, line);
    --p.running;
    ++p.done;
    ++finished_here;
    report();
  };
  report();
  executor.run(todo, [&](std::size_t id) { return record_line(run_configuration(spec, id)); },
               events);
  if (!executor.coordinator()) return out;
  collect_records(out, *journal, spec);
  timing.wall_seconds = seconds_since(start);
  return out;
}

}  // namespace initlab::study
