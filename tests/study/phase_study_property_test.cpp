// Properties of the phase study (lib/study/phase_study.cpp) against mean-field
// theory (docs/theory.md §5.6, §5.7, §30): the measured chi_1 crosses 1 where the theory
// puts the critical line, and the chaotic phase's measured correlation depth scale is
// -1 / ln chi_c(c*). Each band is derived below; each case fails with probability
// at most 1e-6 (kCaseFailure).
//
// ---------------------------------------------------------------------------
// 1. chi_1 on both sides of the critical line (tanh, one sb2, three sw2)
// ---------------------------------------------------------------------------
// docs/theory.md §30 derives this band; in short. Statistic: S = mean over the
// N = R (L - 1) probed layers of the R seeds of ln rho_l, rho_l = |W^{l+1} (phi'(h^l) v)|^2 / n
// with a fresh sign probe v (PhaseCell::chi1_layers). Reference: the theory at the
// measured state, ref = mean of ln(sw2 mu_l), mu_l = E[phi'(sqrt(q_hat_l) z)^2] at the
// conditional variance q_hat_l = sw2 |a^{l-1}|^2 / n + sb2 of layer l given layer l - 1.
// Exactly, with A_l = mean_j phi'(h^l_j)^2 (measured) and G_l = n rho_l / (sw2 A_l):
//   S - ref = X + Y,   X = mean ln(G_l / n),   Y = mean ln(1 + x_l),   x_l = A_l / mu_l - 1.
// X: given layers <= l and v, G_l ~ chi2(n) whatever they are (W^{l+1} is fresh), so the
// G_l are independent chi2(n) and N X has the exact law of docs/theory.md §9.1:
// linear_band(N factors of n), failure exp(linear_false_alarm_log_bound).
// Y: given layer l - 1 the h^l_j are independent N(0, q_hat_l), so phi'(h^l_j)^2 in [0, 1]
// are independent with mean mu_l, and M = mean x_l is a martingale average whose
// increments lie in intervals of length 1 / (n N mu_l) (predictable). Hoeffding's
// lemma: P(|M| >= t, V <= v) <= 2 exp(-2 t^2 / v), V = sum_l 1 / (n N^2 mu_l^2); peeling V
// over the grid v_k = kPeel^k / (n N), k < K (mu_l in [mu_min, 1], mu_min = mu at
// q = sw2 + sb2 >= every q_hat since tanh^2 < 1) costs ln(2K / p_H) for ln(2 / p_H).
// ln(1 + x) <= x, and >= x - x^2 / (2 min(1, 1 + x)) for x > -1, so M - Q <= Y <= M with
// Q = mean x_l^2 / (2 min(1, 1 + x_l)), a function of the draw (computed, not bounded).
// Band: S - ref in [X_lo + M_lo - Q, X_hi + M_hi], failing with <= P_X + p_H per cell.
// Sides of the line (deterministic): mu(q) = E[sech^4(sqrt(q) z)] falls with q and
// sb2 <= q_hat_l < sw2 + sb2, so ref <= ln(sw2 mu(sb2)) and ref >= ln(sw2 mu(sw2 + sb2)).
// Ordered cell (kOrdered sw2_crit): ln(sw2 mu(sb2)) + X_hi + M_hi(V_max) < 0, asserted, so
// S < 0 whenever the band holds. Chaotic cell (kChaotic sw2_crit): ln(sw2 mu(sw2 + sb2)) > 0,
// asserted, so the theory at any measured state is chaotic. ref_min + the lower edge is
// not > 0 at this width (mu_min ~ 0.2 widens M's band; Q has no useful a-priori bound,
// the lower tail of A_l with mu_l ~ 0.2), so S > 0 is asserted where the draw is decisive,
// ref + lo > 0 (then it fails only with the band, measured: always decisive, ref ~ 0.36-0.48,
// lo ~ -0.15). Critical cell: the band only; the
// negative control below (CriticalBandRejectsAShiftedLine) shows it rejects a critical
// line 20% off.
//
// ---------------------------------------------------------------------------
// 2. The chaotic-phase correlation depth scale (tanh, sb2 = 0, sw2 in [3, 5])
// ---------------------------------------------------------------------------
// With sb2 = 0 tanh is odd, so c* = 0 exactly, at finite width as well (flipping x2
// flips every c^l): no finite-width shift of c* enters ln|c^l - c*|. Statistic: the
// rates r_s = 1 / xi_c of the R seeds' fits (a seed whose fit finds no decay has
// rate 0; that only moves the mean away from theory). Seeds are independent networks
// and each rate is a least-squares slope, linear in the ln|c^l| of a window whose
// terms are means over P pairs, so the r_s are modelled as independent normals and
// (mean r - E r) / (sd r / sqrt R) is Student's t with R - 1 degrees of freedom:
// |.| > student_t_two_sided_quantile(R - 1, 1e-6) with probability 1e-6 exactly
// under the model. E r is the rate of the theory's own window fit, 1 / xi_c_window,
// up to a finite-width bias: measured with the test's n = 128, P = 32, L = 30 (12 runs
// of 16 seeds each) the t-statistic has mean -0.65 (sw2 = 3), +0.35 (sw2 = 5) and sd
// 0.9-1.4 (t_15: 1.07); with P = 64, 12 seeds: -0.76 (sw2 = 3), -0.46 (sw2 = 4). That is
// a bias of at most 7% of the rate; the band allows kRateBias = 10% of it. That
// allowance is calibrated, not derived: a derived band is far too loose here. With
// sb2 = 0, given layer l - 1 the unit pairs (h1_j, h2_j) are independent bivariate normals,
// so Lambda_l = <a1^l, a2^l> / n has an exact conditional mean (the 2-D kernel at the
// measured state) and terms in [-1, 1]; the least-squares slope of Lambda_l on
// Lambda_{l-1} then errs by a martingale over sum Lambda^2, and Azuma-Hoeffding gives a
// half-width sqrt(2 ln(2e6) / (n R sum Lambda^2)) ~ 0.31 at n = 128, R = 16 (window
// c in [0.05, 0.25], Lambda ~ 0.63 c, sum Lambda^2 ~ 0.14 per net), against 0.014, the change
// of the slope exp(-1/xi_c) that a 20% error in xi_c makes at sw2 = 3. The pairs of one net
// share W, so the bound gains nothing from them; Bernstein with their exact covariance would
// gain at most sqrt(P / 0.4) ~ 9x, still 2.4x too wide. Closing the gap needs ~2000x more
// units x networks (n R), about 10^4 times the CPU: not affordable in CI (docs/theory.md §30).
// The window fit and the asymptotic -1/ln chi_c(c*) differ only by the map's
// curvature inside the window |c| <= kFitCeiling = 0.25: the odd map is
// M(c) = chi_c c (1 + O(c^2)), so their rates agree within kWindowRel.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <vector>

#include "properties/harness.hpp"
#include "properties/laws.hpp"
#include "properties/tolerance.hpp"
#include "study/phase_study.hpp"
#include "theory/meanfield.hpp"

namespace initlab::study {
namespace {

using properties::gen_seed;
using properties::gen_size;
using properties::kCaseFailure;

constexpr double kOrdered = 0.5;      // ordered cell: sw2 = 0.5 sw2_crit
constexpr double kChaotic = 3.0;      // chaotic cell: sw2 = 3 sw2_crit
constexpr double kHoeffdingP = 1e-7;  // p_H per cell (section 1)
constexpr double kPeel = 1.1;         // the peeling grid's ratio (section 1)
constexpr double kRateBias = 0.10;    // section 2
constexpr double kWindowRel = 0.05;   // section 2

const Activation kTanh{Activation::Kind::tanh, 0.0};

// The band of section 1 for one cell: S, ref and the edges of S - ref.
struct Chi1Check {
  double s = 0.0, ref = 0.0, lo = 0.0, hi = 0.0, q = 0.0, m = 0.0, m_half_max = 0.0;
  double false_alarm = 0.0;
  bool contains(double shift = 0.0) const { return s - ref - shift >= lo && s - ref - shift <= hi; }
};

// The half-width of M's band for V (section 1's peeling); mu_min bounds every mu_l.
double peeled_half_width(double V, double nN, double mu_min) {
  const auto K = static_cast<std::size_t>(std::ceil(std::log(1.0 / (mu_min * mu_min)) / std::log(kPeel))) + 1;
  double v = 1.0 / nN;
  while (V > v) v *= kPeel;
  return std::sqrt(v * std::log(2.0 * static_cast<double>(K) / kHoeffdingP) / 2.0);
}

Chi1Check chi1_check(const PhaseCell& x, std::size_t n) {
  Chi1Check c;
  double N = 0.0, V = 0.0;
  for (const auto& seed : x.chi1_layers) {
    for (const Chi1Layer& y : seed) {
      const double xl = y.dphi2 / y.dphi2_theory - 1.0;
      c.s += y.ln_growth;
      c.ref += std::log(x.sw2 * y.dphi2_theory);
      c.m += xl;
      c.q += xl * xl / (2.0 * std::min(1.0, 1.0 + xl));
      V += 1.0 / (y.dphi2_theory * y.dphi2_theory);
      N += 1.0;
    }
  }
  const double w = static_cast<double>(n), nN = w * N;
  c.s /= N, c.ref /= N, c.m /= N, c.q /= N;
  V /= nN * N;
  const double mu_min = theory::dphi2(kTanh, x.sw2 + x.sb2);
  const double half = peeled_half_width(V, nN, mu_min);
  c.m_half_max = peeled_half_width(1.0 / (nN * mu_min * mu_min), nN, mu_min);
  const std::vector<std::size_t> factors(static_cast<std::size_t>(N), n);
  const properties::Band b = properties::linear_band(factors);
  c.lo = b.lo() / N - half - c.q;
  c.hi = b.hi() / N + half;
  c.false_alarm = std::exp(properties::linear_false_alarm_log_bound(factors)) + kHoeffdingP;
  return c;
}

// The X part's upper edge alone (deterministic, for the ordered-side design check).
double chi_square_hi(std::size_t n, std::size_t N) {
  const std::vector<std::size_t> factors(N, n);
  return properties::linear_band(factors).hi() / static_cast<double>(N);
}

PhaseConfig chi1_config(double sb2, std::size_t width, std::size_t depth, std::size_t seeds,
                        std::uint64_t seed) {
  PhaseConfig c;
  c.activation = kTanh;
  const double crit = theory::critical_sw2(kTanh, sb2);
  c.sw2s = {kOrdered * crit, crit, kChaotic * crit};
  c.sb2s = {sb2};
  c.width = width;
  c.depth = depth;
  c.seeds = seeds;
  c.pairs = 1;
  c.seed = seed;
  return c;
}

RC_GTEST_PROP(PhaseStudy, MeasuredChi1CrossesOneAtTheCriticalLine, ()) {
  const double sb2 = static_cast<double>(gen_size("sb2 x 1000", 20, 200)) / 1000.0;
  const PhaseConfig c = chi1_config(sb2, gen_size("width", 256, 288), gen_size("depth", 40, 44), 2,
                                    gen_seed());
  const double crit = c.sw2s[1];
  const PhaseResult r = run_phase(c);
  double false_alarm = 0.0;
  for (const PhaseCell& x : r.cells) {
    RC_ASSERT(!x.diverged);
    const Chi1Check k = chi1_check(x, c.width);
    false_alarm += k.false_alarm;
    RC_LOG() << "sw2 " << x.sw2 << ": ln chi_1 " << k.s << ", theory at the measured state "
             << k.ref << " (at q* " << std::log(x.chi1_theory) << "), S - ref " << k.s - k.ref
             << " in [" << k.lo << ", " << k.hi << "] (M " << k.m << ", Q " << k.q << ")\n";
    RC_ASSERT(k.contains());
    const double N = static_cast<double>(x.chi1_layers.size() * (c.depth - 1));
    if (x.sw2 < crit) {  // the sign is certain (section 1)
      const double ref_max = std::log(x.sw2 * theory::dphi2(kTanh, sb2));
      RC_ASSERT(ref_max + chi_square_hi(c.width, static_cast<std::size_t>(N)) + k.m_half_max < 0.0);
      RC_ASSERT(k.s < 0.0);
    }
    if (x.sw2 > crit) {
      RC_ASSERT(std::log(x.sw2 * theory::dphi2(kTanh, x.sw2 + sb2)) > 0.0);
      if (k.ref + k.lo > 0.0) RC_ASSERT(k.s > 0.0);  // decisive on the draw (section 1)
    }
  }
  RC_ASSERT(false_alarm <= kCaseFailure);
}

// Negative control for section 1: the band at the critical cell rejects a theory whose
// critical line is 20% off (sw2_crit' = 0.8 or 1.2 sw2_crit: chi_1' = chi_1 / 0.8 or / 1.2 at
// every q). A shift d is rejected for sure (whenever the band holds) once the band is
// narrower than |ln d|: asserted, so the rejection is not luck of the draw.
TEST(PhaseStudy, CriticalBandRejectsAShiftedLine) {
  const PhaseConfig c = chi1_config(0.05, 256, 41, 4, 20261201);
  const PhaseResult r = run_phase(c);
  const Chi1Check k = chi1_check(r.cells.at(1), c.width);
  EXPECT_TRUE(k.contains());
  for (double shift : {0.8, 1.2}) {
    const double d = -std::log(shift);
    EXPECT_LT(k.hi - k.lo, std::fabs(d)) << shift;
    EXPECT_FALSE(k.contains(d)) << "line at " << shift << " sw2_crit accepted: S - ref "
                                << k.s - k.ref << " in [" << k.lo << ", " << k.hi << "]";
  }
}

PhaseConfig xi_config(double sw2, std::uint64_t seed) {
  PhaseConfig c;
  c.activation = kTanh;
  c.sw2s = {sw2};
  c.sb2s = {0.0};
  c.width = 128;
  c.depth = 30;
  c.pairs = 32;
  c.seeds = 16;
  c.seed = seed;
  return c;
}

// Section 2's check of the seeds' mean rate against a rate `expected` (the window fit's).
struct RateCheck {
  MeanSd rates;
  double half = 0.0;
  bool accepts(double expected) const { return std::abs(rates.mean - expected) <= half; }
};

RateCheck rate_check(const PhaseCell& x, double expected) {
  std::vector<double> rates;
  for (double xi : x.xi_c_seeds) rates.push_back(std::isfinite(xi) ? 1.0 / xi : 0.0);
  RateCheck r{mean_sd(rates), 0.0};
  const double R = static_cast<double>(rates.size());
  const double t = properties::student_t_two_sided_quantile(R - 1.0, kCaseFailure);
  r.half = t * r.rates.sd / std::sqrt(R) + kRateBias * expected;
  return r;
}

RC_GTEST_PROP(PhaseStudy, ChaoticDepthScaleMatchesTheory, ()) {
  const PhaseConfig c =
      xi_config(3.0 + static_cast<double>(gen_size("(sw2 - 3) x 100", 0, 200)) / 100.0, gen_seed());
  const PhaseCell x = run_phase(c).cells.at(0);
  RC_ASSERT(x.fixed.phase == theory::CorrelationPhase::chaotic);
  RC_ASSERT(x.fixed.c == 0.0);
  const double theory = 1.0 / x.xi_c_theory, window = 1.0 / x.xi_c_window;
  RC_ASSERT(std::abs(window - theory) <= kWindowRel * theory);
  RC_ASSERT(x.xi_c_seeds.size() == c.seeds);
  const RateCheck k = rate_check(x, window);
  RC_LOG() << "sw2 " << x.sw2 << ": rate " << k.rates.mean << " +- " << k.rates.sd << " over "
           << c.seeds << " seeds, window " << window << ", theory " << theory << ", half-width "
           << k.half << "\n";
  RC_ASSERT(k.accepts(window));
}

// Negative control for section 2, and its limit: at sw2 = 3 and 4 (fixed seed) the check
// rejects a theory whose xi_c is 2.5x too short (rate x 2.5), but it has little power:
// the Student t quantile at 1e-6 with 15 degrees of freedom (~8) makes the half-width
// ~0.11, about the rate itself (0.09-0.11), so xi_c 20% off either way is accepted, and at
// sw2 = 3 even no decay at all (rate 0) (measured with this seed; docs/theory.md §30).
TEST(PhaseStudy, DepthScaleCheckRejectsAShiftedScale) {
  for (double sw2 : {3.0, 4.0}) {
    const PhaseCell x = run_phase(xi_config(sw2, 20261201)).cells.at(0);
    const double window = 1.0 / x.xi_c_window;
    EXPECT_TRUE(rate_check(x, window).accepts(window)) << sw2;
    const RateCheck k = rate_check(x, 2.5 * window);
    EXPECT_FALSE(k.accepts(2.5 * window)) << "sw2 " << sw2 << ", xi_c / 2.5 accepted: rate "
                                          << k.rates.mean << " +- " << k.half;
  }
}

// Closed forms: nu = 1 (Cauchy) P(|T| > t) = 1 - (2/pi) atan t; nu = 2 1 - t / sqrt(2 + t^2).
TEST(PhaseStudy, StudentTailMatchesClosedForms) {
  for (double t : {0.5, 1.0, 63.657, 500.0}) {
    EXPECT_NEAR(properties::student_t_two_sided_tail(1.0, t),
                1.0 - 2.0 / std::numbers::pi * std::atan(t), 1e-9 * (1.0 + 1.0 / t)) << t;
    EXPECT_NEAR(properties::student_t_two_sided_tail(2.0, t), 1.0 - t / std::sqrt(2.0 + t * t),
                1e-12 + 1e-6 / (t * t)) << t;
  }
  EXPECT_NEAR(properties::student_t_two_sided_quantile(1.0, 0.01), 63.6567, 1e-3);
}

}  // namespace
}  // namespace initlab::study
