#pragma once
// The slope of the correlation map measured at its fixed point, and its derived band
// (docs/theory.md §33). The correlation depth scale is xi_c = -1 / ln chi_c with
//   chi_c = sw2 E[phi'(u1) phi'(u2)],   (u1, u2) ~ N(0, q* [[1, c*], [c*, 1]])
// (theory/correlation_fixed_point.hpp). Measured: at every layer l = 1..L of a network
// with W^l ~ N(0, sw2 / n), b^l ~ N(0, sb2), the layer's own W^l and b^l see 2P' probe
// rows (P' = min(P, n / 2) pairs)
//   p_{2k} = s e_{2k},   p_{2k+1} = s (c0 e_{2k} + sqrt(1 - c0^2) e_{2k+1}),
//   s^2 = n (q* - sb2) / sw2,   c0 = (c* q* - sb2) / (q* - sb2),
// e_0 .. e_{2P'-1} Haar orthonormal rows (init::Orthogonal) drawn once per network from
// Stream(seed).split(0).split(1) (the network draws W^l, b^l from split(2l), split(2l + 1),
// the inputs from split(0)), so g = W^l p + b^l has for every unit j exactly the covariance
// q* [[1, c*], [c*, 1]] within a pair and sb2 across pairs, whatever the layers below
// did. The terms t_{kj} = sw2 phi'(g_{2k,j}) phi'(g_{2k+1,j}) (nn::activate_backward)
// have mean chi_c exactly. Independent groups: with sb2 = 0 each (pair, unit) term;
// with sb2 > 0 the pairs of a unit share b_j, so a group is a unit (the mean of its P'
// terms). Groups are i.i.d. over units, pairs, layers and networks, and lie in an
// interval of length sw2 (d_max^2 - d_min^2) where phi' is in [d_min, d_max], d_min >= 0
// (derivative_bounds), so the empirical Bernstein band (stats/empirical_bernstein.hpp)
// applies. It does not see how the network's own pairs approach c*: that is the fitted
// xi_c of phase_study.hpp, which has no derived band.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "core/activation.hpp"

namespace initlab::nn {
template <class T>
class Network;
}

namespace initlab::study {

// The failure probability of the band on chi_c per cell (two-sided).
inline constexpr double kChiCBandFailure = 1e-6;

// [d_min, d_max] with 0 <= d_min <= phi'(u) <= d_max for every u: linear [1, 1], tanh,
// relu, softplus [0, 1], sigmoid [0, 1/4], erf [0, 2 / sqrt(pi)], selu [0, lambda alpha],
// leaky_relu with slope s in [0, 1] [s, 1]. Empty where none is stated (gelu, silu and
// leaky_relu with s outside [0, 1], whose phi' changes sign or exceeds 1).
std::optional<std::array<double, 2>> derivative_bounds(Activation f);

struct ChiCProbe {
  // Accumulated group terms: count, mean, sum of squared deviations.
  std::size_t groups = 0;
  double mean = 0.0, m2 = 0.0;
  void add(std::span<const double> terms);
  double variance() const;  // unbiased; NaN below 2 groups
};

// Adds the probes of every layer of net (equal widths n) for a cell with fixed point
// (q_star, c_star), q_star > sb2, c_star in [-1, 1], using min(pairs, n / 2) pairs.
void add_network(ChiCProbe& acc, const nn::Network<double>& net, Activation f, double sw2,
                 double sb2, double q_star, double c_star, std::size_t pairs, std::uint64_t seed);

// The measured chi_c with its band at `failure`, and the same in xi_c = -1 / ln chi_c
// (increasing in chi_c on (0, 1): xi_lo from chi_lo <= 0 is 0, xi_hi from chi_hi >= 1 is
// +inf, xi from chi >= 1 is NaN). Band fields are NaN without derivative bounds or with
// fewer than 2 groups.
struct ChiCBand {
  double chi_c = 0.0, half = 0.0, lo = 0.0, hi = 0.0, range = 0.0, sd = 0.0;
  double xi = 0.0, xi_lo = 0.0, xi_hi = 0.0;
  std::size_t groups = 0;
  bool contains(double chi) const { return chi >= lo && chi <= hi; }
};
ChiCBand chi_c_band(const ChiCProbe& acc, Activation f, double sw2, double failure = kChiCBandFailure);

// -1 / ln chi: 0 for chi <= 0, +inf for chi >= 1.
double depth_scale_of(double chi);

}  // namespace initlab::study
