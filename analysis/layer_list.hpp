#pragma once
// Lists on the command line, shared by the subcommands: "a,b,c" items, whole
// numbers, layer selections such as 1-5 or 1,2,10 (--histograms) and LO,HI
// ranges. Every error is one std::invalid_argument line naming the option, its
// text and what was expected.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/parse.hpp"

namespace initlab::tool {

template <class V>
V parse_number(const std::string& option, const std::string& text, const char* expected) {
  const auto v = parse_whole<V>(text);
  if (!v) fail(option + " " + text, "expected ", expected);
  return *v;
}

// "a,b,c" -> parts (no empty part allowed).
std::vector<std::string> split_list(const std::string& option, const std::string& text);

// "1-5" or "1,2,10" -> layers, each in 1..depth (a range checked before it is expanded).
std::vector<std::size_t> parse_layers(const std::string& option, const std::string& text, std::size_t depth);

// "LO,HI" -> (LO, HI), two numbers.
std::pair<double, double> parse_range(const std::string& option, const std::string& text);

}  // namespace initlab::tool
