#pragma once
// The initializer at the edge of chaos (Poole et al. 2016; Schoenholz et al. 2017,
// "Deep information propagation", arXiv:1611.01232): for an activation and a bias
// b ~ N(0, bias_std^2), the weight variance sw2 with chi_1(q*(sw2, sb2)) = 1
// (theory::critical_sw2, docs/theory.md §5.5), its gain sqrt(sw2), and the init
// specs that draw it: W ~ N(0, sw2 / fan_in) as `variance_scaling:scale=sw2,
// mode=fan_in,distribution=normal` (the Gaussian ensemble the theory assumes) and
// `orthogonal:gain=sqrt(sw2)` (the same variance, orthogonal; Pennington et al. 2017).
// Every number is written with the shortest text that reads back exactly, so
// init::parse(weight_spec) draws with scale == sw2 to the last bit.
//
// A critical point exists unless chi_1(q*) never crosses 1 (theory::critical_point:
// gelu, silu, softplus; sw2 is then NaN) or the length map has no fixed point at sw2:
// the linear/ReLU family with a bias (chi_1 = 1 only at sw2 = 1/E[phi'^2], where
// q^l = q^{l-1} + sb2 grows without bound). tanh without bias is critical at
// q* = 0 (sw2 = 1); the linear/ReLU family without bias at every q (marginal).
// The one home of this verdict: `initlab critical`, `initlab theory --critical` and
// `--critical-line`, and the critical line `initlab phase` writes all read it here.

#include <string>

#include "core/activation.hpp"
#include "theory/meanfield.hpp"

namespace initlab::study {

struct CriticalInit {
  Activation activation;
  double bias_std = 0.0;
  double sb2 = 0.0;        // bias_std^2
  double sw2 = 0.0;        // where chi_1(q*) crosses 1; NaN when it never does
  double gain = 0.0;       // sqrt(sw2)
  theory::FixedPoint fixed;  // the length map's fixed point at (sw2, sb2): q*, chi_1
  bool exists = false;     // fixed.kind != none
  std::string reason;      // why no critical point exists (empty when it does)
  std::string weight_spec;      // variance_scaling:scale=sw2,mode=fan_in,distribution=normal ("" if sw2 is NaN)
  std::string orthogonal_spec;  // orthogonal:gain=sqrt(sw2) ("" if sw2 is NaN)
  std::string bias_spec;        // normal:bias_std, or zeros
};

// Throws std::invalid_argument for a negative or non-finite bias_std.
CriticalInit critical_init(Activation f, double bias_std);
// The same for a bias variance sb2 (bias_std = sqrt(sb2); sb2 is used as given).
CriticalInit critical_init_sb2(Activation f, double sb2);

}  // namespace initlab::study
