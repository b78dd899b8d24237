#pragma once
// The fully connected layer's two kernels. GEMMs go to OpenBLAS through
// xtensor-blas (in dense.cpp only); outputs are resized only when their shape
// changes, so a fixed batch size allocates nothing.

#include "core/tensor.hpp"

namespace initlab::nn {

// x (B, in), W (out, in), b (out) -> y (B, out)
//   y = x W^T + b
// Throws if x.shape()[1] != W.shape()[1] or b.size() != W.shape()[0].
template <class T>
void dense_forward(Matrix<T>& y, const Matrix<T>& x, const Matrix<T>& W, const Vector<T>& b);

// dy (B, out), x (B, in), W (out, in) -> dx (B, in), dW (out, in), db (out)
//   dx = dy W,  dW = dy^T x,  db = sum over the batch of dy
// dx may be nullptr (the first layer needs no input gradient).
template <class T>
void dense_backward(Matrix<T>* dx, Matrix<T>& dW, Vector<T>& db, const Matrix<T>& dy,
                    const Matrix<T>& x, const Matrix<T>& W);

// dy (B, out), x (B, in), W (out, in), b (out) -> dx (B, in), db (out); W, b updated
//   dx = dy W                       (W before the update; skipped when dx is nullptr)
//   db = sum over the batch of dy
//   W  = W - lr dy^T x              (one gemm: alpha = -lr, beta = 1; no dW buffer)
//   b  = b - lr db
// Plain SGD's step fused into the backward pass; equal to dense_backward followed
// by W -= lr dW, b -= lr db up to the rounding of the fused multiply-add.
template <class T>
void dense_backward_sgd(Matrix<T>* dx, Vector<T>& db, Matrix<T>& W, Vector<T>& b,
                        const Matrix<T>& dy, const Matrix<T>& x, T lr);

}  // namespace initlab::nn
