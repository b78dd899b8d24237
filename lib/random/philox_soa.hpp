#pragma once
// Internal to lib/random: Philox4x32-10 on kLanes counters at once, stored as
// structure of arrays so that GCC vectorizes each round (the 32x32 -> 64-bit
// products become vpmuludq). Not part of the public API.

#include <cstddef>
#include <cstdint>

#if defined(__AVX2__) || defined(__AVX512F__)
// GCC 12 flags the deliberately undefined registers inside its own AVX-512
// shift intrinsics (_mm512_undefined_*) as uninitialized.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

#include "random/stream.hpp"

namespace initlab::random::detail {

inline constexpr std::uint32_t kM0 = 0xD2511F53u;  // Philox multipliers
inline constexpr std::uint32_t kM1 = 0xCD9E8D57u;
inline constexpr std::uint32_t kW0 = 0x9E3779B9u;  // Weyl key increments
inline constexpr std::uint32_t kW1 = 0xBB67AE85u;

inline constexpr std::size_t kLanes = 16;

// x[w][j] is word w of counter j; on return word w of philox(counter j, key).
struct alignas(64) Lanes {
  std::uint32_t x[4][kLanes];
};

// x (4, kLanes) counters -> x (4, kLanes) Philox4x32-10 outputs, in place.
// GCC does not turn the 32x32 -> 64-bit products of plain loops into vpmuludq
// (it emits the slow 64x64 vpmullq), so AVX-512 and AVX2 builds use
// intrinsics: _mm*_mul_epu32 multiplies the even 32-bit lanes; the odd lanes
// are shifted down, multiplied, and the high and low halves are blended back.
#if defined(__AVX512F__)
inline void rounds512(__m512i& x0, __m512i& x1, __m512i& x2, __m512i& x3, Key key) {
  const __m512i m0 = _mm512_set1_epi64(kM0), m1 = _mm512_set1_epi64(kM1);
  __m512i k0 = _mm512_set1_epi32(static_cast<int>(key[0]));
  __m512i k1 = _mm512_set1_epi32(static_cast<int>(key[1]));
  const __m512i w0 = _mm512_set1_epi32(static_cast<int>(kW0));
  const __m512i w1 = _mm512_set1_epi32(static_cast<int>(kW1));
  constexpr __mmask16 odd = 0xAAAA;
  for (int round = 0; round < 10; ++round) {
    const __m512i e0 = _mm512_mul_epu32(x0, m0), o0 = _mm512_mul_epu32(_mm512_srli_epi64(x0, 32), m0);
    const __m512i e1 = _mm512_mul_epu32(x2, m1), o1 = _mm512_mul_epu32(_mm512_srli_epi64(x2, 32), m1);
    const __m512i hi0 = _mm512_mask_blend_epi32(odd, _mm512_srli_epi64(e0, 32), o0);
    const __m512i lo0 = _mm512_mask_blend_epi32(odd, e0, _mm512_slli_epi64(o0, 32));
    const __m512i hi1 = _mm512_mask_blend_epi32(odd, _mm512_srli_epi64(e1, 32), o1);
    const __m512i lo1 = _mm512_mask_blend_epi32(odd, e1, _mm512_slli_epi64(o1, 32));
    x0 = _mm512_ternarylogic_epi32(hi1, x1, k0, 0x96);  // three-way xor
    x1 = lo1;
    x2 = _mm512_ternarylogic_epi32(hi0, x3, k1, 0x96);
    x3 = lo0;
    k0 = _mm512_add_epi32(k0, w0);
    k1 = _mm512_add_epi32(k1, w1);
  }
}

inline void store512(Lanes& s, __m512i x0, __m512i x1, __m512i x2, __m512i x3) {
  _mm512_store_si512(s.x[0], x0);
  _mm512_store_si512(s.x[1], x1);
  _mm512_store_si512(s.x[2], x2);
  _mm512_store_si512(s.x[3], x3);
}

inline void philox_rounds(Lanes& s, Key key) {
  static_assert(kLanes == 16, "one zmm register per word");
  __m512i x0 = _mm512_load_si512(s.x[0]), x1 = _mm512_load_si512(s.x[1]);
  __m512i x2 = _mm512_load_si512(s.x[2]), x3 = _mm512_load_si512(s.x[3]);
  rounds512(x0, x1, x2, x3, key);
  store512(s, x0, x1, x2, x3);
}

// s <- Philox of counters {first + j (64-bit, words 0-1), hi (words 2-3)},
// j < kLanes, built in registers (scalar stores followed by a vector load
// would stall on store forwarding).
inline void philox_consecutive(Lanes& s, std::uint64_t first, std::uint64_t hi, Key key) {
  const __m512i iota = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  const __m512i base = _mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(first)));
  __m512i x0 = _mm512_add_epi32(base, iota);
  const __mmask16 carry = _mm512_cmplt_epu32_mask(x0, base);
  const __m512i first_hi = _mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(first >> 32)));
  __m512i x1 = _mm512_mask_add_epi32(first_hi, carry, first_hi, _mm512_set1_epi32(1));
  __m512i x2 = _mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(hi)));
  __m512i x3 = _mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(hi >> 32)));
  rounds512(x0, x1, x2, x3, key);
  store512(s, x0, x1, x2, x3);
}

// Element e_j = first + pos[j] lives in block e_j >> shift: s <- Philox of
// counters {e_j >> shift, hi}, which[j] = e_j mod 2^shift, j < kLanes.
inline void philox_elements(Lanes& s, std::uint32_t* which, const std::uint32_t* pos,
                            std::uint64_t first, unsigned shift, std::uint64_t hi, Key key) {
  const __m512i p = _mm512_loadu_si512(pos);
  const __m512i f = _mm512_set1_epi64(static_cast<long long>(first));
  const __m512i e_lo = _mm512_add_epi64(f, _mm512_cvtepu32_epi64(_mm512_castsi512_si256(p)));
  const __m512i e_hi = _mm512_add_epi64(f, _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(p, 1)));
  const __m512i b_lo = _mm512_srl_epi64(e_lo, _mm_cvtsi32_si128(static_cast<int>(shift)));
  const __m512i b_hi = _mm512_srl_epi64(e_hi, _mm_cvtsi32_si128(static_cast<int>(shift)));
  auto low_words = [](__m512i a, __m512i b) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtepi64_epi32(a)), _mm512_cvtepi64_epi32(b), 1);
  };
  __m512i x0 = low_words(b_lo, b_hi);
  __m512i x1 = low_words(_mm512_srli_epi64(b_lo, 32), _mm512_srli_epi64(b_hi, 32));
  __m512i x2 = _mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(hi)));
  __m512i x3 = _mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(hi >> 32)));
  const __m512i e32 = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(first))), p);
  _mm512_storeu_si512(which, _mm512_and_si512(e32, _mm512_set1_epi32((1 << shift) - 1)));
  rounds512(x0, x1, x2, x3, key);
  store512(s, x0, x1, x2, x3);
}
#elif defined(__AVX2__)
inline void philox_rounds(Lanes& s, Key key) {
  static_assert(kLanes % 8 == 0, "whole ymm registers");
  const __m256i m0 = _mm256_set1_epi64x(kM0), m1 = _mm256_set1_epi64x(kM1);
  for (std::size_t j = 0; j < kLanes; j += 8) {
    auto load = [&](int w) { return _mm256_load_si256(reinterpret_cast<const __m256i*>(s.x[w] + j)); };
    __m256i x0 = load(0), x1 = load(1), x2 = load(2), x3 = load(3);
    __m256i k0 = _mm256_set1_epi32(static_cast<int>(key[0]));
    __m256i k1 = _mm256_set1_epi32(static_cast<int>(key[1]));
    const __m256i w0 = _mm256_set1_epi32(static_cast<int>(kW0));
    const __m256i w1 = _mm256_set1_epi32(static_cast<int>(kW1));
    for (int round = 0; round < 10; ++round) {
      const __m256i e0 = _mm256_mul_epu32(x0, m0), o0 = _mm256_mul_epu32(_mm256_srli_epi64(x0, 32), m0);
      const __m256i e1 = _mm256_mul_epu32(x2, m1), o1 = _mm256_mul_epu32(_mm256_srli_epi64(x2, 32), m1);
      const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(e0, 32), o0, 0xAA);
      const __m256i lo0 = _mm256_blend_epi32(e0, _mm256_slli_epi64(o0, 32), 0xAA);
      const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(e1, 32), o1, 0xAA);
      const __m256i lo1 = _mm256_blend_epi32(e1, _mm256_slli_epi64(o1, 32), 0xAA);
      x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), k0);
      x1 = lo1;
      x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), k1);
      x3 = lo0;
      k0 = _mm256_add_epi32(k0, w0);
      k1 = _mm256_add_epi32(k1, w1);
    }
    auto store = [&](int w, __m256i v) { _mm256_store_si256(reinterpret_cast<__m256i*>(s.x[w] + j), v); };
    store(0, x0);
    store(1, x1);
    store(2, x2);
    store(3, x3);
  }
}
#else
inline void philox_rounds(Lanes& s, Key key) {
  std::uint32_t k0 = key[0];
  std::uint32_t k1 = key[1];
  for (int round = 0; round < 10; ++round) {
    for (std::size_t j = 0; j < kLanes; ++j) {
      const std::uint64_t p0 = std::uint64_t{kM0} * s.x[0][j];
      const std::uint64_t p1 = std::uint64_t{kM1} * s.x[2][j];
      const auto y0 = static_cast<std::uint32_t>(p1 >> 32) ^ s.x[1][j] ^ k0;
      const auto y1 = static_cast<std::uint32_t>(p1);
      const auto y2 = static_cast<std::uint32_t>(p0 >> 32) ^ s.x[3][j] ^ k1;
      const auto y3 = static_cast<std::uint32_t>(p0);
      s.x[0][j] = y0;
      s.x[1][j] = y1;
      s.x[2][j] = y2;
      s.x[3][j] = y3;
    }
    k0 += kW0;
    k1 += kW1;
  }
}
#endif

// Counters {first + j (64-bit, words 0-1), hi (words 2-3)} for j < kLanes.
inline void set_counters(Lanes& s, std::uint64_t first, std::uint64_t hi) {
  for (std::size_t j = 0; j < kLanes; ++j) {
    const std::uint64_t c = first + j;
    s.x[0][j] = static_cast<std::uint32_t>(c);
    s.x[1][j] = static_cast<std::uint32_t>(c >> 32);
    s.x[2][j] = static_cast<std::uint32_t>(hi);
    s.x[3][j] = static_cast<std::uint32_t>(hi >> 32);
  }
}

#if !defined(__AVX512F__)
// s <- Philox of counters {first + j (64-bit, words 0-1), hi (words 2-3)}.
inline void philox_consecutive(Lanes& s, std::uint64_t first, std::uint64_t hi, Key key) {
  set_counters(s, first, hi);
  philox_rounds(s, key);
}

// Element e_j = first + pos[j] lives in block e_j >> shift: s <- Philox of
// counters {e_j >> shift, hi}, which[j] = e_j mod 2^shift, j < kLanes.
inline void philox_elements(Lanes& s, std::uint32_t* which, const std::uint32_t* pos,
                            std::uint64_t first, unsigned shift, std::uint64_t hi, Key key) {
  for (std::size_t j = 0; j < kLanes; ++j) {
    const std::uint64_t e = first + pos[j];
    const std::uint64_t block = e >> shift;
    s.x[0][j] = static_cast<std::uint32_t>(block);
    s.x[1][j] = static_cast<std::uint32_t>(block >> 32);
    s.x[2][j] = static_cast<std::uint32_t>(hi);
    s.x[3][j] = static_cast<std::uint32_t>(hi >> 32);
    which[j] = static_cast<std::uint32_t>(e & ((std::uint64_t{1} << shift) - 1));
  }
  philox_rounds(s, key);
}
#endif

inline Key key_of(std::uint64_t seed) {
  return {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
}

// SplitMix64's finalizer (Steele, Lea & Flood 2014): a bijective 64-bit mix.
inline std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// The id of a derived stream: `domain` separates split children from the
// retry streams of truncated_normal.
inline std::uint64_t derive_id(std::uint64_t id, std::uint64_t k, std::uint64_t domain) {
  return mix64(mix64(id ^ domain) + 0x9E3779B97F4A7C15ull * (k + 1));
}

inline constexpr std::uint64_t kSplitDomain = 0x6A09E667F3BCC908ull;
inline constexpr std::uint64_t kRetryDomain = 0x3C6EF372FE94F82Bull;

}  // namespace initlab::random::detail
