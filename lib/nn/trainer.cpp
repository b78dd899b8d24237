#include "nn/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <xtensor/xmath.hpp>
#include <xtensor/xreducer.hpp>

#include "core/error.hpp"
#include "nn/buffer.hpp"
#include "nn/predict.hpp"
#include "random/permutation.hpp"

namespace initlab::nn {

namespace {

// Checks that data fits net and loss; the message names what is wrong.
template <class T>
void check_data(const char* func, const Network<T>& net, const TrainData<T>& data, Loss loss,
                const char* which) {
  const std::size_t N = data.size(), n0 = net.widths().front(), nL = net.widths().back();
  if (N == 0 || data.X.shape()[1] != n0)
    fail(func, which, " X ", shape_str(data.X.shape()), "; expected (N, ", n0, ") with N >= 1");
  const Activation out = net.activations().back();
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
template <class T>
double loss_and_gradient(Matrix<T>& dh, Matrix<T>& da, const LayerCache<T>& top, Activation out,
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

// Index of the first layer with a non-finite weight or bias, or 0 if none.
// W - W is 0 for finite entries and NaN otherwise, so the sum is exact (no
// overflow) and vectorized.
template <class T>
std::size_t first_nonfinite_layer(const Network<T>& net) {
  for (std::size_t l = 1; l <= net.depth(); ++l) {
    const T sw = xt::sum(net.W(l) - net.W(l), xt::evaluation_strategy::immediate)();
    const T sb = xt::sum(net.b(l) - net.b(l), xt::evaluation_strategy::immediate)();
    if (!std::isfinite(sw) || !std::isfinite(sb)) return l;
  }
  return 0;
}

template <class T>
std::pair<double, double> evaluate(const Network<T>& net, const TrainData<T>& data, Loss loss) {
  std::vector<LayerCache<T>> cache;
  net.forward(data.X, cache);
  Matrix<T> dh, da;
  const double v = loss_and_gradient(dh, da, cache.back(), net.activations().back(), loss,
                                     data.labels, data.Y);
  const double acc = data.labels.empty() ? std::nan("")
                                         : accuracy(cache.back().h, std::span(data.labels));
  return {v, acc};
}

}  // namespace

template <class T>
double evaluate_loss(const Network<T>& net, const TrainData<T>& data, Loss loss) {
  check_data("evaluate_loss", net, data, loss, "data");
  return evaluate(net, data, loss).first;
}

template <class T>
double evaluate_accuracy(const Network<T>& net, const TrainData<T>& data) {
  if (data.labels.size() != data.size())
    fail("evaluate_accuracy", data.labels.size(), " labels for ", data.size(), " rows; expected ",
         data.size());
  return accuracy(std::span<const std::size_t>(predict_classes(net, data.X)),
                  std::span<const std::size_t>(data.labels));
}

template <class T>
TrainResult train(Network<T>& net, const TrainData<T>& data, const TrainConfig& config,
                  const std::type_identity_t<TrainData<T>>* heldout,
                  const std::type_identity_t<TrainCallbacks<T>>& callbacks) {
  check_data("train", net, data, config.loss, "training data");
  if (heldout != nullptr) check_data("train", net, *heldout, config.loss, "held-out data");
  const std::size_t N = data.size(), n0 = net.widths().front(), nL = net.widths().back();
  const std::size_t B = config.batch == 0 ? N : config.batch;
  if (B > N) fail("train", "batch = ", config.batch, "; expected 0 (full batch) or 1..N = ", N);
  if (config.check_every == 0 || config.callback_every == 0)
    fail("train", "check_every = ", config.check_every, ", callback_every = ",
         config.callback_every, "; expected both >= 1");
  Optimizer<T> opt(config.optimizer, config.allow_zero_lr);
  const Activation out = net.activations().back();
  const bool has_labels = !data.labels.empty();
  const bool direct = !config.shuffle && B == N;  // full batch in order: no gather needed

  TrainResult result;
  {
    const std::size_t per_epoch = config.drop_last ? N / B : (N + B - 1) / B;
    std::size_t total = per_epoch * std::min<std::size_t>(config.epochs, std::size_t{1} << 22);
    if (config.max_steps != 0) total = std::min(total, config.max_steps);
    result.step_loss.reserve(std::min<std::size_t>(total, std::size_t{1} << 22));
  }
  const random::Stream shuffle_root(config.seed);
  std::vector<std::size_t> order(N);
  std::iota(order.begin(), order.end(), std::size_t{0});
  Matrix<T> Xb, Yb, dh, da;
  std::vector<std::size_t> yb;
  std::size_t last_epoch = 0;
  auto diverge = [&](std::size_t epoch, std::size_t step, const std::string& what) {
    result.diverged = true;
    result.diverged_epoch = epoch;
    result.diverged_step = step;
    result.message = cat("diverged at epoch ", epoch, ", step ", step, ": ", what);
  };

  for (std::size_t epoch = 0; epoch < config.epochs; ++epoch) {
    if (config.shuffle) random::permute(order, shuffle_root.split(epoch));
    EpochRecord rec;
    rec.epoch = epoch;
    double loss_sum = 0.0;
    std::size_t rows = 0, correct = 0;
    for (std::size_t start = 0; start < N; start += B) {
      const std::size_t bs = std::min(B, N - start);
      if (bs < B && config.drop_last) break;
      const Matrix<T>* X = &data.X;
      const Matrix<T>* Y = &data.Y;
      std::span<const std::size_t> labels(data.labels);
      if (!direct) {
        ensure_shape(Xb, bs, n0);
        for (std::size_t r = 0; r < bs; ++r) {
          const T* src = data.X.data() + order[start + r] * n0;
          std::copy(src, src + n0, Xb.data() + r * n0);
        }
        if (has_labels) {
          yb.resize(bs);
          for (std::size_t r = 0; r < bs; ++r) yb[r] = data.labels[order[start + r]];
        }
        if (config.loss.kind == Loss::Kind::mean_squared_error) {
          ensure_shape(Yb, bs, nL);
          for (std::size_t r = 0; r < bs; ++r) {
            const T* src = data.Y.data() + order[start + r] * nL;
            std::copy(src, src + nL, Yb.data() + r * nL);
          }
        }
        X = &Xb;
        Y = &Yb;
        labels = std::span<const std::size_t>(yb);
      }
      net.forward(*X);
      const LayerCache<T>& top = net.cache().back();
      const double loss = loss_and_gradient(dh, da, top, out, config.loss, labels, *Y);
      result.step_loss.push_back(loss);
      if (!std::isfinite(loss)) {
        diverge(epoch, result.steps, cat("loss = ", loss));
        return result;
      }
      if (has_labels) correct += correct_count(top.h, labels);
      loss_sum += loss * static_cast<double>(bs);
      rows += bs;
      opt.backward_step(net, dh);
      const std::size_t step = result.steps++;
      ++rec.steps;
      last_epoch = epoch;
      if (result.steps % config.check_every == 0) {
        if (const std::size_t l = first_nonfinite_layer(net); l != 0) {
          diverge(epoch, step, cat("non-finite parameters in layer ", l, " after the update"));
          return result;
        }
      }
      if (callbacks.on_step && result.steps % config.callback_every == 0)
        callbacks.on_step(epoch, step, net, loss);
      if (callbacks.stop && callbacks.stop(epoch, step, net, loss)) {
        result.stopped = true;
        break;
      }
      if (config.max_steps != 0 && result.steps >= config.max_steps) break;
    }
    rec.loss = rows > 0 ? loss_sum / static_cast<double>(rows) : std::nan("");
    if (has_labels && rows > 0)
      rec.train_accuracy = static_cast<double>(correct) / static_cast<double>(rows);
    if (heldout != nullptr) {
      const auto [hl, ha] = evaluate(net, *heldout, config.loss);
      rec.heldout_loss = hl;
      rec.heldout_accuracy = ha;
    }
    result.epochs.push_back(rec);
    if (callbacks.on_epoch) callbacks.on_epoch(rec, net);
    if (result.stopped || (config.max_steps != 0 && result.steps >= config.max_steps)) break;
  }
  if (result.steps % config.check_every != 0) {
    if (const std::size_t l = first_nonfinite_layer(net); l != 0)
      diverge(last_epoch, result.steps - 1,
              cat("non-finite parameters in layer ", l, " (found at the final check)"));
  }
  return result;
}

#define INITLAB_TRAIN_INSTANTIATE(T)                                                        \
  template TrainResult train<T>(Network<T>&, const TrainData<T>&, const TrainConfig&,       \
                                const TrainData<T>*, const TrainCallbacks<T>&);             \
  template double evaluate_loss<T>(const Network<T>&, const TrainData<T>&, Loss);           \
  template double evaluate_accuracy<T>(const Network<T>&, const TrainData<T>&);

INITLAB_TRAIN_INSTANTIATE(float)
INITLAB_TRAIN_INSTANTIATE(double)
#undef INITLAB_TRAIN_INSTANTIATE

}  // namespace initlab::nn
