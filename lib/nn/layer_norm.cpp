#include "nn/layer_norm.hpp"

#include <cmath>

#include "core/error.hpp"
#include "nn/buffer.hpp"

namespace initlab::nn {

namespace {

template <class T>
void check_eps(const char* func, T eps) {
  if (!std::isfinite(eps) || eps < T(0)) fail(func, "eps ", eps, "; expected a finite eps >= 0");
}

// x (n) -> xhat (n); returns (mu, 1 / sqrt(v + eps)) of the row (two passes: mean, then
// the centred second moment, so v >= 0 whatever the offset of the row).
template <class T>
std::pair<T, T> normalize_row(T* xhat, const T* x, std::size_t n, T eps) {
  const T inv_n = T(1) / static_cast<T>(n);
  T sum = 0;
  for (std::size_t j = 0; j < n; ++j) sum += x[j];
  const T mu = sum * inv_n;
  T ss = 0;
  for (std::size_t j = 0; j < n; ++j) ss += (x[j] - mu) * (x[j] - mu);
  const T inv_std = T(1) / std::sqrt(ss * inv_n + eps);
  for (std::size_t j = 0; j < n; ++j) xhat[j] = (x[j] - mu) * inv_std;
  return {mu, inv_std};
}

}  // namespace

// x (B, n) -> y (B, n), xhat (B, n), mean (B), inv_std (B)
template <class T>
void layer_norm_forward(Matrix<T>& y, NormCache<T>& cache, const Matrix<T>& x,
                        const Vector<T>* gamma, const Vector<T>* beta, T eps) {
  const std::size_t B = x.shape()[0], n = x.shape()[1];
  check_eps("layer_norm_forward", eps);
  check_affine("layer_norm_forward", gamma, beta, n);
  if (n == 0) fail("layer_norm_forward", "x ", shape_str(x.shape()), "; expected n >= 1 units");
  ensure_shape(cache.xhat, B, n);
  ensure_shape(cache.mean, B);
  ensure_shape(cache.inv_std, B);
  for (std::size_t r = 0; r < B; ++r) {
    const auto [mu, s] = normalize_row(cache.xhat.data() + r * n, x.data() + r * n, n, eps);
    cache.mean(r) = mu;
    cache.inv_std(r) = s;
  }
  norm_affine_forward(y, cache.xhat, gamma, beta);
}

// dy (B, n), xhat (B, n), inv_std (B), gamma (n) -> dx (B, n), dgamma (n), dbeta (n)
//   per row: g_j = dy_j gamma_j, dx_j = s (g_j - mean g - xhat_j mean(g xhat))
template <class T>
void layer_norm_backward(Matrix<T>& dx, Vector<T>* dgamma, Vector<T>* dbeta, const Matrix<T>& dy,
                         const NormCache<T>& cache, const Vector<T>* gamma) {
  const std::size_t B = cache.xhat.shape()[0], n = cache.xhat.shape()[1];
  if (dy.shape() != cache.xhat.shape() || cache.inv_std.size() != B)
    fail("layer_norm_backward", "dy ", shape_str(dy.shape()), ", cached xhat ",
         shape_str(cache.xhat.shape()), "; expected equal (B, n) shapes from the forward pass");
  if (gamma != nullptr && gamma->size() != n)
    fail("layer_norm_backward", "gamma ", shape_str(gamma->shape()), "; expected (", n, ")");
  if ((dgamma == nullptr) != (dbeta == nullptr))
    fail("layer_norm_backward", "expected dgamma and dbeta both given or both nullptr");
  ensure_shape(dx, B, n);
  const T inv_n = T(1) / static_cast<T>(n);
  const T* gp = gamma ? gamma->data() : nullptr;
  for (std::size_t r = 0; r < B; ++r) {
    const T* dyr = dy.data() + r * n;
    const T* xr = cache.xhat.data() + r * n;
    T* dxr = dx.data() + r * n;
    T sg = 0, sgx = 0;
    for (std::size_t j = 0; j < n; ++j) {
      const T g = gp ? dyr[j] * gp[j] : dyr[j];
      sg += g;
      sgx += g * xr[j];
    }
    const T mg = sg * inv_n, mgx = sgx * inv_n, s = cache.inv_std(r);
    for (std::size_t j = 0; j < n; ++j) {
      const T g = gp ? dyr[j] * gp[j] : dyr[j];
      dxr[j] = s * (g - mg - xr[j] * mgx);
    }
  }
  if (dgamma != nullptr) norm_affine_backward(*dgamma, *dbeta, dy, cache.xhat);
}

#define INITLAB_LAYER_NORM(T)                                                                  \
  template void layer_norm_forward<T>(Matrix<T>&, NormCache<T>&, const Matrix<T>&,             \
                                      const Vector<T>*, const Vector<T>*, T);                  \
  template void layer_norm_backward<T>(Matrix<T>&, Vector<T>*, Vector<T>*, const Matrix<T>&,   \
                                       const NormCache<T>&, const Vector<T>*);
INITLAB_LAYER_NORM(float)
INITLAB_LAYER_NORM(double)
#undef INITLAB_LAYER_NORM

}  // namespace initlab::nn
