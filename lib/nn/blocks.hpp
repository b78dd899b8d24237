#pragma once
// The blocks a Model (nn/model.hpp) is made of, one per block of a NetDescription
// (core/net_description.hpp): each holds its parameters, the cache of the last
// forward pass and the gradients of the last backward pass. Buffers are resized
// only when the batch size changes, so a fixed batch size allocates nothing.
// Gradient buffers are sized at construction (Model), so views of them stay valid.
//
// dL/d(block output) is `da` for a dense block, `dy` for the others.

#include <optional>
#include <vector>

#include "core/activation.hpp"
#include "core/net_description.hpp"
#include "core/tensor.hpp"
#include "nn/norm_affine.hpp"

namespace initlab::nn {

// h = x W^T + b, a = phi(h)
template <class T>
struct DenseBlock {
  Activation activation;
  Matrix<T> W;     // (out, in)
  Vector<T> b;     // (out)
  Matrix<T> h, a;  // (B, out) cache: pre-activation, activation (the output)
  Matrix<T> dW;    // (out, in)
  Vector<T> db;    // (out)
  Matrix<T> dh;    // (B, out) dL/dh
  Matrix<T> da;    // (B, out) dL/da
};

// y = xhat (* gamma + beta): LayerNorm or BatchNorm (training mode)
template <class T>
struct NormBlock {
  Norm norm;               // kind, affine, eps
  Vector<T> gamma, beta;   // (n) when norm.affine (ones, zeros at initialization), else empty
  NormCache<T> cache;      // xhat, mean, inv_std of the last forward
  Matrix<T> y;             // (B, n) output
  Vector<T> dgamma, dbeta; // (n) when norm.affine
  Matrix<T> dy;            // (B, n) dL/dy
};

// y = x + alpha r,  r = branch(z),  z = pre_norm(x) or x
template <class T>
struct ResidualBlock {
  T alpha = T(1);
  std::optional<NormBlock<T>> pre_norm;  // its dy is dL/dz
  std::vector<DenseBlock<T>> branch;     // >= 1 layers, r = branch.back().a
  Matrix<T> y;   // (B, n) output
  Matrix<T> dy;  // (B, n) dL/dy
  Matrix<T> dz;  // (B, n) scratch: dL/dz without a pre-norm, dL/dx through the pre-norm with one
};

// x (B, in) -> block.h, block.a (B, out)
template <class T>
void dense_block_forward(DenseBlock<T>& block, const Matrix<T>& x);
// block.da (B, out), or block.dh when dh_given, x (B, in) -> dx (B, in), block.dh, dW, db
//   dh = da * phi'(h) (unless dh_given), dW = dh^T x, db = sum_B dh, dx = dh W
// dx may be nullptr (not computed).
template <class T>
void dense_block_backward(Matrix<T>* dx, DenseBlock<T>& block, const Matrix<T>& x, bool dh_given);

// x (B, n) -> block.y (B, n), block.cache
template <class T>
void norm_block_forward(NormBlock<T>& block, const Matrix<T>& x);
// block.dy (B, n) -> dx (B, n), block.dgamma, block.dbeta (when affine)
template <class T>
void norm_block_backward(Matrix<T>& dx, NormBlock<T>& block);

}  // namespace initlab::nn
