#pragma once
// The note's training process: initialize (Network's constructor), choose an
// optimizer, then repeat forward, cost, backward, update over mini-batches.
//
//   TrainData<double> data{X, labels, {}};               // X (N, n_0), labels (N)
//   TrainConfig cfg;                                     // defaults: softmax CE, SGD lr 0.01
//   cfg.loss = Loss::parse("bce");
//   cfg.optimizer = OptimizerConfig::parse("sgd", 0.01);
//   cfg.epochs = 15000; cfg.batch = 0;                   // full-batch gradient descent
//   TrainResult r = train(net, data, cfg);               // r.diverged, r.message, r.step_loss ...
//
// Steps: each epoch visits every example once, in batches of `batch` rows
// (0 = full batch). Rows are visited in a fresh permutation per epoch drawn from
// random::Stream(seed).split(epoch) when `shuffle`, else in order. The last
// batch of an epoch holds the N % batch leftover rows unless `drop_last`. Buffers
// are reused while the batch size does not change.
//
// Divergence: every step's loss is checked before its update, and all
// parameters after the update (every `check_every` steps, and at the end); the
// first non-finite value stops the run with diverged = true and message
// "diverged at epoch e, step s: ..." (e and s 0-based, s counting steps across
// epochs; a non-finite loss at step s means s updates were applied, non-finite
// parameters at step s mean s + 1 were). train() does not throw for
// divergence; it throws std::invalid_argument for bad input (shapes, labels out
// of range, loss incompatible with the output activation, bad optimizer values).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "core/tensor.hpp"
#include "nn/loss.hpp"
#include "nn/model.hpp"
#include "nn/network.hpp"
#include "nn/optimizer.hpp"
#include "random/stream.hpp"

namespace initlab::nn {

// A data set. Which targets are read depends on the loss:
//   softmax CE: labels (N) in [0, n_L);  sigmoid CE: labels (N) in {0, 1}, n_L == 1;
//   MSE: Y (N, n_L) (labels may also be given: then accuracy is reported).
template <class T>
struct TrainData {
  Matrix<T> X;                      // (N, n_0)
  std::vector<std::size_t> labels;  // (N) class indices
  Matrix<T> Y;                      // (N, n_L) regression targets (MSE only)
  std::size_t size() const { return X.shape()[0]; }
};

// The blow-up criterion (docs/theory.md §24): a run has diverged when a step's loss
// exceeds kBlowUpFactor times the loss of its first step, whether or not it stays
// finite. Gradient descent with a stable step does not raise its loss a hundredfold
// over where it started; the largest rise in the suite's presets is 21.7x (the
// deep linear net at lr 1.2e-4, which oscillates and recovers).
inline constexpr double kBlowUpFactor = 100.0;

struct TrainConfig {
  Loss loss;                   // default softmax cross-entropy
  OptimizerConfig optimizer;   // default SGD, lr 0.01
  std::size_t epochs = 1;
  std::size_t batch = 0;       // rows per step; 0 = N (full-batch gradient descent)
  bool shuffle = true;         // false: batches in data order
  bool drop_last = false;      // skip the N % batch leftover rows of each epoch
  std::uint64_t seed = 0;      // shuffling: Stream(seed).split(epoch)
  std::size_t max_steps = 0;   // stop after this many steps in all (0 = no limit)
  std::size_t check_every = 1; // parameter finiteness check period in steps (>= 1)
  std::size_t callback_every = 1;  // on_step is called every this many steps (>= 1)
  bool allow_zero_lr = false;  // lr = 0 runs (tests of "nothing moves")
  double blow_up_factor = kBlowUpFactor;  // diverged above this x the first step's loss; 0 = off
};

// The state seen by callbacks; step counts across epochs (0-based).
struct EpochRecord {
  std::size_t epoch = 0;
  std::size_t steps = 0;         // steps taken in this epoch
  double loss = 0.0;             // mean of the step losses, weighted by batch size
  double train_accuracy = std::numeric_limits<double>::quiet_NaN();    // on the batches, before each update
  double heldout_loss = std::numeric_limits<double>::quiet_NaN();      // at the end of the epoch
  double heldout_accuracy = std::numeric_limits<double>::quiet_NaN();  // at the end of the epoch
};

// Net: Network<T> or Model<T>, the network being trained.
template <class T, class Net = Network<T>>
struct TrainCallbacks {
  // After step `step` of epoch `epoch` (its update applied); loss is that step's
  // loss (computed before the update). Called every config.callback_every steps.
  std::function<void(std::size_t epoch, std::size_t step, const Net& net, double loss)> on_step;
  // After each epoch (held-out numbers filled in when held-out data is given).
  std::function<void(const EpochRecord& record, const Net& net)> on_epoch;
  // Checked after every step, same arguments as on_step: return true to stop the
  // run early (e.g. once a target accuracy is reached). result.stopped is set.
  std::function<bool(std::size_t epoch, std::size_t step, const Net& net, double loss)> stop;
};

struct TrainResult {
  std::vector<double> step_loss;    // loss of every step taken, before its update
  std::vector<EpochRecord> epochs;  // one per epoch run (the last is partial if stopped early)
  std::size_t steps = 0;            // steps taken (updates applied)
  bool diverged = false;
  std::size_t diverged_epoch = 0;   // valid when diverged
  std::size_t diverged_step = 0;    // valid when diverged
  bool stopped = false;             // callbacks.stop returned true
  std::string message;              // "diverged at epoch e, step s: ..." or ""
};

// Trains net in place. heldout may be nullptr (T is deduced from net and data
// only, so nullptr and {} can be passed directly).
template <class T>
TrainResult train(Network<T>& net, const TrainData<T>& data, const TrainConfig& config,
                  const std::type_identity_t<TrainData<T>>* heldout = nullptr,
                  const std::type_identity_t<TrainCallbacks<T>>& callbacks = {});

// The same for any described network (nn/model.hpp): its last block must be a dense
// layer (the loss reads its logits h); updates go through Optimizer::step over
// model.parameters(). Held-out data is evaluated by model.forward on all its rows
// (BatchNorm with the held-out batch's statistics: training mode only), which
// the next step overwrites; divergence messages name the parameter ("block 3 W").
template <class T>
TrainResult train(Model<T>& model, const TrainData<T>& data, const TrainConfig& config,
                  const std::type_identity_t<TrainData<T>>* heldout = nullptr,
                  const std::type_identity_t<TrainCallbacks<T, Model<T>>>& callbacks = {});

// The network's mean loss on data and its accuracy against data.labels (NaN
// without labels), from one const forward pass over all rows, run in blocks of
// rows (its buffers are allocated per call; nn::train keeps its own from epoch to
// epoch for the held-out scores).
struct Evaluation {
  double loss = 0.0;
  double accuracy = 0.0;
};
template <class T>
Evaluation evaluate(const Network<T>& net, const TrainData<T>& data, Loss loss);
// The network's mean loss on data (the same pass as evaluate).
template <class T>
double evaluate_loss(const Network<T>& net, const TrainData<T>& data, Loss loss);
// Accuracy of predict_classes(net, data.X) against data.labels.
template <class T>
double evaluate_accuracy(const Network<T>& net, const TrainData<T>& data);
// The same three for a described network (nn/model.hpp) whose last block is dense:
// one model.forward over all rows, which overwrites its caches. BatchNorm normalizes
// with the statistics of all of data's rows (training mode; no running statistics).
template <class T>
Evaluation evaluate(Model<T>& model, const TrainData<T>& data, Loss loss);
template <class T>
double evaluate_loss(Model<T>& model, const TrainData<T>& data, Loss loss);
template <class T>
double evaluate_accuracy(Model<T>& model, const TrainData<T>& data);
// The loss of a cached forward pass (its top layer) and dL/dh^L into dh (da is
// scratch for mean_squared_error, whose gradient goes through the output activation).
template <class T>
double loss_and_gradient(Matrix<T>& dh, Matrix<T>& da, const LayerCache<T>& top, Activation out,
                         Loss loss, std::span<const std::size_t> labels, const Matrix<T>& Y);
// The same for a Model's dense output layer (its h and a after model.forward).
template <class T>
double loss_and_gradient(Matrix<T>& dh, Matrix<T>& da, const DenseBlock<T>& top, Activation out,
                         Loss loss, std::span<const std::size_t> labels, const Matrix<T>& Y);

}  // namespace initlab::nn
