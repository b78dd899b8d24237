#include "nn/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "nn/buffer.hpp"
#include "nn/score_pass.hpp"
#include "nn/train_access.hpp"
#include "random/permutation.hpp"

namespace initlab::nn {

using detail::check_data;
using detail::EvalBuffers;
using detail::evaluate_pass;
using detail::first_nonfinite;
using detail::output_activation;
using detail::output_loss;
using detail::top;

namespace {

// The batch size train uses (0 = full batch); throws for a bad configuration.
template <class T, class Net>
std::size_t checked_batch(const Net& net, const TrainData<T>& data, const TrainConfig& config,
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
template <class T, class Net>
struct TrainState {
  Net& net;
  const TrainData<T>& data;
  const TrainConfig& config;
  const TrainCallbacks<T, Net>& callbacks;
  Optimizer<T> opt;
  std::vector<Parameter<T>> params;  // a Model's parameter list (views), listed once
  std::size_t B;
  bool direct;  // full batch in order: the data is the batch, no gather
  std::vector<std::size_t> order;
  Matrix<T> Xb, Yb, dh, da;  // gathered batch (B, n_0), (B, n_L); dL/dh^L; MSE scratch
  EvalBuffers<T> eval;       // the held-out pass's buffers, kept from epoch to epoch
  std::vector<std::size_t> yb;
  std::size_t last_epoch = 0;
  TrainResult result;

  TrainState(Net& n, const TrainData<T>& d, const TrainConfig& c,
             const TrainCallbacks<T, Net>& cb, std::size_t batch)
      : net(n), data(d), config(c), callbacks(cb), opt(c.optimizer, c.allow_zero_lr), B(batch),
        direct(!c.shuffle && batch == d.size()), order(d.size()) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    if constexpr (std::is_same_v<Net, Model<T>>) params = n.parameters();
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

  // Backward from dL/dh of the output layer and one update.
  void backward_step() {
    if constexpr (std::is_same_v<Net, Model<T>>) {
      net.backward_logits(dh);
      opt.step(std::span<const Parameter<T>>(params));
    } else {
      opt.backward_step(net, dh);
    }
  }
  std::string nonfinite() const {
    if constexpr (std::is_same_v<Net, Model<T>>) {
      return first_nonfinite(params);
    } else {
      return first_nonfinite(net);
    }
  }
};

// One batch: rows order[start .. start + bs) of the data, gathered unless direct.
template <class T>
struct Batch {
  const Matrix<T>* X;
  const Matrix<T>* Y;
  std::span<const std::size_t> labels;
};

// X (N, n_0), Y (N, n_L), labels (N) -> Xb (bs, n_0), Yb (bs, n_L), yb (bs)
template <class T, class Net>
Batch<T> gather(TrainState<T, Net>& s, std::size_t start, std::size_t bs) {
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
template <class T, class Net>
Flow step(TrainState<T, Net>& s, EpochRecord& rec, EpochTally& tally, std::size_t epoch,
          std::size_t start, std::size_t bs) {
  const Batch<T> batch = gather(s, start, bs);
  s.net.forward(*batch.X);
  const auto& out = top(s.net);
  const double loss = output_loss(s.dh, s.da, out, output_activation(s.net), s.config.loss,
                                        batch.labels, *batch.Y);
  s.result.step_loss.push_back(loss);
  if (!std::isfinite(loss)) {
    // named, never streamed: glibc prints a NaN with its sign bit as "-nan"
    s.diverge(epoch, s.result.steps, cat("loss = ", std::isnan(loss) ? "NaN" : loss > 0.0 ? "inf" : "-inf"));
    return Flow::abort;
  }
  const double first = s.result.step_loss.front();
  if (s.config.blow_up_factor > 0.0 && first > 0.0 && loss > s.config.blow_up_factor * first) {
    s.diverge(epoch, s.result.steps,
              cat("blow-up: loss ", loss, " > ", s.config.blow_up_factor, " x the first step's loss ", first));
    return Flow::abort;
  }
  if (!s.data.labels.empty()) tally.correct += correct_count(out.h, batch.labels);
  tally.loss_sum += loss * static_cast<double>(bs);
  tally.rows += bs;
  s.backward_step();
  const std::size_t k = s.result.steps++;
  ++rec.steps;
  s.last_epoch = epoch;
  if (s.result.steps % s.config.check_every == 0) {
    if (const std::string where = s.nonfinite(); !where.empty()) {
      s.diverge(epoch, k, cat("non-finite parameters in ", where, " after the update"));
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
template <class T, class Net>
Flow run_epoch(TrainState<T, Net>& s, std::size_t epoch, const TrainData<T>* heldout) {
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
    const auto [hl, ha] = evaluate_pass(s.net, *heldout, s.config.loss, s.eval);
    rec.heldout_loss = hl;
    rec.heldout_accuracy = ha;
  }
  s.result.epochs.push_back(rec);
  if (s.callbacks.on_epoch) s.callbacks.on_epoch(rec, s.net);
  return s.out_of_steps() ? Flow::end : flow;
}

template <class T, class Net>
TrainResult train_net(Net& net, const TrainData<T>& data, const TrainConfig& config,
                      const TrainData<T>* heldout, const TrainCallbacks<T, Net>& callbacks) {
  TrainState<T, Net> s(net, data, config, callbacks, checked_batch(net, data, config, heldout));
  for (std::size_t epoch = 0; epoch < config.epochs; ++epoch) {
    const Flow flow = run_epoch(s, epoch, heldout);
    if (flow == Flow::abort) return std::move(s.result);
    if (flow == Flow::end) break;
  }
  if (s.result.steps % config.check_every != 0) {
    if (const std::string where = s.nonfinite(); !where.empty())
      s.diverge(s.last_epoch, s.result.steps - 1,
                cat("non-finite parameters in ", where, " (found at the final check)"));
  }
  return std::move(s.result);
}

}  // namespace

template <class T>
TrainResult train(Network<T>& net, const TrainData<T>& data, const TrainConfig& config,
                  const std::type_identity_t<TrainData<T>>* heldout,
                  const std::type_identity_t<TrainCallbacks<T>>& callbacks) {
  return train_net(net, data, config, heldout, callbacks);
}

template <class T>
TrainResult train(Model<T>& model, const TrainData<T>& data, const TrainConfig& config,
                  const std::type_identity_t<TrainData<T>>* heldout,
                  const std::type_identity_t<TrainCallbacks<T, Model<T>>>& callbacks) {
  return train_net(model, data, config, heldout, callbacks);
}

#define INITLAB_TRAIN_INSTANTIATE(T)                                                        \
  template TrainResult train<T>(Network<T>&, const TrainData<T>&, const TrainConfig&,       \
                                const TrainData<T>*, const TrainCallbacks<T>&);             \
  template TrainResult train<T>(Model<T>&, const TrainData<T>&, const TrainConfig&,         \
                                const TrainData<T>*, const TrainCallbacks<T, Model<T>>&);

INITLAB_TRAIN_INSTANTIATE(float)
INITLAB_TRAIN_INSTANTIATE(double)
#undef INITLAB_TRAIN_INSTANTIATE

}  // namespace initlab::nn
