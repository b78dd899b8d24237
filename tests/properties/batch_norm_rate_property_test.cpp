// BatchNorm's gradient explosion at initialization (Yang et al. 2019), measured on the
// repeated pair of examples/nets/batchnorm-relu-32.json, x -> BN(relu(W x)) (W
// he_normal, no bias, BN in training mode without affine), through nn::Model, against
// the closed form pi / (pi - 1) (theory::batchnorm_gradient_rate, docs/theory.md §28)
// with a band derived at finite width and finite batch (docs/theory.md §31).
//
// The pair's input is the fixed point's: B orthogonal rows x_b = sqrt(n0 r*) e_b with
// r* = 1 - eps / (c sw2) the BN output's second moment there, so h = x W^T has iid
// N(0, q) entries, q = sw2 r*, exactly (the decorrelated batch of the mean-field
// theory), and the columns of W beyond B never touch the forward pass. The backward
// pass starts from dy ~ N(0, 1) iid. The measured rate is
//   G = (n0 / k) |dx_perp|^2 / |dy|^2,   dx_perp = dx's columns B+1..n0, k = n0 - B,
// and four statements (each failing with probability <= delta/4, two tails of delta/8)
// bound it; together they put G in [G_lo, G_hi] around pi / (pi - 1):
//  (A) the units' mean y-bar of y_j = inv_std_j^2 sum_b m_bj (Q_j^2)_bb / B, the
//      conditional mean of |dh|^2 / (n B), is within the finite-batch bias bracket and
//      a Bernstein deviation of (pi - 1) / (2 pi sw2)'s finite-B counterpart;
//  (B) |dh|^2, a Gaussian quadratic form in dy given the forward pass, is within
//      Laurent-Massart bounds of n B y-bar;
//  (C) |dx_perp|^2 = (sw2 / n0) sum_b mu_b C_b, C_b iid chi2(k), mu_b the eigenvalues
//      of dh dh^T (W's unseen columns are independent of dh);
//  (D) |dy|^2 ~ chi2(n B).
// Per case delta = 1e-6. eps is a sizeable fraction of c sw2 so that 1 / (v + eps) is
// bounded; the closed form is the same at every eps (docs/theory.md §28).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <numbers>
#include <span>
#include <variant>

#include "core/net_description.hpp"
#include "nn/model.hpp"
#include "properties/laws.hpp"
#include "properties/tolerance.hpp"
#include "random/stream.hpp"
#include "theory/net_recursion.hpp"

namespace initlab::properties {
namespace {

constexpr double kSw2 = 2.0;  // he_normal
const double kC = (std::numbers::pi - 1.0) / (2.0 * std::numbers::pi);  // Var relu(h) / q
const double kRate = std::numbers::pi / (std::numbers::pi - 1.0);

struct RateCase {
  std::size_t n = 0, B = 0, k = 0;  // units, batch, unseen input columns
  double kappa = 0.0;               // eps = kappa c sw2, r* = 1 - kappa
  std::uint64_t seed = 0;
};

// The bracket [lo, hi] of E[y] and the Bernstein deviation t of y-bar (docs/theory.md §31).
struct UnitMeanBand {
  double lo = 0.0, hi = 0.0, t = 0.0;
};

UnitMeanBand unit_mean_band(std::size_t n, std::size_t B, double q, double eps, double x) {
  const double Bd = static_cast<double>(B), pi = std::numbers::pi;
  // relu(h), h ~ N(0, q): raw moments and the central ones.
  const double m1 = std::sqrt(q / (2.0 * pi)), e2 = q / 2.0, e3 = std::pow(q, 1.5) * std::sqrt(2.0 / pi);
  const double e4 = 1.5 * q * q, var = e2 - m1 * m1;
  const double mu4 = e4 - 4.0 * m1 * e3 + 6.0 * m1 * m1 * e2 - 3.0 * std::pow(m1, 4);
  // v = (1/B) sum (a - a-bar)^2 = ((B - 1)/B) S^2.
  const double mean_v = (Bd - 1.0) / Bd * var;
  const double var_v = std::pow((Bd - 1.0) / Bd, 2) * (mu4 / Bd - var * var * (Bd - 3.0) / (Bd * (Bd - 1.0)));
  const double cov = (Bd - 1.0) / (Bd * Bd) * (q / 4.0 - m1 * m1);  // Cov(N+/B, v)
  const double C = mean_v + eps, f = 1.0 / C;
  const double rest = var_v / (eps * C * C);  // E[(v - E v)^2 / ((v + eps) C^2)] at most
  UnitMeanBand u;
  u.hi = f / 2.0 - cov / (C * C) + rest;
  u.lo = (1.0 - 1.0 / Bd) * (f / 2.0 - cov / (C * C)) - (f + rest) / Bd;
  const double sd = std::sqrt(var_v) / (eps * C) + f / (2.0 * std::sqrt(Bd)) + 2.0 / (eps * Bd);
  const double b = 1.0 / eps, nd = static_cast<double>(n);
  u.t = b * x / (3.0 * nd) + std::sqrt(std::pow(b * x / (3.0 * nd), 2) + 2.0 * sd * sd * x / nd);
  return u;
}

double sum_squares(std::span<const double> v) {
  double s = 0.0;
  for (double a : v) s += a * a;
  return s;
}

void check_rate(const RateCase& c) {
  const double eps = c.kappa * kC * kSw2, r_star = 1.0 - c.kappa, q = kSw2 * r_star;
  const std::size_t n0 = c.B + c.k, N = c.n * c.B;
  const double x = std::log(8.0 / kCaseFailure);  // eight one-sided tails
  ASSERT_NEAR(theory::batchnorm_gradient_rate(Activation::parse("relu"), kSw2, 0.0, eps), kRate, 1e-12);

  const NetDescription net{"batchnorm-relu pair", n0,
                           {DenseLayer{c.n, Activation::parse("relu"), "he_normal", "zeros"},
                            Norm{Norm::Kind::batch, false, eps}}};
  nn::Model<double> model(net, c.seed);
  Matrix<double> in = xt::zeros<double>({c.B, n0});
  for (std::size_t b = 0; b < c.B; ++b) in(b, b) = std::sqrt(static_cast<double>(n0) * r_star);
  model.forward(in);
  Matrix<double> dy({c.B, c.n});
  random::Stream(c.seed, 0xBA7C4u).normal<double>(std::span<double>(dy.data(), dy.size()), 0.0, 1.0);
  model.backward(dy, true);
  const auto& dense = std::get<nn::DenseBlock<double>>(model.block(0));
  const auto& bn = std::get<nn::NormBlock<double>>(model.block(1));

  // (A) y-bar and the largest inv_std^2 from the forward caches.
  const double Bd = static_cast<double>(c.B);
  double sum_y = 0.0, s2_max = 0.0;
  for (std::size_t j = 0; j < c.n; ++j) {
    const double s2 = bn.cache.inv_std(j) * bn.cache.inv_std(j);
    double r_hat = 0.0;
    for (std::size_t b = 0; b < c.B; ++b) r_hat += bn.cache.xhat(b, j) * bn.cache.xhat(b, j) / Bd;
    double t = 0.0;
    for (std::size_t b = 0; b < c.B; ++b)
      if (dense.h(b, j) > 0.0) t += 1.0 - 1.0 / Bd - (2.0 - r_hat) * bn.cache.xhat(b, j) * bn.cache.xhat(b, j) / Bd;
    sum_y += s2 * t;
    s2_max = std::max(s2_max, s2);
  }
  const double y_bar = sum_y / static_cast<double>(N);
  const UnitMeanBand u = unit_mean_band(c.n, c.B, q, eps, x);
  EXPECT_GE(y_bar, u.lo - u.t);
  EXPECT_LE(y_bar, u.hi + u.t);

  // (B) |dh|^2 given the forward pass.
  const double dh2 = sum_squares(std::span<const double>(dense.dh.data(), dense.dh.size()));
  const Interval dh_band = gaussian_quadratic_interval(sum_y, std::sqrt(s2_max * sum_y), s2_max, x);
  EXPECT_GE(dh2, dh_band.lo);
  EXPECT_LE(dh2, dh_band.hi);

  // (C) |dx_perp|^2 given dh: weights mu_b (k copies), sum mu_b^2 = |dh dh^T|_F^2.
  double gram2 = 0.0;
  for (std::size_t a = 0; a < c.B; ++a) {
    for (std::size_t b = a; b < c.B; ++b) {
      double g = 0.0;
      for (std::size_t j = 0; j < c.n; ++j) g += dense.dh(a, j) * dense.dh(b, j);
      gram2 += (a == b ? 1.0 : 2.0) * g * g;
    }
  }
  const Matrix<double>& dx = model.input_gradient();
  double dx_perp = 0.0;
  for (std::size_t b = 0; b < c.B; ++b)
    for (std::size_t i = c.B; i < n0; ++i) dx_perp += dx(b, i) * dx(b, i);
  const double kd = static_cast<double>(c.k), w = kSw2 / static_cast<double>(n0);
  const Interval perp = gaussian_quadratic_interval(kd * dh2, std::sqrt(kd * gram2), std::sqrt(gram2), x);
  EXPECT_GE(dx_perp, w * perp.lo);
  EXPECT_LE(dx_perp, w * perp.hi);

  // (D) |dy|^2 ~ chi2(n B).
  const double dy2 = sum_squares(std::span<const double>(dy.data(), dy.size()));
  const double Nd = static_cast<double>(N);
  const Interval dy_band = gaussian_quadratic_interval(Nd, std::sqrt(Nd), 1.0, x);

  // The rate: (A)-(D) composed. S - 2 sqrt(M S x) increases in S for S >= M x.
  const double s_lo = Nd * (u.lo - u.t), s_hi = Nd * (u.hi + u.t);
  ASSERT_GE(s_lo, s2_max * x);
  const double dh_lo = s_lo - 2.0 * std::sqrt(s2_max * s_lo * x);
  const double dh_hi = s_hi + 2.0 * std::sqrt(s2_max * s_hi * x) + 2.0 * s2_max * x;
  const Interval c_rel = gaussian_quadratic_interval(kd, std::sqrt(kd * gram2) / dh2, std::sqrt(gram2) / dh2, x);
  const double g_lo = kSw2 / kd * c_rel.lo * dh_lo / dy_band.hi;
  const double g_hi = kSw2 / kd * c_rel.hi * dh_hi / dy_band.lo;
  const double rate = static_cast<double>(n0) / kd * dx_perp / dy2;
  std::cout << "n " << c.n << " B " << c.B << " k " << c.k << " eps " << eps << ": rate " << rate
            << ", band [" << g_lo << ", " << g_hi << "], pi/(pi-1) " << kRate << ", sw2 y-bar " << kSw2 * y_bar
            << " in [" << kSw2 * (u.lo - u.t) << ", " << kSw2 * (u.hi + u.t) << "], finite-B bracket ["
            << kSw2 * u.lo << ", " << kSw2 * u.hi << "]\n";
  EXPECT_GT(kRate, g_lo);
  EXPECT_LT(kRate, g_hi);
  EXPECT_GE(rate, g_lo);
  EXPECT_LE(rate, g_hi);
}

TEST(BatchNormRate, ReluPairGainWithinItsFiniteBatchBand) {
  check_rate({2048, 256, 512, 0.75, 20261201});
  check_rate({2048, 128, 512, 0.5, 20261202});
  check_rate({1024, 256, 512, 0.75, 20261203});
}

}  // namespace
}  // namespace initlab::properties
