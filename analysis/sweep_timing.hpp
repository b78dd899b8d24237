#pragma once
// DIR/timing.json of `initlab sweep`: what this run measured (per configuration
// and on the coordinator) and the scale estimate made from it
// (lib/study/sweep_estimate.hpp). Times differ from run to run, so they live apart
// from sweep.csv and sweep.json, which are byte-identical for any number of ranks.

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "study/sweep_estimate.hpp"

namespace initlab::tool {

struct ScaleRequest {
  std::size_t configurations = 10000;  // of the estimated sweep
  std::size_t ranks = 64;
  double startup_seconds = 0.0;        // measured: tool start to the first hand-out
};

// The estimate, or nothing when this run timed no configuration (all resumed).
std::optional<study::ScaleEstimate> scale_estimate(const study::SweepTiming& timing,
                                                   const ScaleRequest& request);

// {"measured": {...}, "estimate": {...} or null}; the caller adds the provenance.
nlohmann::ordered_json timing_json(const study::SweepTiming& timing, const ScaleRequest& request,
                                   const std::optional<study::ScaleEstimate>& estimate);

// "estimate: 10000 configurations on 64 ranks: 4.7 s; rank 0 busy 12% of the
// compute time (limit 50%)", or why there is none.
std::string estimate_line(const std::optional<study::ScaleEstimate>& estimate);

}  // namespace initlab::tool
