#include "study/sweep_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"
#include "study/sweep.hpp"

namespace initlab::study {

namespace {
std::string header_line(const SweepSpec& spec) {
  return nlohmann::ordered_json{{"sweep", spec.fingerprint()}, {"spec", spec.canonical()}}.dump();
}
}  // namespace

SweepJournal::SweepJournal(const std::filesystem::path& dir, const SweepSpec& spec, bool resume)
    : path_(dir / "journal.jsonl") {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail("sweep", dir.string(), ": cannot create the folder (", ec.message(), ")");
  const bool exists = std::filesystem::exists(path_);
  if (exists && !resume)
    fail("sweep", path_.string(), " holds an earlier run; expected a new folder or a resumed run");
  if (exists) read(spec);
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("sweep", path_.string(), ": cannot open the journal (", std::strerror(errno), ")");
  if (!exists || std::filesystem::file_size(path_) == 0) write_line(header_line(spec));
}

SweepJournal::~SweepJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void SweepJournal::read(const SweepSpec& spec) {
  std::string text;
  {
    std::ifstream is(path_, std::ios::binary);
    std::ostringstream os;
    os << is.rdbuf();
    text = os.str();
  }
  // A run killed while writing leaves a last line without its newline: drop it.
  const std::size_t complete = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  if (complete < text.size()) {
    std::filesystem::resize_file(path_, complete);
    text.resize(complete);
  }
  std::istringstream lines(text);
  std::string line;
  std::size_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    const std::string where = cat(path_.string(), " line ", number);
    if (number == 1) {
      if (line != header_line(spec))
        fail(where, "the journal is of another sweep; expected one of sweep ", spec.fingerprint());
      continue;
    }
    SweepRecord r = record_from_line(line, where);
    if (r.id >= spec.size() || r.key != sweep_point(spec, r.id).key())
      fail(where, "configuration ", r.id, " '", r.key, "' is not in this sweep");
    done_[r.id] = line;
  }
}

void SweepJournal::write_line(const std::string& line) {
  const std::string out = line + "\n";
  const ssize_t n = ::write(fd_, out.data(), out.size());
  if (n != static_cast<ssize_t>(out.size()))
    fail("sweep", path_.string(), ": cannot append to the journal (", std::strerror(errno), ")");
}

void SweepJournal::append(std::size_t id, const std::string& line) {
  write_line(line);
  done_[id] = line;
}

}  // namespace initlab::study
