#include "layer_list.hpp"

namespace initlab::tool {

std::vector<std::string> split_list(const std::string& option, const std::string& text) {
  std::vector<std::string> parts;
  for (const std::string_view part : split(text)) {
    if (part.empty()) fail(option + " " + text, "expected a comma-separated list without empty items");
    parts.emplace_back(part);
  }
  return parts;
}

std::vector<std::size_t> parse_layers(const std::string& option, const std::string& text, std::size_t depth) {
  std::vector<std::size_t> layers;
  for (const auto& part : split_list(option, text)) {
    const auto dash = part.find('-');
    const char* what = "layers such as 1-5 or 1,2,10";
    if (dash == std::string::npos) {
      const auto l = parse_number<std::size_t>(option, part, what);
      if (l < 1 || l > depth) fail(option + " " + text, "layer ", part, "; expected layers in 1..", depth);
      layers.push_back(l);
      continue;
    }
    const auto a = parse_number<std::size_t>(option, part.substr(0, dash), what);
    const auto b = parse_number<std::size_t>(option, part.substr(dash + 1), what);
    if (a > b) fail(option + " " + text, "range ", part, " runs backwards; expected A-B with A <= B");
    if (a < 1 || b > depth) fail(option + " " + text, "range ", part, "; expected layers in 1..", depth);
    for (std::size_t l = a; l <= b; ++l) layers.push_back(l);
  }
  return layers;
}

std::pair<double, double> parse_range(const std::string& option, const std::string& text) {
  const auto r = split_list(option, text);
  if (r.size() != 2) fail(option + " " + text, "expected LO,HI");
  return {parse_number<double>(option, r[0], "LO,HI numbers"), parse_number<double>(option, r[1], "LO,HI numbers")};
}

}  // namespace initlab::tool
