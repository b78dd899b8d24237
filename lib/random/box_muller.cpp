#include "random/box_muller.hpp"

#include "random/float_math.hpp"

#include <cstddef>
#include <numbers>

// GCC 12 flags the deliberately undefined registers of its own AVX-512
// intrinsics (_mm512_undefined_*) as uninitialized once xsimd inlines them.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <xsimd/xsimd.hpp>
#pragma GCC diagnostic pop

namespace initlab::random::detail {

namespace {

constexpr double kAngle53 = 2.0 * std::numbers::pi * 0x1p-53;

std::uint64_t join(std::uint32_t high, std::uint32_t low) { return (std::uint64_t{high} << 32) | low; }
double open_u53(std::uint32_t high, std::uint32_t low) {
  return (static_cast<double>(join(high, low) >> 11) + 0.5) * 0x1p-53;
}
double angle53(std::uint32_t high, std::uint32_t low) {
  return static_cast<double>(static_cast<std::int64_t>(join(high, low)) >> 11) * kAngle53;
}

// u1 (kLanes), angle (kLanes) -> zc = mean + std r cos(angle),
// zs = mean + std r sin(angle), r = sqrt(-2 ln u1).
void polar53(const double* u1, const double* angle, double mean, double std, double* zc, double* zs) {
  using T = double;
  using B = xsimd::batch<T>;
  static_assert(kLanes % B::size == 0, "kLanes must be a multiple of the SIMD width");
  const B minus_two(T(-2)), scale(std), shift(mean);
  for (std::size_t j = 0; j < kLanes; j += B::size) {
    const B r = xsimd::sqrt(minus_two * xsimd::log(B::load_aligned(u1 + j))) * scale;
    const auto sc = xsimd::sincos(B::load_aligned(angle + j));
    xsimd::fma(r, sc.second, shift).store_aligned(zc + j);
    xsimd::fma(r, sc.first, shift).store_aligned(zs + j);
  }
}

// Float words -> zc = mean + std r cos, zs = mean + std r sin (kLanes each):
// r = sqrt(-2 ln u1), u1 = ((wu >> 8) + 1) 2^-24; angle 2 pi (int(wa) >> 8) 2^-24.
void polar24(const std::uint32_t* wu, const std::uint32_t* wa, float mean, float std, float* zc,
             float* zs) {
  alignas(64) float ln[kLanes], sn[kLanes], cs[kLanes];
  for (std::size_t j = 0; j < kLanes; ++j) {
    ln[j] = ln_u24(wu[j] >> 8);
    sincos_turn24(static_cast<std::int32_t>(wa[j]) >> 8, sn[j], cs[j]);
  }
  using B = xsimd::batch<float>;
  static_assert(kLanes % B::size == 0, "kLanes must be a multiple of the SIMD width");
  const B minus_two(-2.0f), scale(std), shift(mean);
  for (std::size_t j = 0; j < kLanes; j += B::size) {
    const B r = xsimd::sqrt(minus_two * B::load_aligned(ln + j)) * scale;
    xsimd::fma(r, B::load_aligned(cs + j), shift).store_aligned(zc + j);
    xsimd::fma(r, B::load_aligned(sn + j), shift).store_aligned(zs + j);
  }
}

}  // namespace

void box_muller_group(const Lanes& s, float mean, float std, float* out) {
  alignas(64) float zc[2][kLanes], zs[2][kLanes];
  polar24(s.x[0], s.x[1], mean, std, zc[0], zs[0]);
  polar24(s.x[2], s.x[3], mean, std, zc[1], zs[1]);
  for (std::size_t j = 0; j < kLanes; ++j) {
    out[4 * j + 0] = zc[0][j];
    out[4 * j + 1] = zs[0][j];
    out[4 * j + 2] = zc[1][j];
    out[4 * j + 3] = zs[1][j];
  }
}

void box_muller_group(const Lanes& s, double mean, double std, double* out) {
  alignas(64) double u1[kLanes], angle[kLanes], zc[kLanes], zs[kLanes];
  for (std::size_t j = 0; j < kLanes; ++j) {
    u1[j] = open_u53(s.x[0][j], s.x[1][j]);
    angle[j] = angle53(s.x[2][j], s.x[3][j]);
  }
  polar53(u1, angle, mean, std, zc, zs);
  for (std::size_t j = 0; j < kLanes; ++j) {
    out[2 * j] = zc[j];
    out[2 * j + 1] = zs[j];
  }
}

void box_muller_pick(const Lanes& s, const std::uint32_t* which, float* z) {
  alignas(64) std::uint32_t wu[kLanes], wa[kLanes];
  alignas(64) float zc[kLanes], zs[kLanes];
  for (std::size_t j = 0; j < kLanes; ++j) {  // words (2, 3) for elements 4b+2, 4b+3
    const bool second = (which[j] & 2) != 0;
    wu[j] = second ? s.x[2][j] : s.x[0][j];
    wa[j] = second ? s.x[3][j] : s.x[1][j];
  }
  polar24(wu, wa, 0.0f, 1.0f, zc, zs);
  for (std::size_t j = 0; j < kLanes; ++j) z[j] = (which[j] & 1) != 0 ? zs[j] : zc[j];
}

void box_muller_pick(const Lanes& s, const std::uint32_t* which, double* z) {
  alignas(64) double u1[kLanes], angle[kLanes], zc[kLanes], zs[kLanes];
  for (std::size_t j = 0; j < kLanes; ++j) {
    u1[j] = open_u53(s.x[0][j], s.x[1][j]);
    angle[j] = angle53(s.x[2][j], s.x[3][j]);
  }
  polar53(u1, angle, 0.0, 1.0, zc, zs);
  for (std::size_t j = 0; j < kLanes; ++j) z[j] = (which[j] & 1) != 0 ? zs[j] : zc[j];
}

}  // namespace initlab::random::detail
