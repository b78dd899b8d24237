#pragma once
// Losses fused with the output nonlinearity, and accuracy helpers.
//
// Every loss returns the MEAN over the batch of the per-example loss and writes
// the gradient of that mean with respect to its first input (so each gradient
// carries the 1/B factor). Cross-entropies read the logits h^L (never a^L), so
// they stay finite for any logit:
//   softmax_cross_entropy  per example: logsumexp(h_b) - h_b[y_b]
//                          dh = (softmax(h) - onehot(y)) / B
//   sigmoid_cross_entropy  per example: sum_j max(h,0) - h y + log1p(exp(-|h|))
//                          dh = (sigmoid(h) - y) / B
//   mean_squared_error     per example: sum_j (a - y)^2      (no 1/2 factor)
//                          da = 2 (a - y) / B
// The network's output activation must match: linear for softmax CE, sigmoid
// (or linear) for sigmoid CE; MSE works on a^L with any output activation.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.hpp"

namespace initlab::nn {

struct Loss {
  enum class Kind { softmax_cross_entropy, sigmoid_cross_entropy, mean_squared_error };
  Kind kind = Kind::softmax_cross_entropy;

  // "softmax_cross_entropy" (aliases "softmax_ce", "cross_entropy", "ce"),
  // "sigmoid_cross_entropy" ("binary_cross_entropy", "bce", "logistic"),
  // "mean_squared_error" ("mse"). Throws std::invalid_argument.
  static Loss parse(std::string_view spec);
  std::string name() const;  // round-trips through parse
  bool classification() const { return kind != Kind::mean_squared_error; }
};

// h (B, C) logits, labels (B) in [0, C) -> mean loss; dh (B, C)
template <class T>
double softmax_cross_entropy(Matrix<T>& dh, const Matrix<T>& h,
                             std::span<const std::size_t> labels);

// h (B, 1) logits, labels (B) in {0, 1} -> mean loss; dh (B, 1)
template <class T>
double sigmoid_cross_entropy(Matrix<T>& dh, const Matrix<T>& h,
                             std::span<const std::size_t> labels);
// h (B, n) logits, y (B, n) targets in [0, 1] -> mean loss; dh (B, n)
template <class T>
double sigmoid_cross_entropy(Matrix<T>& dh, const Matrix<T>& h, const Matrix<T>& y);

// a (B, n), y (B, n) -> mean loss; da (B, n)
template <class T>
double mean_squared_error(Matrix<T>& da, const Matrix<T>& a, const Matrix<T>& y);

// scores (B, C) -> predicted class per row (B): argmax over C for C >= 2 (first
// maximum on ties); for C == 1 the score is a logit and the class is (score > 0).
template <class T>
std::vector<std::size_t> predicted_classes(const Matrix<T>& scores);
// Number of rows whose predicted class (as above) equals labels[i]; allocates
// nothing (the training loop's running accuracy).
template <class T>
std::size_t correct_count(const Matrix<T>& scores, std::span<const std::size_t> labels);
// Fraction of rows with predicted[i] == labels[i]; throws on a size mismatch or
// empty input.
double accuracy(std::span<const std::size_t> predicted, std::span<const std::size_t> labels);
// accuracy(predicted_classes(scores), labels).
template <class T>
double accuracy(const Matrix<T>& scores, std::span<const std::size_t> labels);

}  // namespace initlab::nn
