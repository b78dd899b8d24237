#pragma once
// What nn/trainer.cpp (the training loop) and nn/evaluate.cpp (the scores of a
// trained net) share: the check that data fits a net and a loss, the loss of a
// cached output layer with its gradient, and the evaluation pass (a Network in row
// blocks, nn/eval_blocks.hpp; a Model through its own forward pass). Included by
// those two files only.

#include <cmath>
#include <span>
#include <utility>

#include "core/error.hpp"
#include "nn/activation.hpp"
#include "nn/eval_blocks.hpp"
#include "nn/loss.hpp"
#include "nn/train_access.hpp"
#include "nn/trainer.hpp"

namespace initlab::nn::detail {

// Checks that data fits net and loss; the message names what is wrong.
template <class T, class Net>
void check_data(const char* func, const Net& net, const TrainData<T>& data, Loss loss,
                const char* which) {
  const std::size_t N = data.size(), n0 = input_width(net), nL = output_width(net);
  if (N == 0 || data.X.shape()[1] != n0)
    fail(func, which, " X ", shape_str(data.X.shape()), "; expected (N, ", n0, ") with N >= 1");
  const Activation out = output_activation(net);
  switch (loss.kind) {
    case Loss::Kind::softmax_cross_entropy:
      if (out.kind != Activation::Kind::linear)
        fail(func, "softmax_cross_entropy reads the logits h^L; output activation is ",
             out.name(), ", expected linear");
      if (nL < 2) fail(func, "softmax_cross_entropy with n_L = ", nL, "; expected n_L >= 2");
      break;
    case Loss::Kind::sigmoid_cross_entropy:
      if (out.kind != Activation::Kind::sigmoid && out.kind != Activation::Kind::linear)
        fail(func, "sigmoid_cross_entropy reads the logits h^L; output activation is ",
             out.name(), ", expected sigmoid or linear");
      if (nL != 1) fail(func, "sigmoid_cross_entropy with n_L = ", nL, "; expected n_L = 1");
      break;
    case Loss::Kind::mean_squared_error:
      if (data.Y.shape()[0] != N || data.Y.shape()[1] != nL)
        fail(func, which, " Y ", shape_str(data.Y.shape()), "; expected (", N, ", ", nL,
             ") for mean_squared_error");
      break;
  }
  if (loss.classification() || !data.labels.empty()) {
    if (data.labels.size() != N)
      fail(func, which, " has ", data.labels.size(), " labels for ", N, " rows; expected ", N);
    const std::size_t classes = nL == 1 ? 2 : nL;
    for (std::size_t i = 0; i < N; ++i)
      if (data.labels[i] >= classes)
        fail(func, which, " label[", i, "] = ", data.labels[i], "; expected a class in [0, ",
             classes, ")");
  }
}

// Loss of the cached pass and dL/dh^L into dh (da is scratch for MSE).
template <class T, class Cache>
double output_loss(Matrix<T>& dh, Matrix<T>& da, const Cache& top, Activation out,
                         Loss loss, std::span<const std::size_t> labels, const Matrix<T>& Y) {
  switch (loss.kind) {
    case Loss::Kind::softmax_cross_entropy: return softmax_cross_entropy(dh, top.h, labels);
    case Loss::Kind::sigmoid_cross_entropy: return sigmoid_cross_entropy(dh, top.h, labels);
    case Loss::Kind::mean_squared_error: {
      const double v = mean_squared_error(da, top.a, Y);
      activate_backward(dh, da, top.h, top.a, out);
      return v;
    }
  }
  return 0.0;
}

// Loss and accuracy of a cached forward pass's output layer (dh, da: scratch).
template <class T, class Cache>
std::pair<double, double> score(Matrix<T>& dh, Matrix<T>& da, const Cache& out, Activation f,
                                const TrainData<T>& data, Loss loss) {
  const double v = output_loss(dh, da, out, f, loss, data.labels, data.Y);
  const double acc = data.labels.empty() ? std::nan("") : accuracy(out.h, std::span(data.labels));
  return {v, acc};
}

// A Network evaluates in row blocks into buffers the caller keeps (nn/eval_blocks.hpp).
template <class T>
std::pair<double, double> evaluate_pass(const Network<T>& net, const TrainData<T>& data, Loss loss,
                                        EvalBuffers<T>& e) {
  const LayerCache<T>& out = forward_blocks(e, net, data.X);
  return score(e.dh, e.da, out, net.activations().back(), data, loss);
}

// A Model evaluates through its own forward pass (BatchNorm uses the statistics of
// the evaluated data: training mode only); the next training step overwrites it.
template <class T>
std::pair<double, double> evaluate_pass(Model<T>& m, const TrainData<T>& data, Loss loss,
                                        EvalBuffers<T>& e) {
  m.forward(data.X);
  return score(e.dh, e.da, top(m), output_activation(m), data, loss);
}

}  // namespace initlab::nn::detail
