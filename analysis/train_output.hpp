#pragma once
// Writers for `initlab train`: the JSON record of a training study (curves, epochs,
// histograms, digit grid, decision boundaries), the cost curves as CSV and the
// human-readable table.

#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "study/training_study.hpp"

namespace initlab::tool {

// The full record of the runs (seconds: the study's wall time).
nlohmann::json study_json(const study::TrainingSetup& s, const study::TrainingData& d,
                          const std::vector<study::RunRecord>& runs, double seconds);
// One row per (run, step) of the cost curves, long series thinned to about 1000 points.
void write_curves_csv(std::ostream& os, const study::TrainingSetup& s, const study::TrainingData& d,
                      const std::vector<study::RunRecord>& runs);
// One line per run: final cost (or "diverged"), accuracies, seconds, status.
void write_table(std::ostream& os, const study::TrainingSetup& s, const study::TrainingData& d,
                 const std::vector<study::RunRecord>& runs);

}  // namespace initlab::tool
