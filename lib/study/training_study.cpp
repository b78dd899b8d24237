#include "study/training_study.hpp"

#include "stats/layer_stats.hpp"

#include <cstddef>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <span>
#include <xtensor/xview.hpp>

#include "core/error.hpp"
#include "data/idx.hpp"
#include "data/mnist.hpp"
#include "data/toy.hpp"
#include "nn/lsuv.hpp"
#include "nn/predict.hpp"
#include "random/permutation.hpp"

namespace initlab::study {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nn::TrainData<float> to_train_data(const data::Dataset& d) {
  return {data::features<float>(d), data::label_indices(d), {}};
}

// MNIST from the JSON digits / cache, or an IDX folder (t10k files if present, else train).
data::Dataset load_images(const TrainingSetup& s, std::string& source) {
  if (s.dataset == "mnist" && s.data_dir.empty()) {
    auto loaded = data::load_mnist(s.mnist_dir, s.mnist_cache);
    source = loaded.source;
    return std::move(loaded.digits);
  }
  const std::filesystem::path dir = s.data_dir.empty() ? data::kFashionMnistDir : s.data_dir;
  if (!std::filesystem::is_directory(dir)) {
    fail("--data", "data folder ", dir.string(), " does not exist",
         s.dataset == "fashion-mnist" && s.data_dir.empty()
             ? " (install the Debian package dataset-fashion-mnist: `make deps`)"
             : "; expected a folder of IDX files (t10k-images-idx3-ubyte[.gz], ...)");
  }
  bool t10k = false;  // any t10k file: a missing partner is then named as missing
  for (const char* f : {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
    t10k = t10k || std::filesystem::exists(dir / f) || std::filesystem::exists(dir / (std::string(f) + ".gz"));
  const std::string prefix = t10k ? "t10k" : "train";
  source = cat("idx ", (dir / prefix).string(), "-*-idx?-ubyte");
  return data::read_idx_dir(dir, prefix, 10, s.dataset);
}

void load_images_split(const TrainingSetup& s, TrainingData& out) {
  const data::Dataset all = load_images(s, out.source);
  if (all.dim() != s.widths.front()) {
    fail("--data", all.name, " has ", all.dim(), " pixels per image; the network expects ",
         s.widths.front());
  }
  if (s.n_train + s.n_held_out > all.size()) {
    fail("--train", s.n_train, " train + ", s.n_held_out, " held-out examples; ", all.name,
         " holds only ", all.size());
  }
  const auto perm = random::permutation(all.size(), random::Stream(s.seed).split(kDataStream));
  const data::Dataset mixed = data::take(all, perm);
  const data::Split parts = data::split(mixed, s.n_train, s.n_held_out);
  out.train = to_train_data(parts.train);
  out.held_out = to_train_data(parts.held_out);
  const std::size_t g = std::min(kGridDigits, s.n_held_out);
  out.grid = data::slice(parts.held_out, 0, g);
  out.grid_rows.assign(perm.begin() + static_cast<std::ptrdiff_t>(s.n_train),
                       perm.begin() + static_cast<std::ptrdiff_t>(s.n_train + g));
}

// y = M x, M = 50 R(0.3); x ~ N(0, I).
void load_linear(const TrainingSetup& s, TrainingData& out) {
  const std::size_t n = s.n_train;
  const std::size_t d = s.widths.front();
  Matrix<float> x = Matrix<float>::from_shape({n, d});
  random::Stream(s.seed).split(kDataStream).normal<float>(std::span(x.data(), x.size()), 0.0f, 1.0f);
  const double c = 50.0 * std::cos(0.3), sn = 50.0 * std::sin(0.3);
  Matrix<float> y = Matrix<float>::from_shape({n, d});
  for (std::size_t i = 0; i < n; ++i) {
    y(i, 0) = static_cast<float>(c * x(i, 0) - sn * x(i, 1));
    y(i, 1) = static_cast<float>(sn * x(i, 0) + c * x(i, 1));
  }
  out.train = {x, {}, y};
  out.source = "generated: x ~ N(0, I), y = 50 R(0.3) x";
}

// Histograms and exact saturated fractions of the hidden layers' activations on x.
void hidden_activations(const nn::Network<float>& net, const Matrix<float>& x,
                        const std::vector<Activation>& acts, std::vector<stats::Histogram>& hist,
                        std::vector<double>& saturated) {
  std::vector<nn::LayerCache<float>> cache;
  net.forward(x, cache);
  for (std::size_t l = 0; l + 1 < cache.size(); ++l) {
    hist.push_back(stats::histogram(cache[l].a, kHistogramBins, -kHistogramRange, kHistogramRange));
    const Activation f = acts.size() == 1 ? acts[0] : acts[l];
    saturated.push_back(stats::forward_stats(cache[l].h, cache[l].a, f).saturated);
  }
}

Boundary boundary_of(const nn::Network<float>& net, nn::Loss loss, double lo, double hi) {
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

// E[(dL/dh^l)^2] per layer on the first batch of training rows, before any update.
std::vector<double> step0_grad2(nn::Network<float>& net, const nn::TrainData<float>& train,
                                const TrainingSetup& s) {
  const std::size_t n = train.size(), b = s.batch == 0 ? n : std::min(s.batch, n);
  nn::TrainData<float> first;
  first.X = xt::view(train.X, xt::range(0, b), xt::all());
  if (!train.labels.empty()) {
    first.labels.assign(train.labels.begin(), train.labels.begin() + static_cast<std::ptrdiff_t>(b));
  }
  if (train.Y.size() > 0) first.Y = xt::view(train.Y, xt::range(0, b), xt::all());
  net.forward(first.X);
  Matrix<float> dh, da;
  nn::loss_and_gradient(dh, da, net.cache().back(), net.activations().back(), s.loss,
                        std::span<const std::size_t>(first.labels), first.Y);
  std::vector<double> m;
  for (const Matrix<float>& d : net.backward(dh).dh) {
    double sum = 0.0;
    for (float v : d) sum += static_cast<double>(v) * v;
    m.push_back(sum / static_cast<double>(d.size()));
  }
  return m;
}

// The trained net's scores, unless it diverged: one fused pass over the training
// rows; the held-out ones are the last epoch's, which nn::train evaluated on this
// same net after its last step.
void final_scores(RunRecord& rec, const nn::Network<float>& net, const TrainingData& data,
                  nn::Loss loss) {
  rec.train_loss = rec.train_accuracy = rec.held_out_loss = rec.held_out_accuracy = kNaN;
  if (rec.result.diverged || rec.result.epochs.empty()) return;
  const nn::Evaluation train = nn::evaluate(net, data.train, loss);
  rec.train_loss = train.loss;
  rec.train_accuracy = train.accuracy;
  if (data.held_out.size() == 0) return;
  rec.held_out_loss = rec.result.epochs.back().heldout_loss;
  rec.held_out_accuracy = rec.result.epochs.back().heldout_accuracy;
}

}  // namespace

TrainingData load_training_data(const TrainingSetup& s) {
  TrainingData out;
  const random::Stream data_rng = random::Stream(s.seed).split(kDataStream);
  switch (s.preset) {
    case Preset::note_mnist:
      load_images_split(s, out);
      break;
    case Preset::playground:
      if (s.n_train % 2 != 0) fail("--train", s.n_train, "; expected an even number of points");
      out.train = to_train_data(data::make_toy(data::parse_toy(s.dataset), s.n_train, data_rng));
      out.source = cat("generated: ", s.dataset, ", ", s.n_train, " points, seed ", s.seed);
      break;
    case Preset::course_circles:
      out.train = to_train_data(data::make_circles(s.n_train, 0.05, 0.8, data_rng.split(0)));
      if (s.n_held_out > 0) {
        out.held_out = to_train_data(data::make_circles(s.n_held_out, 0.05, 0.8, data_rng.split(1)));
      }
      out.source = cat("generated: data::make_circles(", s.n_train, ", noise 0.05) train, data::make_circles(",
                       s.n_held_out, ", noise 0.05) test, seed ", s.seed);
      break;
    case Preset::deep_linear:
      load_linear(s, out);
      break;
  }
  return out;
}

std::size_t steps_per_run(const TrainingSetup& s, std::size_t n_train) {
  const std::size_t b = s.batch == 0 ? n_train : s.batch;
  return s.epochs * ((n_train + b - 1) / b);
}

std::vector<RunRecord> run_training(const TrainingSetup& s, const TrainingData& data, const ProgressFn& progress) {
  std::vector<Activation> acts;
  for (const auto& a : s.activations) acts.push_back(Activation::parse(a));
  const bool has_held_out = data.held_out.size() > 0;
  const Matrix<float>& probe = has_held_out ? data.held_out.X : data.train.X;
  const std::size_t runs = s.inits.size() * s.seeds;
  const std::size_t steps = steps_per_run(s, data.train.size());
  std::vector<RunRecord> records;
  for (const auto& init : s.inits) {
    for (std::size_t r = 0; r < s.seeds; ++r) {
      RunRecord rec;
      rec.init = init;
      rec.seed = s.seed + r;
      nn::NetworkConfig nc;
      nc.widths = s.widths;
      nc.activations = acts;
      nc.inits = init.layers.empty() ? std::vector<std::string>{nn::drawn_spec(init.spec)} : init.layers;
      nc.bias_init = s.bias_init;
      nc.seed = rec.seed;
      nn::Network<float> net(nc);
      if (nn::is_lsuv(init.spec)) {
        // data-dependent (Mishkin & Matas 2016): on the first mini-batch of the
        // (permuted) training rows; full-batch presets use them all
        const std::size_t n = data.train.size();
        const std::size_t b = s.batch == 0 ? n : std::min(s.batch, n);
        const Matrix<float> x = xt::view(data.train.X, xt::range(0, b), xt::all());
        for (const nn::LsuvLayer& l : nn::lsuv(net, x, nn::parse_lsuv(init.spec)))
          rec.lsuv_unconverged += l.converged ? 0 : 1;
      }
      rec.grad2_step0 = step0_grad2(net, data.train, s);
      const bool first = r == 0;
      if (first) hidden_activations(net, probe, acts, rec.hist_init, rec.saturated_init);

      nn::TrainConfig tc;
      tc.loss = s.loss;
      tc.optimizer = s.optimizer;
      tc.epochs = s.epochs;
      tc.batch = s.batch;
      tc.shuffle = s.shuffle;
      tc.seed = rec.seed;
      nn::TrainCallbacks<float> cb;
      ProgressEvent ev{records.size(), runs, &rec.init, rec.seed, 0, 0, steps, 0.0};
      if (progress) {
        cb.on_step = [&](std::size_t epoch, std::size_t step, const nn::Network<float>&, double loss) {
          ev.epoch = epoch;
          ev.step = step;
          ev.loss = loss;
          progress(ev);
        };
      }
      const auto t0 = std::chrono::steady_clock::now();
      rec.result = nn::train(net, data.train, tc, has_held_out ? &data.held_out : nullptr, cb);
      rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      final_scores(rec, net, data, s.loss);
      if (first) {
        hidden_activations(net, probe, acts, rec.hist_trained, rec.saturated_trained);
        if (data.grid.size() > 0) rec.grid_predictions = nn::predict_classes(net, data::features<float>(data.grid));
        if (s.preset == Preset::playground) rec.boundary = boundary_of(net, s.loss, -5.0, 5.0);
        if (s.preset == Preset::course_circles) rec.boundary = boundary_of(net, s.loss, -1.5, 1.5);
      }
      records.push_back(std::move(rec));
    }
  }
  return records;
}

}  // namespace initlab::study
