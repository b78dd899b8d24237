#pragma once
// Mean and sample standard deviation across seeds, ignoring non-finite values.

#include <cstddef>
#include <vector>

namespace initlab::study {

struct MeanSd {
  double mean = 0.0;
  double sd = 0.0;    // n - 1 denominator; 0 for one value
  std::size_t n = 0;  // finite values; mean and sd are NaN when 0
};

MeanSd mean_sd(const std::vector<double>& values);

}  // namespace initlab::study
