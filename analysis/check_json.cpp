#include "check_json.hpp"

namespace initlab::tool {

using nlohmann::json;

namespace {
json test_json(const study::CheckTest& t) {
  json j = {{"name", t.name},       {"statistic", t.statistic},
            {"value", t.value},     {"p_value", t.p_value},
            {"method", t.method},   {"deterministic", t.deterministic},
            {"rejected", t.rejected}};
  if (t.name == "ks") j["p_asymptotic"] = t.p_asymptotic;
  return j;
}
}  // namespace

json check_json(const study::CheckResult& r) {
  json tests = json::array();
  for (const auto& t : r.tests) tests.push_back(test_json(t));
  return {{"shape", r.shape},
          {"dtype", data::to_string(r.dtype)},
          {"layout", study::to_string(r.layout)},
          {"fan_in", r.view.fans.in},
          {"fan_out", r.view.fans.out},
          {"receptive_field", r.view.receptive},
          {"expect", r.spec},
          {"canonical", r.canonical},
          {"law", r.law},
          {"level", r.level},
          {"test_level", r.test_level},
          {"mean", r.mean},
          {"variance", r.variance},
          {"min", r.min},
          {"max", r.max},
          {"promised_mean", r.promised_mean},
          {"promised_variance", r.promised_variance},
          {"tests", tests},
          {"consistent", r.consistent}};
}

json check_auto_json(const std::vector<study::CheckResult>& results) {
  json consistent = json::array(), all = json::array();
  for (const auto& r : results) {
    all.push_back(check_json(r));
    if (r.consistent) consistent.push_back(r.spec);
  }
  json j = {{"consistent", consistent}, {"results", all}};
  if (!all.empty()) {  // the tensor's fields, the same in every result
    for (const char* k : {"shape", "dtype", "layout", "fan_in", "fan_out", "receptive_field"}) {
      j[k] = all.front()[k];
    }
  }
  return j;
}

}  // namespace initlab::tool
