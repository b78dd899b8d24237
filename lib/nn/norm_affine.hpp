#pragma once
// What LayerNorm and BatchNorm share: the cache their backward passes read, and
// the optional affine step y = xhat * gamma + beta with gamma, beta per unit
// (column). Both norms normalize x (B, n) into xhat (B, n); LayerNorm's
// statistics are per example (B entries), BatchNorm's per unit (n entries).
// Buffers are resized only when their shape changes (nn/buffer.hpp), so a fixed
// batch size allocates nothing.

#include "core/tensor.hpp"

namespace initlab::nn {

template <class T>
struct NormCache {
  Matrix<T> xhat;     // (B, n) the normalized input, before gamma and beta
  Vector<T> mean;     // (B) layer norm, (n) batch norm
  Vector<T> inv_std;  // 1 / sqrt(var + eps), the shape of mean (var with divisor n resp. B)
  Vector<T> sum_dy;       // (n) backward scratch: sum over the batch of dy
  Vector<T> sum_dy_xhat;  // (n) backward scratch: sum over the batch of dy * xhat
};

// xhat (B, n), gamma (n), beta (n) -> y (B, n)
//   y = xhat * gamma + beta per column; y = xhat when gamma and beta are nullptr
// Throws unless gamma and beta are both nullptr or both of size n.
template <class T>
void norm_affine_forward(Matrix<T>& y, const Matrix<T>& xhat, const Vector<T>* gamma,
                         const Vector<T>* beta);

// dy (B, n), xhat (B, n) -> dgamma (n), dbeta (n)
//   dgamma = sum over the batch of dy * xhat,  dbeta = sum over the batch of dy
template <class T>
void norm_affine_backward(Vector<T>& dgamma, Vector<T>& dbeta, const Matrix<T>& dy,
                          const Matrix<T>& xhat);

// Throws std::invalid_argument (naming func) unless gamma and beta are both
// nullptr or both of size n.
template <class T>
void check_affine(const char* func, const Vector<T>* gamma, const Vector<T>* beta, std::size_t n);

}  // namespace initlab::nn
