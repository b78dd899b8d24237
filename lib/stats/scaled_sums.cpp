// GCC 12 flags the deliberately undefined registers of its own AVX-512
// intrinsics (_mm512_undefined_*) as uninitialized once xsimd's reductions are
// inlined into the kernels of this file (-march=native on AVX-512 machines).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "stats/scaled_sums.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include <xsimd/xsimd.hpp>

namespace initlab::stats::detail {

namespace {

template <class T>
using Batch = xsimd::batch<T>;

// x (n) -> max |x|; finite becomes false if an entry is inf or NaN.
template <class T>
T max_abs(const T* x, std::size_t n, bool& finite) {
  using B = Batch<T>;
  const B big(std::numeric_limits<T>::max());
  B m(T(0));
  auto ok = m == m;
  std::size_t j = 0;
  for (; j + B::size <= n; j += B::size) {
    const B v = xsimd::abs(B::load_unaligned(x + j));
    ok = ok & (v <= big);
    m = xsimd::max(m, v);
  }
  alignas(64) std::array<T, B::size> lanes;
  m.store_aligned(lanes.data());
  T mx = *std::max_element(lanes.begin(), lanes.end());
  bool fin = xsimd::all(ok);
  for (; j < n; ++j) {
    const T v = std::abs(x[j]);
    fin = fin && v <= std::numeric_limits<T>::max();
    mx = std::max(mx, v);
  }
  finite = finite && fin;
  return mx;
}

// 2^-e as two factors, each a normal number of T for every exponent of a
// finite T (2^-e alone can leave T's range); x * f1 * f2 is exact.
template <class T>
std::pair<T, T> inverse_pow2(int e) {
  const int h = e / 2;
  return {std::ldexp(T(1), -h), std::ldexp(T(1), -(e - h))};
}

// x (n), y = x f1 f2 -> {sum y, sum (y - c)^2} with c (in T) the block mean when
// centred, else 0 (then the second is sum y^2). T lanes, two accumulators each.
template <class T>
std::pair<double, double> block_sums(const T* x, std::size_t n, T f1, T f2, bool centred) {
  using B = Batch<T>;
  const B b1(f1), b2(f2);
  B s_a(T(0)), s_b(T(0));
  std::size_t j = 0;
  T s_tail = 0;
  if (centred) {
    for (; j + 2 * B::size <= n; j += 2 * B::size) {
      s_a += B::load_unaligned(x + j) * b1 * b2;
      s_b += B::load_unaligned(x + j + B::size) * b1 * b2;
    }
    for (; j < n; ++j) s_tail += x[j] * f1 * f2;
  }
  const double s1 = centred ? static_cast<double>(xsimd::hadd(s_a + s_b)) + s_tail : 0.0;
  const T c = centred ? static_cast<T>(s1 / static_cast<double>(n)) : T(0);
  const B bc(c);
  B q_a(T(0)), q_b(T(0));
  j = 0;
  for (; j + 2 * B::size <= n; j += 2 * B::size) {
    const B y_a = B::load_unaligned(x + j) * b1 * b2 - bc;
    const B y_b = B::load_unaligned(x + j + B::size) * b1 * b2 - bc;
    q_a = xsimd::fma(y_a, y_a, q_a);
    q_b = xsimd::fma(y_b, y_b, q_b);
  }
  T q_tail = 0;
  for (; j < n; ++j) {
    const T y = x[j] * f1 * f2 - c;
    q_tail += y * y;
  }
  double q = static_cast<double>(xsimd::hadd(q_a + q_b)) + q_tail;
  if (centred) {
    // sum (y - mean)^2 = sum (y - c)^2 - n (mean - c)^2
    const double d = s1 / static_cast<double>(n) - static_cast<double>(c);
    q = std::max(0.0, q - static_cast<double>(n) * d * d);
  }
  return {s1, q};
}

// Running totals in units of 2^E (sum y, sum y^2, sum of squared deviations).
struct Totals {
  int exponent = std::numeric_limits<int>::min();
  double count = 0.0, mean = 0.0, m2 = 0.0, s2 = 0.0;

  // Brings the totals to exponent e >= exponent (exact scaling by 2^-(e - E)).
  void raise_to(int e) {
    if (count == 0.0 || exponent == std::numeric_limits<int>::min()) {
      exponent = e;
      return;
    }
    mean = std::ldexp(mean, exponent - e);
    m2 = std::ldexp(m2, 2 * (exponent - e));
    s2 = std::ldexp(s2, 2 * (exponent - e));
    exponent = e;
  }
  // Adds a block of n entries with sums {s1, q} taken in units of 2^e, e <= exponent.
  void add(double n, double s1, double q, bool centred, int e) {
    const int shift = e - exponent;
    if (!centred) {
      s2 += std::ldexp(q, 2 * shift);
      count += n;
      return;
    }
    const double mean_b = std::ldexp(s1 / n, shift), m2_b = std::ldexp(q, 2 * shift);
    s2 += m2_b + n * mean_b * mean_b;
    const double total = count + n, delta = mean_b - mean;
    mean += delta * n / total;
    m2 += m2_b + delta * delta * count * n / total;
    count = total;
  }
};

// mask (n) of one row -> counts[j] += 1 where the saturation mask holds.
template <class T>
void count_mask(float* counts, const T* m, std::size_t n, Saturation s) {
  using B = Batch<T>;
  const auto holds = [s](const auto& v) {
    using V = std::decay_t<decltype(v)>;
    switch (s) {
      case Saturation::tanh_like: return xsimd::abs(v) > V(T(0.99));
      case Saturation::sigmoid_like: return (v < V(T(0.01))) | (v > V(T(0.99)));
      case Saturation::relu_zero: return v == V(T(0));
      case Saturation::leaky_negative: return v < V(T(0));
      case Saturation::none: break;
    }
    return (v != v) & (v == v);  // never
  };
  std::size_t j = 0;
  if constexpr (std::is_same_v<T, float>) {
    const B one(1.0f), zero(0.0f);
    for (; j + B::size <= n; j += B::size) {
      const B c = B::load_unaligned(counts + j) + xsimd::select(holds(B::load_unaligned(m + j)), one, zero);
      c.store_unaligned(counts + j);
    }
  }
  for (; j < n; ++j) {
    const T v = m[j];
    bool h = false;
    switch (s) {
      case Saturation::tanh_like: h = std::abs(v) > T(0.99); break;
      case Saturation::sigmoid_like: h = v < T(0.01) || v > T(0.99); break;
      case Saturation::relu_zero: h = v == T(0); break;
      case Saturation::leaky_negative: h = v < T(0); break;
      case Saturation::none: break;
    }
    counts[j] += h ? 1.0f : 0.0f;
  }
}

}  // namespace

template <class T>
ScaledSums scaled_sums(const T* x, std::size_t rows, std::size_t n, bool centred,
                       Saturation mask, const T* mask_src) {
  ScaledSums out;
  Totals tot;
  // Per-thread column counts: exact in float while rows < 2^24.
  thread_local std::vector<float> counts;
  const bool masking = mask != Saturation::none && mask_src != nullptr;
  if (masking) counts.assign(n, 0.0f);
  for (std::size_t r = 0; r < rows; ++r) {
    const T* row = x + r * n;
    const T mx = max_abs(row, n, out.finite);
    if (!out.finite) return out;
    if (masking) count_mask(counts.data(), mask_src + r * n, n, mask);
    if (mx == T(0)) {  // n zeros: counted, no exponent of their own
      tot.add(static_cast<double>(n), 0.0, 0.0, centred, tot.exponent);
      continue;
    }
    const int e = std::ilogb(mx) + 1;
    if (e > tot.exponent) tot.raise_to(e);
    const auto [f1, f2] = inverse_pow2<T>(e);
    for (std::size_t j = 0; j < n; j += kBlock) {
      const std::size_t nb = std::min(kBlock, n - j);
      const auto [s1, q] = block_sums(row + j, nb, f1, f2, centred);
      tot.add(static_cast<double>(nb), s1, q, centred, e);
    }
  }
  out.exponent = tot.exponent == std::numeric_limits<int>::min() ? 0 : tot.exponent;
  out.s2 = tot.s2;
  out.s1 = tot.mean * tot.count;
  out.m2 = tot.m2;
  if (masking) {
    for (std::size_t j = 0; j < n; ++j) {
      out.masked += counts[j];
      out.dead_columns += counts[j] == static_cast<float>(rows) ? 1.0 : 0.0;
    }
  }
  return out;
}

template ScaledSums scaled_sums<float>(const float*, std::size_t, std::size_t, bool, Saturation,
                                       const float*);
template ScaledSums scaled_sums<double>(const double*, std::size_t, std::size_t, bool, Saturation,
                                        const double*);

}  // namespace initlab::stats::detail
