#pragma once
// NumPy .npy files (format versions 1.0, 2.0 and 3.0) holding little-endian
// float32 ('<f4') or float64 ('<f8') arrays, C or Fortran order:
//
//   "\x93NUMPY" major minor  header_len (uint16 LE in 1.0, uint32 LE in 2.0/3.0)
//   header: a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
//           padded with spaces and ended by '\n'
//   data:   product(shape) values, nothing after them
//
// The header is parsed strictly (exactly the three keys, each once; shape a tuple
// of non-negative decimal integers); sizes are checked for overflow; a file
// shorter or longer than its header promises is an error. Every error is one line
// naming the file and what was expected. Big-endian, other dtypes and object
// arrays are refused (the loader reads numbers, never pickles).

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace initlab::data {

enum class NpyDtype { f4, f8 };
std::string_view to_string(NpyDtype d);  // "<f4", "<f8"

struct NpyArray {
  std::vector<std::size_t> shape;  // () for a scalar
  NpyDtype dtype = NpyDtype::f4;
  bool fortran_order = false;      // as stored; values are always C order
  std::vector<double> values;      // row-major (C order), float32 widened exactly
};

// Parses the bytes of a .npy file; `name` (the file) starts every error message.
NpyArray parse_npy(std::span<const unsigned char> bytes, std::string_view name);
// Reads and parses the file at path.
NpyArray read_npy(const std::filesystem::path& path);

// Writes values (C order, product(shape) of them) as a version 1.0 .npy of
// dtype '<f4' (float) or '<f8' (double). Throws if the sizes disagree.
template <class T>
void write_npy(std::ostream& os, std::span<const T> values, std::span<const std::size_t> shape);

}  // namespace initlab::data
