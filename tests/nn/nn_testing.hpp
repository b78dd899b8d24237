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
#include <random>
#include <vector>

#include <xtensor/xbuilder.hpp>

#include "core/tensor.hpp"

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

}  // namespace initlab::nn::testing
