#pragma once
// The findings of a study as JSON: [{"id", "subject", "holds", "criterion",
// "numbers": {name: value|null}, "thresholds": {name: value}}, ...].

#include <vector>

#include <nlohmann/json.hpp>

#include "study/findings.hpp"

namespace initlab::tool {

nlohmann::json findings_json(const std::vector<study::Finding>& findings);

}  // namespace initlab::tool
