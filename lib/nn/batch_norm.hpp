#pragma once
// BatchNorm in training mode (Ioffe & Szegedy 2015, arXiv:1502.03167): every unit
// (column) is normalized over the B examples of the batch,
//   mu_j = (1/B) sum_r x_rj,  v_j = (1/B) sum_r (x_rj - mu_j)^2,
//   xhat_rj = (x_rj - mu_j) / sqrt(v_j + eps),  y = xhat * gamma + beta (affine) or xhat,
// so every unit has batch mean 0 and batch variance v_j / (v_j + eps) (1 up to eps
// and rounding). The batch statistics are part of the function: backward
// differentiates through mu and v. No running averages (training mode only).
// Statistics are accumulated in T; a fixed batch size allocates nothing.

#include "core/tensor.hpp"
#include "nn/norm_affine.hpp"

namespace initlab::nn {

// x (B, n), gamma (n), beta (n) -> y (B, n), cache.xhat (B, n), cache.mean (n), cache.inv_std (n)
//   gamma and beta: both nullptr (no affine step) or both of size n; eps finite, >= 0
//   (eps = 0 with a unit constant over the batch, e.g. B = 1, divides by zero).
template <class T>
void batch_norm_forward(Matrix<T>& y, NormCache<T>& cache, const Matrix<T>& x,
                        const Vector<T>* gamma, const Vector<T>* beta, T eps);

// dy (B, n), cache of the forward pass, gamma (n) -> dx (B, n), dgamma (n), dbeta (n)
//   s1_j = sum_r dy_rj,  s2_j = sum_r dy_rj xhat_rj   (in cache.sum_dy, cache.sum_dy_xhat)
//   dx_rj = gamma_j inv_std_j (dy_rj - s1_j / B - xhat_rj s2_j / B)   (gamma_j = 1 without affine)
//   dgamma = s2,  dbeta = s1
// dgamma and dbeta: both nullptr (skipped) or both given. Writes only the scratch of cache.
template <class T>
void batch_norm_backward(Matrix<T>& dx, Vector<T>* dgamma, Vector<T>* dbeta, const Matrix<T>& dy,
                         NormCache<T>& cache, const Vector<T>* gamma);

}  // namespace initlab::nn
