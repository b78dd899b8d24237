#pragma once
// Histograms of a layer's activations over a fixed range, as in the seed note's
// picture (200 bins on [-1.2, 1.2]). Counts from several networks add up.

#include <cstddef>
#include <vector>

#include "core/tensor.hpp"

namespace initlab::stats {

struct Histogram {
  double lo = -1.0;
  double hi = 1.0;
  std::vector<double> counts;  // bins equal bins on [lo, hi]; a value == hi goes in the last
  double below = 0.0;          // entries < lo
  double above = 0.0;          // entries > hi
  double nonfinite = 0.0;      // inf / NaN entries

  Histogram() = default;
  // Empty histogram; throws unless bins > 0 and lo < hi (both finite).
  Histogram(std::size_t bins, double lo, double hi);

  double total() const;  // every entry seen, including below / above / nonfinite
  double bin_lo(std::size_t i) const;
  double bin_hi(std::size_t i) const;
  // Adds another histogram's counts; throws unless it has the same bins and range.
  Histogram& operator+=(const Histogram& other);
};

// x (B, n) -> counts of all its entries.
template <class T>
Histogram histogram(const Matrix<T>& x, std::size_t bins, double lo, double hi);

}  // namespace initlab::stats
