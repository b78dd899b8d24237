// GCC 12 flags the deliberately undefined registers of its own AVX-512
// intrinsics (_mm512_undefined_*) as uninitialized once xsimd's tanh/exp are
// inlined into the kernels of this file (-march=native on AVX-512 machines).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "nn/activation.hpp"

#include <cmath>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "core/error.hpp"
#include "nn/buffer.hpp"

namespace initlab::nn {

// h (B, n) -> a (B, n): a = phi(h)
template <class T>
void activate(Matrix<T>& a, const Matrix<T>& h, Activation f) {
  ensure_shape(a, h.shape()[0], h.shape()[1]);
  const T zero = T(0), one = T(1), slope = static_cast<T>(f.slope);
  switch (f.kind) {
    case Activation::Kind::linear: xt::noalias(a) = h; break;
    case Activation::Kind::tanh: xt::noalias(a) = xt::tanh(h); break;
    case Activation::Kind::relu: xt::noalias(a) = xt::maximum(h, zero); break;
    case Activation::Kind::leaky_relu:
      xt::noalias(a) = xt::maximum(h, zero) + slope * xt::minimum(h, zero);
      break;
    case Activation::Kind::sigmoid: xt::noalias(a) = one / (one + xt::exp(-h)); break;
  }
}

// da (B, n), h (B, n), a (B, n) -> dh (B, n) = da * phi'(h)
//   tanh' = 1 - a^2, sigmoid' = a (1 - a), relu' = [h > 0], leaky' = [h > 0] + slope [h <= 0]
template <class T>
void activate_backward(Matrix<T>& dh, const Matrix<T>& da, const Matrix<T>& h,
                       const Matrix<T>& a, Activation f) {
  if (da.shape() != h.shape() || a.shape() != h.shape())
    fail("activate_backward", "da ", shape_str(da.shape()), ", h ", shape_str(h.shape()), ", a ",
         shape_str(a.shape()), "; expected three equal (B, n) shapes");
  ensure_shape(dh, h.shape()[0], h.shape()[1]);
  const T zero = T(0), one = T(1), slope = static_cast<T>(f.slope);
  switch (f.kind) {
    case Activation::Kind::linear: xt::noalias(dh) = da; break;
    case Activation::Kind::tanh: xt::noalias(dh) = da * (one - a * a); break;
    case Activation::Kind::relu: xt::noalias(dh) = xt::where(h > zero, da, zero); break;
    case Activation::Kind::leaky_relu:
      xt::noalias(dh) = xt::where(h > zero, da, slope * da);
      break;
    case Activation::Kind::sigmoid: xt::noalias(dh) = da * a * (one - a); break;
  }
}

template void activate<float>(Matrix<float>&, const Matrix<float>&, Activation);
template void activate<double>(Matrix<double>&, const Matrix<double>&, Activation);
template void activate_backward<float>(Matrix<float>&, const Matrix<float>&, const Matrix<float>&,
                                       const Matrix<float>&, Activation);
template void activate_backward<double>(Matrix<double>&, const Matrix<double>&,
                                        const Matrix<double>&, const Matrix<double>&, Activation);

}  // namespace initlab::nn
