// Stream::truncated_normal: out[i] = std z, z ~ N(0, 1) conditioned on
// a <= z <= b, exactly (up to the resolution of the uniforms).
//  - mass Phi(b) - Phi(a) >= kRejectMass: rejection. Element e first takes the
//    normal z_e of this stream (the value Stream::normal gives it); while z is
//    outside [a, b], attempt t = 1, 2, ... takes element e of the normal stream
//    (seed, derive_id(id, t, kRetryDomain)). Element e is thus a pure function
//    of (seed, id, e); at most 1 / 0.3 draws are expected per element.
//  - smaller mass: inverse CDF, z = Phi^{-1}(Phi(a) + u (Phi(b) - Phi(a))) with
//    u in (0, 1) from element e's own words (float: word e, 32 bits; double:
//    the 53 bits of uniform01(e)), computed on upper tails when a >= 0.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "core/error.hpp"
#include "random/box_muller.hpp"
#include "random/fill_groups.hpp"
#include "random/normal_math.hpp"
#include "random/parallel.hpp"
#include "random/stream.hpp"

namespace initlab::random {

namespace {

constexpr double kRejectMass = 0.3;
// Rejected elements are redrawn after every kBatch elements, while their
// output is still in cache.
constexpr std::size_t kBatch = 8192;

// Bit k set <=> z[k] lies outside [lo, hi], k < m <= 64.
template <class T>
std::uint64_t outside(const T* z, std::size_t m, T lo, T hi) {
#if defined(__AVX512F__)
  if (m == 64) {
    std::uint64_t bits = 0;
    if constexpr (sizeof(T) == 4) {
      const __m512 l = _mm512_set1_ps(lo), h = _mm512_set1_ps(hi);
      for (std::size_t q = 0; q < 4; ++q) {
        const __m512 v = _mm512_loadu_ps(z + 16 * q);
        const std::uint64_t k = _mm512_cmp_ps_mask(v, l, _CMP_LT_OQ) | _mm512_cmp_ps_mask(v, h, _CMP_GT_OQ);
        bits |= k << (16 * q);
      }
    } else {
      const __m512d l = _mm512_set1_pd(lo), h = _mm512_set1_pd(hi);
      for (std::size_t q = 0; q < 8; ++q) {
        const __m512d v = _mm512_loadu_pd(z + 8 * q);
        const std::uint64_t k = _mm512_cmp_pd_mask(v, l, _CMP_LT_OQ) | _mm512_cmp_pd_mask(v, h, _CMP_GT_OQ);
        bits |= k << (8 * q);
      }
    }
    return bits;
  }
#endif
  std::uint64_t bits = 0;
  for (std::size_t k = 0; k < m; ++k) bits |= static_cast<std::uint64_t>(z[k] < lo || z[k] > hi) << k;
  return bits;
}

// Redraws the elements at positions `list` of o (element first + pos) until
// they land in [a, b]; writes std z. Pass t draws every listed element from
// the retry stream t, so its id is the same in all lanes.
template <class T>
void redraw(std::vector<std::uint32_t>& list, std::vector<std::uint32_t>& next, std::uint64_t seed,
            std::uint64_t id, std::uint64_t first, T std, T a, T b, T* o) {
  constexpr unsigned shift = sizeof(T) == 4 ? 2 : 1;  // element -> block: 4 or 2 per block
  const Key key = detail::key_of(seed);
  detail::Lanes s;
  alignas(64) std::uint32_t which[detail::kLanes];
  alignas(64) T z[detail::kLanes];
  for (std::uint64_t attempt = 1; !list.empty(); ++attempt) {
    const std::uint64_t retry_id = detail::derive_id(id, attempt, detail::kRetryDomain);
    const std::size_t count = list.size();
    // Pad to whole lanes with the last entry: a padded lane recomputes the
    // same value for the same position.
    list.resize((count + detail::kLanes - 1) / detail::kLanes * detail::kLanes, list.back());
    next.resize(count);
    std::size_t rejected = 0;
    for (std::size_t i = 0; i < count; i += detail::kLanes) {
      const std::uint32_t* pos = list.data() + i;
      detail::philox_elements(s, which, pos, first, shift, retry_id, key);
      detail::box_muller_pick(s, which, z);
      const std::size_t m = std::min(detail::kLanes, count - i);
      for (std::size_t j = 0; j < m; ++j) {  // branch-free: accept/reject is a coin flip
        o[pos[j]] = std * z[j];  // final unless rejected; then the next pass overwrites it
        next[rejected] = pos[j];
        rejected += static_cast<std::size_t>(z[j] < a) | static_cast<std::size_t>(z[j] > b);
      }
    }
    next.resize(rejected);
    list.swap(next);
  }
}

double open_u53(std::uint32_t high, std::uint32_t low) {
  const std::uint64_t bits = (std::uint64_t{high} << 32) | low;
  return (static_cast<double>(bits >> 11) + 0.5) * 0x1p-53;
}

// Philox outputs -> uniforms in (0, 1) for the inverse CDF, element order
// (float: one per word; double: one per word pair) -> out = std f(u).
template <class T, class F>
void inverse_group(const detail::Lanes& s, T std, const F& f, T* out) {
  for (std::size_t j = 0; j < detail::kLanes; ++j) {
    if constexpr (sizeof(T) == 4) {
      for (std::size_t w = 0; w < 4; ++w) {
        out[4 * j + w] = std * static_cast<T>(f((s.x[w][j] + 0.5) * 0x1p-32));
      }
    } else {
      out[2 * j] = std * static_cast<T>(f(open_u53(s.x[0][j], s.x[1][j])));
      out[2 * j + 1] = std * static_cast<T>(f(open_u53(s.x[2][j], s.x[3][j])));
    }
  }
}

// u in (0, 1) -> the quantile u of N(0, 1) restricted to [a, b].
struct InverseCdf {
  double a, b, p0, mass;
  bool upper;  // a >= 0: work with upper tails Q(x) = Phi(-x), which do not round to 1
  InverseCdf(double a_, double b_, double mass_)
      : a(a_), b(b_), p0(normal_cdf(a_ >= 0.0 ? -a_ : a_)), mass(mass_), upper(a_ >= 0.0) {}
  double operator()(double u) const {
    double x;
    if (upper) {
      // q can round to 0 when b = +inf and u is within 2^-53 of 1.
      const double q = std::max(p0 - u * mass, p0 * 0x1p-54);
      x = -normal_quantile(q);
    } else {
      x = normal_quantile(std::min(p0 + u * mass, 1.0));
    }
    return std::clamp(x, a, b);
  }
};

}  // namespace

template <class T>
void Stream::truncated_normal(std::span<T> out, T std, T a, T b, std::uint64_t offset) const {
  constexpr const char* func = "Stream::truncated_normal";
  if (!(std > T(0) && std::isfinite(std))) fail(func, "std = ", std, ", expected a finite value > 0");
  if (!(a < b)) fail(func, "[a, b] = [", a, ", ", b, "], expected a < b");
  const double mass = normal_mass(a, b);
  if (!(mass > 0.0)) {
    fail(func, "[a, b] = [", a, ", ", b, "] has normal mass ", mass,
         ", expected > 0 (bounds too far in the tail)");
  }
  detail::check_range(func, offset, out.size());
  constexpr std::size_t K = sizeof(T) == 4 ? 4 : 2;
  constexpr std::size_t G = K * detail::kLanes;

  if (mass >= kRejectMass) {
    detail::parallel_ranges(out.size(), threads_, G, [&](std::size_t lo, std::size_t hi) {
      std::vector<std::uint32_t> list, next;
      const T lo_z = a, hi_z = b, scale = std;  // locals: no reloads through captures
      for (std::size_t c = lo; c < hi; c += kBatch) {
        const std::size_t n = std::min(kBatch, hi - c);
        T* o = out.data() + c;
        const std::uint64_t first = offset + c;
        detail::for_groups<K>(seed_, id_, first, n, o, [](const detail::Lanes& s, T* z) {
          detail::box_muller_group(s, T(0), T(1), z);
        });
        for (std::size_t i = 0; i < n; i += 64) {
          const std::size_t m = std::min<std::size_t>(64, n - i);
          for (std::uint64_t bad = outside(o + i, m, lo_z, hi_z); bad != 0; bad &= bad - 1) {
            const std::size_t k = i + static_cast<std::size_t>(std::countr_zero(bad));
            list.push_back(static_cast<std::uint32_t>(k));
          }
        }
        for (std::size_t i = 0; i < n; ++i) o[i] *= scale;
        redraw(list, next, seed_, id_, first, std, a, b, o);
      }
    });
    return;
  }

  const InverseCdf inverse(a, b, mass);
  detail::parallel_ranges(out.size(), threads_, G, [&](std::size_t lo, std::size_t hi) {
    detail::for_groups<K>(seed_, id_, offset + lo, hi - lo, out.data() + lo,
                          [&](const detail::Lanes& s, T* o) { inverse_group(s, std, inverse, o); });
  });
}

template void Stream::truncated_normal<float>(std::span<float>, float, float, float,
                                              std::uint64_t) const;
template void Stream::truncated_normal<double>(std::span<double>, double, double, double,
                                               std::uint64_t) const;

}  // namespace initlab::random
