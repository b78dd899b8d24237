#include "mpi/mpi_executor.hpp"

#include <mpi.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/thread_start.hpp"

namespace initlab::tool {
namespace {

constexpr int kResult = 1;  // worker -> 0: a record line ("" when asking for the first id)
constexpr int kWork = 2;    // 0 -> worker: an id (uint64)
constexpr int kStop = 3;    // 0 -> worker: nothing left

// What rank 0 has handed out and not got back, for the signal handler: two buffers,
// the current one published through an atomic pointer.
char g_flight[2][8192];
std::atomic<const char*> g_flight_now{nullptr};

// The handlers before rank 0 started coordinating (the writer's temp cleanup):
// restored afterwards, and called after the message.
struct sigaction g_before_term {}, g_before_int {};

void on_stop(int sig) {
  const char* text = g_flight_now.load();
  if (text != nullptr) {
    const ssize_t ignored = ::write(2, text, std::strlen(text));
    (void)ignored;
  }
  const struct sigaction& before = sig == SIGTERM ? g_before_term : g_before_int;
  ::sigaction(sig, &before, nullptr);
  if (before.sa_handler != SIG_DFL && before.sa_handler != SIG_IGN) {
    before.sa_handler(sig);
    return;
  }
  ::raise(sig);
}

// Installs on_stop for SIGTERM and SIGINT while it lives.
class StopMessage {
 public:
  StopMessage() {
    struct sigaction sa {};
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGTERM, &sa, &g_before_term);
    ::sigaction(SIGINT, &sa, &g_before_int);
  }
  ~StopMessage() {
    g_flight_now.store(nullptr);
    ::sigaction(SIGTERM, &g_before_term, nullptr);
    ::sigaction(SIGINT, &g_before_int, nullptr);
  }
  StopMessage(const StopMessage&) = delete;
  StopMessage& operator=(const StopMessage&) = delete;
};

void publish(const std::map<int, std::size_t>& in_flight) {
  static int which = 0;
  which ^= 1;
  char* buf = g_flight[which];
  int n = std::snprintf(buf, sizeof g_flight[0],
                        "initlab: error: sweep stopped; configurations lost (running, not in "
                        "the journal):");
  for (const auto& [rank, id] : in_flight) {
    if (n > static_cast<int>(sizeof g_flight[0]) - 64) break;
    n += std::snprintf(buf + n, sizeof g_flight[0] - static_cast<std::size_t>(n), " %zu (rank %d)", id, rank);
  }
  std::snprintf(buf + n, sizeof g_flight[0] - static_cast<std::size_t>(n), "%s\n",
                in_flight.empty() ? " none" : "");
  g_flight_now.store(buf);
}

void send_line(const std::string& line) {
  MPI_Send(line.data(), static_cast<int>(line.size()), MPI_CHAR, 0, kResult, MPI_COMM_WORLD);
}

std::string recv_line(int source) {
  MPI_Status st;
  MPI_Probe(source, kResult, MPI_COMM_WORLD, &st);
  int n = 0;
  MPI_Get_count(&st, MPI_CHAR, &n);
  std::string line(static_cast<std::size_t>(n), '\0');
  MPI_Recv(line.data(), n, MPI_CHAR, source, kResult, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return line;
}

// Rank 0's own worker thread: takes one id at a time, gives back its line. Where
// the system refuses the thread (core/thread_start), give() does the work inline.
class LocalWorker {
 public:
  explicit LocalWorker(const std::function<std::string(std::size_t)>& work) : work_(work) {
    std::vector<std::thread> one;
    one.reserve(1);
    if (try_start_thread(one, [this] { loop(); })) thread_ = std::move(one.front());
  }
  ~LocalWorker() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  bool idle() {
    std::lock_guard lock(mutex_);
    return !job_ && !result_;
  }
  void give(std::size_t id) {
    if (!thread_.joinable()) {
      finish(id, run(id));
      return;
    }
    {
      std::lock_guard lock(mutex_);
      job_ = id;
    }
    cv_.notify_all();
  }
  // The finished (id, line), if any; rethrows what the work threw.
  std::optional<std::pair<std::size_t, std::string>> take() {
    std::lock_guard lock(mutex_);
    if (error_) std::rethrow_exception(error_);
    auto r = std::move(result_);
    result_.reset();
    return r;
  }

 private:
  using Outcome = std::pair<std::string, std::exception_ptr>;
  Outcome run(std::size_t id) {
    try {
      return {work_(id), nullptr};
    } catch (...) {
      return {std::string(), std::current_exception()};
    }
  }
  void finish(std::size_t id, Outcome out) {
    std::lock_guard lock(mutex_);
    job_.reset();
    if (out.second) error_ = out.second;
    else result_ = std::make_pair(id, std::move(out.first));
  }
  void loop() {
    while (true) {
      std::size_t id = 0;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return stop_ || job_.has_value(); });
        if (stop_) return;
        id = *job_;
      }
      finish(id, run(id));
    }
  }
  const std::function<std::string(std::size_t)>& work_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<std::size_t> job_;
  std::optional<std::pair<std::size_t, std::string>> result_;
  std::exception_ptr error_;
  bool stop_ = false;
  std::thread thread_;
};

class MpiExecutor final : public study::SweepExecutor {
 public:
  MpiExecutor() {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiExecutor() override { MPI_Finalize(); }
  bool coordinator() const override { return rank_ == 0; }
  std::size_t workers() const override { return static_cast<std::size_t>(size_); }

  void run(const std::vector<std::size_t>& todo,
           const std::function<std::string(std::size_t)>& work,
           const study::SweepEvents& events) override {
    if (rank_ == 0) coordinate(todo, work, events);
    else serve(work);
  }

 private:
  void serve(const std::function<std::string(std::size_t)>& work) {
    std::string line;  // empty: the first request
    while (true) {
      send_line(line);
      MPI_Status st;
      std::uint64_t id = 0;
      MPI_Recv(&id, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
      if (st.MPI_TAG == kStop) return;
      line = work(static_cast<std::size_t>(id));
    }
  }

  void coordinate(const std::vector<std::size_t>& todo,
                  const std::function<std::string(std::size_t)>& work,
                  const study::SweepEvents& events) {
    std::deque<std::size_t> queue(todo.begin(), todo.end());
    std::map<int, std::size_t> in_flight;  // rank -> id (rank 0: the local thread)
    publish(in_flight);
    const StopMessage stop_message;
    LocalWorker local(work);
    auto next = [&](int rank) -> std::optional<std::size_t> {
      if (queue.empty()) return std::nullopt;
      const std::size_t id = queue.front();
      queue.pop_front();
      in_flight[rank] = id;
      publish(in_flight);
      events.started(id);
      return id;
    };
    auto finished = [&](int rank, const std::string& line) {
      const std::size_t id = in_flight.at(rank);
      in_flight.erase(rank);
      publish(in_flight);
      events.finished(id, line);
    };
    int remote = size_ - 1;  // ranks not yet told to stop
    bool local_on = true;
    if (auto id = next(0)) local.give(*id);
    else local_on = false;
    while (remote > 0 || local_on) {
      bool busy = false;
      if (local_on) {
        if (auto done = local.take()) {
          busy = true;
          finished(0, done->second);
          if (auto id = next(0)) local.give(*id);
          else local_on = false;
        }
      }
      int flag = 0;
      MPI_Status st;
      MPI_Iprobe(MPI_ANY_SOURCE, kResult, MPI_COMM_WORLD, &flag, &st);
      if (flag) {
        busy = true;
        const int src = st.MPI_SOURCE;
        const std::string line = recv_line(src);
        if (!line.empty()) finished(src, line);
        if (auto id = next(src)) {
          const std::uint64_t v = *id;
          MPI_Send(&v, 1, MPI_UINT64_T, src, kWork, MPI_COMM_WORLD);
        } else {
          const std::uint64_t v = 0;
          MPI_Send(&v, 1, MPI_UINT64_T, src, kStop, MPI_COMM_WORLD);
          --remote;
        }
      }
      if (!busy) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }

  int rank_ = 0, size_ = 1;
};

}  // namespace

bool mpi_launched() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

std::unique_ptr<study::SweepExecutor> mpi_executor_if_launched() {
  if (!mpi_launched()) return nullptr;
  return std::make_unique<MpiExecutor>();
}

void mpi_abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

}  // namespace initlab::tool
