#pragma once
// Student's t law with nu degrees of freedom: the law of (mean - mu) / (sd / sqrt(R))
// for R iid Gaussian values (nu = R - 1), which the findings and the seed-level
// property tests use to turn a spread across seeds into a threshold
// (docs/theory.md §34).

namespace initlab::stats {

// P(|T| > t), t >= 0, nu > 0.
double student_t_two_sided_tail(double nu, double t);

// The t with P(|T| > t) = p, for p in (0, 1); to relative 1e-10 on [0.01, 1e6]
// (p beyond that range's tails returns its end).
double student_t_two_sided_quantile(double nu, double p);

}  // namespace initlab::stats
