#include "sweep_timing.hpp"

#include <algorithm>
#include <iomanip>
#include <numeric>
#include <sstream>

#include "output.hpp"

namespace initlab::tool {

namespace {

using Json = nlohmann::ordered_json;

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

Json measured_json(const study::SweepTiming& t, const ScaleRequest& r) {
  const double n = static_cast<double>(t.config_seconds.size());
  return Json{{"configurations_run", t.config_seconds.size()},
              {"workers", t.workers},
              {"wall_seconds", json_number(t.wall_seconds)},
              {"startup_seconds", json_number(r.startup_seconds)},
              {"config_seconds_total", json_number(sum(t.config_seconds))},
              {"config_seconds_max", json_number(t.config_seconds.empty() ? 0.0 :
                   *std::max_element(t.config_seconds.begin(), t.config_seconds.end()))},
              {"coordinator_seconds", json_number(t.coordinator_seconds)},
              {"record_bytes_mean", json_number(n > 0 ? sum(t.record_bytes) / n : 0.0)}};
}

Json estimate_json(const study::ScaleEstimate& e) {
  return Json{{"configurations", e.configurations},
              {"ranks", e.ranks},
              {"mean_config_seconds", json_number(e.mean_config_seconds)},
              {"coordinator_per_record_seconds", json_number(e.coordinator_per_record)},
              {"work_seconds", json_number(e.work_seconds)},
              {"compute_seconds", json_number(e.compute_seconds)},
              {"coordinator_busy_seconds", json_number(e.coordinator_busy)},
              {"startup_seconds", json_number(e.startup_seconds)},
              {"total_seconds", json_number(e.total_seconds)},
              {"coordinator_share", json_number(e.coordinator_share)},
              {"coordinator_busy_share_limit", json_number(study::kCoordinatorBusyShare)},
              {"coordinator_bound", e.coordinator_bound},
              {"shortest_balanced_config_seconds", json_number(e.shortest_balanced_config)},
              {"record_memory_bytes", json_number(e.record_memory_bytes)}};
}

}  // namespace

std::optional<study::ScaleEstimate> scale_estimate(const study::SweepTiming& timing,
                                                   const ScaleRequest& request) {
  if (timing.config_seconds.empty()) return std::nullopt;
  return study::estimate_scale(timing, request.configurations, request.ranks,
                               request.startup_seconds);
}

Json timing_json(const study::SweepTiming& timing, const ScaleRequest& request,
                 const std::optional<study::ScaleEstimate>& estimate) {
  return Json{{"measured", measured_json(timing, request)},
              {"estimate", estimate ? estimate_json(*estimate) : Json(nullptr)}};
}

std::string estimate_line(const std::optional<study::ScaleEstimate>& e) {
  if (!e) return "estimate: none (no configuration ran in this invocation)";
  std::ostringstream os;
  os << std::setprecision(3) << "estimate: " << e->configurations << " configurations on "
     << e->ranks << " ranks: " << e->total_seconds << " s; rank 0 busy "
     << 100.0 * e->coordinator_share << "% of the compute time (limit "
     << 100.0 * study::kCoordinatorBusyShare << "%"
     << (e->coordinator_bound ? ", so rank 0 is the bottleneck)" : ")");
  return os.str();
}

}  // namespace initlab::tool
