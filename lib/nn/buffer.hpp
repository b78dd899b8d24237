#pragma once
// Scratch-buffer helpers shared by the nn kernels: a buffer is resized only when
// its shape changes, so a loop with a fixed batch size allocates nothing.

#include <cstddef>

#include "core/tensor.hpp"

namespace initlab::nn {

template <class T>
void ensure_shape(Matrix<T>& m, std::size_t rows, std::size_t cols) {
  if (m.shape()[0] != rows || m.shape()[1] != cols) m.resize({rows, cols});
}

template <class T>
void ensure_shape(Vector<T>& v, std::size_t n) {
  if (v.shape()[0] != n) v.resize({n});
}

}  // namespace initlab::nn
