#pragma once
// Reading a whole input file (a .npy matrix, an IDX file, the MNIST cache and
// JSON digits, a sweep file) with the reasons a user can act on: every loader
// reads through read_file, so a folder, a missing or unreadable file and a failed
// read are one message naming the file, never a stream's internal error
// ("basic_filebuf::underflow error reading the file: Is a directory").

#include <filesystem>
#include <string>
#include <string_view>

namespace initlab {

// The bytes of `path`. Throws std::invalid_argument "PATH: REASON; expected
// EXPECTED" where it does not exist, is a folder, cannot be opened (the errno
// text) or a read fails.
std::string read_file(const std::filesystem::path& path, std::string_view expected);

}  // namespace initlab
