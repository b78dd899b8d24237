#pragma once
// The exact law of the ReLU band's statistic for one input (docs/theory.md §9-§10),
// computed per case for the widths a property draws: d = sum_l Z_l with independent
// layer factors Z_l = ln Y_l, Y_l = (2/n_l) chi2(K_l), K_l ~ Binomial(n_l, 1/2)
// (laws.hpp). Given K = k >= 1, x = n e^z / 2 is chi2(k), so Z has the density
//   f_n(z) = sum_{k>=1} P(K = k) x^{k/2} e^{-x/2} / (2^{k/2} Gamma(k/2)),
// and K = 0 (probability 2^-n) is the atom Z = -inf (a dead layer, below any band).
//
// Numerics: every layer's density on one grid of step h = sigma_L / 64 over
// [mu_l - 20 s_l, mu_l + 12 s_l] (s_l, mu_l its sd and mean, the ReLU sums of
// tolerance.hpp), cell masses h f_n(centre) (midpoint rule), the L densities
// convolved by a 2048-point FFT spanning [mu_L - 20 sigma_L, mu_L + 12 sigma_L], the
// tails summed with the cell that straddles an edge split linearly. What the grids
// leave out is < 1e-13: each layer's masses sum to 1 within 4e-14 (n = 64, 100, 512),
// and the circular convolution wraps only what lies beyond the span.
// Against an independent computation (exact chi-square CDFs per cell of a 5e-4 grid,
// direct convolution, the same edge split) it agrees to 1e-4: n = 64: L = 1:
// 1.552e-6, L = 2: 2.136e-7; n = (64, 512): 9.073e-7; n = (512, 512): 1.374e-9
// (checked in tolerance_property_test.cpp). Cost: 16 ms at L = 50, n = 300.

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <numbers>
#include <span>
#include <utility>
#include <vector>

namespace initlab::properties {

// In-place radix-2 FFT (a.size() a power of 2); inverse without the 1/N.
inline void fft(std::vector<std::complex<double>>& a, bool inverse) {
  const std::size_t n = a.size();
  for (std::size_t i = 1, j = 0; i < n; ++i) {
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const double ang = 2.0 * std::numbers::pi / static_cast<double>(len) * (inverse ? 1.0 : -1.0);
    const std::complex<double> w(std::cos(ang), std::sin(ang));
    for (std::size_t i = 0; i < n; i += len) {
      std::complex<double> wk(1.0, 0.0);
      for (std::size_t k = 0; k < len / 2; ++k, wk *= w) {
        const std::complex<double> u = a[i + k], v = a[i + k + len / 2] * wk;
        a[i + k] = u + v;
        a[i + k + len / 2] = u - v;
      }
    }
  }
}

// Cell masses of Z for width n at z_i = origin + i h, i < cells (midpoint rule).
inline std::vector<double> relu_log_factor_masses(std::size_t n, double origin, double h,
                                                  std::size_t cells) {
  const double nd = static_cast<double>(n);
  // ln P(K = k) - (k/2) ln 2 - ln Gamma(k/2) for the k with P(K = k) > e^-50 (the
  // others add < 1e-19 to any cell).
  std::vector<std::pair<double, double>> terms;  // (k/2, that constant)
  for (std::size_t k = 1; k <= n; ++k) {
    const double kd = static_cast<double>(k);
    const double ln_pmf = std::lgamma(nd + 1) - std::lgamma(kd + 1) - std::lgamma(nd - kd + 1) +
                          nd * std::log(0.5);
    if (ln_pmf > -50.0) {
      terms.emplace_back(0.5 * kd, ln_pmf - 0.5 * kd * std::numbers::ln2 - std::lgamma(0.5 * kd));
    }
  }
  std::vector<double> mass(cells, 0.0);
  for (std::size_t i = 0; i < cells; ++i) {
    const double x = 0.5 * nd * std::exp(origin + static_cast<double>(i) * h);
    const double ln_x = std::log(x);
    double f = 0.0;
    for (const auto& [half_k, c] : terms) {
      const double t = c + half_k * ln_x - 0.5 * x;
      if (t > -50.0) f += std::exp(t);  // smaller terms add < 1e-19
    }
    mass[i] = h * f;
  }
  return mass;
}

// P(d < lo) + P(d > hi) for one input of a ReLU + he_normal net with chi-square
// factors of widths n_1..n_L (the exact law above).
inline double relu_band_outside_probability(std::span<const std::size_t> widths, double lo,
                                            double hi) {
  constexpr std::size_t kCells = 2048;
  double mu = 0.0, var = 0.0, dead = 0.0;
  for (std::size_t n : widths) {
    const double x = static_cast<double>(n);
    mu += -2.5 / x - 4.3 / (x * x);
    var += 5.0 / x + 20.0 / (x * x);
    dead += std::pow(0.5, x);
  }
  const double sigma = std::sqrt(var), h = sigma / 64.0;
  std::vector<std::complex<double>> total(kCells, 1.0);
  double origin = 0.0;  // value of the convolution's index 0
  for (std::size_t n : widths) {
    const double x = static_cast<double>(n);
    const double s = std::sqrt(5.0 / x + 20.0 / (x * x)), m = -2.5 / x - 4.3 / (x * x);
    const double o = h * std::floor((m - 20.0 * s) / h);
    const auto cells = static_cast<std::size_t>(std::ceil(32.0 * s / h)) + 1;
    const std::vector<double> mass = relu_log_factor_masses(n, o, h, cells);
    std::vector<std::complex<double>> layer(kCells, 0.0);
    for (std::size_t i = 0; i < cells && i < kCells; ++i) layer[i] = mass[i];
    fft(layer, false);
    for (std::size_t j = 0; j < kCells; ++j) total[j] *= layer[j];
    origin += o;
  }
  fft(total, true);
  const double window = mu - 20.0 * sigma;  // the values of the kCells cells start here
  const double span = h * static_cast<double>(kCells);
  double outside = dead;
  for (std::size_t j = 0; j < kCells; ++j) {
    double v = origin + static_cast<double>(j) * h;  // unwrap into [window, window + span)
    v -= span * std::floor((v - window) / span);
    const double p = total[j].real() / static_cast<double>(kCells);
    const double below = std::clamp((lo - (v - 0.5 * h)) / h, 0.0, 1.0);
    const double above = std::clamp(((v + 0.5 * h) - hi) / h, 0.0, 1.0);
    outside += p * (below + above);
  }
  return outside;
}

}  // namespace initlab::properties
