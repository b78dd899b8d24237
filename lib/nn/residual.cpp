#include "nn/residual.hpp"

#include "core/error.hpp"
#include "nn/buffer.hpp"

namespace initlab::nn {

namespace {

template <class T>
void check_same(const char* func, const Matrix<T>& a, const Matrix<T>& b) {
  if (a.shape() != b.shape())
    fail(func, "shapes ", shape_str(a.shape()), " and ", shape_str(b.shape()),
         "; expected equal (B, n) shapes");
}

}  // namespace

// x (B, n), r (B, n) -> y = x + alpha r
template <class T>
void residual_forward(Matrix<T>& y, const Matrix<T>& x, const Matrix<T>& r, T alpha) {
  check_same("residual_forward", x, r);
  ensure_shape(y, x.shape()[0], x.shape()[1]);
  const T* xp = x.data();
  const T* rp = r.data();
  T* yp = y.data();
  for (std::size_t i = 0; i < x.size(); ++i) yp[i] = xp[i] + alpha * rp[i];
}

// dy (B, n) -> dr = alpha dy
template <class T>
void residual_branch_gradient(Matrix<T>& dr, const Matrix<T>& dy, T alpha) {
  ensure_shape(dr, dy.shape()[0], dy.shape()[1]);
  const T* g = dy.data();
  T* out = dr.data();
  for (std::size_t i = 0; i < dy.size(); ++i) out[i] = alpha * g[i];
}

// dy (B, n), dx_branch (B, n) -> dx = dy + dx_branch
template <class T>
void residual_skip_gradient(Matrix<T>& dx, const Matrix<T>& dy, const Matrix<T>& dx_branch) {
  check_same("residual_skip_gradient", dy, dx_branch);
  ensure_shape(dx, dy.shape()[0], dy.shape()[1]);
  const T* g = dy.data();
  const T* gb = dx_branch.data();
  T* out = dx.data();
  for (std::size_t i = 0; i < dy.size(); ++i) out[i] = g[i] + gb[i];
}

// x (B, n) -> z = pre_norm(x) or x -> branch layers -> y = x + alpha r
template <class T>
void residual_block_forward(ResidualBlock<T>& block, const Matrix<T>& x) {
  if (block.pre_norm) norm_block_forward(*block.pre_norm, x);
  const Matrix<T>* in = block.pre_norm ? &block.pre_norm->y : &x;
  for (DenseBlock<T>& layer : block.branch) {
    dense_block_forward(layer, *in);
    in = &layer.a;
  }
  residual_forward(block.y, x, *in, block.alpha);
}

// dy -> dr = alpha dy -> branch layers backward -> dL/dz -> (pre-norm) -> dx = dy + dL/dx
// through the branch. The branch input gradient is skipped when nothing reads it (dx
// nullptr and no affine pre-norm).
template <class T>
void residual_block_backward(Matrix<T>* dx, ResidualBlock<T>& block, const Matrix<T>& x) {
  std::vector<DenseBlock<T>>& branch = block.branch;
  residual_branch_gradient(branch.back().da, block.dy, block.alpha);
  NormBlock<T>* pre = block.pre_norm ? &*block.pre_norm : nullptr;
  const bool need_dz = dx != nullptr || (pre != nullptr && pre->norm.affine);
  const Matrix<T>& z = pre ? pre->y : x;
  Matrix<T>* dz = pre ? &pre->dy : &block.dz;
  for (std::size_t j = branch.size(); j-- > 0;) {
    const Matrix<T>& in = j == 0 ? z : branch[j - 1].a;
    Matrix<T>* din = j == 0 ? (need_dz ? dz : nullptr) : &branch[j - 1].da;
    dense_block_backward(din, branch[j], in, false);
  }
  if (!need_dz) return;
  if (pre) norm_block_backward(block.dz, *pre);
  if (dx) residual_skip_gradient(*dx, block.dy, block.dz);
}

#define INITLAB_RESIDUAL(T)                                                                    \
  template void residual_forward<T>(Matrix<T>&, const Matrix<T>&, const Matrix<T>&, T);        \
  template void residual_branch_gradient<T>(Matrix<T>&, const Matrix<T>&, T);                  \
  template void residual_skip_gradient<T>(Matrix<T>&, const Matrix<T>&, const Matrix<T>&);     \
  template void residual_block_forward<T>(ResidualBlock<T>&, const Matrix<T>&);                \
  template void residual_block_backward<T>(Matrix<T>*, ResidualBlock<T>&, const Matrix<T>&);
INITLAB_RESIDUAL(float)
INITLAB_RESIDUAL(double)
#undef INITLAB_RESIDUAL

}  // namespace initlab::nn
