#include "nn/norm_affine.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "nn/buffer.hpp"

namespace initlab::nn {

template <class T>
void check_affine(const char* func, const Vector<T>* gamma, const Vector<T>* beta, std::size_t n) {
  if ((gamma == nullptr) != (beta == nullptr))
    fail(func, "gamma ", gamma ? "given" : "nullptr", ", beta ", beta ? "given" : "nullptr",
         "; expected both or neither");
  if (gamma != nullptr && (gamma->size() != n || beta->size() != n))
    fail(func, "gamma ", shape_str(gamma->shape()), ", beta ", shape_str(beta->shape()),
         "; expected both (", n, ")");
}

// xhat (B, n), gamma (n), beta (n) -> y (B, n) = xhat * gamma + beta (or xhat)
template <class T>
void norm_affine_forward(Matrix<T>& y, const Matrix<T>& xhat, const Vector<T>* gamma,
                         const Vector<T>* beta) {
  const std::size_t B = xhat.shape()[0], n = xhat.shape()[1];
  check_affine("norm_affine_forward", gamma, beta, n);
  ensure_shape(y, B, n);
  if (gamma == nullptr) {
    std::copy(xhat.data(), xhat.data() + xhat.size(), y.data());
    return;
  }
  const T* g = gamma->data();
  const T* b = beta->data();
  for (std::size_t r = 0; r < B; ++r) {
    const T* xr = xhat.data() + r * n;
    T* yr = y.data() + r * n;
    for (std::size_t j = 0; j < n; ++j) yr[j] = xr[j] * g[j] + b[j];
  }
}

// dy (B, n), xhat (B, n) -> dgamma (n) = sum_r dy * xhat, dbeta (n) = sum_r dy
template <class T>
void norm_affine_backward(Vector<T>& dgamma, Vector<T>& dbeta, const Matrix<T>& dy,
                          const Matrix<T>& xhat) {
  const std::size_t B = xhat.shape()[0], n = xhat.shape()[1];
  if (dy.shape() != xhat.shape())
    fail("norm_affine_backward", "dy ", shape_str(dy.shape()), ", xhat ", shape_str(xhat.shape()),
         "; expected equal (B, n) shapes");
  ensure_shape(dgamma, n);
  ensure_shape(dbeta, n);
  T* dg = dgamma.data();
  T* db = dbeta.data();
  std::fill(dg, dg + n, T(0));
  std::fill(db, db + n, T(0));
  for (std::size_t r = 0; r < B; ++r) {
    const T* dyr = dy.data() + r * n;
    const T* xr = xhat.data() + r * n;
    for (std::size_t j = 0; j < n; ++j) {
      dg[j] += dyr[j] * xr[j];
      db[j] += dyr[j];
    }
  }
}

#define INITLAB_NORM_AFFINE(T)                                                                \
  template void check_affine<T>(const char*, const Vector<T>*, const Vector<T>*, std::size_t); \
  template void norm_affine_forward<T>(Matrix<T>&, const Matrix<T>&, const Vector<T>*,        \
                                       const Vector<T>*);                                      \
  template void norm_affine_backward<T>(Vector<T>&, Vector<T>&, const Matrix<T>&,             \
                                        const Matrix<T>&);
INITLAB_NORM_AFFINE(float)
INITLAB_NORM_AFFINE(double)
#undef INITLAB_NORM_AFFINE

}  // namespace initlab::nn
