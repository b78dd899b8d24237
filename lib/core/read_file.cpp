#include "core/read_file.hpp"

#include <cerrno>
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
    bytes.assign(std::istreambuf_iterator<char>(is), std::istreambuf_iterator<char>());
  } catch (const std::ios_base::failure&) {
    fail(name, "read error; expected ", expected);
  }
  if (is.bad()) fail(name, "read error (", std::strerror(errno != 0 ? errno : EIO), "); expected ", expected);
  return bytes;
}

}  // namespace initlab
