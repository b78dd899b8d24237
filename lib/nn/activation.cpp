// GCC 12 flags the deliberately undefined registers of its own AVX-512
// intrinsics (_mm512_undefined_*) as uninitialized once xsimd's tanh/exp are
// inlined into the kernels of this file (-march=native on AVX-512 machines).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "nn/activation.hpp"

#include <cmath>
#include <numbers>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "core/error.hpp"
#include "nn/buffer.hpp"

namespace initlab::nn {

namespace {
constexpr double kSeluLambda = Activation::kSeluLambda;
constexpr double kSeluAlpha = Activation::kSeluAlpha;
}  // namespace

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
    case Activation::Kind::gelu:  // h Phi(h), Phi(h) = erfc(-h / sqrt 2) / 2 (exact in the lower tail)
      xt::noalias(a) = T(0.5) * h * xt::erfc(h * T(-std::numbers::sqrt2 / 2));
      break;
    case Activation::Kind::selu: {  // lambda h (h > 0), lambda alpha (e^h - 1) (h <= 0)
      const T lambda = T(kSeluLambda), la = T(kSeluLambda * kSeluAlpha);
      xt::noalias(a) = lambda * xt::maximum(h, zero) + la * xt::expm1(xt::minimum(h, zero));
      break;
    }
    case Activation::Kind::silu: xt::noalias(a) = h / (one + xt::exp(-h)); break;
    case Activation::Kind::erf: xt::noalias(a) = xt::erf(h); break;
    case Activation::Kind::softplus:  // ln(1 + e^h) without overflow
      xt::noalias(a) = xt::maximum(h, zero) + xt::log1p(xt::exp(-xt::abs(h)));
      break;
  }
}

// da (B, n), h (B, n), a (B, n) -> dh (B, n) = da * phi'(h)
//   tanh' = 1 - a^2, sigmoid' = a (1 - a), relu' = [h > 0], leaky' = [h > 0] + slope [h <= 0],
//   gelu' = Phi(h) + h phi(h), selu' = lambda [h > 0] + (a + lambda alpha) [h <= 0],
//   silu' = s + a (1 - s) with s = sigmoid(h), erf' = 2 exp(-h^2) / sqrt(pi), softplus' = s
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
    case Activation::Kind::gelu: {
      const T half = T(0.5), inv_sqrt_2pi = T(0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2);
      xt::noalias(dh) = da * (half * xt::erfc(h * T(-std::numbers::sqrt2 / 2)) +
                              inv_sqrt_2pi * h * xt::exp(T(-0.5) * h * h));
      break;
    }
    case Activation::Kind::selu: {
      const T lambda = T(kSeluLambda), la = T(kSeluLambda * kSeluAlpha);
      xt::noalias(dh) = da * xt::where(h > zero, lambda, a + la);
      break;
    }
    case Activation::Kind::silu: {
      auto s = one / (one + xt::exp(-h));
      xt::noalias(dh) = da * (s + a * (one - s));
      break;
    }
    case Activation::Kind::erf:
      xt::noalias(dh) = da * T(2.0 * std::numbers::inv_sqrtpi) * xt::exp(-h * h);
      break;
    case Activation::Kind::softplus: xt::noalias(dh) = da / (one + xt::exp(-h)); break;
  }
}

template void activate<float>(Matrix<float>&, const Matrix<float>&, Activation);
template void activate<double>(Matrix<double>&, const Matrix<double>&, Activation);
template void activate_backward<float>(Matrix<float>&, const Matrix<float>&, const Matrix<float>&,
                                       const Matrix<float>&, Activation);
template void activate_backward<double>(Matrix<double>&, const Matrix<double>&,
                                        const Matrix<double>&, const Matrix<double>&, Activation);

}  // namespace initlab::nn
