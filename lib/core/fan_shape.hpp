#pragma once
// The (out, in) shape of a weight matrix; fans follow PyTorch's definition:
// fan_in == W.shape()[1], fan_out == W.shape()[0]. No tensor library here.

#include <cstddef>
#include <string_view>

namespace initlab {

// The most entries one matrix of the library may hold: 2^32 (16 GiB as float,
// 32 GiB as double). Larger shapes, and shapes whose product overflows
// std::size_t, are refused before anything is allocated.
inline constexpr std::size_t kMaxEntries = std::size_t{1} << 32;

// rows * cols when it is at most kMaxEntries; else throws std::invalid_argument
// "func: what (rows, cols) has N entries, which need B bytes as float; expected
// at most 2^32" (`entry_bytes` per entry: 4 float, 8 double).
std::size_t checked_entries(std::string_view func, std::string_view what, std::size_t rows,
                            std::size_t cols, std::size_t entry_bytes = sizeof(float));

struct FanShape {
  std::size_t out = 0;
  std::size_t in = 0;
  std::size_t fan_in() const { return in; }
  std::size_t fan_out() const { return out; }
  double fan_avg() const { return 0.5 * static_cast<double>(in) + 0.5 * static_cast<double>(out); }
  // out * in, checked (checked_entries).
  std::size_t size() const { return checked_entries("init", "shape", out, in); }
};

}  // namespace initlab
