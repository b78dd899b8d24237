#include "study/sweep_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.hpp"

namespace initlab::study {

namespace {

constexpr const char* kFunc = "estimate_scale";

double checked_mean(const std::vector<double>& v, const char* what) {
  for (double x : v)
    if (!std::isfinite(x) || x < 0.0) fail(kFunc, what, " ", x, "; expected a finite value >= 0");
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

void check_timing(const SweepTiming& t) {
  if (t.config_seconds.empty()) fail(kFunc, "no configuration was timed; expected at least one");
  if (t.record_bytes.size() != t.config_seconds.size())
    fail(kFunc, t.record_bytes.size(), " record sizes for ", t.config_seconds.size(),
         " configurations; expected one each");
  if (!std::isfinite(t.coordinator_seconds) || t.coordinator_seconds < 0.0)
    fail(kFunc, "coordinator time ", t.coordinator_seconds, "; expected a finite value >= 0");
}

}  // namespace

ScaleEstimate estimate_scale(const SweepTiming& timing, std::size_t configurations,
                             std::size_t ranks, double startup_seconds) {
  check_timing(timing);
  if (configurations == 0) fail(kFunc, "0 configurations; expected >= 1");
  if (ranks == 0) fail(kFunc, "0 ranks; expected >= 1");
  if (!std::isfinite(startup_seconds) || startup_seconds < 0.0)
    fail(kFunc, "startup ", startup_seconds, " s; expected a finite value >= 0");
  ScaleEstimate e;
  e.configurations = configurations;
  e.ranks = ranks;
  e.startup_seconds = startup_seconds;
  const double c = static_cast<double>(configurations);
  const double r = static_cast<double>(ranks);
  e.mean_config_seconds = checked_mean(timing.config_seconds, "configuration time");
  e.coordinator_per_record =
      timing.coordinator_seconds / static_cast<double>(timing.config_seconds.size());
  e.work_seconds = c * e.mean_config_seconds;
  e.compute_seconds = e.work_seconds / r;
  e.coordinator_busy = c * e.coordinator_per_record;
  e.total_seconds = startup_seconds + std::max(e.compute_seconds, e.coordinator_busy);
  e.coordinator_share = e.compute_seconds > 0.0 ? e.coordinator_busy / e.compute_seconds
                                                : (e.coordinator_busy > 0.0 ? std::numeric_limits<double>::infinity() : 0.0);
  e.coordinator_bound = e.coordinator_share > kCoordinatorBusyShare;
  e.shortest_balanced_config = r * e.coordinator_per_record / kCoordinatorBusyShare;
  e.record_memory_bytes = c * checked_mean(timing.record_bytes, "record size");
  return e;
}

}  // namespace initlab::study
