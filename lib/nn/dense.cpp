#include "nn/dense.hpp"

#include <algorithm>
#include <xtensor-blas/xblas.hpp>

#include "core/error.hpp"
#include "nn/buffer.hpp"

namespace initlab::nn {

// x (B, in), W (out, in), b (out) -> y (B, out)
//   every row of y = b, then y = 1 * x W^T + 1 * y   (one sgemm/dgemm)
template <class T>
void dense_forward(Matrix<T>& y, const Matrix<T>& x, const Matrix<T>& W, const Vector<T>& b) {
  const std::size_t B = x.shape()[0], in = W.shape()[1], out = W.shape()[0];
  if (x.shape()[1] != in || b.size() != out)
    fail("dense_forward", "x ", shape_str(x.shape()), ", W ", shape_str(W.shape()), ", b ",
         shape_str(b.shape()), "; expected x (B, ", in, ") and b (", out, ")");
  ensure_shape(y, B, out);
  T* yp = y.data();
  for (std::size_t r = 0; r < B; ++r) std::copy(b.data(), b.data() + out, yp + r * out);
  if (B == 0 || out == 0) return;
  xt::blas::gemm(x, W, y, false, true, T(1), T(1));
}

namespace {

// dy (B, out), x (B, in), W (out, in) -> throws unless the shapes agree.
template <class T>
void check_backward(const char* func, const Matrix<T>& dy, const Matrix<T>& x, const Matrix<T>& W) {
  const std::size_t B = dy.shape()[0], in = W.shape()[1], out = W.shape()[0];
  if (dy.shape()[1] != out || x.shape()[0] != B || x.shape()[1] != in)
    fail(func, "dy ", shape_str(dy.shape()), ", x ", shape_str(x.shape()), ", W ",
         shape_str(W.shape()), "; expected dy (B, ", out, ") and x (B, ", in, ") with the same B");
}

// dy (B, out) -> db (out) = sum_r dy[r, :]   (row-wise accumulation, vectorized inner loop)
template <class T>
void bias_gradient(Vector<T>& db, const Matrix<T>& dy) {
  const std::size_t B = dy.shape()[0], out = dy.shape()[1];
  ensure_shape(db, out);
  T* dbp = db.data();
  std::fill(dbp, dbp + out, T(0));
  const T* dyp = dy.data();
  for (std::size_t r = 0; r < B; ++r) {
    const T* row = dyp + r * out;
    for (std::size_t j = 0; j < out; ++j) dbp[j] += row[j];
  }
}

// dy (B, out), W (out, in) -> dx (B, in) = dy W   (gemm), nothing when dx is nullptr
template <class T>
void input_gradient(Matrix<T>* dx, const Matrix<T>& dy, const Matrix<T>& W) {
  if (dx == nullptr) return;
  ensure_shape(*dx, dy.shape()[0], W.shape()[1]);
  if (dy.shape()[0] > 0) xt::blas::gemm(dy, W, *dx, false, false, T(1), T(0));
}

}  // namespace

// dy (B, out), x (B, in), W (out, in) -> dx (B, in), dW (out, in), db (out)
//   dW = dy^T x               (gemm, transA)
//   db = sum_r dy[r, :]
//   dx = dy W                 (gemm), skipped when dx is nullptr
template <class T>
void dense_backward(Matrix<T>* dx, Matrix<T>& dW, Vector<T>& db, const Matrix<T>& dy,
                    const Matrix<T>& x, const Matrix<T>& W) {
  check_backward("dense_backward", dy, x, W);
  ensure_shape(dW, W.shape()[0], W.shape()[1]);
  bias_gradient(db, dy);
  if (dy.shape()[0] == 0) {
    std::fill(dW.begin(), dW.end(), T(0));
  } else {
    xt::blas::gemm(dy, x, dW, true, false, T(1), T(0));
  }
  input_gradient(dx, dy, W);
}

// dy (B, out), x (B, in), W (out, in), b (out) -> dx (B, in), db (out); then
//   W = -lr dy^T x + 1 W      (one gemm, transA, in place)
//   b = b - lr db
template <class T>
void dense_backward_sgd(Matrix<T>* dx, Vector<T>& db, Matrix<T>& W, Vector<T>& b,
                        const Matrix<T>& dy, const Matrix<T>& x, T lr) {
  check_backward("dense_backward_sgd", dy, x, W);
  if (b.size() != W.shape()[0])
    fail("dense_backward_sgd", "b ", shape_str(b.shape()), "; expected (", W.shape()[0], ")");
  bias_gradient(db, dy);
  input_gradient(dx, dy, W);
  if (dy.shape()[0] > 0) xt::blas::gemm(dy, x, W, true, false, -lr, T(1));
  T* bp = b.data();
  const T* dbp = db.data();
  for (std::size_t j = 0; j < b.size(); ++j) bp[j] -= lr * dbp[j];
}

template void dense_forward<float>(Matrix<float>&, const Matrix<float>&, const Matrix<float>&,
                                   const Vector<float>&);
template void dense_forward<double>(Matrix<double>&, const Matrix<double>&, const Matrix<double>&,
                                    const Vector<double>&);
template void dense_backward<float>(Matrix<float>*, Matrix<float>&, Vector<float>&,
                                    const Matrix<float>&, const Matrix<float>&,
                                    const Matrix<float>&);
template void dense_backward<double>(Matrix<double>*, Matrix<double>&, Vector<double>&,
                                     const Matrix<double>&, const Matrix<double>&,
                                     const Matrix<double>&);

template void dense_backward_sgd<float>(Matrix<float>*, Vector<float>&, Matrix<float>&,
                                        Vector<float>&, const Matrix<float>&,
                                        const Matrix<float>&, float);
template void dense_backward_sgd<double>(Matrix<double>*, Vector<double>&, Matrix<double>&,
                                         Vector<double>&, const Matrix<double>&,
                                         const Matrix<double>&, double);

}  // namespace initlab::nn
