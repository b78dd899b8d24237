#include "core/output_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <streambuf>

#include "core/temp_registry.hpp"

namespace initlab {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void raise_error(const std::string& path, const std::string& what, int err) {
  throw OutputError(path + ": " + what + " (" + std::strerror(err) + ")");
}

// An output stream buffer over a file descriptor that remembers the errno of
// the first failed write (std::ofstream forgets it).
class FdBuf : public std::streambuf {
 public:
  explicit FdBuf(int fd) : fd_(fd) { setp(buf_, buf_ + sizeof buf_); }
  int error() const { return err_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const char* p = pbase();
    while (p < pptr()) {
      const ssize_t n = ::write(fd_, p, static_cast<std::size_t>(pptr() - p));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        err_ = n < 0 ? errno : EIO;
        return false;
      }
      p += n;
    }
    setp(buf_, buf_ + sizeof buf_);
    return true;
  }
  int fd_;
  int err_ = 0;
  char buf_[1 << 15];
};

// Streams `write` into fd and flushes; throws naming `path` on any failure.
void stream_into(int fd, const std::string& path, const WriteFn& write) {
  FdBuf buf(fd);
  std::ostream os(&buf);
  write(os);
  os.flush();
  if (!os || buf.error() != 0) raise_error(path, "cannot write", buf.error() ? buf.error() : EIO);
}

// Follows symlinks (relative ones from the link's folder) to what they name.
fs::path resolve_links(const std::string& path) {
  fs::path p(path);
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    std::error_code ec;
    const fs::path to = fs::read_symlink(p, ec);
    if (ec) raise_error(path, "cannot read the symbolic link", ec.value());
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
  raise_error(path, "cannot follow the symbolic links", ELOOP);
}

fs::path folder_of(const fs::path& target) {
  return target.has_parent_path() ? target.parent_path() : fs::path(".");
}

// 1 = exists and is not a regular file (write straight), 0 = regular or missing.
bool is_special(const std::string& path, const fs::path& target) {
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) return false;
  if (S_ISDIR(st.st_mode)) raise_error(path, "is a folder; expected a file name", EISDIR);
  return !S_ISREG(st.st_mode);
}

void sync_folder(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // best effort: some file systems refuse fsync on folders
  ::close(fd);
}

std::atomic<unsigned> g_counter{0};

}  // namespace

struct StagedFiles::Pending {
  std::string path;  // as the user gave it
  fs::path target;   // after following links
  fs::path tmp;
  int slot = -1;
  ~Pending() {
    if (!tmp.empty()) ::unlink(tmp.c_str());
    unregister_temp(slot);
  }
};

void check_writable(const std::string& path) {
  if (path == "-") return;
  if (path.empty()) throw OutputError("an empty file name; expected a path or -");
  const fs::path target = resolve_links(path);
  if (is_special(path, target)) {
    if (::access(target.c_str(), W_OK) != 0) raise_error(path, "cannot write", errno);
    return;
  }
  const fs::path dir = folder_of(target);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    raise_error(path, "cannot write there: the folder " + dir.string() + " is missing", errno);
  }
  if (!S_ISDIR(st.st_mode)) {
    raise_error(path, "cannot write there: " + dir.string() + " is not a folder", ENOTDIR);
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    raise_error(path, "cannot write there: the folder " + dir.string() + " is not writable",
                errno);
  }
}

void write_file(const std::string& path, const WriteFn& write) {
  StagedFiles files;
  files.add(path, write);
  files.commit();
}

StagedFiles::StagedFiles() = default;
StagedFiles::~StagedFiles() = default;

void StagedFiles::add(const std::string& path, const WriteFn& write) {
  if (path == "-") {
    std::cout.flush();
    stream_into(STDOUT_FILENO, "stdout", write);
    return;
  }
  check_writable(path);
  const fs::path target = resolve_links(path);
  if (is_special(path, target)) {
    const int fd = ::open(target.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) raise_error(path, "cannot open", errno);
    try {
      stream_into(fd, path, write);
    } catch (...) {
      ::close(fd);
      throw;
    }
    if (::close(fd) != 0) raise_error(path, "cannot write", errno);
    return;
  }
  auto p = std::make_unique<Pending>();
  p->path = path;
  p->target = target;
  int fd = -1;
  while (fd < 0) {
    const fs::path tmp = target.string() + ".tmp." + std::to_string(::getpid()) + "." +
                         std::to_string(g_counter++);
    // The slot is claimed before the file exists, so a signal can never miss it.
    p->slot = register_temp(tmp.string());
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
      const int err = errno;
      unregister_temp(p->slot);
      p->slot = -1;
      if (err != EEXIST) raise_error(path, "cannot create a temporary file beside it", err);
      continue;
    }
    p->tmp = tmp;
  }
  try {
    stream_into(fd, path, write);
  } catch (...) {
    ::close(fd);
    throw;  // ~Pending removes the temporary file
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    raise_error(path, "cannot write", err);
  }
  if (::close(fd) != 0) raise_error(path, "cannot write", errno);
  pending_.push_back(std::move(p));
}

void StagedFiles::commit() {
  sigset_t hold, old;
  sigemptyset(&hold);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&hold, sig);
  ::pthread_sigmask(SIG_BLOCK, &hold, &old);
  int err = 0;
  std::string failed;
  for (auto& p : pending_) {
    if (::rename(p->tmp.c_str(), p->target.c_str()) != 0) {
      err = errno;
      failed = p->path;
      break;
    }
    p->tmp.clear();
    sync_folder(folder_of(p->target));
  }
  pending_.clear();  // removes what was not renamed
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (err != 0) raise_error(failed, "cannot rename the finished file into place", err);
}

}  // namespace initlab
