#pragma once
// Orthogonality of a drawn (out, in) matrix W with gain g:
//   out <= in: max_ij |(W W^T)_ij - g^2 delta_ij| / g^2   (rows orthonormal)
//   out >  in: max_ij |(W^T W)_ij - g^2 delta_ij| / g^2   (columns orthonormal)
// The Gram matrix is accumulated in double from the stored T values, so the error
// measured is that of W itself.
//
// Tolerance: Householder QR gives ||Q^T Q - I|| <= c m u (Higham, "Accuracy and
// Stability of Numerical Algorithms", 2nd ed., 19.3), u = eps/2, m the long side, a
// worst case; measured errors here are 4e-7..8e-7 in float and 1e-15..5e-15 in
// double for every shape up to 4096 x 1024. The tolerance is 1e-5 in float and
// 1e-12 in double (a check against a wrong Q, a missing row or a wrong gain, which
// give errors of order 1), for long sides up to 4096.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>

#include "core/tensor.hpp"

namespace initlab::init::testing {

template <class T>
double orthogonality_tolerance(FanShape) {
  return sizeof(T) == sizeof(float) ? 1e-5 : 1e-12;
}

template <class T>
double gram_error(std::span<const T> w, FanShape s, double gain) {
  const bool wide = s.out <= s.in;
  const std::size_t k = wide ? s.out : s.in;   // vectors
  const std::size_t len = wide ? s.in : s.out;  // their length
  const auto at = [&](std::size_t vec, std::size_t pos) {
    return static_cast<double>(wide ? w[vec * s.in + pos] : w[pos * s.in + vec]);
  };
  const double g2 = gain * gain;
  double worst = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = i; j < k; ++j) {
      double dot = 0.0;
      for (std::size_t p = 0; p < len; ++p) dot += at(i, p) * at(j, p);
      worst = std::max(worst, std::abs(dot - (i == j ? g2 : 0.0)) / g2);
    }
  }
  return worst;
}

}  // namespace initlab::init::testing
