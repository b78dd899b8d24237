#pragma once
// The JSON form of a check result, shared by `initlab check --json` and the
// Python module's initlab.check (which returns exactly this, as a dict).

#include <nlohmann/json.hpp>

#include "study/check_study.hpp"

namespace initlab::tool {

// {"shape", "dtype", "layout", "fan_in", "fan_out", "receptive_field", "expect",
//  "canonical", "law", "level", "test_level", "mean", "variance", "min", "max",
//  "promised_mean", "promised_variance", "tests": [{"name", "statistic", "value",
//  "p_value", "method", "deterministic", "rejected"[, "p_asymptotic"]}], "consistent"}
nlohmann::json check_json(const study::CheckResult& r);

// {"consistent": [specs], "results": [check_json of each], and the tensor's "shape",
//  "dtype", "layout", "fan_in", "fan_out", "receptive_field"} for `--expect auto`.
nlohmann::json check_auto_json(const std::vector<study::CheckResult>& results);

}  // namespace initlab::tool
