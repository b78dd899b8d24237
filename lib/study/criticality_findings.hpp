#pragma once
// The verdicts of the criticality report as data (see findings.hpp): what `initlab
// phase` and `initlab spectrum` write into their JSON as "findings". Every deviation
// is z = (measured - theory) / sd, sd over the R seeds of one configuration, and
// z_se = z sqrt(R) in standard errors of the mean; a finding over a family of m
// compared values holds when every |z_se| <= z_threshold = net_agree_threshold(R, m),
// the Student t_{R-1} quantile at kAgreeFamilyLevel / m (Bonferroni; docs/theory.md §35).
//
// Phase study:
//   chi1_crosses_one_at_critical_line  every decisive cell (theory chi_1 more than
//       z_threshold standard errors from 1; m = the cells not diverged) has its measured
//       chi_1 on the theory's side of 1.
//   largest_chi1_deviation             every cell's chi_1 within z_threshold (m = the cells
//       not diverged); the cell with the largest |z_se| / z_threshold.
//   largest_xi_c_deviation             xi_c from the chi_c probe (chi_c_probe.hpp) against
//       -1/ln chi_c: every cell with a band has the theory inside its derived band (failure
//       kChiCBandFailure per cell); the largest deviation in units of the band's half-width.
//   largest_xi_c_fit_deviation         the fitted xi_c within z_threshold over the fitted
//       cells whose theory xi_c is at most kMeasurableXiFraction x depth (the fit has a
//       finite-width bias, docs/theory.md §33, that the threshold does not include).
// Spectrum study:
//   largest_spectrum_deviation         the mean and the variance of s^2 within z_threshold
//       (m = the rows where the theory is not exactly 0 and the seeds spread, times two;
//       orthogonal linear nets, whose spread is rounding, have the isometry finding instead).
//   orthogonal_linear_isometry         every s of each orthogonal linear Jacobian within
//       the rounding bound (kIsometryRounding) of 1.

#include <vector>

#include "study/findings.hpp"
#include "study/phase_study.hpp"
#include "study/spectrum_study.hpp"

namespace initlab::study {

std::vector<Finding> phase_findings(const PhaseResult& r);
std::vector<Finding> spectrum_findings(const SpectrumResult& r);

}  // namespace initlab::study
