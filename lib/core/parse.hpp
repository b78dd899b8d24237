#pragma once
// The one reader of numbers and comma lists for lib/ and the tool: the whole text
// or nothing (no spaces, no trailing characters, no '+'), in the C locale
// (std::from_chars). Callers keep their own error message, which names the
// option or spec and what it expects; these functions only say whether the text
// is a number of the type.

#include <optional>
#include <string_view>
#include <vector>

namespace initlab {

// `text` as a V (double, float, unsigned long, long or int), or nullopt when it is
// not one in full or is out of V's range (then *out_of_range is set, if given).
// For floating types "inf" and "nan" are numbers; parse_finite rejects them.
template <class V>
std::optional<V> parse_whole(std::string_view text, bool* out_of_range = nullptr);

// A finite double, or nullopt.
std::optional<double> parse_finite(std::string_view text);

// "a,b,c" -> {"a", "b", "c"}: the parts between separators, empty ones kept
// ("" -> {""}, "a," -> {"a", ""}), so the caller can name the empty entry.
std::vector<std::string_view> split(std::string_view text, char separator = ',');

extern template std::optional<double> parse_whole<double>(std::string_view, bool*);
extern template std::optional<float> parse_whole<float>(std::string_view, bool*);
extern template std::optional<unsigned long> parse_whole<unsigned long>(std::string_view, bool*);
extern template std::optional<long> parse_whole<long>(std::string_view, bool*);
extern template std::optional<int> parse_whole<int>(std::string_view, bool*);

}  // namespace initlab
