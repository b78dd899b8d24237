#pragma once
// LayerNorm (Ba, Kiros & Hinton 2016, arXiv:1607.06450): every example (row) is
// normalized over its n units,
//   mu_r = (1/n) sum_j x_rj,  v_r = (1/n) sum_j (x_rj - mu_r)^2,
//   xhat_rj = (x_rj - mu_r) / sqrt(v_r + eps),  y = xhat * gamma + beta (affine) or xhat,
// so (1/n) sum_j xhat_rj^2 = v_r / (v_r + eps): 1 up to eps and rounding.
// Statistics are accumulated in T; a fixed batch size allocates nothing.

#include "core/tensor.hpp"
#include "nn/norm_affine.hpp"

namespace initlab::nn {

// x (B, n), gamma (n), beta (n) -> y (B, n), cache.xhat (B, n), cache.mean (B), cache.inv_std (B)
//   gamma and beta: both nullptr (no affine step) or both of size n; eps finite, >= 0
//   (eps = 0 with a constant row divides by zero).
template <class T>
void layer_norm_forward(Matrix<T>& y, NormCache<T>& cache, const Matrix<T>& x,
                        const Vector<T>* gamma, const Vector<T>* beta, T eps);

// dy (B, n), cache of the forward pass, gamma (n) -> dx (B, n), dgamma (n), dbeta (n)
//   g = dy * gamma (g = dy without affine), per row r:
//   dx_r = inv_std_r (g_r - mean_j g_rj - xhat_r mean_j (g_rj xhat_rj))
//   dgamma = sum over the batch of dy * xhat,  dbeta = sum over the batch of dy
// dgamma and dbeta: both nullptr (skipped) or both given.
template <class T>
void layer_norm_backward(Matrix<T>& dx, Vector<T>* dgamma, Vector<T>* dbeta, const Matrix<T>& dy,
                         const NormCache<T>& cache, const Vector<T>* gamma);

}  // namespace initlab::nn
