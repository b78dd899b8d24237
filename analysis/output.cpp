#include "output.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <system_error>

namespace initlab::tool {

namespace {
std::string& command_line_storage() {
  static std::string line = "initlab";
  return line;
}
}  // namespace

void set_command_line(int argc, char** argv) {
  std::string line = "initlab";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const bool quote = arg.find_first_of(" \t\"'$") != std::string::npos || arg.empty();
    line += ' ';
    line += quote ? "'" + arg + "'" : arg;
  }
  command_line_storage() = line;
}

const std::string& command_line() { return command_line_storage(); }

void ensure_output_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    throw std::invalid_argument("--out " + dir.string() +
                                ": cannot create the folder (" + ec.message() + ")");
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    throw std::invalid_argument("--out " + dir.string() + ": the folder is not writable");
  }
}

void write_atomically(const std::string& path,
                      const std::function<void(std::ostream&)>& write) {
  if (path == "-") {
    write(std::cout);
    std::cout.flush();
    return;
  }
  const std::filesystem::path target(path);
  const std::filesystem::path tmp =
      target.string() + ".tmp." + std::to_string(static_cast<long>(::getpid()));
  {
    std::ofstream os(tmp, std::ios::binary | std::ios::trunc);
    if (!os) {
      throw std::invalid_argument(path + ": cannot write here (" +
                                  std::string(std::strerror(errno)) + ")");
    }
    try {
      write(os);
      os.flush();
      if (!os) throw std::runtime_error(path + ": write failed");
    } catch (...) {
      os.close();
      std::filesystem::remove(tmp);
      throw;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    std::filesystem::remove(tmp);
    throw std::invalid_argument(path + ": cannot rename the finished file into place (" +
                                ec.message() + ")");
  }
}

}  // namespace initlab::tool
