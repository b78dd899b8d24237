#include "data/dataset.hpp"

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "random/permutation.hpp"

namespace initlab::data {

void validate(const Dataset& d) {
  if (d.x.shape()[0] != d.y.size()) {
    fail("data::validate", d.name, ": x has ", d.x.shape()[0], " rows but y has ", d.y.size(),
         " labels; expected equal counts");
  }
  for (std::size_t i = 0; i < d.y.size(); ++i) {
    if (d.y[i] >= d.classes) {
      fail("data::validate", d.name, ": label ", static_cast<int>(d.y[i]), " at row ", i,
           " is out of range; expected [0, ", d.classes, ")");
    }
  }
}

Dataset take(const Dataset& d, std::span<const std::size_t> idx) {
  const std::size_t n = d.size();
  const std::size_t dim = d.dim();
  Dataset out;
  out.name = d.name;
  out.classes = d.classes;
  out.x = Matrix<float>::from_shape({idx.size(), dim});
  out.y.resize(idx.size());
  const float* src = d.x.data();
  float* dst = out.x.data();
  for (std::size_t r = 0; r < idx.size(); ++r) {
    if (idx[r] >= n) fail("data::take", "row index ", idx[r], " >= size ", n);
    std::copy_n(src + idx[r] * dim, dim, dst + r * dim);
    out.y[r] = d.y[idx[r]];
  }
  return out;
}

Dataset slice(const Dataset& d, std::size_t begin, std::size_t end) {
  if (begin > end || end > d.size()) {
    fail("data::slice", "rows [", begin, ", ", end, ") of ", d.name, " with ", d.size(),
         " rows; expected begin <= end <= size");
  }
  std::vector<std::size_t> idx(end - begin);
  std::iota(idx.begin(), idx.end(), begin);
  return take(d, idx);
}

Dataset permute(const Dataset& d, const random::Stream& rng) {
  const auto p = random::permutation(d.size(), rng);
  return take(d, p);
}

Split split(const Dataset& d, std::size_t n_train, std::size_t n_held_out) {
  if (n_train == 0 || n_train + n_held_out > d.size()) {
    fail("data::split", d.name, ": ", n_train, " train + ", n_held_out, " held-out rows of ",
         d.size(), "; expected 0 < train and train + held-out <= ", d.size());
  }
  return {slice(d, 0, n_train), slice(d, n_train, n_train + n_held_out)};
}

std::vector<std::size_t> class_counts(const Dataset& d) {
  std::vector<std::size_t> counts(d.classes, 0);
  for (auto label : d.y) {
    if (label < d.classes) ++counts[label];
  }
  return counts;
}

template <class T>
Matrix<T> features(const Dataset& d) {
  Matrix<T> x = Matrix<T>::from_shape({d.size(), d.dim()});
  std::transform(d.x.begin(), d.x.end(), x.begin(), [](float v) { return static_cast<T>(v); });
  return x;
}

std::vector<std::size_t> label_indices(const Dataset& d) {
  return {d.y.begin(), d.y.end()};
}

template Matrix<float> features<float>(const Dataset&);
template Matrix<double> features<double>(const Dataset&);

}  // namespace initlab::data
