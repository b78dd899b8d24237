#include "nn/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <xtensor/xmath.hpp>
#include <xtensor/xreducer.hpp>

#include "core/error.hpp"
#include "core/finite.hpp"
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

// The first layer l whose W^l or b^l holds inf or NaN; 0 if none (core/finite.hpp).
template <class T>
std::size_t first_nonfinite_layer(const Network<T>& net) {
  for (std::size_t l = 1; l <= net.depth(); ++l)
    if (!all_finite(net.W(l).data(), net.W(l).size()) || !all_finite(net.b(l).data(), net.b(l).size()))
      return l;
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

namespace {

// The batch size train uses (0 = full batch); throws for a bad configuration.
template <class T>
std::size_t checked_batch(const Network<T>& net, const TrainData<T>& data, const TrainConfig& config,
                          const TrainData<T>* heldout) {
  check_data("train", net, data, config.loss, "training data");
  if (heldout != nullptr) check_data("train", net, *heldout, config.loss, "held-out data");
  const std::size_t N = data.size();
  const std::size_t B = config.batch == 0 ? N : config.batch;
  if (B > N) fail("train", "batch = ", config.batch, "; expected 0 (full batch) or 1..N = ", N);
  if (config.check_every == 0 || config.callback_every == 0)
    fail("train", "check_every = ", config.check_every, ", callback_every = ",
         config.callback_every, "; expected both >= 1");
  return B;
}

// What one call of train carries from step to step.
template <class T>
struct TrainState {
  Network<T>& net;
  const TrainData<T>& data;
  const TrainConfig& config;
  const TrainCallbacks<T>& callbacks;
  Optimizer<T> opt;
  std::size_t B;
  bool direct;  // full batch in order: the data is the batch, no gather
  std::vector<std::size_t> order;
  Matrix<T> Xb, Yb, dh, da;  // gathered batch (B, n_0), (B, n_L); dL/dh^L; MSE scratch
  std::vector<std::size_t> yb;
  std::size_t last_epoch = 0;
  TrainResult result;

  TrainState(Network<T>& n, const TrainData<T>& d, const TrainConfig& c,
             const TrainCallbacks<T>& cb, std::size_t batch)
      : net(n), data(d), config(c), callbacks(cb), opt(c.optimizer, c.allow_zero_lr), B(batch),
        direct(!c.shuffle && batch == d.size()), order(d.size()) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    const std::size_t N = d.size();
    const std::size_t per_epoch = c.drop_last ? N / B : (N + B - 1) / B;
    std::size_t total = per_epoch * std::min<std::size_t>(c.epochs, std::size_t{1} << 22);
    if (c.max_steps != 0) total = std::min(total, c.max_steps);
    result.step_loss.reserve(std::min<std::size_t>(total, std::size_t{1} << 22));
  }

  void diverge(std::size_t epoch, std::size_t step, const std::string& what) {
    result.diverged = true;
    result.diverged_epoch = epoch;
    result.diverged_step = step;
    result.message = cat("diverged at epoch ", epoch, ", step ", step, ": ", what);
  }
  bool out_of_steps() const { return config.max_steps != 0 && result.steps >= config.max_steps; }
};

// One batch: rows order[start .. start + bs) of the data, gathered unless direct.
template <class T>
struct Batch {
  const Matrix<T>* X;
  const Matrix<T>* Y;
  std::span<const std::size_t> labels;
};

// X (N, n_0), Y (N, n_L), labels (N) -> Xb (bs, n_0), Yb (bs, n_L), yb (bs)
template <class T>
Batch<T> gather(TrainState<T>& s, std::size_t start, std::size_t bs) {
  const TrainData<T>& d = s.data;
  if (s.direct) return {&d.X, &d.Y, std::span<const std::size_t>(d.labels)};
  const std::size_t n0 = d.X.shape()[1];
  ensure_shape(s.Xb, bs, n0);
  for (std::size_t r = 0; r < bs; ++r) {
    const T* src = d.X.data() + s.order[start + r] * n0;
    std::copy(src, src + n0, s.Xb.data() + r * n0);
  }
  if (!d.labels.empty()) {
    s.yb.resize(bs);
    for (std::size_t r = 0; r < bs; ++r) s.yb[r] = d.labels[s.order[start + r]];
  }
  if (s.config.loss.kind == Loss::Kind::mean_squared_error) {
    const std::size_t nL = d.Y.shape()[1];
    ensure_shape(s.Yb, bs, nL);
    for (std::size_t r = 0; r < bs; ++r) {
      const T* src = d.Y.data() + s.order[start + r] * nL;
      std::copy(src, src + nL, s.Yb.data() + r * nL);
    }
  }
  return {&s.Xb, &s.Yb, std::span<const std::size_t>(s.yb)};
}

// go_on: next step; end: the epoch ends and training stops; abort: diverged,
// train returns at once (no record for the epoch).
enum class Flow { go_on, end, abort };

// Sums over one epoch's steps, for its EpochRecord.
struct EpochTally {
  double loss_sum = 0.0;
  std::size_t rows = 0, correct = 0;
};

// One step: forward, loss, backward + update; the checks and callbacks after it.
template <class T>
Flow step(TrainState<T>& s, EpochRecord& rec, EpochTally& tally, std::size_t epoch,
          std::size_t start, std::size_t bs) {
  const Batch<T> batch = gather(s, start, bs);
  s.net.forward(*batch.X);
  const LayerCache<T>& top = s.net.cache().back();
  const double loss = loss_and_gradient(s.dh, s.da, top, s.net.activations().back(), s.config.loss,
                                        batch.labels, *batch.Y);
  s.result.step_loss.push_back(loss);
  if (!std::isfinite(loss)) {
    s.diverge(epoch, s.result.steps, cat("loss = ", loss));
    return Flow::abort;
  }
  const double first = s.result.step_loss.front();
  if (s.config.blow_up_factor > 0.0 && first > 0.0 && loss > s.config.blow_up_factor * first) {
    s.diverge(epoch, s.result.steps,
              cat("blow-up: loss ", loss, " > ", s.config.blow_up_factor, " x the first step's loss ", first));
    return Flow::abort;
  }
  if (!s.data.labels.empty()) tally.correct += correct_count(top.h, batch.labels);
  tally.loss_sum += loss * static_cast<double>(bs);
  tally.rows += bs;
  s.opt.backward_step(s.net, s.dh);
  const std::size_t k = s.result.steps++;
  ++rec.steps;
  s.last_epoch = epoch;
  if (s.result.steps % s.config.check_every == 0) {
    if (const std::size_t l = first_nonfinite_layer(s.net); l != 0) {
      s.diverge(epoch, k, cat("non-finite parameters in layer ", l, " after the update"));
      return Flow::abort;
    }
  }
  if (s.callbacks.on_step && s.result.steps % s.config.callback_every == 0)
    s.callbacks.on_step(epoch, k, s.net, loss);
  if (s.callbacks.stop && s.callbacks.stop(epoch, k, s.net, loss)) {
    s.result.stopped = true;
    return Flow::end;
  }
  return s.out_of_steps() ? Flow::end : Flow::go_on;
}

// One epoch: its steps, then its record (training and held-out loss, accuracy).
template <class T>
Flow run_epoch(TrainState<T>& s, std::size_t epoch, const TrainData<T>* heldout) {
  const std::size_t N = s.data.size();
  if (s.config.shuffle) random::permute(s.order, random::Stream(s.config.seed).split(epoch));
  EpochRecord rec;
  rec.epoch = epoch;
  EpochTally tally;
  Flow flow = Flow::go_on;
  for (std::size_t start = 0; start < N && flow == Flow::go_on; start += s.B) {
    const std::size_t bs = std::min(s.B, N - start);
    if (bs < s.B && s.config.drop_last) break;
    flow = step(s, rec, tally, epoch, start, bs);
  }
  if (flow == Flow::abort) return flow;
  rec.loss = tally.rows > 0 ? tally.loss_sum / static_cast<double>(tally.rows) : std::nan("");
  if (!s.data.labels.empty() && tally.rows > 0)
    rec.train_accuracy = static_cast<double>(tally.correct) / static_cast<double>(tally.rows);
  if (heldout != nullptr) {
    const auto [hl, ha] = evaluate(s.net, *heldout, s.config.loss);
    rec.heldout_loss = hl;
    rec.heldout_accuracy = ha;
  }
  s.result.epochs.push_back(rec);
  if (s.callbacks.on_epoch) s.callbacks.on_epoch(rec, s.net);
  return s.out_of_steps() ? Flow::end : flow;
}

}  // namespace

template <class T>
TrainResult train(Network<T>& net, const TrainData<T>& data, const TrainConfig& config,
                  const std::type_identity_t<TrainData<T>>* heldout,
                  const std::type_identity_t<TrainCallbacks<T>>& callbacks) {
  TrainState<T> s(net, data, config, callbacks, checked_batch(net, data, config, heldout));
  for (std::size_t epoch = 0; epoch < config.epochs; ++epoch) {
    const Flow flow = run_epoch(s, epoch, heldout);
    if (flow == Flow::abort) return std::move(s.result);
    if (flow == Flow::end) break;
  }
  if (s.result.steps % config.check_every != 0) {
    if (const std::size_t l = first_nonfinite_layer(net); l != 0)
      s.diverge(s.last_epoch, s.result.steps - 1,
                cat("non-finite parameters in layer ", l, " (found at the final check)"));
  }
  return std::move(s.result);
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
