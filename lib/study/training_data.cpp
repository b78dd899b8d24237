// Loads (or generates) a training study's data: load_training_data
// (study/training_study.hpp).
#include "study/training_study.hpp"

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <span>
#include <utility>

#include "core/error.hpp"
#include "data/idx.hpp"
#include "data/mnist.hpp"
#include "data/toy.hpp"
#include "random/permutation.hpp"

namespace initlab::study {

namespace {

// d's features and labels; its float features are taken over, not copied.
nn::TrainData<float> to_train_data(data::Dataset&& d) {
  std::vector<std::size_t> labels = data::label_indices(d);
  return {std::move(d.x), std::move(labels), {}};
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
  // the first n_train permuted rows train, the next n_held_out are held out: each
  // gathered once from the loaded set, straight into its own matrix
  const std::span<const std::size_t> order(perm);
  out.train = to_train_data(data::take(all, order.first(s.n_train)));
  data::Dataset held_out = data::take(all, order.subspan(s.n_train, s.n_held_out));
  const std::size_t g = std::min(kGridDigits, s.n_held_out);
  out.grid = data::slice(held_out, 0, g);
  out.held_out = to_train_data(std::move(held_out));
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

}  // namespace initlab::study
