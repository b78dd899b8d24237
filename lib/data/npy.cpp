// .npy reader and writer (format: numpy.lib.format, versions 1.0 / 2.0 / 3.0).

#include "data/npy.hpp"

#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>

#include "core/error.hpp"
#include "core/read_file.hpp"

namespace initlab::data {

static_assert(std::endian::native == std::endian::little,
              "the .npy reader and writer assume a little-endian host");

std::string_view to_string(NpyDtype d) { return d == NpyDtype::f4 ? "<f4" : "<f8"; }

namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

// A cursor over the header dict literal; every failure names the file.
struct HeaderParser {
  std::string_view text;
  std::string_view name;
  std::size_t pos = 0;

  [[noreturn]] void error(std::string_view expected) const {
    fail(name, "bad .npy header at character ", pos, ": expected ", expected, " in ", text);
  }
  void skip_space() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  }
  bool accept(char c) {
    skip_space();
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!accept(c)) error(std::string("'") + c + "'");
  }
  std::string_view string_literal() {
    skip_space();
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"')) error("a quoted string");
    const char quote = text[pos++];
    const auto end = text.find(quote, pos);
    if (end == std::string_view::npos) error("a closing quote");
    const auto s = text.substr(pos, end - pos);
    pos = end + 1;
    return s;
  }
  bool boolean() {
    skip_space();
    for (auto [word, value] : {std::pair{std::string_view("True"), true}, {"False", false}}) {
      if (text.substr(pos, word.size()) == word) {
        pos += word.size();
        return value;
      }
    }
    error("True or False for 'fortran_order'");
  }
  std::size_t integer() {
    skip_space();
    if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') error("a non-negative integer");
    std::size_t v = 0;
    const char* first = text.data() + pos;
    const auto r = std::from_chars(first, text.data() + text.size(), v);
    if (r.ec == std::errc::result_out_of_range) error("a dimension that fits in 64 bits");
    pos += static_cast<std::size_t>(r.ptr - first);
    return v;
  }
  // "(" [int ("," int)* [","]] ")"; a one-element tuple needs its comma.
  std::vector<std::size_t> shape() {
    expect('(');
    std::vector<std::size_t> dims;
    bool comma = false;
    while (!accept(')')) {
      if (!dims.empty() && !comma) error("',' or ')' in 'shape'");
      dims.push_back(integer());
      comma = accept(',');
    }
    if (dims.size() == 1 && !comma) error("'(N,)' for a one-dimensional 'shape'");
    return dims;
  }
};

NpyDtype dtype_of(std::string_view descr, std::string_view name) {
  if (descr == "<f4") return NpyDtype::f4;
  if (descr == "<f8") return NpyDtype::f8;
  if (descr == ">f4" || descr == ">f8") {
    fail(name, "dtype '", descr, "' is big-endian; expected little-endian '<f4' or '<f8'");
  }
  if (descr == "|O" || descr == "O") {
    fail(name, "dtype '", descr, "' is an object array; expected '<f4' or '<f8'");
  }
  fail(name, "unsupported dtype '", descr, "'; expected float32 '<f4' or float64 '<f8'");
}

struct Header {
  NpyDtype dtype;
  bool fortran;
  std::vector<std::size_t> shape;
};

Header parse_header(std::string_view text, std::string_view name) {
  HeaderParser p{text, name};
  std::optional<NpyDtype> dtype;
  std::optional<bool> fortran;
  std::optional<std::vector<std::size_t>> shape;
  p.expect('{');
  bool comma = true;
  while (!p.accept('}')) {
    if (!comma) p.error("',' or '}'");
    const auto key = p.string_literal();
    p.expect(':');
    const bool repeated = (key == "descr" && dtype) || (key == "fortran_order" && fortran) ||
                          (key == "shape" && shape);
    if (repeated) fail(name, "bad .npy header: key '", key, "' given twice");
    if (key == "descr") {
      dtype = dtype_of(p.string_literal(), name);
    } else if (key == "fortran_order") {
      fortran = p.boolean();
    } else if (key == "shape") {
      shape = p.shape();
    } else {
      fail(name, "bad .npy header: unknown key '", key,
           "'; expected 'descr', 'fortran_order' and 'shape'");
    }
    comma = p.accept(',');
  }
  p.skip_space();
  if (p.pos + 1 != text.size() || text.back() != '\n') p.error("spaces and '\\n' after the dict");
  if (!dtype || !fortran || !shape) {
    fail(name, "bad .npy header: expected the keys 'descr', 'fortran_order' and 'shape', got ",
         text.substr(0, text.size() - 1));
  }
  return {*dtype, *fortran, std::move(*shape)};
}

std::uint32_t little_endian(std::span<const unsigned char> b) {
  std::uint32_t v = 0;
  for (std::size_t i = b.size(); i-- > 0;) v = (v << 8) | b[i];
  return v;
}

// values in Fortran order (first index fastest) -> C order (last index fastest)
std::vector<double> to_c_order(const std::vector<double>& f, const std::vector<std::size_t>& shape) {
  if (shape.size() < 2) return f;
  std::vector<double> c(f.size());
  std::vector<std::size_t> index(shape.size(), 0);
  std::vector<std::size_t> fstride(shape.size(), 1);
  for (std::size_t k = 1; k < shape.size(); ++k) fstride[k] = fstride[k - 1] * shape[k - 1];
  for (std::size_t i = 0; i < c.size(); ++i) {
    std::size_t at = 0;
    for (std::size_t k = 0; k < shape.size(); ++k) at += index[k] * fstride[k];
    c[i] = f[at];
    for (std::size_t k = shape.size(); k-- > 0;) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
  return c;
}

}  // namespace

NpyArray parse_npy(std::span<const unsigned char> bytes, std::string_view name) {
  if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) {
    fail(name, "not a .npy file (expected the magic \\x93NUMPY, ", bytes.size(), " bytes read)");
  }
  const unsigned major = bytes[6], minor = bytes[7];
  if ((major != 1 && major != 2 && major != 3) || minor != 0) {
    fail(name, ".npy format version ", major, ".", minor, "; expected 1.0, 2.0 or 3.0");
  }
  const std::size_t len_bytes = major == 1 ? 2 : 4;
  if (bytes.size() < 8 + len_bytes) fail(name, "truncated .npy header length");
  const std::size_t header_len = little_endian(bytes.subspan(8, len_bytes));
  const std::size_t start = 8 + len_bytes;
  if (header_len > bytes.size() - start) {
    fail(name, "truncated .npy header: ", header_len, " bytes promised, ",
         bytes.size() - start, " present");
  }
  const std::string_view text(reinterpret_cast<const char*>(bytes.data() + start), header_len);
  Header h = parse_header(text, name);

  std::size_t count = 1;
  for (std::size_t d : h.shape) {
    if (d != 0 && count > std::numeric_limits<std::size_t>::max() / d) {
      fail(name, "shape ", shape_str(h.shape), " overflows the size of an array");
    }
    count *= d;
  }
  const std::size_t width = h.dtype == NpyDtype::f4 ? 4 : 8;
  if (count > std::numeric_limits<std::size_t>::max() / width) {
    fail(name, "shape ", shape_str(h.shape), " overflows the size of an array");
  }
  const std::size_t data = start + header_len;
  const std::size_t present = bytes.size() - data;
  if (present != count * width) {
    fail(name, "shape ", shape_str(h.shape), " of ", to_string(h.dtype), " needs ", count * width,
         " data bytes, the file has ", present, present < count * width ? " (truncated)" : "");
  }
  NpyArray a{h.shape, h.dtype, h.fortran, std::vector<double>(count)};
  const unsigned char* p = bytes.data() + data;
  for (std::size_t i = 0; i < count; ++i) {
    if (h.dtype == NpyDtype::f4) {
      float x;
      std::memcpy(&x, p + 4 * i, 4);
      a.values[i] = static_cast<double>(x);
    } else {
      std::memcpy(&a.values[i], p + 8 * i, 8);
    }
  }
  if (h.fortran) a.values = to_c_order(a.values, a.shape);
  return a;
}

NpyArray read_npy(const std::filesystem::path& path) {
  const std::string text = read_file(path, "a .npy file");
  const std::vector<unsigned char> bytes(text.begin(), text.end());
  return parse_npy(bytes, path.string());
}

template <class T>
void write_npy(std::ostream& os, std::span<const T> values, std::span<const std::size_t> shape) {
  static_assert(sizeof(T) == 4 || sizeof(T) == 8);
  std::size_t count = 1;
  for (std::size_t d : shape) count *= d;
  if (count != values.size()) {
    fail("write_npy", values.size(), " values do not fill the shape ", shape_str(shape));
  }
  std::string dims;
  for (std::size_t d : shape) dims += std::to_string(d) + ",";
  if (shape.size() > 1) dims.pop_back();
  std::string header = cat("{'descr': '", sizeof(T) == 4 ? "<f4" : "<f8",
                           "', 'fortran_order': False, 'shape': (", dims, "), }");
  // magic (6) + version (2) + length (2) + header, padded to a multiple of 64
  const std::size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
  header.append(total - 10 - header.size() - 1, ' ');
  header += '\n';
  const auto len = static_cast<std::uint16_t>(header.size());
  os.write(kMagic.data(), static_cast<std::streamsize>(kMagic.size()));
  const char version[4] = {1, 0, static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
  os.write(version, 4);
  os.write(header.data(), static_cast<std::streamsize>(header.size()));
  os.write(reinterpret_cast<const char*>(values.data()),
           static_cast<std::streamsize>(values.size() * sizeof(T)));
}

template void write_npy(std::ostream&, std::span<const float>, std::span<const std::size_t>);
template void write_npy(std::ostream&, std::span<const double>, std::span<const std::size_t>);

}  // namespace initlab::data
