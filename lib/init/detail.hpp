#pragma once
// Helpers shared by the initializer families (not part of the public API).

#include <charconv>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/fan_shape.hpp"

namespace initlab::init::detail {

// The shortest text that reads back to exactly x: num(0.1) == "0.1", num(2) == "2".
inline std::string num(double x) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

// Every family checks its buffer against the shape it was given before it writes.
inline void check_shape(std::string_view who, std::size_t size, FanShape s) {
  if (s.out == 0 || s.in == 0) {
    fail(who, "shape (", s.out, ", ", s.in,
         ") has a zero dimension; expected out >= 1 and in >= 1");
  }
  if (size != s.size()) {
    fail(who, "buffer of ", size, " values does not hold the (", s.out, ", ", s.in,
         ") matrix; expected ", s.size(), " values");
  }
}

}  // namespace initlab::init::detail
