#include "nn/batch_norm.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "nn/buffer.hpp"

namespace initlab::nn {

namespace {

// x (B, n) -> mean (n) = (1/B) sum_r x_r, inv_std (n) = 1 / sqrt((1/B) sum_r (x_r - mean)^2 + eps)
// Two passes (mean, then the centred second moment), rows accumulated in order.
template <class T>
void column_stats(Vector<T>& mean, Vector<T>& inv_std, const Matrix<T>& x, T eps) {
  const std::size_t B = x.shape()[0], n = x.shape()[1];
  T* mu = mean.data();
  T* ss = inv_std.data();
  std::fill(mu, mu + n, T(0));
  std::fill(ss, ss + n, T(0));
  const T inv_B = T(1) / static_cast<T>(B);
  for (std::size_t r = 0; r < B; ++r) {
    const T* xr = x.data() + r * n;
    for (std::size_t j = 0; j < n; ++j) mu[j] += xr[j];
  }
  for (std::size_t j = 0; j < n; ++j) mu[j] *= inv_B;
  for (std::size_t r = 0; r < B; ++r) {
    const T* xr = x.data() + r * n;
    for (std::size_t j = 0; j < n; ++j) ss[j] += (xr[j] - mu[j]) * (xr[j] - mu[j]);
  }
  for (std::size_t j = 0; j < n; ++j) ss[j] = T(1) / std::sqrt(ss[j] * inv_B + eps);
}

}  // namespace

// x (B, n) -> y (B, n), xhat (B, n), mean (n), inv_std (n)
template <class T>
void batch_norm_forward(Matrix<T>& y, NormCache<T>& cache, const Matrix<T>& x,
                        const Vector<T>* gamma, const Vector<T>* beta, T eps) {
  const std::size_t B = x.shape()[0], n = x.shape()[1];
  if (!std::isfinite(eps) || eps < T(0))
    fail("batch_norm_forward", "eps ", eps, "; expected a finite eps >= 0");
  check_affine("batch_norm_forward", gamma, beta, n);
  if (B == 0) fail("batch_norm_forward", "x ", shape_str(x.shape()), "; expected B >= 1 examples");
  ensure_shape(cache.xhat, B, n);
  ensure_shape(cache.mean, n);
  ensure_shape(cache.inv_std, n);
  column_stats(cache.mean, cache.inv_std, x, eps);
  const T* mu = cache.mean.data();
  const T* s = cache.inv_std.data();
  for (std::size_t r = 0; r < B; ++r) {
    const T* xr = x.data() + r * n;
    T* hr = cache.xhat.data() + r * n;
    for (std::size_t j = 0; j < n; ++j) hr[j] = (xr[j] - mu[j]) * s[j];
  }
  norm_affine_forward(y, cache.xhat, gamma, beta);
}

// dy (B, n), xhat (B, n), inv_std (n), gamma (n) -> dx (B, n), dgamma (n), dbeta (n)
//   dx_rj = gamma_j inv_std_j (dy_rj - s1_j / B - xhat_rj s2_j / B)
template <class T>
void batch_norm_backward(Matrix<T>& dx, Vector<T>* dgamma, Vector<T>* dbeta, const Matrix<T>& dy,
                         NormCache<T>& cache, const Vector<T>* gamma) {
  const std::size_t B = cache.xhat.shape()[0], n = cache.xhat.shape()[1];
  if (dy.shape() != cache.xhat.shape() || cache.inv_std.size() != n)
    fail("batch_norm_backward", "dy ", shape_str(dy.shape()), ", cached xhat ",
         shape_str(cache.xhat.shape()), "; expected equal (B, n) shapes from the forward pass");
  if (gamma != nullptr && gamma->size() != n)
    fail("batch_norm_backward", "gamma ", shape_str(gamma->shape()), "; expected (", n, ")");
  if ((dgamma == nullptr) != (dbeta == nullptr))
    fail("batch_norm_backward", "expected dgamma and dbeta both given or both nullptr");
  norm_affine_backward(cache.sum_dy_xhat, cache.sum_dy, dy, cache.xhat);
  ensure_shape(dx, B, n);
  const T inv_B = T(1) / static_cast<T>(B);
  const T* s1 = cache.sum_dy.data();
  const T* s2 = cache.sum_dy_xhat.data();
  const T* s = cache.inv_std.data();
  const T* gp = gamma ? gamma->data() : nullptr;
  for (std::size_t r = 0; r < B; ++r) {
    const T* dyr = dy.data() + r * n;
    const T* xr = cache.xhat.data() + r * n;
    T* dxr = dx.data() + r * n;
    for (std::size_t j = 0; j < n; ++j) {
      const T scale = gp ? gp[j] * s[j] : s[j];
      dxr[j] = scale * (dyr[j] - (s1[j] + xr[j] * s2[j]) * inv_B);
    }
  }
  if (dgamma != nullptr) {
    ensure_shape(*dgamma, n);
    ensure_shape(*dbeta, n);
    std::copy(s2, s2 + n, dgamma->data());
    std::copy(s1, s1 + n, dbeta->data());
  }
}

#define INITLAB_BATCH_NORM(T)                                                                  \
  template void batch_norm_forward<T>(Matrix<T>&, NormCache<T>&, const Matrix<T>&,             \
                                      const Vector<T>*, const Vector<T>*, T);                  \
  template void batch_norm_backward<T>(Matrix<T>&, Vector<T>*, Vector<T>*, const Matrix<T>&,   \
                                       NormCache<T>&, const Vector<T>*);
INITLAB_BATCH_NORM(float)
INITLAB_BATCH_NORM(double)
#undef INITLAB_BATCH_NORM

}  // namespace initlab::nn
