#include "study/training_preset.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "init/initializer.hpp"
#include "nn/lsuv.hpp"

namespace initlab::study {

namespace {

std::string scaled_normal(double v) {
  return cat("variance_scaling:scale=", v, ",mode=fan_in,distribution=normal");
}

// One preset: its network, loss, data and schedule (TrainingConfig overrides them).
struct PresetRow {
  Preset preset;
  std::string_view name;
  std::vector<std::string_view> datasets;  // the first is the default
  std::vector<std::size_t> widths;
  std::vector<std::string> activations;  // one per layer
  std::string_view loss;
  std::size_t epochs;  // full-batch presets: iterations
  std::size_t batch;   // 0 = full batch
  std::size_t n_train, n_held_out;
  double lr;
  std::vector<NamedInit> inits;
};

// The presets of training_preset.hpp, in the order of enum Preset.
const std::vector<PresetRow>& presets() {
  static const std::vector<PresetRow> rows = {
      {Preset::note_mnist, "note-mnist", {"mnist", "fashion-mnist"}, {784, 300, 300, 300, 300, 10},
       {"tanh", "tanh", "tanh", "tanh", "linear"}, "softmax_cross_entropy", 10, 100, 8000, 2000, 0.1,
       {{"note_zero", "note_zero"},
        {"note_uniform", "note_uniform"},
        {"note_xavier", "note_xavier"},
        {"note_standard_normal", "note_standard_normal"}}},
      {Preset::playground, "playground", {"rings", "spiral", "checkerboard", "gaussians"}, {2, 6, 3, 1},
       {"relu", "relu", "sigmoid"}, "sigmoid_cross_entropy", 2000, 0, 100, 0, 0.1,
       {{"zero", "zeros"},
        {"too_small", scaled_normal(0.01)},
        {"appropriate", scaled_normal(1)},
        {"too_large", scaled_normal(100)}}},
      {Preset::course_circles, "course-circles", {"circles"}, {2, 10, 5, 1}, {"relu", "relu", "sigmoid"},
       "sigmoid_cross_entropy", 15000, 0, 300, 100, 0.01,
       {{"zeros", "zeros"}, {"normal:10", "normal:10"}, {"he_normal", "he_normal"}}},
      {Preset::deep_linear, "deep-linear", {"linear"}, std::vector<std::size_t>(11, 2),
       std::vector<std::string>(10, "linear"), "mean_squared_error", 1000, 0, 100, 0, 9e-5,
       {{"identity:1.5", "identity:1.5"}, {"identity:0.5", "identity:0.5"}}},
  };
  return rows;
}

const PresetRow& row_of(Preset p) { return presets().at(static_cast<std::size_t>(p)); }

// "a, b or c".
template <class Range>
std::string one_of(const Range& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) {
    s += i == 0 ? "" : (i + 1 == names.size() ? " or " : ", ");
    s += names[i];
  }
  return s;
}

template <class... Args>
[[noreturn]] void reject(std::string field, const Args&... args) {
  throw ConfigError("study::resolve", std::move(field), cat(args...));
}

// Preset label -> spec; any other text is taken as a spec and checked by init::parse.
NamedInit named(const PresetRow& row, const std::string& text) {
  for (const auto& d : row.inits) {
    if (d.label == text) return d;
  }
  if (nn::is_lsuv(text)) {
    (void)nn::parse_lsuv(text);
    return {text, text};
  }
  try {
    (void)init::parse(text);
  } catch (const std::invalid_argument& e) {
    reject("inits", "'", text, "' is neither a ", row.name, " initializer nor a valid spec (", e.what(), ")");
  }
  return {text, text};
}

std::string widths_text(const std::vector<std::size_t>& w) {
  std::string s = "[";
  for (std::size_t i = 0; i < w.size(); ++i) s += (i ? ", " : "") + std::to_string(w[i]);
  return s + "]";
}

// What a block is called in TrainingSetup::activations.
std::string block_label(const Block& b) {
  if (const auto* d = std::get_if<DenseLayer>(&b)) return d->activation.name();
  if (const auto* n = std::get_if<Norm>(&b)) return n->name();
  return "residual";
}

// How an error names a block: "dense relu", "layernorm", "residual".
std::string block_kind(const Block& b) {
  return std::holds_alternative<DenseLayer>(b) ? "dense " + block_label(b) : block_label(b);
}

// The net must map the preset's inputs to its outputs, the last block dense (the
// loss reads its logits); the message names the block that does not fit.
void check_fits(const NetDescription& net, const TrainingSetup& s) {
  const char* func = "training network";
  const std::size_t last = net.blocks.size() - 1, out = net.output_width(last);
  const std::string maps = cat(net.name, " maps ", net.input, " -> ", out, "; the ", to_string(s.preset),
                               " preset's data need ", s.widths.front(), " -> ", s.widths.back());
  if (net.input != s.widths.front())
    fail(func, maps, ": block 1 (", block_kind(net.blocks.front()), ") reads ", net.input, " inputs, expected ",
         s.widths.front());
  if (out != s.widths.back()) {
    std::size_t k = last;  // the dense layer that sets the output width
    while (k > 0 && !std::holds_alternative<DenseLayer>(net.blocks[k])) --k;
    fail(func, maps, ": block ", k + 1, " (", block_kind(net.blocks[k]), ") gives ", out, " outputs, expected ",
         s.widths.back());
  }
  if (!std::holds_alternative<DenseLayer>(net.blocks[last]))
    fail(func, net.name, "'s last block (block ", last + 1, ", ", block_kind(net.blocks[last]),
         ") is not a dense layer; expected a dense output layer whose logits the loss reads");
}

// The net's layers replace the preset's; its data and loss fix the input and
// output widths. A plain net of one bias spec is a Network, any other a Model.
void use_net(const NetDescription& net, TrainingSetup& s) {
  net.validate();
  check_fits(net, s);
  const std::vector<DenseLayer> dense = net.dense_layers();
  bool one_bias = true;
  for (const DenseLayer& d : dense) one_bias = one_bias && d.bias == dense.front().bias;
  s.widths = {net.input};
  s.activations.clear();
  for (std::size_t k = 0; k < net.blocks.size(); ++k) {
    s.widths.push_back(net.output_width(k));
    s.activations.push_back(block_label(net.blocks[k]));
  }
  if (net.plain() && one_bias) {
    s.bias_init = dense.front().bias;
  } else {
    s.model = net;
  }
  s.net = net.name;
}

NamedInit net_inits(const NetDescription& net) {
  NamedInit n{net.name, net.dense_layers().front().init, {}};
  for (const DenseLayer& d : net.dense_layers()) n.layers.push_back(d.init);
  return n;
}

// The row's values with the config's dataset (checked against the row's).
TrainingSetup from_row(const PresetRow& row, const TrainingConfig& c) {
  TrainingSetup s;
  s.preset = c.preset;
  s.seed = c.seed;
  s.seeds = c.seeds;
  s.data_dir = c.data_dir;
  s.mnist_dir = c.mnist_dir;
  s.mnist_cache = c.mnist_cache;
  s.dataset = c.dataset.empty() ? std::string(row.datasets.front()) : c.dataset;
  if (std::find(row.datasets.begin(), row.datasets.end(), s.dataset) == row.datasets.end())
    reject("dataset", "unknown dataset '", s.dataset, "' for ", row.name, "; expected ", one_of(row.datasets));
  s.widths = row.widths;
  s.activations = row.activations;
  s.loss = nn::Loss::parse(row.loss);
  s.epochs = row.epochs;
  s.batch = row.batch;
  s.n_train = row.n_train;
  s.n_held_out = row.n_held_out;
  return s;
}

// A plain net: its widths and activations; a model: its blocks by kind.
std::string net_text(const TrainingSetup& s) {
  if (!s.model)
    return cat(s.net.empty() ? "" : "network " + s.net + " ", widths_text(s.widths), " ", s.activations.front(),
               " x", s.activations.size() - 1, " + ", s.activations.back());
  std::size_t dense = 0, residual = 0, norm = 0;
  for (const Block& b : s.model->blocks) {
    dense += std::holds_alternative<DenseLayer>(b) ? 1 : 0;
    residual += std::holds_alternative<Residual>(b) ? 1 : 0;
    norm += std::holds_alternative<Norm>(b) ? 1 : 0;
  }
  return cat("network ", s.net, " ", s.widths.front(), " -> ", s.widths.back(), ", ", s.model->blocks.size(),
             " blocks (", dense, " dense, ", residual, " residual, ", norm, " norm)");
}

std::string describe(const TrainingSetup& s, double lr) {
  return cat(net_text(s), ", ", s.loss.name(), ", ", s.optimizer.name(),
             " lr ", lr, ", ", s.batch == 0 ? std::string("full batch") : cat("batch ", s.batch),
             s.shuffle ? " shuffled" : " in order", ", ", s.epochs, s.batch == 0 ? " iterations" : " epochs", ", ",
             s.dataset, " ", s.n_train, " train / ", s.n_held_out, " held out");
}

}  // namespace

ConfigError::ConfigError(std::string func, std::string field_name, std::string message)
    : std::invalid_argument(cat(func, ": ", field_name, ": ", message)),
      field(std::move(field_name)),
      detail(std::move(message)) {}

Preset parse_preset(std::string_view name) {
  std::vector<std::string_view> names;
  for (const auto& row : presets()) {
    if (row.name == name) return row.preset;
    names.push_back(row.name);
  }
  throw ConfigError("study::parse_preset", "preset", cat("unknown preset '", name, "'; expected ", one_of(names)));
}

std::string_view to_string(Preset p) { return row_of(p).name; }

std::vector<NamedInit> default_inits(Preset p) { return row_of(p).inits; }

TrainingSetup resolve(const TrainingConfig& c) {
  const PresetRow& row = row_of(c.preset);
  TrainingSetup s = from_row(row, c);
  if (c.net) use_net(*c.net, s);
  if (!c.data_dir.empty() && s.dataset != "mnist" && s.dataset != "fashion-mnist")
    reject("data_dir", c.data_dir, " is for IDX files of mnist or fashion-mnist, not dataset ", s.dataset);
  const double lr = c.lr.value_or(row.lr);
  if (!(lr > 0.0) || !std::isfinite(lr)) reject("lr", lr, " is not a learning rate; expected a finite value > 0");
  s.optimizer = nn::OptimizerConfig::parse(c.optimizer, lr);
  s.optimizer.validate();
  s.epochs = c.epochs.value_or(s.epochs);
  if (s.epochs == 0) reject("epochs", "0; expected at least 1");
  s.batch = c.batch.value_or(s.batch);
  s.n_train = c.n_train.value_or(s.n_train);
  s.n_held_out = c.n_held_out.value_or(s.n_held_out);
  if (s.n_train == 0) reject("n_train", "0; expected at least 1 training example");
  if (s.seeds == 0) reject("seeds", "0; expected at least 1");
  for (const auto& text : c.inits) s.inits.push_back(named(row, text));
  if (s.inits.empty()) s.inits = c.net ? std::vector<NamedInit>{net_inits(*c.net)} : row.inits;
  s.description = describe(s, lr);
  return s;
}

}  // namespace initlab::study
