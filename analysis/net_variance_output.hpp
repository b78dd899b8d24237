#pragma once
// The files of `initlab variance --net`: per-layer CSV, JSON (rows, summary,
// the network, provenance) and the summary table on stdout.

#include <ostream>

#include "study/net_variance.hpp"

namespace initlab::tool {

void write_net_variance_csv(std::ostream& os, const study::NetVarianceConfig& c, const study::NetVarianceResult& r);
void write_net_variance_json(std::ostream& os, const study::NetVarianceConfig& c, const study::NetVarianceResult& r,
                             const std::string& input);
void write_net_variance_summary(std::ostream& os, const study::NetVarianceConfig& c,
                                const study::NetVarianceResult& r);

}  // namespace initlab::tool
