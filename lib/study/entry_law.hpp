#pragma once
// The exact law of one entry of a tensor drawn by an initializer rule, in the
// form the checks of `initlab check` need: its CDF, central moments, support,
// or, for the rules whose entries are not i.i.d., what is known exactly instead.
// Visits init::Rule; everything is read from the rule's public fields and
// moments(), so the rules keep one home (lib/init/).

#include <cstddef>
#include <limits>
#include <string>

#include "core/fan_shape.hpp"
#include "init/initializer.hpp"

namespace initlab::study {

enum class LawKind {
  normal,            // N(mean, sd^2)
  truncated_normal,  // sd * (Z | a <= Z <= b), a, b in units of sd
  uniform,           // U(lo, hi)
  sparse,            // per column exactly `zeros` zeros, the other entries N(0, sd^2)
  orthogonal,        // gain * Q, Q Haar with orthonormal rows / columns (entries dependent)
  exact,             // deterministic (constant, identity): every entry is known
};
std::string_view to_string(LawKind k);

struct EntryLaw {
  LawKind kind = LawKind::normal;
  double mean = 0.0;
  double variance = 0.0;   // central moments of one entry (i.i.d. kinds; sparse: nonzero ones)
  double mu4 = 0.0;
  double sd = 0.0;         // normal, truncated_normal, sparse
  double a = 0.0, b = 0.0; // truncated_normal, in units of sd
  double lo = -std::numeric_limits<double>::infinity();  // support
  double hi = std::numeric_limits<double>::infinity();
  double gain = 0.0;       // orthogonal
  std::size_t zeros = 0;   // sparse, per column
};

// The law of rule r with fans `fans` (fan_in = fans.in, fan_out = fans.out) on
// an (out, in) matrix of shape `matrix` (the same as fans for 2-D weights).
EntryLaw entry_law(const init::Rule& r, FanShape fans, FanShape matrix);

// The CDF of one entry; defined for normal, truncated_normal, uniform and sparse
// (its nonzero entries); throws std::invalid_argument for the other kinds.
double entry_cdf(const EntryLaw& law, double x);

}  // namespace initlab::study
