#include "data/mnist.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <system_error>
#include <vector>

#include "core/error.hpp"
#include "core/read_file.hpp"
#include "core/output_file.hpp"

namespace initlab::data {

namespace {

constexpr std::array<char, 8> kMagic{'I', 'L', 'M', 'N', 'I', 'S', 'T', '1'};
constexpr std::size_t kHeader = 20;
constexpr std::size_t kSide = 28;

void put_u32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int k = 0; k < 4; ++k) b.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}
std::uint32_t get_u32(const std::vector<std::uint8_t>& b, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < 4; ++k) v |= static_cast<std::uint32_t>(b[at + k]) << (8 * k);
  return v;
}
std::uint64_t get_u64(const std::vector<std::uint8_t>& b, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t k = 0; k < 8; ++k) v |= static_cast<std::uint64_t>(b[at + k]) << (8 * k);
  return v;
}

std::vector<std::uint8_t> read_all(const std::filesystem::path& path, const char* func,
                                   const std::string& hint) {
  try {
    const std::string text = read_file(path, "the MNIST cache file");
    return {text.begin(), text.end()};
  } catch (const std::invalid_argument& e) {
    fail(func, e.what(), "; ", hint);
  }
}

// p such that |v - p/255| <= 0.0005 (the JSON's 3-decimal rounding), or -1.
int pixel_level(double v) {
  if (!(v >= -0.0005 && v <= 1.0005)) return -1;
  const double p = std::round(v * 255.0);
  if (std::abs(v - p / 255.0) > 0.0005 + 1e-9) return -1;
  return static_cast<int>(p);
}

}  // namespace

std::uint64_t fnv1a64(std::span<const std::uint8_t> bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (auto c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

Dataset read_mnist_json(const std::filesystem::path& dir) {
  constexpr const char* func = "data::read_mnist_json";
  std::vector<std::uint8_t> pixels;
  std::vector<std::uint8_t> labels;
  for (int digit = 0; digit < 10; ++digit) {
    const auto file = dir / (std::to_string(digit) + ".json");
    if (!std::filesystem::exists(file)) fail(func, file.string(), ": missing; ", kMnistFetchHint);
    std::string text;
    try {
      text = read_file(file, "a digit file {\"data\": [...]}");
    } catch (const std::invalid_argument& e) {
      fail(func, e.what(), "; ", kMnistFetchHint);
    }
    nlohmann::json doc;
    try {
      doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      fail(func, file.string(), ": not valid JSON (truncated or corrupt) at byte ", e.byte, "; ",
           kMnistFetchHint);
    } catch (const nlohmann::json::out_of_range&) {
      fail(func, file.string(), ": a number beyond the range of a double (such as 1e999); ",
           kMnistFetchHint);
    }
    if (!doc.is_object() || !doc.contains("data") || !doc["data"].is_array()) {
      fail(func, file.string(), ": expected an object {\"data\": [...]}; ", kMnistFetchHint);
    }
    const auto& data = doc["data"];
    if (data.empty() || data.size() % kMnistPixels != 0) {
      fail(func, file.string(), ": holds ", data.size(), " values; expected a positive multiple of ",
           kMnistPixels, "; ", kMnistFetchHint);
    }
    const std::size_t count = data.size() / kMnistPixels;
    for (std::size_t i = 0; i < data.size(); ++i) {
      const auto& v = data[i];
      const int p = v.is_number() ? pixel_level(v.get<double>()) : -1;
      if (p < 0) {
        fail(func, file.string(), ": value ", i, " (", v.dump(), ") is not a pixel in [0, 1]; ",
             kMnistFetchHint);
      }
      pixels.push_back(static_cast<std::uint8_t>(p));
    }
    labels.insert(labels.end(), count, static_cast<std::uint8_t>(digit));
  }
  Dataset d;
  d.name = "mnist-10k";
  d.classes = 10;
  d.x = Matrix<float>::from_shape({labels.size(), kMnistPixels});
  for (std::size_t i = 0; i < pixels.size(); ++i) d.x.data()[i] = static_cast<float>(pixels[i]) / 255.0f;
  d.y = std::move(labels);
  return d;
}

void write_mnist_cache(const Dataset& d, const std::filesystem::path& path) {
  constexpr const char* func = "data::write_mnist_cache";
  if (d.dim() != kMnistPixels || d.classes != 10) {
    fail(func, d.name, ": ", d.dim(), " pixels and ", d.classes, " classes; expected 784 and 10");
  }
  validate(d);
  std::vector<std::uint8_t> b(kMagic.begin(), kMagic.end());
  b.reserve(kHeader + d.size() * (kMnistPixels + 1) + 8);
  put_u32(b, static_cast<std::uint32_t>(d.size()));
  put_u32(b, kSide);
  put_u32(b, kSide);
  for (float v : d.x) {
    b.push_back(static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)));
  }
  b.insert(b.end(), d.y.begin(), d.y.end());
  const std::uint64_t h = fnv1a64(b);
  for (int k = 0; k < 8; ++k) b.push_back(static_cast<std::uint8_t>(h >> (8 * k)));

  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  try {
    write_file(path.string(), [&](std::ostream& os) {
      os.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    });
  } catch (const OutputError& e) {
    fail(func, e.what());
  }
}

Dataset read_mnist_cache(const std::filesystem::path& path) {
  constexpr const char* func = "data::read_mnist_cache";
  const std::string hint = cat("delete it and run `make deps` (or scripts/fetch-mnist.sh --force)");
  if (!std::filesystem::exists(path)) fail(func, path.string(), ": missing; ", kMnistFetchHint);
  const auto b = read_all(path, func, hint);
  if (b.size() < kHeader + 8) {
    fail(func, path.string(), ": truncated (", b.size(), " bytes, the header alone needs ",
         kHeader + 8, "); ", hint);
  }
  if (!std::equal(kMagic.begin(), kMagic.end(), b.begin())) {
    fail(func, path.string(), ": bad magic at byte 0, expected \"ILMNIST1\"; ", hint);
  }
  const std::size_t n = get_u32(b, 8);
  if (get_u32(b, 12) != kSide || get_u32(b, 16) != kSide) {
    fail(func, path.string(), ": image size ", get_u32(b, 12), "x", get_u32(b, 16),
         " at byte 12, expected 28x28; ", hint);
  }
  const std::size_t expected = kHeader + n * (kMnistPixels + 1) + 8;
  if (b.size() != expected) {
    fail(func, path.string(), ": ", b.size() < expected ? "truncated" : "too long", " (", b.size(),
         " bytes, ", n, " digits need ", expected, "); ", hint);
  }
  const std::uint64_t stored = get_u64(b, expected - 8);
  const std::uint64_t actual = fnv1a64(std::span(b.data(), expected - 8));
  if (stored != actual) {
    fail(func, path.string(), ": checksum mismatch (stored ", std::hex, stored, ", computed ", actual,
         std::dec, "); the file is corrupt; ", hint);
  }
  Dataset d;
  d.name = "mnist-10k";
  d.classes = 10;
  d.x = Matrix<float>::from_shape({n, kMnistPixels});
  const std::uint8_t* px = b.data() + kHeader;
  for (std::size_t i = 0; i < n * kMnistPixels; ++i) d.x.data()[i] = static_cast<float>(px[i]) / 255.0f;
  d.y.assign(px + n * kMnistPixels, px + n * (kMnistPixels + 1));
  for (std::size_t i = 0; i < n; ++i) {
    if (d.y[i] >= 10) {
      fail(func, path.string(), ": label ", static_cast<int>(d.y[i]), " at byte ",
           kHeader + n * kMnistPixels + i, " is out of range [0, 9]; ", hint);
    }
  }
  return d;
}

MnistLoad load_mnist(const std::filesystem::path& json_dir,
                     const std::filesystem::path& cache_path) {
  std::string cache_problem;
  if (std::filesystem::exists(cache_path)) {
    try {
      return {read_mnist_cache(cache_path), "cache " + cache_path.string()};
    } catch (const std::invalid_argument& e) {
      cache_problem = e.what();
    }
  }
  Dataset d;
  try {
    d = read_mnist_json(json_dir);
  } catch (const std::invalid_argument& e) {
    if (cache_problem.empty()) throw;
    fail("data::load_mnist", "the cache is unusable (", cache_problem, ") and so is the JSON (",
         e.what(), ")");
  }
  std::string source = "json " + json_dir.string();
  try {
    write_mnist_cache(d, cache_path);
    source += " (cache " + cache_path.string() + " written)";
  } catch (const std::invalid_argument& e) {
    source += std::string(" (cache not written: ") + e.what() + ")";
  }
  return {std::move(d), source};
}

}  // namespace initlab::data
