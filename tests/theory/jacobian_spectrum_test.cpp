// The free-probability moments of the Jacobian's squared singular values
// (lib/theory/jacobian_spectrum.cpp, docs/theory.md §17): mu2 = E[phi'^4] against an
// independent quadrature and its small-q series, and m1, sigma^2 against the
// closed forms they must reduce to.
#include "theory/jacobian_spectrum.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "theory/gaussian.hpp"
#include "theory/meanfield.hpp"

namespace initlab::theory {
namespace {

using Kind = Activation::Kind;
using W = WeightEnsemble;
Activation act(Kind k, double slope = 0.01) { return Activation{k, slope}; }

double sech8(double u) { return std::pow(1.0 / std::cosh(u), 8); }
// sigmoid'(u)^4 from its definition, not through sech.
double dsigmoid4(double u) {
  const double s = 1.0 / (1.0 + std::exp(-u));
  return std::pow(s * (1.0 - s), 4);
}

TEST(JacobianSpectrum, Dphi4OfTheLinearReluFamilyIsExact) {
  EXPECT_EQ(dphi4(act(Kind::linear), 3.0), 1.0);
  EXPECT_EQ(dphi4(act(Kind::relu), 0.7), 0.5);
  // phi' = 1 (u > 0) or s: E[phi'^4] = (1 + s^4) / 2.
  EXPECT_DOUBLE_EQ(dphi4(act(Kind::leaky_relu, 0.2), 2.0), 0.5 * (1.0 + 0.0016));
}

// Step 0.01 in z on [-12, 12], a finer node set than the library's (half of
// gauss_expect's step, at most 0.125 in u).
TEST(JacobianSpectrum, Dphi4MatchesAnIndependentQuadrature) {
  for (double q : {1e-3, 0.1, 0.5, 1.0, 4.0, 30.0}) {
    const double r = std::sqrt(q);
    const double tanh_ref = gauss_expect_step([&](double z) { return sech8(r * z); }, 1.0, 0.01, 12.0);
    const double sig_ref =
        gauss_expect_step([&](double z) { return dsigmoid4(r * z); }, 1.0, 0.01, 12.0);
    EXPECT_NEAR(dphi4(act(Kind::tanh), q), tanh_ref, 1e-12 * tanh_ref) << "q = " << q;
    EXPECT_NEAR(dphi4(act(Kind::sigmoid), q), sig_ref, 1e-12 * sig_ref) << "q = " << q;
  }
}

// The series of E[sech^8(sqrt(q) z)] (from sech^2 u = 1 - u^2 + (2/3) u^4 - (17/45) u^6 +
// ... and E z^{2k} = (2k-1)!!): 1 - 4q + 26q^2 - (608/3) q^3 + (5351/3) q^4 - ...; the
// tolerance is twice the first omitted term.
TEST(JacobianSpectrum, TanhDphi4FollowsItsSmallQSeries) {
  for (double q : {1e-4, 1e-3, 1e-2}) {
    const double series = 1.0 - 4.0 * q + 26.0 * q * q - 608.0 / 3.0 * q * q * q;
    EXPECT_NEAR(dphi4(act(Kind::tanh), q), series, 2.0 * 5351.0 / 3.0 * std::pow(q, 4))
        << "q = " << q;
  }
}

// Linear: m1 = sw2^L, sigma^2 = L sw2^{2L} (Gaussian: the Fuss-Catalan second
// moment L + 1 of a product of L square Ginibre matrices, minus 1) and 0 (orthogonal).
TEST(JacobianSpectrum, LinearNetsHaveTheirClosedForms) {
  for (std::size_t L : {1u, 7u, 100u}) {
    const double Ld = static_cast<double>(L);
    const SpectrumMoments g = jacobian_spectrum(act(Kind::linear), W::gaussian, 1.0, 1.0, L);
    EXPECT_DOUBLE_EQ(g.mean_s2, 1.0);
    EXPECT_DOUBLE_EQ(g.var_s2, Ld);
    const SpectrumMoments o = jacobian_spectrum(act(Kind::linear), W::orthogonal, 1.0, 1.0, L);
    EXPECT_DOUBLE_EQ(o.mean_s2, 1.0);
    EXPECT_EQ(o.var_s2, 0.0);
    const SpectrumMoments s = jacobian_spectrum(act(Kind::linear), W::gaussian, 1.1, 1.0, L);
    EXPECT_NEAR(s.mean_s2, std::pow(1.1, Ld), 1e-13 * s.mean_s2);
    EXPECT_NEAR(s.var_s2, Ld * std::pow(1.1, 2 * Ld), 1e-12 * s.var_s2);
  }
  const SpectrumMoments none = jacobian_spectrum(act(Kind::tanh), W::gaussian, 1.0, 1.0, 0);
  EXPECT_EQ(none.mean_s2, 1.0);
  EXPECT_EQ(none.var_s2, 0.0);
}

// ReLU at sw2 = 2: mu1 = mu2 = 1/2, excess 1 - s1: sigma^2 = 2L (Gaussian), L
// (orthogonal), at any q: never isometric.
TEST(JacobianSpectrum, ReluIsNeverIsometric) {
  for (std::size_t L : {1u, 10u, 200u}) {
    const double Ld = static_cast<double>(L);
    for (double q : {0.01, 1.0}) {
      const auto g = jacobian_spectrum(act(Kind::relu), W::gaussian, 2.0, q, L);
      const auto o = jacobian_spectrum(act(Kind::relu), W::orthogonal, 2.0, q, L);
      EXPECT_DOUBLE_EQ(g.mean_s2, 1.0);
      EXPECT_DOUBLE_EQ(g.var_s2, 2.0 * Ld);
      EXPECT_DOUBLE_EQ(o.mean_s2, 1.0);
      EXPECT_DOUBLE_EQ(o.var_s2, Ld);
    }
  }
}

// tanh on the critical line chi_1(q*) = 1 with orthogonal W: m1 = 1 and sigma^2 / L =
// mu2 / mu1^2 - 1 falls to 0 as q* -> 0 (sb2 -> 0): dynamical isometry. The series
// (mu1 = E[sech^4] = 1 - 2q + 7q^2 - (94/3) q^3 + ..., mu2 as above) give
// mu2 / mu1^2 - 1 = 8 q^2 - 80 q^3 + (2432/3) q^4 + O(q^5).
TEST(JacobianSpectrum, OrthogonalTanhApproachesIsometryAsQStarFalls) {
  double last = 0.0;
  for (double sb2 : {1e-3, 1e-2, 0.05, 0.2, 0.5}) {
    const double sw2 = critical_sw2(act(Kind::tanh), sb2);
    const FixedPoint fp = fixed_point(act(Kind::tanh), sw2, sb2);
    ASSERT_EQ(fp.kind, FixedPointKind::positive);
    const auto o = jacobian_spectrum(act(Kind::tanh), W::orthogonal, sw2, fp.q, 100);
    const auto g = jacobian_spectrum(act(Kind::tanh), W::gaussian, sw2, fp.q, 100);
    EXPECT_NEAR(o.mean_s2, 1.0, 1e-8) << "sb2 = " << sb2;
    EXPECT_GT(o.var_s2, last) << "sb2 = " << sb2;
    EXPECT_NEAR(g.var_s2 - o.var_s2, 100.0 * g.mean_s2 * g.mean_s2, 1e-9);  // s1: 1 per layer
    last = o.var_s2;
  }
  for (double q : {1e-4, 1e-3}) {
    const Activation f = act(Kind::tanh);
    const double excess = jacobian_spectrum(f, W::orthogonal, 1.0 / dphi2(f, q), q, 1).var_s2;
    EXPECT_NEAR(excess, 8.0 * q * q - 80.0 * q * q * q, 2.0 * 2432.0 / 3.0 * std::pow(q, 4))
        << "q = " << q;
  }
}

// Layers at different q: m1 is the product of the chi_1(q^l), the excess their sum;
// element l-1 is the prefix of the first l layers; constant q^l equals jacobian_spectrum.
TEST(JacobianSpectrum, AlongATrajectoryTheLayersCompose) {
  const Activation f = act(Kind::tanh);
  const std::vector<double> qs = {2.0, 0.9, 0.4, 0.1};
  const auto along = jacobian_spectrum_along(f, W::gaussian, 1.3, qs);
  ASSERT_EQ(along.size(), qs.size());
  double m1 = 1.0, excess = 0.0;
  for (std::size_t l = 0; l < qs.size(); ++l) {
    const double mu1 = dphi2(f, qs[l]);
    m1 *= 1.3 * mu1;
    excess += dphi4(f, qs[l]) / (mu1 * mu1);  // - 1 - s1 = 0 for Gaussian
    EXPECT_NEAR(along[l].mean_s2, m1, 1e-13 * m1);
    EXPECT_NEAR(along[l].var_s2, m1 * m1 * excess, 1e-12 * m1 * m1 * excess);
  }
  const std::vector<double> flat(5, 0.3);
  const auto c = jacobian_spectrum(f, W::orthogonal, 1.3, 0.3, 5);
  const auto a = jacobian_spectrum_along(f, W::orthogonal, 1.3, flat).back();
  EXPECT_DOUBLE_EQ(c.mean_s2, a.mean_s2);
  EXPECT_DOUBLE_EQ(c.var_s2, a.var_s2);
}

TEST(JacobianSpectrum, EnsemblesAndBadInput) {
  EXPECT_EQ(s_transform_s1(W::gaussian), -1.0);
  EXPECT_EQ(s_transform_s1(W::orthogonal), 0.0);
  EXPECT_EQ(to_string(W::gaussian), "gaussian");
  EXPECT_EQ(to_string(W::orthogonal), "orthogonal");
  EXPECT_THROW(dphi4(act(Kind::tanh), -1.0), std::invalid_argument);
  EXPECT_THROW(dphi4(act(Kind::tanh), NAN), std::invalid_argument);
  EXPECT_THROW(jacobian_spectrum(act(Kind::tanh), W::gaussian, -1.0, 1.0, 3), std::invalid_argument);
  EXPECT_THROW(jacobian_spectrum(act(Kind::tanh), W::gaussian, 1.0, -1.0, 3), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::theory
