// The input-output Jacobian of linear nets at initialization, measured by the
// spectrum study (lib/study/spectrum_study.cpp: nn::Network, the Jacobian product
// and LAPACK's SVD), against the free-probability law of docs/theory.md §17.
//
// Orthogonal W: every singular value is 1 to rounding (orthogonal_spectrum_tolerance).
// Gaussian W, sw2 = 1: mean s^2 = |J|_F^2 / n, and column j of J is the net applied to
// e_j, so |J e_j|^2 = prod_l chi2(n)/n exactly (the forward band's factor R of
// tolerance.hpp section 1, one input of norm 1). mean s^2, averaged over the n columns
// and over the seeds, is an average of variables that each have R's law, hence (Jensen,
// as for batches in tolerance.hpp) at most as spread as R in convex order: the linear
// band holds for it with the Chernoff bound linear_false_alarm_log_bound, at every
// requested depth; the union over the D depths is asserted <= 1e-6 per case.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "properties/harness.hpp"
#include "properties/tolerance.hpp"
#include "study/spectrum_study.hpp"

namespace initlab::properties {
namespace {

// 1 to 3 increasing depths in [1, hi].
std::vector<std::size_t> gen_depths(std::size_t hi) {
  std::vector<std::size_t> d = *rc::gen::container<std::vector<std::size_t>>(
                                    *rc::gen::inRange<std::size_t>(1, 4).as("number of depths"),
                                    rc::gen::inRange<std::size_t>(1, hi + 1))
                                    .as("depths");
  std::sort(d.begin(), d.end());
  d.erase(std::unique(d.begin(), d.end()), d.end());
  return d;
}

study::SpectrumConfig linear_config(theory::WeightEnsemble w, std::size_t width,
                                    std::vector<std::size_t> depths, std::size_t seeds,
                                    std::uint64_t seed) {
  study::SpectrumConfig c;
  c.activations = {Activation{Activation::Kind::linear, 0.0}};
  c.ensembles = {w};
  c.sw2 = 1.0;
  c.width = width;
  c.depths = std::move(depths);
  c.seeds = seeds;
  c.seed = seed;
  return c;
}

RC_GTEST_PROP(Spectrum, OrthogonalLinearJacobianIsAnIsometry, ()) {
  const std::size_t n = gen_size("width", 1, 128);
  const std::vector<std::size_t> depths = gen_depths(50);
  const std::size_t seeds = gen_size("seeds", 1, 3);
  const auto r = study::run_spectrum(
      linear_config(theory::WeightEnsemble::orthogonal, n, depths, seeds, gen_seed()));
  for (const study::SpectrumRow& row : r.pairs.at(0).rows) {
    const double tol = orthogonal_spectrum_tolerance<double>(row.depth, n);
    RC_LOG() << "depth " << row.depth << ": s in [" << row.min_s << ", " << row.max_s
             << "], tolerance " << tol << "\n";
    RC_ASSERT(std::abs(row.min_s - 1.0) <= tol);
    RC_ASSERT(std::abs(row.max_s - 1.0) <= tol);
    RC_ASSERT(row.mean_s2_theory == 1.0);
    RC_ASSERT(row.var_s2_theory == 0.0);
  }
}

RC_GTEST_PROP(Spectrum, GaussianLinearMeanSquaredSingularValueIsOne, ()) {
  const std::size_t n = gen_size("width", 64, 128);
  const std::vector<std::size_t> depths = gen_depths(50);
  const std::size_t seeds = gen_size("seeds", 1, 3);
  const auto r = study::run_spectrum(
      linear_config(theory::WeightEnsemble::gaussian, n, depths, seeds, gen_seed()));
  double false_alarm = 0.0;
  for (const study::SpectrumRow& row : r.pairs.at(0).rows) {
    const std::vector<std::size_t> factors(row.depth, n);
    const Band band = linear_band(factors);
    const double d = std::log(row.mean_s2.mean);
    false_alarm += std::exp(linear_false_alarm_log_bound(factors));
    RC_LOG() << "depth " << row.depth << ": ln mean s^2 = " << d << ", band [" << band.lo()
             << ", " << band.hi() << "]\n";
    RC_ASSERT(band.contains(d));
    RC_ASSERT(row.mean_s2_theory == 1.0);
  }
  RC_ASSERT(false_alarm <= kCaseFailure);
}

}  // namespace
}  // namespace initlab::properties
