#pragma once
// What every initializer rule provides. A rule is a small value type with one
// header and one source in lib/init/ (constant, uniform, normal, truncated_normal,
// variance_scaling, orthogonal, identity, sparse); the list of rules is the
// variant `Rule` in initializer.hpp, and the registry (registry.cpp) iterates it.
// Each rule R has
//
//   template <class T> void operator()(std::span<T> w, FanShape s, const random::Stream& rng) const;
//   Moments moments(FanShape s) const;    // what one entry promises
//   std::string law() const;              // formula text, e.g. "N(0, 2/fan_in)"
//   std::string spec() const;             // canonical spec: parse(spec()) == *this
//   static const std::vector<Entry<R>>& entries();   // its names, parsers, table rows
//   bool operator==(const R&) const = default;
//
// operator() fills the row-major (out, in) matrix w (w.size() == s.out * s.in) and
// is explicitly instantiated for float and double.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/fan_shape.hpp"
#include "random/stream.hpp"

namespace initlab::init {

// Mean and variance of one entry, as the spec promises them. For deterministic
// rules (constant, identity) these are the population moments of the matrix.
struct Moments {
  double mean = 0.0;
  double variance = 0.0;
};

// One row of the initializer table (`initlab init --list`, reports/initializers.md).
struct TableRow {
  std::string name;          // e.g. "he_normal[:mode=fan_in|fan_out,nonlinearity=relu|leaky_relu,slope=S]"
  std::string distribution;  // e.g. "N(0, 2/fan_in)"
  std::string variance;      // e.g. "2/fan_in"
  std::string equals;        // the variance_scaling (or other rule) it equals
  std::string note;          // paper or peer it follows
};

class SpecArgs;  // init/spec_args.hpp

// One way of writing a rule R: the spec names (the first is its name, the others
// aliases), the parser of the arguments after the name and the row of the table.
template <class R>
struct Entry {
  std::vector<std::string_view> names;
  R (*parse)(const SpecArgs& args);
  TableRow row;
};

}  // namespace initlab::init
