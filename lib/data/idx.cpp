#include "data/idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "core/read_file.hpp"

namespace initlab::data {

namespace {

std::uint32_t big_endian_u32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return (static_cast<std::uint32_t>(b[at]) << 24) | (static_cast<std::uint32_t>(b[at + 1]) << 16) |
         (static_cast<std::uint32_t>(b[at + 2]) << 8) | static_cast<std::uint32_t>(b[at + 3]);
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

}  // namespace

std::vector<std::uint8_t> read_maybe_gzip(const std::filesystem::path& path) {
  constexpr const char* func = "data::read_idx";
  const std::string text = read_file(path, "an IDX file (or its .gz)");
  std::vector<std::uint8_t> raw(text.begin(), text.end());
  if (raw.size() < 2 || raw[0] != 0x1f || raw[1] != 0x8b) return raw;

  // x (compressed bytes) -> out (decompressed); concatenated gzip members allowed.
  std::vector<std::uint8_t> out;
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) fail(func, path.string(), ": zlib init failed");
  zs.next_in = raw.data();
  zs.avail_in = static_cast<uInt>(raw.size());
  std::vector<std::uint8_t> chunk(1 << 16);
  int rc = Z_OK;
  while (true) {
    zs.next_out = chunk.data();
    zs.avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(&zs, Z_NO_FLUSH);
    out.insert(out.end(), chunk.data(), chunk.data() + (chunk.size() - zs.avail_out));
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);  // another gzip member follows
      continue;
    }
    if (rc != Z_OK) break;
    if (zs.avail_in == 0 && zs.avail_out != 0) {
      rc = Z_BUF_ERROR;
      break;
    }
  }
  const std::size_t at = raw.size() - zs.avail_in;
  const std::string msg = zs.msg ? zs.msg : "unexpected end of the compressed data";
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    fail(func, path.string(), ": gzip data is truncated or corrupt at compressed byte ", at,
         " (", msg, ", ", out.size(), " bytes decompressed)");
  }
  return out;
}

IdxArray read_idx(const std::filesystem::path& path, std::uint32_t ndim) {
  constexpr const char* func = "data::read_idx";
  const auto b = read_maybe_gzip(path);
  const std::string file = path.string();
  if (b.size() < 4) fail(func, file, ": byte ", b.size(), ": file ends inside the 4-byte magic");
  const std::uint32_t magic = big_endian_u32(b, 0);
  const std::uint32_t expected = 0x0800u | ndim;
  if (magic != expected) {
    fail(func, file, ": byte 0: bad magic ", hex32(magic), ", expected ", hex32(expected),
         " (unsigned bytes, ", ndim, ndim == 1 ? " dimension: labels" : " dimensions: images", ")");
  }
  const std::size_t header = 4 + 4 * std::size_t{ndim};
  if (b.size() < header) {
    fail(func, file, ": byte ", b.size(), ": file ends inside the header of ", header, " bytes");
  }
  IdxArray a;
  std::size_t count = 1;
  for (std::uint32_t k = 0; k < ndim; ++k) {
    const std::uint32_t s = big_endian_u32(b, 4 + 4 * k);
    if (s == 0) fail(func, file, ": byte ", 4 + 4 * k, ": size ", k, " is 0; expected > 0");
    a.sizes.push_back(s);
    count *= s;
  }
  if (b.size() != header + count) {
    fail(func, file, ": byte ", std::min(b.size(), header + count), ": size mismatch: the header ",
         "promises ", shape_str(a.sizes), " = ", count, " bytes of data after byte ", header,
         ", the file has ", b.size() - header, b.size() < header + count ? " (truncated)" : " (extra bytes)");
  }
  a.bytes.assign(b.begin() + static_cast<std::ptrdiff_t>(header), b.end());
  return a;
}

Dataset read_idx_pair(const std::filesystem::path& images, const std::filesystem::path& labels,
                      std::size_t classes, std::string name) {
  constexpr const char* func = "data::read_idx";
  const IdxArray img = read_idx(images, 3);
  const IdxArray lab = read_idx(labels, 1);
  if (img.sizes[0] != lab.sizes[0]) {
    fail(func, images.string(), " holds ", img.sizes[0], " images but ", labels.string(), " holds ",
         lab.sizes[0], " labels (byte 4 of each); expected equal counts");
  }
  for (std::size_t i = 0; i < lab.bytes.size(); ++i) {
    if (lab.bytes[i] >= classes) {
      fail(func, labels.string(), ": byte ", 8 + i, ": label ", static_cast<int>(lab.bytes[i]),
           " out of range; expected [0, ", classes - 1, "]");
    }
  }
  const std::size_t n = img.sizes[0];
  const std::size_t dim = std::size_t{img.sizes[1]} * img.sizes[2];
  Dataset d;
  d.name = std::move(name);
  d.classes = classes;
  d.x = Matrix<float>::from_shape({n, dim});
  for (std::size_t i = 0; i < n * dim; ++i) d.x.data()[i] = static_cast<float>(img.bytes[i]) / 255.0f;
  d.y = lab.bytes;
  return d;
}

Dataset read_idx_dir(const std::filesystem::path& dir, const std::string& prefix,
                     std::size_t classes, const std::string& name) {
  constexpr const char* func = "data::read_idx";
  if (!std::filesystem::is_directory(dir)) {
    fail(func, "data folder ", dir.string(), " does not exist; expected a folder with ", prefix,
         "-images-idx3-ubyte[.gz] and ", prefix, "-labels-idx1-ubyte[.gz]");
  }
  auto find = [&](const std::string& stem) {
    for (const auto& candidate : {dir / stem, dir / (stem + ".gz")}) {
      if (std::filesystem::exists(candidate)) return candidate;
    }
    fail(func, dir.string(), ": neither ", stem, " nor ", stem, ".gz is there");
  };
  const auto images = find(prefix + "-images-idx3-ubyte");
  const auto labels = find(prefix + "-labels-idx1-ubyte");
  return read_idx_pair(images, labels, classes, name);
}

}  // namespace initlab::data
