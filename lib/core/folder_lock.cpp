#include "core/folder_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/output_file.hpp"

namespace initlab {

FolderLock::FolderLock(const std::filesystem::path& dir) {
  const std::string name = dir.string();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    throw OutputError(name + ": cannot create the folder (" +
                      (ec ? ec.message() : std::string("a file of that name exists")) + ")");
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw OutputError(name + ": the folder is not writable (" + std::strerror(errno) + ")");
  }
  const std::filesystem::path lock = dir / ".initlab.lock";
  fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    throw OutputError(name + ": cannot create the lock file (" + std::strerror(errno) + ")");
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK) {
      throw OutputError(name + ": folder in use by another initlab run; wait for it or choose "
                               "another folder");
    }
    throw OutputError(name + ": cannot lock the folder (" + std::strerror(err) + ")");
  }
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace initlab
