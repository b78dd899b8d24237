#pragma once
// Residual blocks (He et al. 2016, arXiv:1512.03385; pre-norm as in Xiong et al.
// 2020, arXiv:2002.04745): y = x + alpha r, r = branch(z), z = pre_norm(x) or x.
// The skip path carries dL/dy to x unchanged; the branch receives alpha dL/dy.
// docs/theory.md states the block's mean-field law.

#include "core/tensor.hpp"
#include "nn/blocks.hpp"

namespace initlab::nn {

// x (B, n), r (B, n) -> y (B, n) = x + alpha r
template <class T>
void residual_forward(Matrix<T>& y, const Matrix<T>& x, const Matrix<T>& r, T alpha);
// dy (B, n) -> dr (B, n) = alpha dy
template <class T>
void residual_branch_gradient(Matrix<T>& dr, const Matrix<T>& dy, T alpha);
// dy (B, n), dx_branch (B, n) -> dx (B, n) = dy + dx_branch   (skip + branch)
template <class T>
void residual_skip_gradient(Matrix<T>& dx, const Matrix<T>& dy, const Matrix<T>& dx_branch);

// x (B, n) -> block.y (B, n); the pre-norm's and the branch layers' caches
template <class T>
void residual_block_forward(ResidualBlock<T>& block, const Matrix<T>& x);
// block.dy (B, n), x (B, n) -> dx (B, n) = dy + dL/dx through the branch; the branch
// layers' dW, db (and the pre-norm's dgamma, dbeta). dx may be nullptr (not computed).
template <class T>
void residual_block_backward(Matrix<T>* dx, ResidualBlock<T>& block, const Matrix<T>& x);

}  // namespace initlab::nn
