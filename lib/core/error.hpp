#pragma once
// Error helpers for lib/: every check throws std::invalid_argument whose message
// names the function, the offending value and what was expected. lib/ never
// prints or exits; tools catch and turn the message into a one-line error.

#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace initlab {

// Concatenates anything streamable: cat("width ", 3, " > ", 2) -> "width 3 > 2".
template <class... Args>
std::string cat(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

// Throws std::invalid_argument("func: message").
template <class... Args>
[[noreturn]] void fail(std::string_view func, const Args&... args) {
  throw std::invalid_argument(cat(func, ": ", args...));
}

// "(3, 4)" for a shape given as any range of integers.
template <class Range>
std::string shape_str(const Range& shape) {
  std::ostringstream os;
  os << '(';
  bool first = true;
  for (auto s : shape) {
    if (!first) os << ", ";
    os << s;
    first = false;
  }
  os << ')';
  return os.str();
}

}  // namespace initlab
