#pragma once
// Internal to lib/stats: the one fused, vectorized pass over a matrix behind the
// per-layer statistics (layer_stats.cpp). No xtensor here.
//
// x (rows, n), row-major -> sums of y = x 2^-E, E the exponent of max |x|
// (|y| < 1), so the sums neither overflow nor lose the scale, whatever T holds:
//   true sum of x            = 2^E     * s1
//   true sum of x^2          = 2^(2E)  * s2
//   true sum of (x - mean)^2 = 2^(2E)  * m2        (centred only)
// Multiplying by a power of two rounds nothing, so the scaling is exact. Each
// row is read once from memory and walked in blocks of at most kBlock entries
// while it sits in L1: its max |x|, then the block sums in T lanes (float blocks
// for float matrices), added to double partial sums. Centred blocks subtract the
// block's own mean before squaring and are merged with Chan, Golub & LeVeque's
// pairwise update ("Algorithms for computing the sample variance", Am. Stat.
// 1983), so the variance does not cancel when |mean| >> sd.

#include <cstddef>

#include "stats/layer_stats.hpp"

namespace initlab::stats::detail {

inline constexpr std::size_t kBlock = 1024;

struct ScaledSums {
  int exponent = 0;          // E
  double s1 = 0.0;           // sum of y (centred only)
  double s2 = 0.0;           // sum of y^2
  double m2 = 0.0;           // sum of (y - mean y)^2 (centred only)
  bool finite = true;        // false if x held inf or NaN (the sums are then meaningless)
  double masked = 0.0;       // entries where the saturation mask holds
  double dead_columns = 0.0; // columns where it holds in every row
};

// x (rows, n) -> sums; with `centred` also s1 and m2. The mask (Saturation, see
// layer_stats.hpp) is read from mask_src (rows, n) (a, or h for leaky_negative);
// Saturation::none counts nothing. Allocates nothing after a thread's first call
// at the widest n (a per-thread column-count buffer).
template <class T>
ScaledSums scaled_sums(const T* x, std::size_t rows, std::size_t n, bool centred,
                       Saturation mask, const T* mask_src);

}  // namespace initlab::stats::detail
