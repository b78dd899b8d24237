#include "stats/histogram.hpp"

#include <cmath>

#include <xtensor/xhistogram.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xoperation.hpp>
#include <xtensor/xreducer.hpp>

#include "core/error.hpp"

namespace initlab::stats {

Histogram::Histogram(std::size_t bins, double lo_, double hi_) : lo(lo_), hi(hi_), counts(bins, 0.0) {
  if (bins == 0 || !std::isfinite(lo_) || !std::isfinite(hi_) || !(lo_ < hi_)) {
    fail("stats::Histogram", "bins ", bins, " on [", lo_, ", ", hi_,
         "]; expected bins > 0 and a finite range lo < hi");
  }
}

double Histogram::total() const {
  double t = below + above + nonfinite;
  for (double c : counts) t += c;
  return t;
}

double Histogram::bin_lo(std::size_t i) const {
  return lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(counts.size());
}
double Histogram::bin_hi(std::size_t i) const { return bin_lo(i + 1); }

Histogram& Histogram::operator+=(const Histogram& other) {
  if (other.counts.size() != counts.size() || other.lo != lo || other.hi != hi) {
    fail("stats::Histogram::operator+=", other.counts.size(), " bins on [", other.lo, ", ",
         other.hi, "]; expected ", counts.size(), " bins on [", lo, ", ", hi, "]");
  }
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
  below += other.below;
  above += other.above;
  nonfinite += other.nonfinite;
  return *this;
}

template <class T>
Histogram histogram(const Matrix<T>& x, std::size_t bins, double lo, double hi) {
  Histogram hist(bins, lo, hi);
  constexpr auto now = xt::evaluation_strategy::immediate;
  // x (B, n) -> counts (bins) over the flattened entries; xt::histogram drops
  // values outside [lo, hi], which are counted below.
  const xt::xtensor<double, 1> xd = xt::cast<double>(xt::flatten(x));
  const xt::xtensor<double, 1> c = xt::histogram(xd, bins, lo, hi);
  for (std::size_t i = 0; i < bins; ++i) hist.counts[i] = c(i);
  hist.below = xt::sum(xt::cast<double>(xd < lo), {0}, now)();
  hist.above = xt::sum(xt::cast<double>(xd > hi), {0}, now)();
  hist.nonfinite = xt::sum(xt::cast<double>(!xt::isfinite(xd)), {0}, now)();
  return hist;
}

template Histogram histogram<float>(const Matrix<float>&, std::size_t, double, double);
template Histogram histogram<double>(const Matrix<double>&, std::size_t, double, double);

}  // namespace initlab::stats
