#include "study/training_preset.hpp"

#include <cmath>

#include "core/error.hpp"
#include "init/initializer.hpp"
#include "nn/lsuv.hpp"

namespace initlab::study {

namespace {

std::string scaled_normal(double v) {
  return cat("variance_scaling:scale=", v, ",mode=fan_in,distribution=normal");
}

// Preset label -> spec; any other text is taken as a spec and checked by init::parse.
NamedInit named(Preset p, const std::string& text) {
  for (const auto& d : default_inits(p)) {
    if (d.label == text) return d;
  }
  if (nn::is_lsuv(text)) {
    (void)nn::parse_lsuv(text);
    return {text, text};
  }
  try {
    (void)init::parse(text);
  } catch (const std::invalid_argument& e) {
    fail("--init", "'", text, "' is neither a ", to_string(p), " initializer nor a valid spec (",
         e.what(), ")");
  }
  return {text, text};
}

std::string widths_text(const std::vector<std::size_t>& w) {
  std::string s = "[";
  for (std::size_t i = 0; i < w.size(); ++i) s += (i ? ", " : "") + std::to_string(w[i]);
  return s + "]";
}

// The net's layers replace the preset's; its data and loss fix the input and
// output widths.
void use_net(const NetDescription& net, TrainingSetup& s) {
  net.validate();
  const char* func = "training network";
  if (!net.plain()) fail(func, net.name, " has residual or norm blocks; expected a plain network (dense layers only)");
  const std::size_t out = net.output_width(net.blocks.size() - 1);
  if (net.input != s.widths.front() || out != s.widths.back())
    fail(func, net.name, " maps ", net.input, " -> ", out, "; the ", to_string(s.preset), " preset's data need ",
         s.widths.front(), " -> ", s.widths.back());
  s.widths = {net.input};
  s.activations.clear();
  s.bias_init = std::get<DenseLayer>(net.blocks.front()).bias;
  for (const auto& b : net.blocks) {
    const auto& d = std::get<DenseLayer>(b);
    if (d.bias != s.bias_init)
      fail(func, net.name, " has bias specs \"", s.bias_init, "\" and \"", d.bias, "\"; expected one for every layer");
    s.widths.push_back(d.width);
    s.activations.push_back(d.activation.name());
  }
  s.net = net.name;
}

NamedInit net_inits(const NetDescription& net) {
  NamedInit n{net.name, std::get<DenseLayer>(net.blocks.front()).init, {}};
  for (const auto& b : net.blocks) n.layers.push_back(std::get<DenseLayer>(b).init);
  return n;
}

}  // namespace

Preset parse_preset(std::string_view name) {
  if (name == "note-mnist") return Preset::note_mnist;
  if (name == "playground") return Preset::playground;
  if (name == "course-circles") return Preset::course_circles;
  if (name == "deep-linear") return Preset::deep_linear;
  fail("--preset", "unknown preset '", name,
       "'; expected note-mnist, playground, course-circles or deep-linear");
}

std::string_view to_string(Preset p) {
  switch (p) {
    case Preset::note_mnist: return "note-mnist";
    case Preset::playground: return "playground";
    case Preset::course_circles: return "course-circles";
    case Preset::deep_linear: return "deep-linear";
  }
  return "?";
}

std::vector<NamedInit> default_inits(Preset p) {
  switch (p) {
    case Preset::note_mnist:
      return {{"note_zero", "note_zero"},
              {"note_uniform", "note_uniform"},
              {"note_xavier", "note_xavier"},
              {"note_standard_normal", "note_standard_normal"}};
    case Preset::playground:
      return {{"zero", "zeros"},
              {"too_small", scaled_normal(0.01)},
              {"appropriate", scaled_normal(1)},
              {"too_large", scaled_normal(100)}};
    case Preset::course_circles:
      return {{"zeros", "zeros"}, {"normal:10", "normal:10"}, {"he_normal", "he_normal"}};
    case Preset::deep_linear:
      return {{"identity:1.5", "identity:1.5"}, {"identity:0.5", "identity:0.5"}};
  }
  return {};
}

TrainingSetup resolve(const TrainingConfig& c) {
  TrainingSetup s;
  s.preset = c.preset;
  s.seed = c.seed;
  s.seeds = c.seeds;
  s.data_dir = c.data_dir;
  s.mnist_dir = c.mnist_dir;
  s.mnist_cache = c.mnist_cache;
  double lr = 0.1;
  switch (c.preset) {
    case Preset::note_mnist:
      s.dataset = c.dataset.empty() ? "mnist" : c.dataset;
      if (s.dataset != "mnist" && s.dataset != "fashion-mnist") {
        fail("--dataset", "unknown dataset '", s.dataset,
             "' for note-mnist; expected mnist or fashion-mnist");
      }
      s.widths = {784, 300, 300, 300, 300, 10};
      s.activations = {"tanh", "tanh", "tanh", "tanh", "linear"};
      s.loss = nn::Loss::parse("softmax_cross_entropy");
      s.epochs = 10;
      s.batch = 100;
      s.n_train = 8000;
      s.n_held_out = 2000;
      break;
    case Preset::playground:
      s.dataset = c.dataset.empty() ? "rings" : c.dataset;
      if (s.dataset != "rings" && s.dataset != "spiral" && s.dataset != "checkerboard" &&
          s.dataset != "gaussians") {
        fail("--dataset", "unknown dataset '", s.dataset,
             "' for playground; expected rings, spiral, checkerboard or gaussians");
      }
      s.widths = {2, 6, 3, 1};
      s.activations = {"relu", "relu", "sigmoid"};
      s.loss = nn::Loss::parse("sigmoid_cross_entropy");
      s.epochs = 2000;
      s.n_train = 100;
      break;
    case Preset::course_circles:
      s.dataset = c.dataset.empty() ? "circles" : c.dataset;
      if (s.dataset != "circles") {
        fail("--dataset", "unknown dataset '", s.dataset, "' for course-circles; expected circles");
      }
      s.widths = {2, 10, 5, 1};
      s.activations = {"relu", "relu", "sigmoid"};
      s.loss = nn::Loss::parse("sigmoid_cross_entropy");
      s.epochs = 15000;
      s.n_train = 300;
      s.n_held_out = 100;
      lr = 0.01;
      break;
    case Preset::deep_linear:
      s.dataset = c.dataset.empty() ? "linear" : c.dataset;
      if (s.dataset != "linear") {
        fail("--dataset", "unknown dataset '", s.dataset, "' for deep-linear; expected linear");
      }
      s.widths = std::vector<std::size_t>(11, 2);
      s.activations = std::vector<std::string>(10, "linear");
      s.loss = nn::Loss::parse("mean_squared_error");
      s.epochs = 1000;
      s.n_train = 100;
      lr = 9e-5;
      break;
  }
  if (c.net) use_net(*c.net, s);
  if (!c.data_dir.empty() && s.dataset != "mnist" && s.dataset != "fashion-mnist") {
    fail("--data", c.data_dir, " is for IDX files of mnist or fashion-mnist, not dataset ", s.dataset);
  }
  if (c.lr) lr = *c.lr;
  if (!(lr > 0.0) || !std::isfinite(lr)) fail("--lr", lr, " is not a learning rate; expected a finite value > 0");
  s.optimizer = nn::OptimizerConfig::parse(c.optimizer, lr);
  s.optimizer.validate();
  if (c.epochs) s.epochs = *c.epochs;
  if (s.epochs == 0) fail("--epochs", "0; expected at least 1");
  if (c.batch) s.batch = *c.batch;
  if (c.n_train) s.n_train = *c.n_train;
  if (c.n_held_out) s.n_held_out = *c.n_held_out;
  if (s.n_train == 0) fail("--train", "0; expected at least 1 training example");
  if (s.seeds == 0) fail("--seeds", "0; expected at least 1");
  for (const auto& text : c.inits) s.inits.push_back(named(c.preset, text));
  if (s.inits.empty()) s.inits = c.net ? std::vector<NamedInit>{net_inits(*c.net)} : default_inits(c.preset);

  s.description = cat(s.net.empty() ? "" : "network " + s.net + " ", widths_text(s.widths), " ", s.activations.front(), " x",
                      s.activations.size() - 1, " + ", s.activations.back(), ", ", s.loss.name(), ", ",
                      s.optimizer.name(), " lr ", lr, ", ",
                      s.batch == 0 ? std::string("full batch") : cat("batch ", s.batch),
                      s.shuffle ? " shuffled" : " in order", ", ", s.epochs,
                      s.batch == 0 ? " iterations" : " epochs", ", ", s.dataset, " ", s.n_train,
                      " train / ", s.n_held_out, " held out");
  return s;
}

}  // namespace initlab::study
