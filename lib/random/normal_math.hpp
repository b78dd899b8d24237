#pragma once
// The standard normal law N(0, 1) and its truncations, in double precision.
// Used by Stream::truncated_normal (inverse CDF, choice of method) and by the
// initializers and tests that state the variance of a truncated draw.

namespace initlab::random {

// phi(x) = exp(-x^2 / 2) / sqrt(2 pi).
double normal_pdf(double x);
// Phi(x) = P(Z <= x) = erfc(-x / sqrt 2) / 2; accurate in both tails
// (relative error ~1e-15 down to Phi(-37)).
double normal_cdf(double x);
// Phi(b) - Phi(a) for a <= b, computed on the side of 0 where it does not
// cancel (a >= 0 uses upper tails). Infinite bounds allowed.
double normal_mass(double a, double b);
// Phi^{-1}(p) for p in (0, 1) (Wichura, AS241 PPND16, relative error ~1e-16);
// -inf at 0, +inf at 1; throws std::invalid_argument outside [0, 1] or on NaN.
double normal_quantile(double p);

// Mean and variance of Z ~ N(0, 1) conditioned on a <= Z <= b (a < b; bounds
// may be infinite). With Zm = Phi(b) - Phi(a):
//   mean = (phi(a) - phi(b)) / Zm,
//   variance = 1 + (a phi(a) - b phi(b)) / Zm - mean^2.
// E.g. [-2, 2] -> variance 0.87962566103423978^2 (Keras's constant is the std).
// Throws std::invalid_argument if a >= b, a bound is NaN, or the mass
// Phi(b) - Phi(a) underflows to 0.
struct TruncatedMoments {
  double mean = 0.0;
  double variance = 0.0;
};
TruncatedMoments truncated_normal_moments(double a, double b);

}  // namespace initlab::random
