#include "study/mean_sd.hpp"

#include <cmath>
#include <limits>

namespace initlab::study {

MeanSd mean_sd(const std::vector<double>& v) {
  MeanSd r;
  double s = 0.0;
  for (double x : v) {
    if (std::isfinite(x)) {
      s += x;
      ++r.n;
    }
  }
  if (r.n == 0) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, 0};
  }
  r.mean = s / static_cast<double>(r.n);
  double ss = 0.0;
  for (double x : v)
    if (std::isfinite(x)) ss += (x - r.mean) * (x - r.mean);
  r.sd = r.n > 1 ? std::sqrt(ss / static_cast<double>(r.n - 1)) : 0.0;
  return r;
}

}  // namespace initlab::study
