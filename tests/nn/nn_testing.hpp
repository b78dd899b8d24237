#pragma once
// Helpers shared by the nn tests: seeded random matrices, central finite
// differences and a norm-wise relative error.
//
// Finite-difference accuracy (double, step eps = 1e-6 on O(1) values): the
// central difference has truncation error eps^2 |f'''| / 6 ~ 1e-13 and rounding
// error ~ 1e-16 |f| / eps ~ 1e-10 |f|, both far below the 1e-6 relative bound the
// properties assert; a wrong derivative (a missing factor, a transposed GEMM, a
// wrong sign) gives a relative error of order 1.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <xtensor/xbuilder.hpp>

#include "core/tensor.hpp"
#include "nn/model.hpp"

namespace initlab::nn::testing {

inline constexpr double kFdStep = 1e-6;
inline constexpr double kFdTolerance = 1e-6;

// (rows, cols) entries ~ U(lo, hi) from a seeded engine.
inline Matrix<double> random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed,
                                    double lo = -1.0, double hi = 1.0) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  Matrix<double> m({rows, cols});
  for (auto& v : m) v = u(gen);
  return m;
}

inline Vector<double> random_vector(std::size_t n, std::uint64_t seed, double lo = -1.0,
                                    double hi = 1.0) {
  const Matrix<double> m = random_matrix(1, n, seed, lo, hi);
  Vector<double> v = xt::zeros<double>({n});
  std::copy(m.begin(), m.end(), v.begin());
  return v;
}

// Entries with |v| in [margin, hi] and a random sign: inputs kept away from the
// ReLU kink at 0.
inline Matrix<double> away_from_zero(std::size_t rows, std::size_t cols, std::uint64_t seed,
                                     double margin = 0.1, double hi = 2.0) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(margin, hi);
  std::bernoulli_distribution sign(0.5);
  Matrix<double> m({rows, cols});
  for (auto& v : m) v = sign(gen) ? u(gen) : -u(gen);
  return m;
}

// Rows (axis 1) or columns (axis 0) whose entries are a shuffled ramp with unit
// spacing plus U(-0.25, 0.25) noise: any two entries of a row (column) differ by
// at least 0.5, so its standard deviation is at least 0.25 (n = 2) and grows with
// n. Inputs for the norms' finite differences, whose derivatives scale like
// 1 / std.
inline Matrix<double> spread_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed,
                                    int axis) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> noise(-0.25, 0.25);
  const std::size_t lines = axis == 1 ? rows : cols, n = axis == 1 ? cols : rows;
  Matrix<double> m({rows, cols});
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < lines; ++i) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), gen);
    for (std::size_t k = 0; k < n; ++k) {
      const double v = static_cast<double>(order[k]) - 0.5 * static_cast<double>(n - 1) + noise(gen);
      (axis == 1 ? m(i, k) : m(k, i)) = v;
    }
  }
  return m;
}

// Higham's gamma_k = k u / (1 - k u), u the unit roundoff of T: k roundings, each
// a factor (1 + delta) or (1 + delta)^-1 with |delta| <= u, multiply to 1 + theta
// with |theta| <= gamma_k ("Accuracy and Stability of Numerical Algorithms", 2002,
// Lemma 3.1); gamma_a + gamma_b <= gamma_{a+b}.
template <class T>
double rounding_gamma(std::size_t k) {
  const double ku = static_cast<double>(k) * std::numeric_limits<T>::epsilon() / 2;
  return ku / (1.0 - ku);
}

// "[a, b, c]" with 17 significant digits, for RC_LOG.
inline std::string fmt(const std::vector<double>& v) {
  std::ostringstream os;
  os.precision(17);
  os << '[';
  for (std::size_t i = 0; i < v.size(); ++i) os << (i ? ", " : "") << v[i];
  os << ']';
  return os.str();
}

// d f / d p[i] for i < n by central differences; p is restored afterwards.
inline std::vector<double> fd_gradient(const std::function<double()>& f, double* p, std::size_t n,
                                       double eps = kFdStep) {
  std::vector<double> g(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double keep = p[i];
    p[i] = keep + eps;
    const double up = f();
    p[i] = keep - eps;
    const double down = f();
    p[i] = keep;
    g[i] = (up - down) / (2.0 * eps);
  }
  return g;
}

// Euclidean norms of a - b and of the larger of a, b (first n entries).
struct DiffNorms {
  double diff = 0.0;
  double scale = 0.0;
};
template <class A, class B>
DiffNorms diff_norms(const A& a, const B& b, std::size_t n) {
  double diff = 0.0, na = 0.0, nb = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = static_cast<double>(a[i]), y = static_cast<double>(b[i]);
    diff += (x - y) * (x - y);
    na += x * x;
    nb += y * y;
  }
  return {std::sqrt(diff), std::sqrt(std::max(na, nb))};
}

// |a - b| / max(|a|, |b|) in the Euclidean norm; 0 when both are zero.
template <class A, class B>
double relative_error(const A& a, const B& b, std::size_t n) {
  const DiffNorms d = diff_norms(a, b, n);
  return d.scale == 0.0 ? 0.0 : d.diff / d.scale;
}

// Deep compositions can have tiny gradients (saturated sigmoid/tanh chains of
// width 1), where the central difference's rounding error, not its truncation
// error, dominates: evaluating f = sum R h in double is accurate to about
// 1e-14 S, S = sum |R h| (each entry is <= ~50 flops deep at unit roundoff
// 1.1e-16), so each difference quotient carries up to 1e-14 S / eps = 1e-8 S.
// fd_matches allows that floor on top of the relative bound.
inline constexpr double kFdRounding = 1e-8;

template <class A, class B>
bool fd_matches(const A& a, const B& b, std::size_t n, double scale) {
  const DiffNorms d = diff_norms(a, b, n);
  return d.diff <= kFdTolerance * d.scale + kFdRounding * scale * std::sqrt(static_cast<double>(n));
}

// sum_ij |R_ij M_ij|: the scale S above.
inline double abs_weighted_sum(const Matrix<double>& M, const Matrix<double>& R) {
  double s = 0.0;
  for (std::size_t i = 0; i < M.size(); ++i) s += std::abs(M.data()[i] * R.data()[i]);
  return s;
}

// sum_ij R_ij M_ij: the scalar objective whose gradient with respect to M is R.
inline double weighted_sum(const Matrix<double>& M, const Matrix<double>& R) {
  double s = 0.0;
  for (std::size_t i = 0; i < M.size(); ++i) s += M.data()[i] * R.data()[i];
  return s;
}

// The rounding floor of fd_matches (above) takes f's rounding error as
// 1e-14 S, S = sum |R out|. A norm multiplies an absolute error made before it by
// up to its largest inv_std (the scale of its Jacobian), so errors made early in
// the net reach f multiplied by at most the product over the norms of
// max(1, max inv_std): the floor's S is multiplied by that product. It matters for
// gradients that are exactly 0, e.g. a bias just before a BatchNorm, whose finite
// differences are pure rounding.
template <class T>
double norm_amplification(const Model<T>& model) {
  double a = 1.0;
  const auto factor = [](const NormBlock<T>& n) {
    double m = 1.0;
    for (T s : n.cache.inv_std) m = std::max(m, static_cast<double>(s));
    return m;
  };
  for (std::size_t k = 0; k < model.size(); ++k) {
    if (const auto* n = std::get_if<NormBlock<T>>(&model.block(k))) a *= factor(*n);
    if (const auto* r = std::get_if<ResidualBlock<T>>(&model.block(k)))
      if (r->pre_norm) a *= factor(*r->pre_norm);
  }
  return a;
}

// Model's backward from dL/d(out) = R against central differences of
// f = sum(R * out) in every parameter and in x, with fd_matches' rounding floor
// scaled by norm_amplification. Returns "" when all match, else the name of the
// first mismatch with both gradients (for RC_LOG).
inline std::string model_fd_mismatch(Model<double>& model, Matrix<double> x,
                                     const Matrix<double>& R) {
  model.forward(x);
  model.backward(R, true);
  const Matrix<double> dx = model.input_gradient();
  const double scale = abs_weighted_sum(model.output(), R) * norm_amplification(model);
  const auto loss = [&] { return weighted_sum(model.forward(x), R); };
  for (const Parameter<double>& p : model.parameters()) {
    const std::vector<double> g(p.grad.begin(), p.grad.end());
    const auto fd = fd_gradient(loss, p.value.data(), p.value.size());
    if (!fd_matches(g.data(), fd.data(), fd.size(), scale))
      return p.name + ": backward " + fmt(g) + ", differences " + fmt(fd);
  }
  const std::vector<double> g(dx.begin(), dx.end());
  const auto fx = fd_gradient(loss, x.data(), x.size());
  return fd_matches(g.data(), fx.data(), x.size(), scale)
             ? ""
             : "x: backward " + fmt(g) + ", differences " + fmt(fx);
}

}  // namespace initlab::nn::testing
