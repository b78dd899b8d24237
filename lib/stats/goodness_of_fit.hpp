#pragma once
// Tests of a sample x_1..x_N of i.i.d. entries against a stated law, each giving
// its statistic and a p-value; derivations in docs/theory.md ("Checking a tensor
// against its law"). Every p-value here is exact or a rigorous upper bound on
// the exact one, so rejecting when p <= alpha falsely rejects w.p. <= alpha:
//
//  - Kolmogorov-Smirnov, D = sup |F_N - F|: the decision uses the
//    Dvoretzky-Kiefer-Wolfowitz inequality with Massart's constant (1990),
//    P(D >= d) <= 2 exp(-2 N d^2), valid for every N and continuous F;
//    the asymptotic Kolmogorov value with Stephens' (1970) correction,
//    Q((sqrt N + 0.12 + 0.11/sqrt N) d), is reported beside it.
//  - mean of Gaussian entries: z = (M - mu) sqrt(N) / sigma ~ N(0, 1) exactly.
//  - variance of Gaussian entries: N V / sigma^2 ~ chi2_N exactly (V about the
//    known mean); p from the Laurent-Massart (2000) tail bounds.
//  - mean or variance of bounded entries: Bernstein's inequality with the exact
//    variance of the averaged term and its range.
// Families of tests share a level by Bonferroni: each at alpha / k.

#include <cstddef>
#include <functional>
#include <span>

namespace initlab::stats {

// Kolmogorov's limiting survival function Q(l) = 2 sum_{k>=1} (-1)^{k-1} exp(-2 k^2 l^2)
// (1 for l <= 0); the sum is truncated once terms fall below 1e-300.
double kolmogorov_survival(double lambda);

struct KsResult {
  double d = 0.0;            // sup_x |F_N(x) - F(x)|
  double p_value = 1.0;      // min(1, 2 exp(-2 N d^2)): rigorous bound (DKW-Massart)
  double p_asymptotic = 1.0; // Stephens-corrected Kolmogorov value (approximate)
};
// x: the sample (any order); cdf: the law's continuous CDF. Throws on an empty
// sample or a CDF value outside [0, 1] or NaN.
KsResult ks_test(std::span<const double> x, const std::function<double(double)>& cdf);

// Two-sided p-value of a standard normal statistic: P(|Z| >= |z|) = erfc(|z| / sqrt 2).
double normal_two_sided_p(double z);

// Sample moments about a known mean mu: M = sum x / N and V = sum (x - mu)^2 / N.
struct MomentsAbout {
  double mean = 0.0;
  double variance = 0.0;
};
MomentsAbout moments_about(std::span<const double> x, double mu);

// P-value bound of a chi2_N variable observed at N * ratio (ratio = V / sigma^2),
// two-sided: min(1, 2 exp(-x)) with x from Laurent & Massart's Lemma 1,
//   ratio >= 1: N (ratio - 1) = 2 sqrt(N x) + 2 x,   ratio < 1: N (1 - ratio) = 2 sqrt(N x).
double chi2_two_sided_p(double n, double ratio);

// Two-sided Bernstein p-value bound for the mean of n i.i.d. terms with variance v
// and |y - E y| <= c, observed at distance t from E y:
//   min(1, 2 exp(-n t^2 / (2 (v + c t / 3)))).
double bernstein_two_sided_p(double n, double t, double v, double c);

// The level each of k tests gets so that the family's level is alpha (Bonferroni).
double bonferroni(double alpha, std::size_t k);

}  // namespace initlab::stats
