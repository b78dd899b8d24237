#include "nn/loss.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "nn/buffer.hpp"

namespace initlab::nn {

Loss Loss::parse(std::string_view spec) {
  Loss f;
  if (spec == "softmax_cross_entropy" || spec == "softmax_ce" || spec == "cross_entropy" ||
      spec == "ce")
    f.kind = Kind::softmax_cross_entropy;
  else if (spec == "sigmoid_cross_entropy" || spec == "binary_cross_entropy" || spec == "bce" ||
           spec == "logistic")
    f.kind = Kind::sigmoid_cross_entropy;
  else if (spec == "mean_squared_error" || spec == "mse")
    f.kind = Kind::mean_squared_error;
  else
    fail("Loss::parse", "unknown loss \"", spec,
         "\"; expected softmax_cross_entropy (ce), sigmoid_cross_entropy (bce) or "
         "mean_squared_error (mse)");
  return f;
}

std::string Loss::name() const {
  switch (kind) {
    case Kind::softmax_cross_entropy: return "softmax_cross_entropy";
    case Kind::sigmoid_cross_entropy: return "sigmoid_cross_entropy";
    case Kind::mean_squared_error: return "mean_squared_error";
  }
  return "softmax_cross_entropy";
}

namespace {

void check_labels(const char* func, std::size_t B, std::size_t classes,
                  std::span<const std::size_t> labels) {
  if (labels.size() != B)
    fail(func, labels.size(), " labels for a batch of ", B, " rows; expected ", B);
  for (std::size_t i = 0; i < B; ++i)
    if (labels[i] >= classes)
      fail(func, "label[", i, "] = ", labels[i], "; expected a class index in [0, ", classes, ")");
}

// The stable log(1 + exp(-|h|)) form: max(h, 0) - h y + log1p(exp(-|h|)).
template <class T>
double logistic_loss(T h, T y) {
  return static_cast<double>(std::max(h, T(0)) - h * y + std::log1p(std::exp(-std::abs(h))));
}

template <class T>
T logistic(T h) {
  if (h >= T(0)) return T(1) / (T(1) + std::exp(-h));
  const T e = std::exp(h);
  return e / (T(1) + e);
}

}  // namespace

// h (B, C) logits, labels (B) -> mean_b [logsumexp(h_b) - h_b[y_b]]; dh (B, C) = (softmax - onehot) / B
template <class T>
double softmax_cross_entropy(Matrix<T>& dh, const Matrix<T>& h,
                             std::span<const std::size_t> labels) {
  const std::size_t B = h.shape()[0], C = h.shape()[1];
  if (B == 0 || C == 0)
    fail("softmax_cross_entropy", "logits ", shape_str(h.shape()), "; expected (B, C), B, C >= 1");
  check_labels("softmax_cross_entropy", B, C, labels);
  ensure_shape(dh, B, C);
  const T inv_B = T(1) / static_cast<T>(B);
  double total = 0.0;
  for (std::size_t r = 0; r < B; ++r) {
    const T* hr = h.data() + r * C;
    T* dr = dh.data() + r * C;
    const T m = *std::max_element(hr, hr + C);
    T s = T(0);
    for (std::size_t j = 0; j < C; ++j) {
      dr[j] = std::exp(hr[j] - m);
      s += dr[j];
    }
    const T scale = inv_B / s;
    for (std::size_t j = 0; j < C; ++j) dr[j] *= scale;
    dr[labels[r]] -= inv_B;
    total += static_cast<double>(m - hr[labels[r]]) + std::log(static_cast<double>(s));
  }
  return total / static_cast<double>(B);
}

// h (B, 1) logits, labels (B) in {0, 1} -> mean loss; dh (B, 1) = (sigmoid(h) - y) / B
template <class T>
double sigmoid_cross_entropy(Matrix<T>& dh, const Matrix<T>& h,
                             std::span<const std::size_t> labels) {
  const std::size_t B = h.shape()[0];
  if (B == 0 || h.shape()[1] != 1)
    fail("sigmoid_cross_entropy", "logits ", shape_str(h.shape()),
         "; expected (B, 1) with B >= 1 for 0/1 labels");
  check_labels("sigmoid_cross_entropy", B, 2, labels);
  ensure_shape(dh, B, 1);
  const T inv_B = T(1) / static_cast<T>(B);
  double total = 0.0;
  for (std::size_t r = 0; r < B; ++r) {
    const T y = static_cast<T>(labels[r]);
    total += logistic_loss(h(r, 0), y);
    dh(r, 0) = (logistic(h(r, 0)) - y) * inv_B;
  }
  return total / static_cast<double>(B);
}

// h (B, n) logits, y (B, n) in [0, 1] -> mean_b sum_j loss; dh (B, n) = (sigmoid(h) - y) / B
template <class T>
double sigmoid_cross_entropy(Matrix<T>& dh, const Matrix<T>& h, const Matrix<T>& y) {
  const std::size_t B = h.shape()[0];
  if (B == 0 || y.shape() != h.shape())
    fail("sigmoid_cross_entropy", "logits ", shape_str(h.shape()), ", targets ",
         shape_str(y.shape()), "; expected equal (B, n) shapes with B >= 1");
  ensure_shape(dh, B, h.shape()[1]);
  const T inv_B = T(1) / static_cast<T>(B);
  double total = 0.0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    const T yi = y.data()[i];
    if (!(yi >= T(0) && yi <= T(1)))
      fail("sigmoid_cross_entropy", "target ", yi, " at flat index ", i, "; expected a value in [0, 1]");
    total += logistic_loss(h.data()[i], yi);
    dh.data()[i] = (logistic(h.data()[i]) - yi) * inv_B;
  }
  return total / static_cast<double>(B);
}

// a (B, n), y (B, n) -> mean_b sum_j (a - y)^2; da (B, n) = 2 (a - y) / B
template <class T>
double mean_squared_error(Matrix<T>& da, const Matrix<T>& a, const Matrix<T>& y) {
  const std::size_t B = a.shape()[0];
  if (B == 0 || y.shape() != a.shape())
    fail("mean_squared_error", "outputs ", shape_str(a.shape()), ", targets ",
         shape_str(y.shape()), "; expected equal (B, n) shapes with B >= 1");
  ensure_shape(da, B, a.shape()[1]);
  const T two_inv_B = T(2) / static_cast<T>(B);
  double total = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const T d = a.data()[i] - y.data()[i];
    total += static_cast<double>(d) * static_cast<double>(d);
    da.data()[i] = d * two_inv_B;
  }
  return total / static_cast<double>(B);
}

namespace {

template <class T>
std::size_t row_class(const T* row, std::size_t C) {
  if (C == 1) return row[0] > T(0) ? 1 : 0;
  return static_cast<std::size_t>(std::max_element(row, row + C) - row);
}

}  // namespace

template <class T>
std::vector<std::size_t> predicted_classes(const Matrix<T>& scores) {
  const std::size_t B = scores.shape()[0], C = scores.shape()[1];
  if (C == 0) fail("predicted_classes", "scores ", shape_str(scores.shape()), "; expected (B, C), C >= 1");
  std::vector<std::size_t> out(B);
  for (std::size_t r = 0; r < B; ++r) out[r] = row_class(scores.data() + r * C, C);
  return out;
}

template <class T>
std::size_t correct_count(const Matrix<T>& scores, std::span<const std::size_t> labels) {
  const std::size_t B = scores.shape()[0], C = scores.shape()[1];
  if (C == 0 || labels.size() != B)
    fail("correct_count", "scores ", shape_str(scores.shape()), " with ", labels.size(),
         " labels; expected (B, C), C >= 1, and B labels");
  std::size_t n = 0;
  for (std::size_t r = 0; r < B; ++r) n += row_class(scores.data() + r * C, C) == labels[r] ? 1 : 0;
  return n;
}

double accuracy(std::span<const std::size_t> predicted, std::span<const std::size_t> labels) {
  if (predicted.size() != labels.size() || labels.empty())
    fail("accuracy", predicted.size(), " predictions for ", labels.size(),
         " labels; expected equal, non-zero sizes");
  std::size_t n = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) n += predicted[i] == labels[i] ? 1 : 0;
  return static_cast<double>(n) / static_cast<double>(labels.size());
}

template <class T>
double accuracy(const Matrix<T>& scores, std::span<const std::size_t> labels) {
  if (labels.empty()) fail("accuracy", "no labels; expected at least one row");
  return static_cast<double>(correct_count(scores, labels)) / static_cast<double>(labels.size());
}

#define INITLAB_LOSS_INSTANTIATE(T)                                                            \
  template double softmax_cross_entropy<T>(Matrix<T>&, const Matrix<T>&,                       \
                                           std::span<const std::size_t>);                      \
  template double sigmoid_cross_entropy<T>(Matrix<T>&, const Matrix<T>&,                       \
                                           std::span<const std::size_t>);                      \
  template double sigmoid_cross_entropy<T>(Matrix<T>&, const Matrix<T>&, const Matrix<T>&);    \
  template double mean_squared_error<T>(Matrix<T>&, const Matrix<T>&, const Matrix<T>&);       \
  template std::vector<std::size_t> predicted_classes<T>(const Matrix<T>&);                    \
  template std::size_t correct_count<T>(const Matrix<T>&, std::span<const std::size_t>);       \
  template double accuracy<T>(const Matrix<T>&, std::span<const std::size_t>);

INITLAB_LOSS_INSTANTIATE(float)
INITLAB_LOSS_INSTANTIATE(double)
#undef INITLAB_LOSS_INSTANTIATE

}  // namespace initlab::nn
