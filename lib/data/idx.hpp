#pragma once
// IDX files (LeCun's MNIST format, also Fashion-MNIST's), plain or gzip: a
// 4-byte magic {0, 0, type, ndim} with type 0x08 (unsigned byte), ndim
// big-endian uint32 sizes, then the row-major bytes.
//   images: magic 0x00000803, sizes (N, rows, cols)
//   labels: magic 0x00000801, size (N), each label in [0, classes)
// Every error names the file and the byte offset (in the decompressed stream)
// where the problem is.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "data/dataset.hpp"

namespace initlab::data {

struct IdxArray {
  std::vector<std::uint32_t> sizes;  // ndim entries
  std::vector<std::uint8_t> bytes;   // product(sizes) entries
};

// The decompressed bytes of a file (gzip is detected by its magic; a plain file
// is returned as is). Throws naming the file on a read or gzip error.
std::vector<std::uint8_t> read_maybe_gzip(const std::filesystem::path& path);

// Parses one unsigned-byte IDX array with `ndim` dimensions.
IdxArray read_idx(const std::filesystem::path& path, std::uint32_t ndim);

// images (N, rows, cols) / 255 -> x (N, rows*cols); labels -> y. Throws if the
// counts differ or a label is >= classes.
Dataset read_idx_pair(const std::filesystem::path& images, const std::filesystem::path& labels,
                      std::size_t classes, std::string name);

// `dir`/PREFIX-images-idx3-ubyte[.gz] and PREFIX-labels-idx1-ubyte[.gz], PREFIX
// "train" or "t10k" (the names of MNIST and Fashion-MNIST). Throws naming the
// folder and the files it looked for when one is missing.
Dataset read_idx_dir(const std::filesystem::path& dir, const std::string& prefix,
                     std::size_t classes, const std::string& name);

inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

}  // namespace initlab::data
