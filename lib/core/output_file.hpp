#pragma once
// The one way initlab writes a file: nothing half-written ever stands under the
// file's name, and nothing that is not a plain file is ever replaced.
//
// - A regular file (or a name that does not exist yet) is written into a
//   temporary file beside it (NAME.tmp.PID.N), fsynced, then renamed over NAME.
// - A symlink is followed: the file it points to is written (as above); the
//   link itself stays a link.
// - Anything else that exists (a FIFO, /dev/null, a terminal, any device) is
//   opened and written straight into; it is never unlinked or replaced.
// - "-" is standard output.
// Every write, the flush, the fsync and the rename are checked: a failure
// (a full disk, a file-size limit, a closed pipe) throws OutputError naming the
// path and the system's reason, and the temporary file is removed.
// Temporary files are registered with core/temp_registry.hpp, so a SIGINT or
// SIGTERM during the write removes them too.

#include <functional>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace initlab {

// A file could not be written (or will not be writable). The message names the
// path and the reason; tools report it as a one-line error.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using WriteFn = std::function<void(std::ostream&)>;

// Checks, before any work is done, that `path` can be written: "-", an existing
// FIFO or device it may write into, or a regular file / new name whose folder
// exists and is writable. Symlinks are followed. Throws OutputError.
void check_writable(const std::string& path);

// Writes what `write` streams into `path` as described above. Throws OutputError.
void write_file(const std::string& path, const WriteFn& write);

// Several files that belong together (the CSV and JSON of one run): each is
// written to its temporary file first; commit() then renames all of them with
// SIGINT/SIGTERM/SIGHUP held back, so a signal cannot leave the files of two runs
// side by side. Destroying an uncommitted set removes its temporaries.
class StagedFiles {
 public:
  StagedFiles();
  ~StagedFiles();
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;

  // Writes `path` now (straight through for "-" and non-regular targets; into a
  // temporary file for regular ones, renamed by commit()).
  void add(const std::string& path, const WriteFn& write);
  void commit();

 private:
  struct Pending;
  std::vector<std::unique_ptr<Pending>> pending_;
};

}  // namespace initlab
