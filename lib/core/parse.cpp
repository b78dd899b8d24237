#include "core/parse.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace initlab {

template <class V>
std::optional<V> parse_whole(std::string_view text, bool* out_of_range) {
  V v{};
  const char* last = text.data() + text.size();
  const auto r = std::from_chars(text.data(), last, v);
  if (out_of_range) *out_of_range = r.ec == std::errc::result_out_of_range;
  if (text.empty() || r.ec != std::errc() || r.ptr != last) return std::nullopt;
  return v;
}

std::optional<double> parse_finite(std::string_view text) {
  const auto v = parse_whole<double>(text);
  if (!v || !std::isfinite(*v)) return std::nullopt;
  return v;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

template std::optional<double> parse_whole<double>(std::string_view, bool*);
template std::optional<float> parse_whole<float>(std::string_view, bool*);
template std::optional<unsigned long> parse_whole<unsigned long>(std::string_view, bool*);
template std::optional<long> parse_whole<long>(std::string_view, bool*);
template std::optional<int> parse_whole<int>(std::string_view, bool*);

}  // namespace initlab
