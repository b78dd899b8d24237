#pragma once
// Predictions for new inputs from a trained (const) network. These run their own
// forward pass and allocate: they are for evaluation, not the training loop.

#include <cstddef>
#include <vector>

#include "core/tensor.hpp"
#include "nn/loss.hpp"
#include "nn/model.hpp"
#include "nn/network.hpp"

namespace initlab::nn {

// h (B, C) -> p (B, C): row-wise softmax (max subtracted first); rows sum to 1.
template <class T>
Matrix<T> softmax(const Matrix<T>& h);
// h (B, n) -> p (B, n) = 1 / (1 + exp(-h)).
template <class T>
Matrix<T> sigmoid(const Matrix<T>& h);

// x (B, n_0) -> h^L (B, n_L), the output logits.
template <class T>
Matrix<T> predict_logits(const Network<T>& net, const Matrix<T>& x);
// x (B, n_0) -> probabilities / outputs (B, n_L): softmax(h^L) for softmax CE,
// sigmoid(h^L) for sigmoid CE, a^L for MSE.
template <class T>
Matrix<T> predict_proba(const Network<T>& net, const Matrix<T>& x, Loss loss);
// x (B, n_0) -> class per row: predicted_classes(h^L) (argmax, or h^L > 0 when n_L == 1).
template <class T>
std::vector<std::size_t> predict_classes(const Network<T>& net, const Matrix<T>& x);

// The same for a described network (nn/model.hpp) whose last block is a dense layer
// (else std::invalid_argument naming it). They run model.forward, which overwrites
// its caches. BatchNorm normalizes with the statistics of x's rows (training mode:
// the library keeps no running statistics), so a row's prediction depends on the
// other rows of x.
template <class T>
Matrix<T> predict_logits(Model<T>& model, const Matrix<T>& x);
template <class T>
Matrix<T> predict_proba(Model<T>& model, const Matrix<T>& x, Loss loss);
template <class T>
std::vector<std::size_t> predict_classes(Model<T>& model, const Matrix<T>& x);

}  // namespace initlab::nn
