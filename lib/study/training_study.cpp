#include "study/training_study.hpp"

#include <chrono>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <variant>
#include <xtensor/xview.hpp>

#include "nn/lsuv.hpp"
#include "nn/predict.hpp"
#include "stats/layer_stats.hpp"

namespace initlab::study {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The first batch of training rows (all of them for full-batch presets): LSUV's
// batch and the step-0 gradients'.
nn::TrainData<float> first_batch(const nn::TrainData<float>& train, const TrainingSetup& s) {
  const std::size_t n = train.size(), b = s.batch == 0 ? n : std::min(s.batch, n);
  nn::TrainData<float> first;
  first.X = xt::view(train.X, xt::range(0, b), xt::all());
  if (!train.labels.empty()) {
    first.labels.assign(train.labels.begin(), train.labels.begin() + static_cast<std::ptrdiff_t>(b));
  }
  if (train.Y.size() > 0) first.Y = xt::view(train.Y, xt::range(0, b), xt::all());
  return first;
}

// A plain network: the setup's widths and activations, init's specs, one bias spec.
nn::Network<float> build_network(const TrainingSetup& s, const NamedInit& init, std::uint64_t seed) {
  nn::NetworkConfig nc;
  nc.widths = s.widths;
  for (const auto& a : s.activations) nc.activations.push_back(Activation::parse(a));
  nc.inits = init.layers.empty() ? std::vector<std::string>{nn::drawn_spec(init.spec)} : init.layers;
  nc.bias_init = s.bias_init;
  nc.seed = seed;
  return nn::Network<float>(nc);
}

// A model: the described network with init's specs in its dense layers (LSUV's
// pre-init for an LSUV spec), each layer's own bias spec.
nn::Model<float> build_model(const TrainingSetup& s, const NamedInit& init, std::uint64_t seed) {
  NetDescription net = *s.model;
  std::size_t j = 0;
  const auto set = [&](DenseLayer& d) {
    d.init = nn::drawn_spec(init.layers.empty() ? init.spec : init.layers.at(j));
    ++j;
  };
  for (Block& b : net.blocks) {
    if (auto* d = std::get_if<DenseLayer>(&b)) set(*d);
    if (auto* r = std::get_if<Residual>(&b))
      for (DenseLayer& d : r->branch) set(d);
  }
  return nn::Model<float>(net, seed);
}

// Histograms and exact saturated fractions of the hidden layers' activations on x.
void hidden_activations(const nn::Network<float>& net, const TrainingSetup& s, const Matrix<float>& x,
                        std::vector<stats::Histogram>& hist, std::vector<double>& saturated) {
  std::vector<nn::LayerCache<float>> cache;
  net.forward(x, cache);
  for (std::size_t l = 0; l + 1 < cache.size(); ++l) {
    hist.push_back(stats::histogram(cache[l].a, kHistogramBins, -kHistogramRange, kHistogramRange));
    const Activation f = Activation::parse(s.activations.size() == 1 ? s.activations[0] : s.activations[l]);
    saturated.push_back(stats::forward_stats(cache[l].h, cache[l].a, f).saturated);
  }
}

// A model's: the output of every block but the last; saturation of a dense block's
// activation, NaN for a norm or residual block (its output is no activation's).
void hidden_activations(nn::Model<float>& model, const TrainingSetup&, const Matrix<float>& x,
                        std::vector<stats::Histogram>& hist, std::vector<double>& saturated) {
  model.forward(x);
  for (std::size_t k = 0; k + 1 < model.size(); ++k) {
    hist.push_back(stats::histogram(model.output(k), kHistogramBins, -kHistogramRange, kHistogramRange));
    const auto* d = std::get_if<nn::DenseBlock<float>>(&model.block(k));
    saturated.push_back(d ? stats::forward_stats(d->h, d->a, d->activation).saturated : kNaN);
  }
}

double mean_square(const Matrix<float>& d) {
  double sum = 0.0;
  for (float v : d) sum += static_cast<double>(v) * v;
  return sum / static_cast<double>(d.size());
}

// E[(dL/dh^l)^2] per layer on the first batch of training rows, before any update.
std::vector<double> step0_grad2(nn::Network<float>& net, const nn::TrainData<float>& train,
                                const TrainingSetup& s) {
  const nn::TrainData<float> first = first_batch(train, s);
  net.forward(first.X);
  Matrix<float> dh, da;
  nn::loss_and_gradient(dh, da, net.cache().back(), net.activations().back(), s.loss,
                        std::span<const std::size_t>(first.labels), first.Y);
  std::vector<double> m;
  for (const Matrix<float>& d : net.backward(dh).dh) m.push_back(mean_square(d));
  return m;
}

// A model's: per dense layer (NetDescription::dense_layers() order), dL/dh of each.
std::vector<double> step0_grad2(nn::Model<float>& model, const nn::TrainData<float>& train,
                                const TrainingSetup& s) {
  const nn::TrainData<float> first = first_batch(train, s);
  model.forward(first.X);
  const auto& top = std::get<nn::DenseBlock<float>>(model.block(model.size() - 1));
  Matrix<float> dh, da;
  nn::loss_and_gradient(dh, da, top, top.activation, s.loss, std::span<const std::size_t>(first.labels),
                        first.Y);
  model.backward_logits(dh);
  std::vector<double> m;
  for (std::size_t k = 0; k < model.size(); ++k) {
    if (const auto* d = std::get_if<nn::DenseBlock<float>>(&model.block(k))) m.push_back(mean_square(d->dh));
    if (const auto* r = std::get_if<nn::ResidualBlock<float>>(&model.block(k)))
      for (const auto& layer : r->branch) m.push_back(mean_square(layer.dh));
  }
  return m;
}

template <class Net>
Boundary boundary_of(Net& net, nn::Loss loss, double lo, double hi) {
  Boundary b;
  b.n = 101;
  b.lo = lo;
  b.step = (hi - lo) / static_cast<double>(b.n - 1);
  Matrix<float> x = Matrix<float>::from_shape({b.n * b.n, 2});
  for (std::size_t i = 0; i < b.n; ++i) {
    for (std::size_t j = 0; j < b.n; ++j) {
      x(i * b.n + j, 0) = static_cast<float>(lo + static_cast<double>(j) * b.step);
      x(i * b.n + j, 1) = static_cast<float>(lo + static_cast<double>(i) * b.step);
    }
  }
  const Matrix<float> p = nn::predict_proba(net, x, loss);
  b.p.assign(p.begin(), p.end());
  return b;
}

// The trained net's scores, unless it diverged: one fused pass over the training
// rows; the held-out ones are the last epoch's, which nn::train evaluated on this
// same net after its last step.
template <class Net>
void final_scores(RunRecord& rec, Net& net, const TrainingData& data, nn::Loss loss) {
  rec.train_loss = rec.train_accuracy = rec.held_out_loss = rec.held_out_accuracy = kNaN;
  if (rec.result.diverged || rec.result.epochs.empty()) return;
  const nn::Evaluation train = nn::evaluate(net, data.train, loss);
  rec.train_loss = train.loss;
  rec.train_accuracy = train.accuracy;
  if (data.held_out.size() == 0) return;
  rec.held_out_loss = rec.result.epochs.back().heldout_loss;
  rec.held_out_accuracy = rec.result.epochs.back().heldout_accuracy;
}

nn::TrainConfig train_config(const TrainingSetup& s, std::uint64_t seed) {
  nn::TrainConfig tc;
  tc.loss = s.loss;
  tc.optimizer = s.optimizer;
  tc.epochs = s.epochs;
  tc.batch = s.batch;
  tc.shuffle = s.shuffle;
  tc.seed = seed;
  return tc;
}

// One run of a freshly drawn net (a Network or a Model): LSUV (data-dependent,
// Mishkin & Matas 2016: on the first mini-batch of the permuted training rows), the
// step-0 probes, training, the scores; the first replicate's probes before and after.
template <class Net>
void run_one(RunRecord& rec, Net& net, const TrainingSetup& s, const TrainingData& data, bool first,
             ProgressEvent ev, const ProgressFn& progress) {
  const bool has_held_out = data.held_out.size() > 0;
  const Matrix<float>& probe = has_held_out ? data.held_out.X : data.train.X;
  if (nn::is_lsuv(rec.init.spec)) {
    for (const nn::LsuvLayer& l : nn::lsuv(net, first_batch(data.train, s).X, nn::parse_lsuv(rec.init.spec)))
      rec.lsuv_unconverged += l.converged ? 0 : 1;
  }
  rec.grad2_step0 = step0_grad2(net, data.train, s);
  if (first) hidden_activations(net, s, probe, rec.hist_init, rec.saturated_init);
  nn::TrainCallbacks<float, Net> cb;
  if (progress) {
    cb.on_step = [&](std::size_t epoch, std::size_t step, const Net&, double loss) {
      ev.epoch = epoch;
      ev.step = step;
      ev.loss = loss;
      progress(ev);
    };
  }
  const auto t0 = std::chrono::steady_clock::now();
  rec.result = nn::train(net, data.train, train_config(s, rec.seed), has_held_out ? &data.held_out : nullptr, cb);
  rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  final_scores(rec, net, data, s.loss);
  if (first) {
    hidden_activations(net, s, probe, rec.hist_trained, rec.saturated_trained);
    if (data.grid.size() > 0) rec.grid_predictions = nn::predict_classes(net, data::features<float>(data.grid));
    if (s.preset == Preset::playground) rec.boundary = boundary_of(net, s.loss, -5.0, 5.0);
    if (s.preset == Preset::course_circles) rec.boundary = boundary_of(net, s.loss, -1.5, 1.5);
  }
}

}  // namespace

std::size_t steps_per_run(const TrainingSetup& s, std::size_t n_train) {
  const std::size_t b = s.batch == 0 ? n_train : s.batch;
  return s.epochs * ((n_train + b - 1) / b);
}

std::vector<RunRecord> run_training(const TrainingSetup& s, const TrainingData& data, const ProgressFn& progress) {
  const std::size_t runs = s.inits.size() * s.seeds;
  const std::size_t steps = steps_per_run(s, data.train.size());
  std::vector<RunRecord> records;
  for (const auto& init : s.inits) {
    for (std::size_t r = 0; r < s.seeds; ++r) {
      RunRecord rec;
      rec.init = init;
      rec.seed = s.seed + r;
      const ProgressEvent ev{records.size(), runs, &rec.init, rec.seed, 0, 0, steps, 0.0};
      if (s.model) {
        nn::Model<float> model = build_model(s, init, rec.seed);
        run_one(rec, model, s, data, r == 0, ev, progress);
      } else {
        nn::Network<float> net = build_network(s, init, rec.seed);
        run_one(rec, net, s, data, r == 0, ev, progress);
      }
      records.push_back(std::move(rec));
    }
  }
  return records;
}

}  // namespace initlab::study
