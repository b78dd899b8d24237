#pragma once
// An exclusive lock on an output folder for the length of one run, so two runs
// writing into the same folder cannot mix their files. The lock is flock(2) on
// DIR/.initlab.lock (released by the kernel when the process ends, even on a
// signal or crash; the empty lock file itself stays).

#include <filesystem>

namespace initlab {

class FolderLock {
 public:
  // Creates DIR (and parents) if needed and locks it; throws OutputError naming
  // DIR if it cannot be created or written, or if another run holds the lock
  // ("folder in use").
  explicit FolderLock(const std::filesystem::path& dir);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace initlab
