#include "core/thread_start.hpp"

#include <atomic>
#include <cstdint>
#include <limits>

namespace initlab {

namespace {
constexpr std::int64_t kUnlimited = std::numeric_limits<std::int64_t>::max();
std::atomic<std::int64_t> starts_left{kUnlimited};
}  // namespace

void limit_thread_starts(std::optional<std::size_t> n) {
  starts_left.store(n ? static_cast<std::int64_t>(*n) : kUnlimited);
}

namespace detail {
bool thread_start_allowed() {
  std::int64_t left = starts_left.load();
  while (true) {
    if (left == kUnlimited) return true;
    if (left <= 0) return false;
    if (starts_left.compare_exchange_weak(left, left - 1)) return true;
  }
}
}  // namespace detail

}  // namespace initlab
