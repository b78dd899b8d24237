#pragma once
// Runs a training TrainingSetup (study/training_preset.hpp): loads its data, then trains one
// network per (initializer, seed) and records what the training report draws.
//
// Data: MNIST digits (grouped by class) and IDX sets are permuted once with
// random::Stream(seed).split(kDataStream) before the first n_train rows become
// the training set and the next n_held_out the held-out set; every replicate
// sees the same split. Replicate r of an initializer draws its weights with
// NetworkConfig::seed = seed + r.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "study/training_preset.hpp"
#include "nn/trainer.hpp"
#include "stats/histogram.hpp"

namespace initlab::study {

inline constexpr std::uint64_t kDataStream = 0xda7a;
inline constexpr std::size_t kHistogramBins = 200;  // on [-1.2, 1.2], as in the note
inline constexpr double kHistogramRange = 1.2;
inline constexpr std::size_t kGridDigits = 100;     // the note's grid of held-out digits

struct TrainingData {
  nn::TrainData<float> train;
  nn::TrainData<float> held_out;   // size 0 when the study has none
  std::string source;              // where the rows came from
  data::Dataset grid;                    // the first kGridDigits held-out rows (image sets only)
  std::vector<std::size_t> grid_rows;  // their row numbers in the loaded file
};

// Loads (or generates) the study's data. Throws std::invalid_argument with a
// one-line message for missing or corrupt files and sizes that do not fit.
TrainingData load_training_data(const TrainingSetup& s);

// Probabilities of class 1 on a square grid (toy sets): p[i * n + j] at
// (x1, x2) = (lo + j * step, lo + i * step).
struct Boundary {
  double lo = 0.0;
  double step = 0.0;
  std::size_t n = 0;
  std::vector<float> p;
};

struct RunRecord {
  NamedInit init;
  std::uint64_t seed = 0;
  nn::TrainResult result;              // step losses, epoch records, divergence
  double train_loss = 0.0;             // after training, whole training set
  double train_accuracy = 0.0;         // NaN for regression
  double held_out_loss = 0.0;          // NaN without a held-out set
  double held_out_accuracy = 0.0;
  double seconds = 0.0;                // wall time of train()
  std::size_t lsuv_unconverged = 0;    // lsuv specs: layers left outside the tolerance
  // E[(dL/dh^l)^2] per layer l = 1..L at step 0 (before any update), on the first
  // batch of training rows: the per-layer gradient second moment at initialization.
  std::vector<double> grad2_step0;
  // First replicate only: activations a^l of each hidden layer on the held-out
  // (else training) inputs, before and after training; predictions on the grid.
  std::vector<stats::Histogram> hist_init;
  std::vector<stats::Histogram> hist_trained;
  // Exact fractions of saturated hidden activations (tanh: |a| > 0.99, relu:
  // a == 0; stats::forward_stats), per hidden layer, on the histograms' inputs.
  std::vector<double> saturated_init;
  std::vector<double> saturated_trained;
  std::vector<std::size_t> grid_predictions;
  Boundary boundary;
};

struct ProgressEvent {
  std::size_t run = 0;        // 0-based
  std::size_t runs = 0;
  const NamedInit* init = nullptr;
  std::uint64_t seed = 0;
  std::size_t epoch = 0;
  std::size_t step = 0;       // 0-based, across epochs
  std::size_t steps = 0;      // steps of this run
  double loss = 0.0;          // of the step just taken
};
using ProgressFn = std::function<void(const ProgressEvent&)>;

// Steps one run takes (epochs * batches per epoch).
std::size_t steps_per_run(const TrainingSetup& s, std::size_t n_train);

// Trains every (init, replicate) in order: inits outer, replicates inner.
std::vector<RunRecord> run_training(const TrainingSetup& s, const TrainingData& data,
                                 const ProgressFn& progress = {});

}  // namespace initlab::study
