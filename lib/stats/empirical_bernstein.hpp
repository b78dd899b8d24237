#pragma once
// The empirical Bernstein bound (Maurer & Pontil 2009, "Empirical Bernstein bounds and
// sample variance penalization", COLT, Theorem 4): for N >= 2 independent, identically
// distributed X_i in an interval of length b, with the unbiased sample variance V,
//   P( E X - mean X > sqrt(2 V ln(2/d) / N) + 7 b ln(2/d) / (3 (N - 1)) ) <= d.
// Applied to X and to -X with d = p / 2 each, the two-sided band
//   |mean X - E X| <= sqrt(2 V ln(4/p) / N) + 7 b ln(4/p) / (3 (N - 1))
// fails with probability at most p. No variance needs to be known: V is measured, and
// the second term pays for estimating it (docs/theory.md §33).

#include <cstddef>

namespace initlab::stats {

// The half-width above. Throws std::invalid_argument unless N >= 2, V >= 0, b >= 0 and
// p in (0, 1), all finite.
double empirical_bernstein_half_width(double sample_variance, double range, std::size_t n,
                                      double failure);

}  // namespace initlab::stats
