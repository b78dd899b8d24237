// `initlab train`: trains the seed note's and the course's networks from each
// initializer and reports cost curves, accuracies and divergence.
//
//   initlab train --preset note-mnist [--init SPEC ...] [--epochs E] [--seeds R] [--out DIR]
//   initlab train --preset playground --dataset rings|spiral|checkerboard|gaussians
//   initlab train --preset course-circles | --preset deep-linear
//
// stdout: a table (or --csv: the cost curves); --json FILE|- and --out DIR write
// the full record (curves, epochs, histograms, digit grid, decision boundaries).

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "net_option.hpp"
#include "core/error.hpp"
#include "init/initializer.hpp"
#include "nn/lsuv.hpp"
#include "study/training_study.hpp"
#include "findings_output.hpp"
#include "output.hpp"
#include "train_output.hpp"
#include "train_flags.hpp"

namespace initlab::tool {
namespace {

using study::RunRecord;
using study::TrainingSetup;
using nlohmann::json;

// Upper bounds of the size options: a million epochs (iterations), ten million
// examples (MNIST's training set has 60000).
constexpr std::size_t kMaxEpochs = 1'000'000;
constexpr std::size_t kMaxExamples = 10'000'000;

struct Options {
  std::string preset = "note-mnist";
  study::TrainingConfig config;
  std::optional<std::size_t> epochs, batch, n_train, n_held_out;
  std::optional<double> lr;
  std::string out_dir;
  std::string json_path;
  bool csv = false;
  bool progress = false;
  NetOption net;
};


// Progress on stderr: one rewritten line (tty) or a line every 5 s (--progress to a file).
class ProgressBar {
 public:
  explicit ProgressBar(std::size_t total) : total_(total), tty_(::isatty(STDERR_FILENO) != 0) {}
  void operator()(const study::ProgressEvent& e) {
    const std::size_t done = e.run * e.steps + e.step + 1;
    const auto now = std::chrono::steady_clock::now();
    const double since = std::chrono::duration<double>(now - last_).count();
    const bool end = done == total_;
    if (since < (tty_ ? 0.1 : 5.0) && !end) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double eta = elapsed / static_cast<double>(done) * static_cast<double>(total_ - done);
    const double frac = static_cast<double>(done) / static_cast<double>(total_);
    std::string bar(20, '.');
    for (std::size_t i = 0; i < static_cast<std::size_t>(frac * 20); ++i) bar[i] = '#';
    std::fprintf(stderr, "%s[%s] %3.0f%% run %zu/%zu %s seed %llu epoch %zu cost %.4g ETA %.0fs%s",
                 tty_ ? "\r" : "", bar.c_str(), 100 * frac, e.run + 1, e.runs, e.init->label.c_str(),
                 static_cast<unsigned long long>(e.seed), e.epoch, e.loss, eta,
                 tty_ ? (end ? "\n" : "   ") : "\n");
  }

 private:
  std::size_t total_;
  bool tty_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

Run setup(CLI::App& app) {
  auto o = std::make_shared<Options>();
  app.add_option("--preset", o->preset,
                 "note-mnist | playground | course-circles | deep-linear (default note-mnist)");
  app.add_option("--dataset", o->config.dataset,
                 "note-mnist: mnist | fashion-mnist; playground: rings | spiral | checkerboard | "
                 "gaussians (default: the preset's)");
  app.add_option("--data", o->config.data_dir,
                 "folder of IDX files (t10k-* or train-*-idx?-ubyte[.gz]) for mnist / fashion-mnist");
  app.add_option("--mnist-dir", o->config.mnist_dir, "folder of the note's digits 0.json..9.json")
      ->capture_default_str();
  app.add_option("--mnist-cache", o->config.mnist_cache, "binary cache of the digits")
      ->capture_default_str();
  app.add_option("--init", o->config.inits,
                 "initializers, run one after the other: the preset's names (e.g. too_small) or "
                 "any spec (e.g. he_normal); default: the preset's set");
  // Bounds before anything is loaded or allocated (issue 17: "--epochs -1" ran for ever).
  app.add_option("--epochs", o->epochs, "epochs (full-batch presets: iterations)")
      ->check(CLI::Range(std::size_t{1}, kMaxEpochs));
  app.add_option("--lr", o->lr, "learning rate (> 0)");
  app.add_option("--batch", o->batch, "rows per step; 0 = full batch")
      ->check(CLI::Range(std::size_t{0}, kMaxExamples));
  app.add_option("--train", o->n_train, "training examples")
      ->check(CLI::Range(std::size_t{1}, kMaxExamples));
  app.add_option("--held-out", o->n_held_out, "held-out examples")
      ->check(CLI::Range(std::size_t{0}, kMaxExamples));
  app.add_option("--optimizer", o->config.optimizer, "sgd | momentum[:MU] | rmsprop[:RHO] | adam[:BETA1,BETA2[,EPS]]")
      ->capture_default_str();
  app.add_option("--seed", o->config.seed, "seed of the data split and the first replicate")
      ->capture_default_str();
  app.add_option("--seeds", o->config.seeds, "replicates per initializer (seeds seed..seed+R-1)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  app.add_option("--out", o->out_dir, "folder for PRESET[-DATASET].json and -curves.csv");
  app.add_option("--json", o->json_path, "write the full JSON record to FILE (- = stdout)");
  app.add_flag("--csv", o->csv, "print the cost curves as CSV instead of the table");
  app.add_flag("--progress", o->progress, "progress on stderr even when it is not a terminal");
  add_net_options(app, o->net);
  app.footer("With --net FILE or --arch STRING a network of your own replaces the preset's (the same "
             "input and output widths, a dense output layer; the preset gives data, loss and optimizer); its "
             "per-layer inits are the default initializer, --init SPEC puts SPEC in every dense layer instead. "
             "Residual and norm blocks train too (docs/net-files.md). BatchNorm runs in training mode "
             "everywhere: the held-out scores, the final scores, the digit grid and the decision boundary "
             "normalize with the statistics of the rows evaluated together (no running statistics).");
  return [o] {
    study::TrainingConfig c = o->config;
    c.preset = parse_preset_option(o->preset);
    c.epochs = o->epochs;
    c.batch = o->batch;
    c.n_train = o->n_train;
    c.n_held_out = o->n_held_out;
    c.lr = o->lr;
    if (o->net.given()) c.net = load_net_option(o->net);
    if (o->csv && o->json_path == "-") {
      fail("--csv", "and --json - both write to stdout; give --json a file name");
    }
    const TrainingSetup s = resolve_options(c);
    // Every output is checked (and --out locked) before the data is loaded.
    std::optional<FolderLock> lock;
    std::string stem;
    if (!o->out_dir.empty()) {
      lock_output_dir(lock, "--out", o->out_dir);
      stem = o->out_dir + "/" + (s.net.empty() ? std::string(study::to_string(s.preset)) : s.net) +
             (s.preset == study::Preset::playground ? "-" + s.dataset : "");
      check_output("--out", stem + ".json");
      check_output("--out", stem + "-curves.csv");
    }
    check_output("--json", o->json_path);
    const study::TrainingData d = study::load_training_data(s);
    const std::size_t total = s.inits.size() * s.seeds * study::steps_per_run(s, d.train.size());
    ProgressBar bar(total);
    study::ProgressFn progress;
    if (o->progress || ::isatty(STDERR_FILENO)) progress = [&bar](const auto& e) { bar(e); };
    const auto t0 = std::chrono::steady_clock::now();
    const auto runs = study::run_training(s, d, progress);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const bool json_stdout = o->json_path == "-";
    if (o->csv) {
      write_curves_csv(std::cout, s, d, runs);
    } else if (!json_stdout) {
      write_table(std::cout, s, d, runs);
    }
    if (!o->json_path.empty() || !o->out_dir.empty()) {
      const std::string doc = json_text(study_json(s, d, runs, seconds));
      StagedFiles files;
      if (!o->json_path.empty()) files.add(o->json_path, [&](std::ostream& os) { os << doc << "\n"; });
      if (!o->out_dir.empty()) {
        files.add(stem + ".json", [&](std::ostream& os) { os << doc << "\n"; });
        files.add(stem + "-curves.csv", [&](std::ostream& os) { write_curves_csv(os, s, d, runs); });
      }
      files.commit();
    }
  };
}

const Registration reg{"train",
                       "Train the note's and the course's networks from each initializer "
                       "(MNIST, playground, circles, deep linear)",
                       setup};

}  // namespace
}  // namespace initlab::tool
