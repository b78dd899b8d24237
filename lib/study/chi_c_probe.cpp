// The chi_c probe and its band (see chi_c_probe.hpp).
#include "study/chi_c_probe.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>
#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xview.hpp>

#include "core/error.hpp"
#include "core/tensor.hpp"
#include "init/draw.hpp"
#include "init/orthogonal.hpp"
#include "nn/activation.hpp"
#include "nn/network.hpp"
#include "random/stream.hpp"
#include "stats/empirical_bernstein.hpp"

namespace initlab::study {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// (2P, n): pair k's rows s e_{2k} and s (c0 e_{2k} + sqrt(1 - c0^2) e_{2k+1}).
Matrix<double> probe_rows(std::size_t P, std::size_t n, double s, double c0, std::uint64_t seed) {
  const init::Orthogonal haar{1.0};
  const Matrix<double> e = init::draw<double>(init::Initializer(haar.spec(), haar), FanShape{2 * P, n},
                                              random::Stream(seed).split(0).split(1));
  const double r = std::sqrt(std::max(0.0, (1.0 - c0) * (1.0 + c0)));
  Matrix<double> x({2 * P, n});
  for (std::size_t k = 0; k < P; ++k) {
    auto e1 = xt::view(e, 2 * k, xt::all());
    auto e2 = xt::view(e, 2 * k + 1, xt::all());
    xt::view(x, 2 * k, xt::all()) = s * e1;
    xt::view(x, 2 * k + 1, xt::all()) = s * (c0 * e1 + r * e2);
  }
  return x;
}

}  // namespace

std::optional<std::array<double, 2>> derivative_bounds(Activation f) {
  using Kind = Activation::Kind;
  switch (f.kind) {
    case Kind::linear: return std::array<double, 2>{1.0, 1.0};
    case Kind::tanh:
    case Kind::relu:
    case Kind::softplus: return std::array<double, 2>{0.0, 1.0};
    case Kind::sigmoid: return std::array<double, 2>{0.0, 0.25};
    case Kind::erf: return std::array<double, 2>{0.0, 2.0 * std::numbers::inv_sqrtpi};
    case Kind::selu: return std::array<double, 2>{0.0, Activation::kSeluLambda * Activation::kSeluAlpha};
    case Kind::leaky_relu:
      if (f.slope >= 0.0 && f.slope <= 1.0) return std::array<double, 2>{f.slope, 1.0};
      return std::nullopt;
    case Kind::gelu:
    case Kind::silu: return std::nullopt;
  }
  return std::nullopt;
}

void ChiCProbe::add(std::span<const double> t) {
  if (t.empty()) return;
  double bm = 0.0, b2 = 0.0;
  for (double v : t) bm += v;
  bm /= static_cast<double>(t.size());
  for (double v : t) b2 += (v - bm) * (v - bm);
  // Chan, Golub & LeVeque's merge of (groups, mean, m2) with the block's.
  const double na = static_cast<double>(groups), nb = static_cast<double>(t.size()), d = bm - mean;
  groups += t.size();
  mean += d * nb / (na + nb);
  m2 += b2 + d * d * na * nb / (na + nb);
}

double ChiCProbe::variance() const {
  return groups < 2 ? kNaN : m2 / static_cast<double>(groups - 1);
}

void add_network(ChiCProbe& acc, const nn::Network<double>& net, Activation f, double sw2,
                 double sb2, double q_star, double c_star, std::size_t pairs, std::uint64_t seed) {
  const char* func = "study::add_network";
  if (!(q_star > sb2)) fail(func, "q* = ", q_star, ", expected q* > sb2 = ", sb2);
  if (!(c_star >= -1.0 && c_star <= 1.0)) fail(func, "c* = ", c_star, ", expected c* in [-1, 1]");
  const std::size_t n = net.widths().front(), P = std::min(pairs, n / 2), L = net.depth();
  if (P == 0) return;
  const double s = std::sqrt(static_cast<double>(n) * (q_star - sb2) / sw2);
  const double c0 = std::clamp((c_star * q_star - sb2) / (q_star - sb2), -1.0, 1.0);
  const Matrix<double> x = probe_rows(P, n, s, c0, seed);
  const Matrix<double> ones = xt::ones<double>({2 * P, n});
  Matrix<double> a({2 * P, n}), d({2 * P, n});
  std::vector<double> block;
  for (std::size_t l = 1; l <= L; ++l) {
    // x (2P, n), W^l (n, n), b^l (n) -> g (2P, n)
    const Matrix<double> g = xt::linalg::dot(x, xt::transpose(net.W(l))) + net.b(l);
    nn::activate(a, g, f);
    nn::activate_backward(d, ones, g, a, f);
    block.clear();
    for (std::size_t j = 0; j < n; ++j) {
      double unit = 0.0;
      for (std::size_t k = 0; k < P; ++k) {
        const double t = sw2 * d(2 * k, j) * d(2 * k + 1, j);
        if (sb2 == 0.0) block.push_back(t);
        unit += t;
      }
      if (sb2 != 0.0) block.push_back(unit / static_cast<double>(P));
    }
    acc.add(block);
  }
}

double depth_scale_of(double chi) {
  if (!(chi > 0.0)) return 0.0;
  if (chi >= 1.0) return std::numeric_limits<double>::infinity();
  return -1.0 / std::log(chi);
}

ChiCBand chi_c_band(const ChiCProbe& acc, Activation f, double sw2, double failure) {
  ChiCBand b;
  b.groups = acc.groups;
  b.chi_c = acc.groups > 0 ? acc.mean : kNaN;
  b.sd = std::sqrt(acc.variance());
  b.xi = b.chi_c < 1.0 ? depth_scale_of(b.chi_c) : kNaN;
  const auto d = derivative_bounds(f);
  if (!d || acc.groups < 2) {
    b.half = b.lo = b.hi = b.range = b.xi_lo = b.xi_hi = kNaN;
    return b;
  }
  b.range = sw2 * ((*d)[1] * (*d)[1] - (*d)[0] * (*d)[0]);
  b.half = stats::empirical_bernstein_half_width(acc.variance(), b.range, acc.groups, failure);
  b.lo = b.chi_c - b.half;
  b.hi = b.chi_c + b.half;
  b.xi_lo = depth_scale_of(b.lo);
  b.xi_hi = depth_scale_of(b.hi);
  return b;
}

}  // namespace initlab::study
