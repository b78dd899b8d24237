#include "core/finite.hpp"

#include <bit>
#include <cstdint>

namespace initlab {

namespace {

// U is the unsigned integer of T's width; kExp its exponent bits.
template <class T, class U, U kExp>
bool all_finite_bits(const T* p, std::size_t n) {
  U bad = 0;
  for (std::size_t i = 0; i < n; ++i) bad |= static_cast<U>((std::bit_cast<U>(p[i]) & kExp) == kExp);
  return bad == 0;
}

}  // namespace

bool all_finite(const float* p, std::size_t n) {
  return all_finite_bits<float, std::uint32_t, 0x7f800000u>(p, n);
}

bool all_finite(const double* p, std::size_t n) {
  return all_finite_bits<double, std::uint64_t, 0x7ff0000000000000ull>(p, n);
}

}  // namespace initlab
