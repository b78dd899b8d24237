// Summary of one drawn weight matrix (used by `initlab init SPEC --shape OUT,IN`).
//   mean = sum w / N,  variance = sum (w - mean)^2 / N  (two passes, in double)

#include <algorithm>

#include "core/error.hpp"
#include "init/initializer.hpp"

namespace initlab::init {

// w (N) -> {mean, variance, min, max}
template <class T>
DrawStats draw_stats(std::span<const T> w) {
  if (w.empty()) fail("draw_stats", "empty matrix; expected at least one value");
  DrawStats st;
  double sum = 0.0;
  st.min = st.max = static_cast<double>(w[0]);
  for (const T x : w) {
    const auto v = static_cast<double>(x);
    sum += v;
    st.min = std::min(st.min, v);
    st.max = std::max(st.max, v);
  }
  const auto n = static_cast<double>(w.size());
  st.mean = sum / n;
  double ss = 0.0;
  for (const T x : w) {
    const double d = static_cast<double>(x) - st.mean;
    ss += d * d;
  }
  st.variance = ss / n;
  return st;
}

template DrawStats draw_stats(std::span<const float>);
template DrawStats draw_stats(std::span<const double>);

}  // namespace initlab::init
