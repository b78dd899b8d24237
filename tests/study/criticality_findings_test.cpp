// Every finding of lib/study/criticality_findings.hpp on a case where it holds and
// one where it does not (hand-made phase and spectrum results).
#include "study/criticality_findings.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace initlab::study {
namespace {

namespace th = thresholds;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const Finding& find(const std::vector<Finding>& fs, const std::string& id) {
  for (const Finding& f : fs)
    if (f.id == id) return f;
  throw std::runtime_error("no finding " + id);
}

double number(const Finding& f, const std::string& name) {
  for (const auto& [k, v] : f.numbers)
    if (k == name) return v;
  return kNaN;
}

// A cell with measured chi_1 = chi1 +- sd over 4 seeds and theory chi1_theory.
PhaseCell cell(double sw2, double chi1, double sd, double chi1_theory) {
  PhaseCell x;
  x.sw2 = sw2;
  x.sb2 = 0.1;
  x.chi1 = {chi1, sd, 4};
  x.chi1_theory = chi1_theory;
  x.xi_c = {kNaN, kNaN, 0};
  x.xi_c_theory = kNaN;
  return x;
}

PhaseResult phase(std::vector<PhaseCell> cells) {
  PhaseResult r;
  r.config.depth = 40;
  r.config.width = 128;
  r.cells = std::move(cells);
  return r;
}

TEST(CriticalityFindings, Chi1CrossesWhereTheTheoryDoes) {
  // Three cells of 4 seeds: decisive when |theory - 1| > z* x 0.02 / 2, z* the t_3
  // quantile at 0.01 / 3 (about 0.085). The cell at theory 1.01 is not.
  const double zstar = net_agree_threshold(4, 3);
  PhaseResult r = phase({cell(1.0, 0.80, 0.02, 0.81), cell(2.0, 0.99, 0.02, 1.01),
                         cell(3.0, 1.20, 0.02, 1.21)});
  const Finding f = find(phase_findings(r), "chi1_crosses_one_at_critical_line");
  EXPECT_TRUE(f.holds);
  EXPECT_EQ(number(f, "decisive_cells"), 2.0);
  EXPECT_EQ(number(f, "tests"), 3.0);
  EXPECT_EQ(f.thresholds.at(1).second, zstar);
  r.cells[2].chi1.mean = 0.95;  // a decisive chaotic cell measured below 1
  const Finding g = find(phase_findings(r), "chi1_crosses_one_at_critical_line");
  EXPECT_FALSE(g.holds);
  EXPECT_NE(g.criterion.find("sw2 3"), std::string::npos);
  EXPECT_FALSE(find(phase_findings(phase({cell(2.0, 0.99, 0.02, 1.01)})),
                    "chi1_crosses_one_at_critical_line").holds);  // nothing decisive
  // The boundary: theory just beyond z* standard errors from 1 is decisive (and measured
  // on the wrong side, fails); just inside it is not decisive.
  r.cells[2] = cell(3.0, 0.999, 0.02, 1.0 + 1.001 * zstar * 0.01);
  EXPECT_FALSE(find(phase_findings(r), "chi1_crosses_one_at_critical_line").holds);
  r.cells[2].chi1_theory = 1.0 + 0.999 * zstar * 0.01;
  const Finding h = find(phase_findings(r), "chi1_crosses_one_at_critical_line");
  EXPECT_TRUE(h.holds);
  EXPECT_EQ(number(h, "decisive_cells"), 1.0);
}

TEST(CriticalityFindings, LargestChi1DeviationWithinTheFamilyWiseThreshold) {
  // z = -0.01 / 0.02 = -0.5 (z_se -1) and +0.05 / 0.02 = 2.5 (z_se 5); two cells of 4
  // seeds: z* = t_3 quantile at 0.01 / 2 (7.45).
  PhaseResult r = phase({cell(1.0, 0.80, 0.02, 0.81), cell(3.0, 1.25, 0.02, 1.20)});
  const double zstar = net_agree_threshold(4, 2);
  Finding f = find(phase_findings(r), "largest_chi1_deviation");
  EXPECT_TRUE(f.holds);
  EXPECT_NEAR(number(f, "z"), 2.5, 1e-12);
  EXPECT_NEAR(number(f, "z_se"), 5.0, 1e-12);
  EXPECT_EQ(number(f, "sw2"), 3.0);
  EXPECT_EQ(number(f, "tests"), 2.0);
  EXPECT_EQ(f.thresholds.at(0).first, "kAgreeFamilyLevel");
  EXPECT_EQ(f.thresholds.at(1).second, zstar);
  // sd / sqrt(4) = 0.01 per standard error: just inside z* holds, just beyond fails.
  r.cells[1].chi1.mean = 1.20 + 0.999 * zstar * 0.01;
  EXPECT_TRUE(find(phase_findings(r), "largest_chi1_deviation").holds);
  r.cells[1].chi1.mean = 1.20 + 1.001 * zstar * 0.01;
  f = find(phase_findings(r), "largest_chi1_deviation");
  EXPECT_FALSE(f.holds);
  // The same z_se (7.46) holds in a larger family: z* grows with the number of cells.
  r.cells.push_back(cell(2.0, 1.0, 0.02, 1.0));
  r.cells.push_back(cell(2.5, 1.1, 0.02, 1.1));
  f = find(phase_findings(r), "largest_chi1_deviation");
  EXPECT_TRUE(f.holds);
  EXPECT_EQ(f.thresholds.at(1).second, net_agree_threshold(4, 4));
  r.cells[1].diverged = true;  // a diverged cell is not compared
  f = find(phase_findings(r), "largest_chi1_deviation");
  EXPECT_TRUE(f.holds);
  EXPECT_EQ(number(f, "tests"), 3.0);
}

TEST(CriticalityFindings, XiCOnlyWhereTheDepthCanShowIt) {
  PhaseResult r = phase({cell(1.0, 0.8, 0.02, 0.8), cell(1.9, 0.99, 0.02, 1.0)});
  r.cells[0].xi_c = {5.2, 0.4, 4};  // z_se 2
  r.cells[0].xi_c_theory = 4.8;
  r.cells[1].xi_c = {30.0, 1.0, 4};  // far off, but theory 200 > 0.25 x 40: not compared
  r.cells[1].xi_c_theory = 200.0;
  Finding f = find(phase_findings(r), "largest_xi_c_fit_deviation");
  EXPECT_TRUE(f.holds);
  EXPECT_NEAR(number(f, "z_se"), 2.0, 1e-12);
  EXPECT_EQ(number(f, "tests"), 1.0);  // one cell compared: z* = 5.84
  r.cells[0].xi_c.mean = 4.8 + 0.999 * net_agree_threshold(4, 1) * 0.2;
  EXPECT_TRUE(find(phase_findings(r), "largest_xi_c_fit_deviation").holds);
  r.cells[0].xi_c.mean = 4.8 + 1.001 * net_agree_threshold(4, 1) * 0.2;
  EXPECT_FALSE(find(phase_findings(r), "largest_xi_c_fit_deviation").holds);
  r.cells[0].xi_c = {kNaN, kNaN, 0};  // nothing fitted: nothing to compare
  f = find(phase_findings(r), "largest_xi_c_fit_deviation");
  EXPECT_FALSE(f.holds);
  EXPECT_EQ(f.subject, "none");
}

// The probe's chi_c against the theory's, in units of the band's half-width.
TEST(CriticalityFindings, XiCProbeInsideItsBand) {
  PhaseResult r = phase({cell(1.0, 0.8, 0.02, 0.8), cell(3.0, 1.3, 0.02, 1.3)});
  for (PhaseCell& x : r.cells) x.fixed.chi_c = 0.9, x.xi_c_theory = -1.0 / std::log(0.9);
  r.cells[0].chi_c_probe = {0.902, 0.004, 0.898, 0.906, 3.0, 0.5, -1.0 / std::log(0.902), 0.0, 0.0, 1000};
  r.cells[1].chi_c_probe = {0.897, 0.004, 0.893, 0.901, 3.0, 0.5, -1.0 / std::log(0.897), 0.0, 0.0, 1000};
  Finding f = find(phase_findings(r), "largest_xi_c_deviation");
  EXPECT_TRUE(f.holds);
  EXPECT_NEAR(number(f, "band_units"), -0.75, 1e-12);  // cell 2: (0.897 - 0.9) / 0.004
  EXPECT_EQ(number(f, "sw2"), 3.0);
  EXPECT_EQ(number(f, "cells"), 2.0);
  r.cells[1].chi_c_probe.chi_c = 0.89;  // 2.5 half-widths off
  f = find(phase_findings(r), "largest_xi_c_deviation");
  EXPECT_FALSE(f.holds);
  EXPECT_EQ(number(f, "cells_in_band"), 1.0);
  for (PhaseCell& x : r.cells) x.chi_c_probe = {};  // no band anywhere: nothing to compare
  f = find(phase_findings(r), "largest_xi_c_deviation");
  EXPECT_FALSE(f.holds);
  EXPECT_EQ(f.subject, "none");
}

SpectrumPair pair(Activation::Kind k, theory::WeightEnsemble e, double mean, double sd,
                  double theory, double min_s, double max_s) {
  SpectrumPair p;
  p.activation = Activation{k, 0.0};
  p.ensemble = e;
  SpectrumRow row;
  row.depth = 10;
  row.mean_s2 = {mean, sd, 4};
  row.mean_s2_theory = theory;
  row.var_s2 = {0.0, 0.0, 4};
  row.var_s2_theory = 0.0;
  row.min_s = min_s;
  row.max_s = max_s;
  p.rows = {row};
  return p;
}

SpectrumResult spectrum(std::vector<SpectrumPair> pairs) {
  SpectrumResult r;
  r.config.width = 64;
  r.pairs = std::move(pairs);
  return r;
}

TEST(CriticalityFindings, LargestSpectrumDeviation) {
  using K = Activation::Kind;
  using E = theory::WeightEnsemble;
  SpectrumResult r = spectrum({pair(K::tanh, E::gaussian, 1.1, 0.1, 1.0, 0.01, 3.0),
                               pair(K::linear, E::orthogonal, 1.0 + 1e-15, 1e-16, 1.0, 1.0, 1.0)});
  Finding f = find(spectrum_findings(r), "largest_spectrum_deviation");
  EXPECT_TRUE(f.holds);  // z_se 2; the orthogonal linear rounding is not compared
  EXPECT_NEAR(number(f, "z_se"), 2.0, 1e-9);
  EXPECT_NE(f.subject.find("tanh gaussian"), std::string::npos);
  EXPECT_EQ(number(f, "tests"), 1.0);  // the var row (theory 0) and the linear pair are not compared
  const double zstar = net_agree_threshold(4, 1);
  r.pairs[0].rows[0].mean_s2.mean = 1.0 + 0.999 * zstar * 0.05;
  EXPECT_TRUE(find(spectrum_findings(r), "largest_spectrum_deviation").holds);
  r.pairs[0].rows[0].mean_s2.mean = 1.0 + 1.001 * zstar * 0.05;
  EXPECT_FALSE(find(spectrum_findings(r), "largest_spectrum_deviation").holds);
  // The variance row compared too: two tests, z* = t_3 quantile at 0.01 / 2, and the
  // same mean deviation holds.
  r.pairs[0].rows[0].var_s2 = {0.5, 0.1, 4};
  r.pairs[0].rows[0].var_s2_theory = 0.5;
  f = find(spectrum_findings(r), "largest_spectrum_deviation");
  EXPECT_TRUE(f.holds);
  EXPECT_EQ(number(f, "tests"), 2.0);
  EXPECT_EQ(f.thresholds.at(1).second, net_agree_threshold(4, 2));
  r.pairs[0].rows[0].mean_s2 = {1.5, 0.1, 1};  // one seed: no t statistic, only the var row
  EXPECT_EQ(number(find(spectrum_findings(r), "largest_spectrum_deviation"), "tests"), 1.0);
}

TEST(CriticalityFindings, OrthogonalLinearIsAnIsometryToRounding) {
  using K = Activation::Kind;
  using E = theory::WeightEnsemble;
  // Bound at n = 64, L = 10: 2 (3 10 64^2 + 4 64^2.5) 2^-53 = 4.5e-11.
  SpectrumResult r = spectrum({pair(K::linear, E::orthogonal, 1.0, 0.0, 1.0, 1.0 - 1e-12, 1.0 + 1e-12)});
  const Finding f = find(spectrum_findings(r), "orthogonal_linear_isometry");
  EXPECT_TRUE(f.holds);
  EXPECT_NEAR(number(f, "tolerance"), 2.0 * (3.0 * 10 * 64 * 64 + 4.0 * 32768.0) * std::ldexp(1.0, -53),
              1e-20);
  r.pairs[0].rows[0].max_s = 1.0 + 1e-8;
  EXPECT_FALSE(find(spectrum_findings(r), "orthogonal_linear_isometry").holds);
  r.pairs[0].rows[0].max_s = kNaN;
  EXPECT_FALSE(find(spectrum_findings(r), "orthogonal_linear_isometry").holds);
  EXPECT_EQ(spectrum_findings(spectrum({pair(K::tanh, E::orthogonal, 1, 0.1, 1, 0.5, 1.5)})).size(),
            1u);  // no orthogonal linear pair: no isometry finding
}

}  // namespace
}  // namespace initlab::study
