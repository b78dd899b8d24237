// Stream::normal: out[i] = mean + std z_{offset+i}, z from box_muller_group
// (element layout in box_muller.hpp).
#include <cmath>
#include <span>

#include "core/error.hpp"
#include "random/box_muller.hpp"
#include "random/fill_groups.hpp"
#include "random/parallel.hpp"
#include "random/stream.hpp"

namespace initlab::random {

template <class T>
void Stream::normal(std::span<T> out, T mean, T std, std::uint64_t offset) const {
  if (!std::isfinite(mean)) fail("Stream::normal", "mean = ", mean, ", expected a finite value");
  if (!(std > T(0) && std::isfinite(std))) {
    fail("Stream::normal", "std = ", std, ", expected a finite value > 0");
  }
  detail::check_range("Stream::normal", offset, out.size());
  constexpr std::size_t K = sizeof(T) == 4 ? 4 : 2;
  detail::parallel_ranges(out.size(), threads_, K * detail::kLanes, [&](std::size_t b, std::size_t e) {
    detail::for_groups<K>(seed_, id_, offset + b, e - b, out.data() + b,
                          [&](const detail::Lanes& s, T* z) { detail::box_muller_group(s, mean, std, z); });
  });
}

template void Stream::normal<float>(std::span<float>, float, float, std::uint64_t) const;
template void Stream::normal<double>(std::span<double>, double, double, std::uint64_t) const;

}  // namespace initlab::random
