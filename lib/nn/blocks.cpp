#include "nn/blocks.hpp"

#include "nn/activation.hpp"
#include "nn/batch_norm.hpp"
#include "nn/dense.hpp"
#include "nn/layer_norm.hpp"

namespace initlab::nn {

// x (B, in) -> h = x W^T + b, a = phi(h)   (B, out)
template <class T>
void dense_block_forward(DenseBlock<T>& block, const Matrix<T>& x) {
  dense_forward(block.h, x, block.W, block.b);
  activate(block.a, block.h, block.activation);
}

// da (B, out) or dh, x (B, in) -> dh, dW, db, dx (B, in)
template <class T>
void dense_block_backward(Matrix<T>* dx, DenseBlock<T>& block, const Matrix<T>& x, bool dh_given) {
  if (!dh_given) activate_backward(block.dh, block.da, block.h, block.a, block.activation);
  dense_backward(dx, block.dW, block.db, block.dh, x, block.W);
}

// x (B, n) -> y (B, n), cache
template <class T>
void norm_block_forward(NormBlock<T>& block, const Matrix<T>& x) {
  const bool affine = block.norm.affine;
  const Vector<T>* gamma = affine ? &block.gamma : nullptr;
  const Vector<T>* beta = affine ? &block.beta : nullptr;
  const T eps = static_cast<T>(block.norm.eps);
  if (block.norm.kind == Norm::Kind::layer) {
    layer_norm_forward(block.y, block.cache, x, gamma, beta, eps);
  } else {
    batch_norm_forward(block.y, block.cache, x, gamma, beta, eps);
  }
}

// dy (B, n) -> dx (B, n), dgamma, dbeta
template <class T>
void norm_block_backward(Matrix<T>& dx, NormBlock<T>& block) {
  const bool affine = block.norm.affine;
  const Vector<T>* gamma = affine ? &block.gamma : nullptr;
  Vector<T>* dgamma = affine ? &block.dgamma : nullptr;
  Vector<T>* dbeta = affine ? &block.dbeta : nullptr;
  if (block.norm.kind == Norm::Kind::layer) {
    layer_norm_backward(dx, dgamma, dbeta, block.dy, block.cache, gamma);
  } else {
    batch_norm_backward(dx, dgamma, dbeta, block.dy, block.cache, gamma);
  }
}

#define INITLAB_BLOCKS(T)                                                                     \
  template void dense_block_forward<T>(DenseBlock<T>&, const Matrix<T>&);                     \
  template void dense_block_backward<T>(Matrix<T>*, DenseBlock<T>&, const Matrix<T>&, bool);  \
  template void norm_block_forward<T>(NormBlock<T>&, const Matrix<T>&);                       \
  template void norm_block_backward<T>(Matrix<T>&, NormBlock<T>&);
INITLAB_BLOCKS(float)
INITLAB_BLOCKS(double)
#undef INITLAB_BLOCKS

}  // namespace initlab::nn
