#include "core/read_file.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include "core/error.hpp"

namespace initlab {

std::string read_file(const std::filesystem::path& path, std::string_view expected) {
  const std::string name = path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) fail(name, "missing; expected ", expected);
  if (status.type() == std::filesystem::file_type::directory) fail(name, "is a folder; expected ", expected);
  errno = 0;
  std::ifstream is(path, std::ios::binary);
  if (!is) fail(name, "cannot open (", std::strerror(errno != 0 ? errno : EIO), "); expected ", expected);
  std::string bytes;
  try {
    // a regular file in one read of its size (not a byte at a time through a stream
    // iterator: the digit cache is 7.8 MB), then whatever follows if it grew
    const auto size = status.type() == std::filesystem::file_type::regular
                          ? std::filesystem::file_size(path, ec) : std::uintmax_t{0};
    if (!ec && size > 0) {
      bytes.resize(static_cast<std::size_t>(size));
      is.read(bytes.data(), static_cast<std::streamsize>(size));
      bytes.resize(static_cast<std::size_t>(is.gcount()));
      if (is.eof() && !is.bad()) is.clear();
    }
    if (is) bytes.append(std::istreambuf_iterator<char>(is), std::istreambuf_iterator<char>());
  } catch (const std::ios_base::failure&) {
    fail(name, "read error; expected ", expected);
  }
  if (is.bad()) fail(name, "read error (", std::strerror(errno != 0 ? errno : EIO), "); expected ", expected);
  return bytes;
}

}  // namespace initlab
