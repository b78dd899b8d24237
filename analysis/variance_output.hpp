#pragma once
// Writers for `initlab variance`: the CSV (one row per activation, init, layer),
// the JSON (the same rows plus summaries, histograms and the command line), the
// histogram CSV and the human-readable summary. Column meanings: reports/README.md
// section "variance".

#include <ostream>
#include <string>
#include <vector>

#include "study/variance_study.hpp"

namespace initlab::tool {

// The CSV header, the stable contract with scripts/report/variance.py and users.
const std::vector<std::string>& variance_csv_columns();

void write_variance_csv(std::ostream& os, const study::VarianceConfig& config,
                        const study::VarianceResult& result);
void write_variance_json(std::ostream& os, const study::VarianceConfig& config,
                         const study::VarianceResult& result, const std::string& input);
void write_histogram_csv(std::ostream& os, const study::VarianceConfig& config,
                         const study::VarianceResult& result);
// Per (activation, init): growth per layer measured vs predicted, break depth,
// overflow, the largest deviation from theory in seed spreads.
void write_variance_summary(std::ostream& os, const study::VarianceConfig& config,
                            const study::VarianceResult& result);

}  // namespace initlab::tool
