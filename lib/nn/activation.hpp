#pragma once
// Elementwise activations and their derivatives, vectorized through xtensor +
// xsimd, for the descriptor in core/activation.hpp.

#include "core/activation.hpp"
#include "core/tensor.hpp"

namespace initlab::nn {

// h (B, n) -> a (B, n): a = phi(h)
template <class T>
void activate(Matrix<T>& a, const Matrix<T>& h, Activation f);
// dh (B, n) = da (B, n) * phi'(h); a = phi(h) is passed so tanh/sigmoid reuse it.
template <class T>
void activate_backward(Matrix<T>& dh, const Matrix<T>& da, const Matrix<T>& h,
                       const Matrix<T>& a, Activation f);

}  // namespace initlab::nn
