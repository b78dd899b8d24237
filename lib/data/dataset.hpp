#pragma once
// A labelled data set held in memory: x (N, d) float32 features, y (N) class
// labels in [0, classes). Every loader in lib/data returns one; training code
// converts it to its own precision with `features<T>` and `one_hot<T>`.
//
// Order matters: MNIST's digits arrive grouped by class, so a loop that takes
// batches "in order" must first apply `permute` with a fixed seed; `split`
// then cuts the held-out part from the permuted order.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "random/stream.hpp"

namespace initlab::data {

struct Dataset {
  std::string name;                 // e.g. "mnist-10k", "rings"
  Matrix<float> x;                  // (N, d)
  std::vector<std::uint8_t> y;      // (N) labels in [0, classes)
  std::size_t classes = 0;

  std::size_t size() const { return y.size(); }
  std::size_t dim() const { return x.shape()[1]; }
};

// Throws unless x has y.size() rows and every label is below `classes`.
void validate(const Dataset& d);

// The rows idx[0], idx[1], ... of d, in that order; throws on an index >= N.
Dataset take(const Dataset& d, std::span<const std::size_t> idx);
// Rows [begin, end).
Dataset slice(const Dataset& d, std::size_t begin, std::size_t end);

// take(d, random::permutation(d.size(), rng)).
Dataset permute(const Dataset& d, const random::Stream& rng);

// The first n_train rows and the n_held_out rows after them (apply `permute`
// first when d is ordered by class). Throws if n_train + n_held_out > N or
// n_train == 0.
struct Split {
  Dataset train;
  Dataset held_out;
};
Split split(const Dataset& d, std::size_t n_train, std::size_t n_held_out);

// Number of rows of each class, classes entries.
std::vector<std::size_t> class_counts(const Dataset& d);

// x as a T matrix (N, d).
template <class T>
Matrix<T> features(const Dataset& d);
// y as class indices (N), the form nn::TrainData reads.
std::vector<std::size_t> label_indices(const Dataset& d);

}  // namespace initlab::data
