#pragma once
// Tensor aliases used across initlab. Only the container header is included here;
// xtensor-blas (xlinalg) stays inside the few .cpp files that call BLAS.
//
// Conventions: a batch of activations is (B, n) row-major; weights are (out, in),
// so fan_in == W.shape()[1] and fan_out == W.shape()[0].

#include <cstddef>
#include <xtensor/xtensor.hpp>

#include "core/fan_shape.hpp"

namespace initlab {

template <class T>
using Matrix = xt::xtensor<T, 2>;
template <class T>
using Vector = xt::xtensor<T, 1>;


}  // namespace initlab
