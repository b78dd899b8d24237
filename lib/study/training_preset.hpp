#pragma once
// The training setups of the seed note and the course exercise, as presets that
// `initlab train` runs and the training report draws:
//
//   note-mnist      [784, 300, 300, 300, 300, 10], tanh x4, linear output +
//                   softmax cross-entropy; SGD lr 0.1, batch 100, batches in
//                   order after one fixed seeded permutation; 8,000 train /
//                   2,000 held out of the 10,000 digits; inits note_zero,
//                   note_uniform, note_xavier, note_standard_normal.
//   playground      [2, 6, 3, 1], ReLU, ReLU, sigmoid; logistic cross-entropy;
//                   full-batch GD lr 0.1 on 100 points of rings | spiral |
//                   checkerboard | gaussians; inits zero, too_small,
//                   appropriate, too_large = N(0, v / n_in), v = 0, 0.01, 1, 100.
//   course-circles  [2, 10, 5, 1], ReLU, ReLU, sigmoid; full-batch GD lr 0.01,
//                   15,000 iterations on make_circles(300, noise 0.05), tested on
//                   make_circles(100, noise 0.05); inits zeros, normal:10
//                   (the course's randn * 10), he_normal.
//   deep-linear     the note's 2x2 deep linear net, L = 10 layers W^l (2, 2),
//                   identity activations, b = 0; MSE regression of y = M x with
//                   M = 50 R(0.3) (a rotation by 0.3 rad scaled by 50), x ~ N(0, I)
//                   (100 points); full-batch GD lr 9e-5, 1,000 iterations; inits
//                   identity:1.5 and identity:0.5. At this lr the 1.5 I net
//                   overshoots into the valley and then bounces across it (a
//                   cost that goes up every other step) while the 0.5 I net's
//                   gradients (scaled by 0.5^9) leave its cost where it started.
//                   (At lr 5e-5 the 1.5 I net converges; at 1e-3 it diverges.)
// Every default can be overridden (TrainingConfig); `resolve` validates the result.
// The presets are one table (training_preset.cpp).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/net_description.hpp"
#include "nn/loss.hpp"
#include "nn/optimizer.hpp"

namespace initlab::study {

enum class Preset { note_mnist, playground, course_circles, deep_linear };

// What parse_preset and resolve throw for a value they reject: the TrainingConfig
// field that holds it ("preset", "dataset", "data_dir", "lr", "epochs", "n_train",
// "seeds", "inits") and the message without it ("0; expected at least 1"). what()
// is "study::resolve: FIELD: MESSAGE" (parse_preset: "study::parse_preset: ..."); a
// tool can name its own option for FIELD.
struct ConfigError : std::invalid_argument {
  ConfigError(std::string func, std::string field_name, std::string message);
  std::string field;
  std::string detail;
};

// "note-mnist" | "playground" | "course-circles" | "deep-linear"; throws
// ConfigError (field "preset") naming the value and the choices.
Preset parse_preset(std::string_view name);
std::string_view to_string(Preset p);

// An initializer with the name the preset's figures use ("too_small") and the
// spec that builds it ("variance_scaling:scale=0.01,mode=fan_in,distribution=normal").
struct NamedInit {
  NamedInit() = default;
  NamedInit(std::string l, std::string s, std::vector<std::string> per_layer = {})
      : label(std::move(l)), spec(std::move(s)), layers(std::move(per_layer)) {}
  std::string label;
  std::string spec;
  // Per-layer specs (a network file's inits, layer 1 first; spec is layer 1's);
  // empty: spec in every layer.
  // A model's dense layers in NetDescription::dense_layers() order.
  std::vector<std::string> layers;
};

// What the user asked for; unset fields take the preset's values.
struct TrainingConfig {
  Preset preset = Preset::note_mnist;
  std::string dataset;   // "" = preset's (mnist, rings, circles, linear)
  std::string data_dir;  // folder of IDX files (mnist, fashion-mnist); "" = default
  std::string mnist_dir = "data/mnist";
  std::string mnist_cache = "data/cache/mnist-10k.bin";
  std::vector<std::string> inits;  // labels of the preset or any init spec; empty = preset's
  std::optional<std::size_t> epochs;
  std::optional<std::size_t> batch;  // 0 = full batch
  std::optional<std::size_t> n_train;
  std::optional<std::size_t> n_held_out;
  std::optional<double> lr;
  std::string optimizer = "sgd";  // sgd | momentum | adam (nn::OptimizerConfig::parse)
  std::uint64_t seed = 0;
  std::size_t seeds = 1;  // replicates: init seeds seed, seed + 1, ...
  // A described network instead of the preset's (same input and output widths; a
  // dense output layer); its per-layer inits are the default initializer.
  std::optional<NetDescription> net;
};

// Everything fixed and checked.
struct TrainingSetup {
  Preset preset = Preset::note_mnist;
  std::string dataset;
  std::string data_dir;
  std::string mnist_dir;
  std::string mnist_cache;
  // A plain network: n_0 .. n_L and one activation per layer. A model (below): n_0
  // and each block's output width, and per block its activation (dense), "layernorm",
  // "batchnorm" or "residual".
  std::vector<std::size_t> widths;
  std::vector<std::string> activations;
  std::string bias_init = "zeros";       // every layer's b (a plain network)
  std::string net;                       // the described network's name; "" = the preset's
  // A described network with residual or norm blocks, or a plain one whose layers'
  // bias specs differ: run_training trains it as an nn::Model (its own biases; the
  // inits come from `inits`). Unset: widths, activations and bias_init make an
  // nn::Network.
  std::optional<NetDescription> model;
  nn::Loss loss;
  std::vector<NamedInit> inits;
  nn::OptimizerConfig optimizer;
  std::size_t epochs = 1;
  std::size_t batch = 0;  // 0 = full batch
  bool shuffle = false;   // false: batches in (permuted) data order
  std::size_t n_train = 0;
  std::size_t n_held_out = 0;
  std::uint64_t seed = 0;
  std::size_t seeds = 1;
  std::string description;  // one line: network, loss, optimizer, data
};

// The preset's initializers.
std::vector<NamedInit> default_inits(Preset p);

// The preset's row (one table of every preset's network, loss, data and schedule)
// with the overrides applied, every value validated (lr > 0 and finite, epochs >= 1,
// seeds >= 1, a dataset the preset knows, init specs that parse). Throws
// ConfigError naming the field, the value and what was expected; a network that
// does not fit the preset is a std::invalid_argument naming the network.
TrainingSetup resolve(const TrainingConfig& c);

}  // namespace initlab::study
