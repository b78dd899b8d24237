#include "findings_output.hpp"

#include <cmath>

namespace initlab::tool {

namespace {
nlohmann::json named(const std::vector<std::pair<std::string, double>>& values) {
  nlohmann::json o = nlohmann::json::object();
  for (const auto& [name, v] : values) o[name] = std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
  return o;
}
}  // namespace

nlohmann::json findings_json(const std::vector<study::Finding>& findings) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& f : findings) {
    a.push_back({{"id", f.id}, {"subject", f.subject}, {"holds", f.holds}, {"criterion", f.criterion},
                 {"numbers", named(f.numbers)}, {"thresholds", named(f.thresholds)}});
  }
  return a;
}

}  // namespace initlab::tool
