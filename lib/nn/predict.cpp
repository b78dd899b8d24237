// GCC 12 flags the deliberately undefined registers of its own AVX-512
// intrinsics (_mm512_undefined_*) as uninitialized once xsimd's tanh/exp are
// inlined into the kernels of this file (-march=native on AVX-512 machines).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "nn/predict.hpp"

#include <algorithm>
#include <cmath>
#include <variant>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "core/error.hpp"

namespace initlab::nn {

// h (B, C) -> p (B, C) = exp(h - max_row) / sum_row exp(h - max_row)
template <class T>
Matrix<T> softmax(const Matrix<T>& h) {
  const std::size_t B = h.shape()[0], C = h.shape()[1];
  if (C == 0) fail("softmax", "logits ", shape_str(h.shape()), "; expected (B, C), C >= 1");
  Matrix<T> p(h.shape());
  for (std::size_t r = 0; r < B; ++r) {
    const T* hr = h.data() + r * C;
    T* pr = p.data() + r * C;
    const T m = *std::max_element(hr, hr + C);
    T s = T(0);
    for (std::size_t j = 0; j < C; ++j) s += pr[j] = std::exp(hr[j] - m);
    for (std::size_t j = 0; j < C; ++j) pr[j] /= s;
  }
  return p;
}

// h (B, n) -> p (B, n) = 1 / (1 + exp(-h))
template <class T>
Matrix<T> sigmoid(const Matrix<T>& h) {
  Matrix<T> p(h.shape());
  xt::noalias(p) = T(1) / (T(1) + xt::exp(-h));
  return p;
}

template <class T>
Matrix<T> predict_logits(const Network<T>& net, const Matrix<T>& x) {
  std::vector<LayerCache<T>> cache;
  net.forward(x, cache);
  return std::move(cache.back().h);
}

template <class T>
Matrix<T> predict_proba(const Network<T>& net, const Matrix<T>& x, Loss loss) {
  std::vector<LayerCache<T>> cache;
  net.forward(x, cache);
  switch (loss.kind) {
    case Loss::Kind::softmax_cross_entropy: return softmax(cache.back().h);
    case Loss::Kind::sigmoid_cross_entropy: return sigmoid(cache.back().h);
    case Loss::Kind::mean_squared_error: break;
  }
  return std::move(cache.back().a);
}

template <class T>
std::vector<std::size_t> predict_classes(const Network<T>& net, const Matrix<T>& x) {
  return predicted_classes(predict_logits(net, x));
}

namespace {

// The last block of a Model, which must be the dense output layer.
template <class T>
const DenseBlock<T>& output_layer(const Model<T>& model, const char* func) {
  const auto* d = std::get_if<DenseBlock<T>>(&model.block(model.size() - 1));
  if (d == nullptr)
    fail(func, "the last block (block ", model.size(), ") is not a dense layer; expected a dense output layer");
  return *d;
}

}  // namespace

template <class T>
Matrix<T> predict_logits(Model<T>& model, const Matrix<T>& x) {
  const DenseBlock<T>& top = output_layer(model, "predict_logits");
  model.forward(x);
  return top.h;
}

template <class T>
Matrix<T> predict_proba(Model<T>& model, const Matrix<T>& x, Loss loss) {
  const DenseBlock<T>& top = output_layer(model, "predict_proba");
  model.forward(x);
  switch (loss.kind) {
    case Loss::Kind::softmax_cross_entropy: return softmax(top.h);
    case Loss::Kind::sigmoid_cross_entropy: return sigmoid(top.h);
    case Loss::Kind::mean_squared_error: break;
  }
  return top.a;
}

template <class T>
std::vector<std::size_t> predict_classes(Model<T>& model, const Matrix<T>& x) {
  return predicted_classes(predict_logits(model, x));
}

#define INITLAB_PREDICT_INSTANTIATE(T)                                                  \
  template Matrix<T> softmax<T>(const Matrix<T>&);                                      \
  template Matrix<T> sigmoid<T>(const Matrix<T>&);                                      \
  template Matrix<T> predict_logits<T>(const Network<T>&, const Matrix<T>&);            \
  template Matrix<T> predict_proba<T>(const Network<T>&, const Matrix<T>&, Loss);       \
  template std::vector<std::size_t> predict_classes<T>(const Network<T>&, const Matrix<T>&); \
  template Matrix<T> predict_logits<T>(Model<T>&, const Matrix<T>&);                    \
  template Matrix<T> predict_proba<T>(Model<T>&, const Matrix<T>&, Loss);               \
  template std::vector<std::size_t> predict_classes<T>(Model<T>&, const Matrix<T>&);

INITLAB_PREDICT_INSTANTIATE(float)
INITLAB_PREDICT_INSTANTIATE(double)
#undef INITLAB_PREDICT_INSTANTIATE

}  // namespace initlab::nn
