#pragma once
// How a sweep would scale: from what one run measured (each configuration's time
// from hand-out to record, what the coordinator spent per record, the record
// sizes), an estimate of the same kind of sweep with C configurations on R ranks.
// The model (a throughput bound: it ignores start-up skew, the tail of the last
// configurations and network latency; README.md's sweep section says how to read it):
//   work         W = C * mean configuration time
//   compute      W / R                (every rank, the coordinator too, runs configurations)
//   coordinator  C * cost per record  (hand-out, journal line, parsing; one rank does it all)
//   total        startup + max(compute, coordinator)
// Rank 0 is the bottleneck when its share exceeds kCoordinatorBusyShare of the
// compute time: past that, workers wait for it to hand out work. It also holds
// every record until the end: memory C * mean record bytes.

#include <cstddef>
#include <vector>

namespace initlab::study {

// The coordinator busy for more than this fraction of the compute time limits the
// sweep: half its time handling records leaves every hand-out a handling time late.
inline constexpr double kCoordinatorBusyShare = 0.5;

// What one run of a sweep measured, on the coordinator (configurations resumed from
// a journal are not in it).
struct SweepTiming {
  std::vector<double> config_seconds;  // per configuration run: hand-out to record
  std::vector<double> record_bytes;    // per configuration run: its record line's size
  // Spent in the coordinator's hand-out and record handling (journal line,
  // progress, parsing the records at the end), in all. Under MPI this leaves out
  // the message calls and the 200 us idle poll of analysis/mpi/mpi_executor.cpp,
  // so it is a lower bound there.
  double coordinator_seconds = 0.0;
  double wall_seconds = 0.0;           // the whole run
  std::size_t workers = 1;             // configurations that could run at once
};

struct ScaleEstimate {
  std::size_t configurations = 0, ranks = 0;
  double mean_config_seconds = 0.0;
  double coordinator_per_record = 0.0;  // seconds
  double work_seconds = 0.0;            // C * mean configuration time
  double compute_seconds = 0.0;         // W / R
  double coordinator_busy = 0.0;        // C * cost per record
  double startup_seconds = 0.0;
  double total_seconds = 0.0;
  double coordinator_share = 0.0;       // coordinator_busy / compute_seconds
  bool coordinator_bound = false;       // coordinator_share > kCoordinatorBusyShare
  // The shortest mean configuration time at which R ranks keep rank 0 within
  // kCoordinatorBusyShare: R * cost per record / kCoordinatorBusyShare.
  double shortest_balanced_config = 0.0;
  double record_memory_bytes = 0.0;     // C * mean record bytes, held on rank 0
};

// Throws std::invalid_argument when timing holds no configuration, a time or size
// is negative or not finite, or configurations or ranks is 0.
ScaleEstimate estimate_scale(const SweepTiming& timing, std::size_t configurations,
                             std::size_t ranks, double startup_seconds);

}  // namespace initlab::study
