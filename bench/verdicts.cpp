// bench_verdicts: the verdicts of the benchmark report. Not a benchmark: reads the
// measured values scripts/bench_report.py computed from the raw benchmark JSON,
//   {"rows": [{"target": "variance_vs_torch", "value": 1.21}, ...]}   (null: not measured)
// on stdin and writes each row judged against its target (study/bench_targets.hpp)
//   {"rows": [{"target", "label", "goal", "sense", "value", "met", "shortfall",
//              "shortfall_text"}, ...]}
// on stdout. `bench_verdicts --list` writes every target without values. Bad input:
// one line on stderr naming it, exit 2.

#include <iostream>
#include <limits>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "study/bench_targets.hpp"

namespace {

using initlab::study::BenchTarget;
using nlohmann::json;

json describe(const BenchTarget& t) {
  return {{"target", t.id},
          {"label", t.label},
          {"goal", t.goal},
          {"sense", t.sense == initlab::study::Sense::at_least ? "at_least" : "at_most"}};
}

json judged(const json& row) {
  if (!row.is_object() || !row.contains("target") || !row["target"].is_string())
    throw std::invalid_argument("row " + row.dump() + "; expected {\"target\": ID, \"value\": NUMBER or null}");
  const BenchTarget& t = initlab::study::bench_target(row["target"].get<std::string>());
  const json& v = row.value("value", json());
  if (!v.is_null() && !v.is_number())
    throw std::invalid_argument("value " + v.dump() + " of " + t.id + "; expected a number or null");
  const double value = v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
  const auto verdict = initlab::study::judge(t, value);
  json out = describe(t);
  out["value"] = v;
  out["met"] = verdict.met;
  out["shortfall"] = verdict.shortfall;
  out["shortfall_text"] = verdict.shortfall_text;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    json out = {{"command", "bench_verdicts"}, {"rows", json::array()}};
    if (argc == 2 && std::string(argv[1]) == "--list") {
      for (const BenchTarget& t : initlab::study::bench_targets()) out["rows"].push_back(describe(t));
    } else if (argc == 1) {
      const json in = json::parse(std::cin);
      if (!in.contains("rows") || !in["rows"].is_array())
        throw std::invalid_argument("input has no \"rows\" array; expected {\"rows\": [...]}");
      for (const json& row : in["rows"]) out["rows"].push_back(judged(row));
    } else {
      throw std::invalid_argument(std::string("argument '") + argv[1] + "'; expected none (rows on stdin) or --list");
    }
    std::cout << out.dump(1) << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "bench_verdicts: " << e.what() << "\n";
    return 2;
  }
}
